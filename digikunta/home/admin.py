from django.contrib import admin

from digikunta.home.models import ExperimentOfTheMonth


@admin.register(ExperimentOfTheMonth)
class ExperimentOfTheMonthAdmin(admin.ModelAdmin):
    """Coordinators choose on the site (home:month_choose), which checks the experiment is
    public; here the choices can be read, corrected or removed."""

    list_display = ("month", "experiment", "chosen_by", "chosen_at")
    date_hierarchy = "month"
    search_fields = ("experiment__title", "citation_fi", "citation_sv")
    raw_id_fields = ("experiment",)
    readonly_fields = ("chosen_by", "chosen_at")
