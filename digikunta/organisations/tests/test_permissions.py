"""Who may do what to an organisation: the whole matrix of roles × actions."""

import pytest

from digikunta.core.permissions import can
from digikunta.organisations.models import Organisation

ROLES = [
    "anonymous",
    "outsider",
    "member",
    "org_admin",
    "coordinator",
    "reviewer",
    "expert",
    "moderator",
]

# action -> the roles allowed; every other role is denied.
ALLOWED = {
    "view": set(ROLES),
    "view_members": {"member", "org_admin", "coordinator"},
    "change": {"org_admin", "coordinator"},
    "manage_members": {"org_admin", "coordinator"},
    "leave": {"member", "org_admin"},
}


@pytest.fixture
def person(request, db, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    if request.param == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(request.param)


@pytest.mark.django_db
@pytest.mark.parametrize("person", ROLES, indirect=True)
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_organisation_permissions(person, action, organisation, request):
    role = request.node.callspec.params["person"]
    assert can(person, action, organisation) is (role in ALLOWED[action])


@pytest.mark.django_db
@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_anyone_signed_in_may_found_an_organisation(person, request):
    role = request.node.callspec.params["person"]
    assert can(person, "add", Organisation) is (role != "anonymous")


@pytest.mark.django_db
def test_an_admin_of_one_organisation_has_no_rights_in_another(org_admin):
    from digikunta.organisations.tests.factories import OrganisationFactory

    other = OrganisationFactory()
    assert not can(org_admin, "change", other)
    assert not can(org_admin, "manage_members", other)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("outsider", False), ("coordinator", True), ("reviewer", False)],
)
def test_only_coordinators_grant_platform_roles(role, allowed, request):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    person = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    assert can(person, "grant_role", get_user_model()) is allowed
