"""API: organisations (public reads; creating one needs a token)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import HttpUrl

from digikunta.api.auth import token_auth, viewer
from digikunta.core.permissions import can
from digikunta.municipalities.models import Municipality
from digikunta.organisations import services
from digikunta.organisations.forms import BUSINESS_ID_MESSAGE, is_valid_business_id
from digikunta.organisations.models import Organisation, OrganisationKind
from digikunta.organisations.selectors import get_organisation_for_user_or_404, organisations_list

router = Router()


class OrganisationOut(Schema):
    slug: str
    kind: OrganisationKind
    name: str
    name_sv: str
    municipality: str | None = Field(None, description="Municipality code, for municipalities.")
    region: str | None = Field(None, description="Region code, for regions.")
    home_municipality: str | None = None
    business_id: str
    website: str
    description: str
    description_language: str
    url: str

    @staticmethod
    def resolve_municipality(obj: Organisation) -> str | None:
        return obj.municipality_id

    @staticmethod
    def resolve_region(obj: Organisation) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_home_municipality(obj: Organisation) -> str | None:
        return obj.home_municipality_id

    @staticmethod
    def resolve_url(obj: Organisation, context: dict) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class OrganisationIn(Schema):
    kind: OrganisationKind
    name: str = Field(min_length=2, max_length=200)
    name_sv: str = Field("", max_length=200)
    home_municipality: str | None = Field(None, max_length=3, description="Municipality code.")
    business_id: str = Field("", max_length=9)
    website: HttpUrl | None = None
    description: str = Field("", max_length=10000)
    description_language: str = Field("fi", pattern="^(fi|sv|en)$")


class OrganisationFilters(FilterSchema):
    kind: OrganisationKind | None = None
    search: str | None = Field(None, max_length=100)


@router.get("", response=list[OrganisationOut], url_name="organisation_list")
@paginate
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]):  # type: ignore[no-untyped-def]
    """Organisations on the platform, municipalities and regions included."""
    return organisations_list(query=filters.search or "", kind=filters.kind or "")


@router.get("/{slug:slug}", response=OrganisationOut, url_name="organisation_detail")
def organisation_detail(request: HttpRequest, slug: str) -> Organisation:
    return get_organisation_for_user_or_404(viewer(request), slug)


@router.post("", response={201: OrganisationOut}, auth=token_auth, url_name="organisation_create")
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Status:
    """Found an organisation; the token holder becomes its administrator."""
    if not can(request.auth, "add", Organisation):
        raise PermissionDenied
    data = payload.dict()
    code = data.pop("home_municipality")
    municipality = None
    if code:
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise ValidationError(
                {"home_municipality": _("No municipality has the code %(code)s.") % {"code": code}}
            )
    if data["business_id"] and not is_valid_business_id(data["business_id"]):
        raise ValidationError({"business_id": BUSINESS_ID_MESSAGE})
    data["website"] = str(data["website"]) if data["website"] else ""
    organisation = services.organisation_create(
        by=request.auth, home_municipality=municipality, **data
    )
    return Status(201, organisation)
