"""A create request counts once: Idempotency-Key in the API, a submission token in forms."""

import threading
from datetime import date

import pytest
from django.db import connection

from digikunta.accounts.services import token_create
from digikunta.core.models import RequestReceipt
from digikunta.experiments.models import Experiment, Measurement
from digikunta.experiments.tests.factories import (
    ExperimentFactory,
    IndicatorFactory,
    TeamMemberFactory,
)
from digikunta.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Etäkokoukset lautakunnille",
    "summary": "Kokeillaan.",
    "themes": ["management"],
    "municipalities": ["091"],
}


def bearer(user):
    return f"Bearer {token_create(user=user, name='t')[1]}"


@pytest.fixture
def lead_experiment(member, organisation):
    experiment = ExperimentFactory(owner=organisation)
    TeamMemberFactory(experiment=experiment, user=member)
    return experiment


def post_new(client, token, key, *, headers=None, **changes):
    headers = {"HTTP_AUTHORIZATION": token, **(headers or {})}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    body = {**NEW, "owner": Organisation.objects.get(kind="association").slug, **changes}
    return client.post("/api/v1/experiments", body, content_type="application/json", **headers)


def test_a_repeated_api_create_with_the_same_key_creates_once(client, member, organisation):
    token = bearer(member)
    first = post_new(client, token, "b9a2c1f0-0001")
    again = [post_new(client, token, "b9a2c1f0-0001") for _ in range(5)]

    assert first.status_code == 201
    assert Experiment.objects.filter(title=NEW["title"]).count() == 1
    assert all(r.status_code == 201 and r.json() == first.json() for r in again)
    assert all(r["Idempotent-Replayed"] == "true" for r in again)
    assert "Idempotent-Replayed" not in first


def test_without_a_key_every_api_create_is_a_new_one(client, member, organisation):
    token = bearer(member)
    post_new(client, token, None)
    post_new(client, token, None)
    assert Experiment.objects.filter(title=NEW["title"]).count() == 2


def test_a_key_reused_for_another_body_is_refused(client, member, organisation):
    token = bearer(member)
    post_new(client, token, "key-1")
    response = post_new(client, token, "key-1", title="Toinen kokeilu")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert not Experiment.objects.filter(title="Toinen kokeilu").exists()


def test_a_failed_request_does_not_use_up_its_key(client, member, organisation):
    token = bearer(member)
    assert post_new(client, token, "key-2", themes=["no-such-theme"]).status_code == 422
    assert post_new(client, token, "key-2").status_code == 201


def test_keys_belong_to_whoever_sent_them(client, member, organisation):
    from digikunta.accounts.tests.factories import UserFactory

    other = UserFactory()
    Membership.objects.create(organisation=organisation, user=other)
    post_new(client, bearer(member), "shared-key")
    response = post_new(client, bearer(other), "shared-key")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Experiment.objects.filter(title=NEW["title"]).count() == 2


def test_a_malformed_key_is_refused_in_the_callers_language(client, member, organisation):
    response = post_new(client, bearer(member), "x" * 300, headers={"HTTP_ACCEPT_LANGUAGE": "sv"})
    assert response.status_code == 422
    assert not Experiment.objects.filter(title=NEW["title"]).exists()


def test_a_measurement_sent_twice_through_the_api_is_stored_once(client, member, lead_experiment):
    indicator = IndicatorFactory(experiment=lead_experiment)
    headers = {"HTTP_AUTHORIZATION": bearer(member), "HTTP_IDEMPOTENCY_KEY": "m-1"}
    url = f"/api/v1/experiments/{lead_experiment.pk}/indicators/{indicator.pk}/measurements"
    body = {"measured_on": "2026-03-01", "value": "12"}
    for _ in range(30):
        response = client.post(url, body, content_type="application/json", **headers)
        assert response.status_code == 201
    assert Measurement.objects.filter(indicator=indicator).count() == 1


def test_a_form_sent_again_reuses_once_and_goes_where_the_first_went(
    client, lead_experiment, resident
):
    vaasa = Organisation.objects.get(municipality_id="905")
    Membership.objects.create(organisation=vaasa, user=resident)
    client.force_login(resident)
    page = client.get(f"/sv/experiments/{lead_experiment.slug}/reuse/").content.decode()
    assert 'name="submission"' in page
    form = {"owner": vaasa.pk, "submission": "5f0c3a9e1b2d4c6e"}

    answers = [
        client.post(f"/sv/experiments/{lead_experiment.slug}/reuse/", form) for _ in range(30)
    ]

    copy = Experiment.objects.get(reused_from=lead_experiment)
    assert all(a.status_code == 302 and a["Location"] == answers[0]["Location"] for a in answers)
    assert copy.get_absolute_url() in answers[0]["Location"]


def test_a_measurement_form_sent_twice_is_stored_once(client, member, lead_experiment):
    indicator = IndicatorFactory(experiment=lead_experiment)
    client.force_login(member)
    url = f"/fi/experiments/{lead_experiment.slug}/indicators/{indicator.pk}/measurements/"
    form = {"measured_on": date(2026, 3, 1), "value": "12", "submission": "a1b2c3d4"}
    for _ in range(30):
        assert client.post(url, form).status_code == 302
    assert indicator.measurements.count() == 1
    # A new rendering of the form is a new submission.
    client.post(url, {**form, "submission": "e5f6a7b8"})
    assert indicator.measurements.count() == 2


def test_a_form_filled_in_again_differently_is_a_new_submission(client, member, lead_experiment):
    indicator = IndicatorFactory(experiment=lead_experiment)
    client.force_login(member)
    url = f"/fi/experiments/{lead_experiment.slug}/indicators/{indicator.pk}/measurements/"
    client.post(url, {"measured_on": date(2026, 3, 1), "value": "12", "submission": "t1"})
    client.post(url, {"measured_on": date(2026, 3, 2), "value": "14", "submission": "t1"})
    assert indicator.measurements.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
def test_simultaneous_api_creates_with_one_key_create_once(
    reference_data, live_server, member, organisation
):
    import json
    import urllib.request

    token = bearer(member)
    body = json.dumps({**NEW, "owner": organisation.slug}).encode()
    statuses: list[int] = []

    def send() -> None:
        request = urllib.request.Request(  # noqa: S310 - the test's own live server
            f"{live_server.url}/api/v1/experiments",
            data=body,
            headers={
                "Authorization": token,
                "Idempotency-Key": "together",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request) as response:  # noqa: S310
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Experiment.objects.filter(title=NEW["title"]).count() == 1
    assert set(statuses) <= {201, 409} and 201 in statuses
    assert RequestReceipt.objects.filter(key="together", is_complete=True).count() == 1


def test_erasing_a_person_deletes_the_answers_kept_for_them(client, member, organisation):
    from digikunta.accounts.services import user_erase

    response = post_new(client, bearer(member), "erase-me")
    assert response.status_code == 201
    assert RequestReceipt.objects.filter(user=member).count() == 1
    member.memberships.all().delete()  # not the last admin of anything
    user_erase(user=member, by=member)
    assert not RequestReceipt.objects.exists()
