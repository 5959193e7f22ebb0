"""API: municipalities and regions (reference data, public)."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from digikunta.municipalities.models import LanguageStatus, Municipality, MunicipalityGroup, Region
from digikunta.municipalities.selectors import municipalities_list, regions_list


class Names(Schema):
    fi: str
    sv: str
    en: str


class RegionOut(Schema):
    code: str
    name: Names
    population: int | None

    @staticmethod
    def resolve_name(obj: Region) -> dict[str, str]:
        return {"fi": obj.name_fi, "sv": obj.name_sv, "en": obj.name_en}


class RegionRef(Schema):
    code: str
    name: Names

    @staticmethod
    def resolve_name(obj: Region) -> dict[str, str]:
        return {"fi": obj.name_fi, "sv": obj.name_sv, "en": obj.name_en}


class MunicipalityOut(Schema):
    code: str = Field(description="Statistics Finland's 3-digit municipality code.")
    name: Names
    region: RegionRef
    language_status: LanguageStatus
    group: MunicipalityGroup
    population: int | None
    population_year: int | None
    url: str

    @staticmethod
    def resolve_name(obj: Municipality) -> dict[str, str]:
        return {"fi": obj.name_fi, "sv": obj.name_sv, "en": obj.name_en}

    @staticmethod
    def resolve_url(obj: Municipality, context: dict) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class MunicipalityFilters(FilterSchema):
    region: str | None = Field(None, description="Region code, e.g. 01 for Uusimaa.", max_length=2)
    language_status: LanguageStatus | None = None
    search: str | None = Field(
        None, description="Part of the Finnish or Swedish name, or the code.", max_length=100
    )


router = Router()
router.regions = Router()  # type: ignore[attr-defined]


@router.get("", response=list[MunicipalityOut], url_name="municipality_list")
@paginate
def municipality_list(request: HttpRequest, filters: Query[MunicipalityFilters]):  # type: ignore[no-untyped-def]
    """All 308 municipalities, filtered by region and language status."""
    return municipalities_list(
        query=filters.search or "",
        region=filters.region or "",
        language_status=filters.language_status or "",
    )


@router.get("/{slug:code}", response=MunicipalityOut, url_name="municipality_detail")
def municipality_detail(request: HttpRequest, code: str) -> Municipality:
    """One municipality by its 3-digit code."""
    return get_object_or_404(Municipality.objects.select_related("region"), code=code)


@router.regions.get("", response=list[RegionOut], url_name="region_list")  # type: ignore[attr-defined]
@paginate
def region_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The 19 regions (maakunnat), Åland included."""
    return regions_list()
