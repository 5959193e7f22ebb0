from django.urls import path

from digikunta.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("new/", views.organisation_create, name="organisation_create"),
    # "mine" is a reserved slug (core.slugs), so these never clash with an organisation.
    path("mine/invitations/", views.invitation_list, name="invitation_list"),
    path("mine/invitations/<id:pk>/", views.invitation_answer, name="invitation_answer"),
    path("mine/invitations/<str:token>/", views.invitation_detail, name="invitation_detail"),
    path("<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("<slug:slug>/edit/", views.organisation_update, name="organisation_update"),
    path("<slug:slug>/members/", views.organisation_members, name="organisation_members"),
    path("<slug:slug>/members/<id:user_id>/", views.membership_change, name="membership_change"),
    path(
        "<slug:slug>/invitations/<id:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("<slug:slug>/leave/", views.organisation_leave, name="organisation_leave"),
    path("<slug:slug>/join/", views.organisation_join, name="organisation_join"),
    path(
        "<slug:slug>/join-requests/<id:pk>/",
        views.join_request_decide,
        name="join_request_decide",
    ),
]
