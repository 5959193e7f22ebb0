from django.urls import path

from digikunta.casebank import views

app_name = "casebank"
urlpatterns = [
    path("", views.casebank, name="casebank"),
    path("top-10/", views.top10, name="top10"),
    path("export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("export.json", views.export, {"fmt": "json"}, name="export_json"),
]
