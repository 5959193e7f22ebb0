from django.urls import path

from digikunta.participation import views

app_name = "participation"
urlpatterns = [
    path("", views.process_list, name="process_list"),
    path("ideas/<id:pk>/", views.idea_detail, name="idea_detail"),
    path("<slug:slug>/", views.process_detail, name="process_detail"),
]
