from django.urls import path

from digikunta.municipalities import views

app_name = "municipalities"
urlpatterns = [
    path("", views.municipality_list, name="municipality_list"),
    path("<str:code>/", views.municipality_detail, name="municipality_detail"),
]
