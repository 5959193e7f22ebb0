from django.urls import path

from digikunta.experiments import views

app_name = "experiments"
urlpatterns = [
    path("", views.experiment_list, name="experiment_list"),
    path("new/", views.experiment_create, name="experiment_create"),
    path("themes/", views.theme_list, name="theme_list"),
    path("themes/<id:theme_id>/", views.theme_update, name="theme_update"),
    path("themes/<id:theme_id>/retire/", views.theme_retire, name="theme_retire"),
    path("themes/<id:theme_id>/merge/", views.theme_merge, name="theme_merge"),
    path("<slug:slug>/", views.experiment_detail, name="experiment_detail"),
    path("<slug:slug>/edit/", views.experiment_update, name="experiment_update"),
    path("<slug:slug>/stage/", views.experiment_transition, name="experiment_transition"),
    path("<slug:slug>/publish/", views.experiment_publish, name="experiment_publish"),
    path("<slug:slug>/unpublish/", views.experiment_unpublish, name="experiment_unpublish"),
    path("<slug:slug>/steps/", views.step_create, name="step_create"),
    path("<slug:slug>/steps/<id:step_id>/move/", views.step_move, name="step_move"),
    path("<slug:slug>/steps/<id:step_id>/edit/", views.step_update, name="step_update"),
    path("<slug:slug>/team/", views.team, name="team"),
    path("<slug:slug>/indicators/", views.indicator_create, name="indicator_create"),
    path(
        "<slug:slug>/indicators/<id:indicator_id>/measurements/",
        views.measurement_create,
        name="measurement_create",
    ),
    path("<slug:slug>/reuse/", views.experiment_reuse, name="experiment_reuse"),
    path("<slug:slug>/follow/", views.experiment_follow, name="experiment_follow"),
    path(
        "<slug:slug>/follow-up/<id:follow_up_id>/",
        views.follow_up_answer,
        name="follow_up_answer",
    ),
    path("<slug:slug>/journal/", views.journal_create, name="journal_create"),
    path("<slug:slug>/journal/<id:entry_id>/edit/", views.journal_update, name="journal_update"),
    path(
        "<slug:slug>/journal/<id:entry_id>/history/", views.journal_history, name="journal_history"
    ),
    path(
        "<slug:slug>/files/<str:kind>/<id:file_id>/",
        views.journal_file,
        name="journal_file",
    ),
]
