from django.urls import path

from digikunta.mine import views

app_name = "mine"
urlpatterns = [path("", views.dashboard, name="dashboard")]
