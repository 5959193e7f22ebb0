"""Reads of the reference data."""

from django.db.models import Q, QuerySet

from digikunta.municipalities.models import Municipality, Region


def municipalities_list(
    *, query: str = "", region: str = "", language_status: str = ""
) -> QuerySet[Municipality]:
    municipalities = Municipality.objects.select_related("region")
    if query:
        municipalities = municipalities.filter(
            Q(name_fi__icontains=query) | Q(name_sv__icontains=query) | Q(code=query)
        )
    if region:
        municipalities = municipalities.filter(region_id=region)
    if language_status:
        municipalities = municipalities.filter(language_status=language_status)
    return municipalities.order_by("name_fi")


def regions_list() -> QuerySet[Region]:
    return Region.objects.order_by("code")


def platform_figures() -> dict[str, int]:
    from digikunta.organisations.models import Organisation

    return {
        "municipalities": Municipality.objects.count(),
        "regions": Region.objects.count(),
        "organisations": Organisation.objects.count(),
    }
