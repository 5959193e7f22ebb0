from django.urls import path

from digikunta.home import views

app_name = "home"
urlpatterns = [
    path("", views.month_archive, name="month_archive"),
    path("choose/", views.month_choose, name="month_choose"),
]
