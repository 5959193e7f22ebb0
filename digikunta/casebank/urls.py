from django.urls import path

from digikunta.casebank import views

app_name = "casebank"
urlpatterns = [
    path("", views.casebank, name="casebank"),
    path("top-10/", views.top10, name="top10"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
]
