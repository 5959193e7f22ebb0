from django.urls import path

from digikunta.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("new/", views.organisation_create, name="organisation_create"),
    path("<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("<slug:slug>/edit/", views.organisation_update, name="organisation_update"),
    path("<slug:slug>/members/", views.organisation_members, name="organisation_members"),
    path("<slug:slug>/members/<int:user_id>/", views.membership_change, name="membership_change"),
    path("<slug:slug>/leave/", views.organisation_leave, name="organisation_leave"),
]
