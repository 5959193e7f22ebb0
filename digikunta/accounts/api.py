"""API: the token holder's own account."""

from django.http import HttpRequest
from ninja import Router, Schema

from digikunta.accounts.selectors import user_platform_roles
from digikunta.api.auth import token_auth

router = Router(auth=token_auth)


class MembershipOut(Schema):
    organisation: str
    role: str


class MeOut(Schema):
    id: int
    name: str
    language: str
    roles: list[str]
    memberships: list[MembershipOut]


@router.get("", response=MeOut, url_name="me")
def me(request: HttpRequest) -> dict:
    """Who the token belongs to: roles and memberships (no e-mail address)."""
    user = request.auth
    return {
        "id": user.pk,
        "name": user.name,
        "language": user.language,
        "roles": sorted(user_platform_roles(user)),
        "memberships": [
            {"organisation": m.organisation.slug, "role": m.role}
            for m in user.memberships.select_related("organisation")
        ],
    }
