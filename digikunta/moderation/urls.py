from django.urls import path

from digikunta.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("report/<slug:kind>/<id:pk>/", views.report_create, name="report"),
    path("hidden/", views.hidden_list, name="hidden_list"),
    path("content/<slug:kind>/<id:pk>/", views.content_detail, name="content_detail"),
    path("content/<slug:kind>/<id:pk>/hide/", views.content_hide, name="content_hide"),
    path("content/<slug:kind>/<id:pk>/dismiss/", views.reports_dismiss, name="reports_dismiss"),
    path("content/<slug:kind>/<id:pk>/restore/", views.content_restore, name="content_restore"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/<id:user_id>/block/", views.account_block, name="account_block"),
    path("accounts/<id:user_id>/unblock/", views.account_unblock, name="account_unblock"),
]
