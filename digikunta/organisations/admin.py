from django.contrib import admin

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
