"""Panels in the admin, to look at only: every change goes through the services, since the
published draw depends on each of them (docs/panels.md)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from digikunta.panels.models import CitizensPanel, Replacement, Volunteer


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CitizensPanel)
class CitizensPanelAdmin(ReadOnly):
    list_display = ("title", "process", "state", "seats", "drawn_at")
    list_filter = ("state",)
    search_fields = ("title", "title_sv")


@admin.register(Volunteer)
class VolunteerAdmin(ReadOnly):
    list_display = ("code", "panel", "status", "position")
    list_filter = ("status",)
    search_fields = ("code",)
    exclude = ("user",)


@admin.register(Replacement)
class ReplacementAdmin(ReadOnly):
    list_display = ("panel", "number", "left", "reason", "drawn", "at")
