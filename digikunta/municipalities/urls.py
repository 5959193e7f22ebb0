from django.urls import path

from digikunta.experiments import views as experiment_views
from digikunta.municipalities import views

app_name = "municipalities"
urlpatterns = [
    path("", views.municipality_list, name="municipality_list"),
    path("<str:code>/", views.municipality_detail, name="municipality_detail"),
    path("<str:code>/follow/", experiment_views.municipality_follow, name="municipality_follow"),
]
