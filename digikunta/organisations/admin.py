from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from digikunta.core.tasks import enqueue_on_commit
from digikunta.experiments.tasks import reindex_owned_by
from digikunta.organisations.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "name_sv", "business_id"]
    raw_id_fields = ["municipality", "region", "home_municipality"]
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and {"name", "name_sv"} & set(form.changed_data):
            # As organisations.services.organisation_update does: its experiments are found
            # by the new name once a worker has re-indexed them.
            enqueue_on_commit(reindex_owned_by, organisation_id=obj.pk)
