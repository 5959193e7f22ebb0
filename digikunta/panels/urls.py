from django.urls import path

from digikunta.panels import views

app_name = "panels"
urlpatterns = [
    path("draw.py", views.draw_source, name="draw_source"),
    path("new/<slug:slug>/", views.panel_create, name="panel_create"),
    path("<id:pk>/", views.panel_detail, name="panel_detail"),
    path("<id:pk>/register/", views.panel_register, name="panel_register"),
    path("<id:pk>/withdraw/", views.panel_withdraw, name="panel_withdraw"),
    path("<id:pk>/edit/", views.panel_update, name="panel_update"),
    path("<id:pk>/manage/", views.panel_manage, name="panel_manage"),
    path("<id:pk>/publish/", views.panel_publish, name="panel_publish"),
    path("<id:pk>/close/", views.panel_close, name="panel_close"),
    path("<id:pk>/draw/run/", views.panel_draw, name="panel_draw"),
    path("<id:pk>/invite/", views.panel_invite, name="panel_invite"),
    path(
        "<id:pk>/members/<id:volunteer>/no-answer/",
        views.member_no_answer,
        name="member_no_answer",
    ),
    path("<id:pk>/draw/", views.draw_detail, name="draw_detail"),
    path("<id:pk>/draw/verify/", views.draw_verify, name="draw_verify"),
    path("<id:pk>/volunteers.csv", views.volunteers_csv, name="volunteers_csv"),
    path("<id:pk>/invitation/", views.invitation_detail, name="invitation_detail"),
    path("<id:pk>/invitation/answer/", views.invitation_answer, name="invitation_answer"),
]
