from django.contrib import admin

from digikunta.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor", "subject", "target"]
    list_filter = ["action"]
    date_hierarchy = "at"
    readonly_fields = ["at", "action", "actor", "subject", "target", "data"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        # The trail outlives everyone's wishes but its retention (purge_audit; ASVS 7.3.3).
        return False
