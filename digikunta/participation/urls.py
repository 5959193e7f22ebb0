from django.urls import path

from digikunta.participation import views

app_name = "participation"
urlpatterns = [
    path("", views.process_list, name="process_list"),
    path("new/", views.process_create, name="process_create"),
    path("profile/", views.profile, name="profile"),
    path("ideas/", views.idea_search, name="idea_search"),
    path("ideas/<id:pk>/", views.idea_detail, name="idea_detail"),
    path("ideas/<id:pk>/edit/", views.idea_update, name="idea_update"),
    path("ideas/<id:pk>/support/", views.idea_support, name="idea_support"),
    path("ideas/<id:pk>/follow/", views.idea_follow, name="idea_follow"),
    path("ideas/<id:pk>/answer/", views.idea_answer, name="idea_answer"),
    path("<slug:slug>/", views.process_detail, name="process_detail"),
    path("<slug:slug>/edit/", views.process_update, name="process_update"),
    path("<slug:slug>/publish/", views.process_publish, name="process_publish"),
    path("<slug:slug>/declare/", views.declare, name="declare"),
    path("<slug:slug>/ideas/new/", views.idea_create, name="idea_create"),
]
