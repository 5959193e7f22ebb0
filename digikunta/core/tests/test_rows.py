"""Plain SELECTs for the hot reads (core/rows.py, accounts/backends.py): the same values as
the ORM's, in fewer queries."""

import pytest
from django.contrib.auth import get_user
from django.test import RequestFactory

from digikunta.accounts.backends import AuthenticationBackend
from digikunta.accounts.models import PlatformRole, RoleAssignment
from digikunta.accounts.selectors import user_platform_roles
from digikunta.core.rows import concrete_names, instance, one_where, rows_by_id
from digikunta.experiments.models import Experiment
from digikunta.experiments.selectors import team_roles
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.organisations.models import Membership, MembershipRole
from digikunta.organisations.rules import organisation_roles

pytestmark = pytest.mark.django_db


def test_rows_by_id_give_the_orms_values_and_leave_out_unknown_ids(organisation):
    made = [ExperimentFactory(owner=organisation, visibility=v) for v in ("public", "members")]
    names = ("id", "updated_at", "visibility", "owner_id")

    rows = rows_by_id(Experiment, names, [e.pk for e in made] + [10**12])

    assert sorted(rows) == sorted(
        Experiment.objects.filter(pk__in=[e.pk for e in made]).values_list(*names)
    )
    by_pk = {row.pk: row for row in rows}
    assert by_pk[made[1].pk].visibility == "members"
    assert by_pk[made[0].pk].updated_at == made[0].updated_at  # aware, as from the ORM
    assert rows_by_id(Experiment, names, []) == []


def test_an_instance_from_a_plain_row_equals_the_orms(resident):
    from django.db import connection

    names = concrete_names(type(resident))
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_user WHERE id = %s", [resident.pk])
        columns = [c[0] for c in cursor.description]
        row = dict(zip(columns, cursor.fetchone(), strict=True))
    user = instance(type(resident), names, [row[n] for n in names], "default")
    fresh = type(resident).objects.get(pk=resident.pk)
    for name in names:
        assert getattr(user, name) == getattr(fresh, name), name
    assert not user._state.adding  # saved as an update, as a loaded row


def test_the_person_comes_with_every_role_in_one_query(
    resident, organisation, django_assert_num_queries
):
    RoleAssignment.objects.create(user=resident, role=PlatformRole.REVIEWER)
    Membership.objects.create(user=resident, organisation=organisation, role=MembershipRole.ADMIN)
    experiment = ExperimentFactory(owner=organisation)
    experiment.team.create(user=resident, role="lead")

    with django_assert_num_queries(1):
        user = AuthenticationBackend().get_user(str(resident.pk))
        assert user == resident
        assert user_platform_roles(user) == {PlatformRole.REVIEWER}
        assert organisation_roles(user) == {organisation.pk: MembershipRole.ADMIN}
        assert team_roles(user) == {experiment.pk: "lead"}


def test_a_person_without_roles_an_unknown_id_and_an_inactive_person(resident, outsider):
    backend = AuthenticationBackend()
    user = backend.get_user(resident.pk)
    assert user == resident and user_platform_roles(user) == frozenset()
    assert organisation_roles(user) == {}
    assert backend.get_user("10000000000") is None
    assert backend.get_user("not a number") is None
    type(outsider).objects.filter(pk=outsider.pk).update(is_active=False)
    assert backend.get_user(outsider.pk) is None


def test_a_signed_in_request_reads_its_person_through_the_backend(client, resident):
    client.force_login(resident)
    request = RequestFactory().get("/")
    request.session = client.session
    assert get_user(request) == resident


def test_one_where_gives_the_row_and_its_extras_or_none(organisation):
    experiment = ExperimentFactory(owner=organisation)
    found, extras = one_where(
        Experiment, "slug", experiment.slug, extras=[("t.id + %s", [1]), ("1 = 0", [])]
    )
    fresh = Experiment.objects.get(pk=experiment.pk)
    assert [getattr(found, n) for n in concrete_names(Experiment)] == [
        getattr(fresh, n) for n in concrete_names(Experiment)
    ]
    assert extras[0] == experiment.pk + 1 and not extras[1]
    assert one_where(Experiment, "slug", "no-such-slug") is None


def test_a_partial_row_in_any_order_lands_in_the_right_fields(organisation):
    experiment = ExperimentFactory(owner=organisation, visibility="members")
    names = ["visibility", "id", "owner_id", "slug"]  # not the model's order
    found, _extras = one_where(Experiment, "id", experiment.pk, names=names)
    assert (found.pk, found.visibility, found.owner_id, found.slug) == (
        experiment.pk,
        "members",
        organisation.pk,
        experiment.slug,
    )
    assert found.get_deferred_fields() >= {"title", "summary"}
