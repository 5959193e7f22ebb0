from django.contrib import admin

from digikunta.municipalities.models import Municipality, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv", "population"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv", "region", "language_status", "population"]
    list_filter = ["region", "language_status", "group"]
    search_fields = ["code", "name_fi", "name_sv"]
