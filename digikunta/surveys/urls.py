from django.urls import path

from digikunta.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("new/", views.survey_create, name="survey_create"),
    path("<id:pk>/", views.survey_detail, name="survey_detail"),
    path("<id:pk>/thanks/", views.survey_thanks, name="survey_thanks"),
    path("<id:pk>/results/", views.survey_results, name="survey_results"),
    path("<id:pk>/results.csv", views.results_csv, name="results_csv"),
    path("<id:pk>/responses.csv", views.responses_csv, name="responses_csv"),
    path("<id:pk>/edit/", views.survey_edit, name="survey_edit"),
    path("<id:pk>/publish/", views.survey_publish, name="survey_publish"),
    path("<id:pk>/close/", views.survey_close, name="survey_close"),
    path("<id:pk>/questions/new/", views.question_create, name="question_create"),
    path("<id:pk>/questions/<id:question_id>/", views.question_edit, name="question_edit"),
    path(
        "<id:pk>/questions/<id:question_id>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("<id:pk>/questions/<id:question_id>/move/", views.question_move, name="question_move"),
]
