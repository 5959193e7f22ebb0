"""Areas and projects in the admin site. Ballots are deliberately not registered: nobody, staff
included, reads a person's choices (docs/decisions/0021-secret-ballot-in-one-row.md)."""

from django.contrib import admin

from digikunta.budgeting.models import BudgetArea, Project


@admin.register(BudgetArea)
class BudgetAreaAdmin(admin.ModelAdmin[BudgetArea]):
    list_display = ("name", "process", "budget")
    raw_id_fields = ("process",)
    filter_horizontal = ("municipalities",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin[Project]):
    list_display = ("title", "area", "estimated_cost", "cost_checked_at")
    search_fields = ("title", "title_sv")
    raw_id_fields = ("area", "idea", "cost_checked_by")
    readonly_fields = ("description_html", "description_sv_html")
