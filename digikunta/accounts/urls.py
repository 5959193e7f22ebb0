from django.urls import path

from digikunta.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_settings, name="settings"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<id:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("data/", views.data_overview, name="data"),
    path("data/export/", views.data_export, name="data_export"),
    path("data/erase/", views.account_erase, name="erase"),
]
