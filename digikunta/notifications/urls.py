from django.urls import path

from digikunta.notifications import views

app_name = "notifications"
urlpatterns = [
    path("account/notifications/", views.notification_settings, name="settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
