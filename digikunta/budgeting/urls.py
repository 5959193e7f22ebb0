"""Under /<lang>/participation/<process slug>/budget/ (the project's urls.py)."""

from django.urls import path

from digikunta.budgeting import views

app_name = "budgeting"
urlpatterns = [
    path("", views.budget, name="budget"),
    path("ballot/", views.ballot, name="ballot"),
    path("ballot/review/", views.ballot_review, name="review"),
    path("ballot/cast/", views.ballot_cast, name="cast"),
    path("ballot/receipt/", views.receipt, name="receipt"),
    path("ballot/receipt/new/", views.receipt_renew, name="receipt_renew"),
    path("check/", views.check, name="check"),
    path("results/", views.results, name="results"),
    path("results.<str:fmt>", views.results_export, {"table": "results"}, name="results_export"),
    path("turnout.<str:fmt>", views.results_export, {"table": "turnout"}, name="turnout_export"),
    path("manage/", views.manage, name="manage"),
    path("manage/areas/new/", views.area_edit, name="area_create"),
    path("manage/areas/<id:pk>/", views.area_edit, name="area_edit"),
    path("manage/areas/<id:pk>/delete/", views.area_delete, name="area_delete"),
    path("manage/projects/new/", views.project_edit, name="project_create"),
    path("manage/projects/<id:pk>/", views.project_edit, name="project_edit"),
    path("manage/projects/<id:pk>/check/", views.project_check, name="project_check"),
    path("manage/projects/<id:pk>/delete/", views.project_delete, name="project_delete"),
]
