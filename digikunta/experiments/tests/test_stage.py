"""The stage form asks only what the move needs; spreading needs a reuse elsewhere; dated moves."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from digikunta.experiments import services
from digikunta.experiments.forms import TransitionForm
from digikunta.experiments.models import Transition
from digikunta.experiments.tests.factories import ExperimentFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

DONE = {"outcome": "partly", "results": "Jonot lyhenivät.", "lessons": "Aloita pienestä."}


@pytest.fixture
def lead_experiment(member, organisation):
    experiment = ExperimentFactory(owner=organisation)
    TeamMemberFactory(experiment=experiment, user=member)
    return experiment


@pytest.mark.parametrize(
    ("status", "fields"),
    [
        ("idea", ["to"]),
        ("planned", ["to"]),
        ("running", ["to", "outcome", "results"]),
        ("ended", ["to", "lessons"]),
    ],
)
def test_the_stage_form_has_only_the_fields_the_next_move_needs(status, fields):
    form = TransitionForm(experiment=ExperimentFactory.build(status=status, **DONE))
    assert list(form.fields) == fields
    assert all(form.fields[name].required for name in fields)


def test_ending_shows_required_outcome_and_results_on_the_page(client, member, lead_experiment):
    lead_experiment.status = "running"
    lead_experiment.save()
    client.force_login(member)
    html = client.get(lead_experiment.get_absolute_url()).content.decode()
    form = html[
        html.index('id="transition-form"') : html.index("</form>", html.index("transition-form"))
    ]
    assert re.search(r'<select name="outcome" required', form)
    assert re.search(r'<textarea name="results"[^>]* required', form)
    assert 'name="lessons"' not in form


def test_a_plan_is_moved_without_texts(client, member, lead_experiment):
    lead_experiment.status = "planned"
    lead_experiment.save()
    client.force_login(member)
    html = client.get(lead_experiment.get_absolute_url()).content.decode()
    assert 'name="results"' not in html and 'name="lessons"' not in html
    response = client.post(f"/fi/experiments/{lead_experiment.slug}/stage/", {"to": "running"})
    assert response.status_code == 302


def test_ending_without_texts_names_each_field_once_and_keeps_what_was_typed(
    client, member, lead_experiment
):
    lead_experiment.status = "running"
    lead_experiment.save()
    client.force_login(member)
    response = client.post(
        f"/en/experiments/{lead_experiment.slug}/stage/",
        {"to": "ended", "results": "Puolet vähemmän soittoja.", "outcome": ""},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.count("Choose the outcome before ending the experiment") == 2  # summary, field
    assert "Puolet vähemmän soittoja." in html
    assert "This field is required" not in html
    lead_experiment.refresh_from_db()
    assert lead_experiment.status == "running" and lead_experiment.results == ""


def test_the_finnish_form_says_what_is_missing(client, member, lead_experiment):
    lead_experiment.status = "ended"
    lead_experiment.outcome, lead_experiment.results = "partly", "Tulos."
    lead_experiment.save()
    client.force_login(member)
    response = client.post(f"/fi/experiments/{lead_experiment.slug}/stage/", {"to": "evaluated"})
    assert response.status_code == 422
    assert "Kirjoita opit ennen kuin merkitset kokeilun arvioiduksi." in response.content.decode()


def test_evaluating_asks_for_lessons_only_and_keeps_the_results(client, member, lead_experiment):
    lead_experiment.status = "ended"
    lead_experiment.outcome, lead_experiment.results = "partly", "Tulos."
    lead_experiment.save()
    client.force_login(member)
    response = client.post(
        f"/fi/experiments/{lead_experiment.slug}/stage/",
        {"to": "evaluated", "lessons": "Aloita pienestä.", "results": ""},
    )
    assert response.status_code == 302
    lead_experiment.refresh_from_db()
    assert (lead_experiment.status, lead_experiment.results) == ("evaluated", "Tulos.")


def test_spread_is_not_offered_before_another_organisation_reuses_it(
    client, member, lead_experiment
):
    lead_experiment.status = "evaluated"
    for name, value in DONE.items():
        setattr(lead_experiment, name, value)
    lead_experiment.save()
    client.force_login(member)
    html = client.get(f"/en/experiments/{lead_experiment.slug}/").content.decode()
    assert 'id="transition-form"' not in html
    assert "once another organisation has reused it" in html
    response = client.post(f"/en/experiments/{lead_experiment.slug}/stage/", {"to": "spread"})
    assert response.status_code == 422
    lead_experiment.refresh_from_db()
    assert lead_experiment.status == "evaluated"


def test_a_published_reuse_by_another_organisation_lets_the_lead_mark_it_spread(
    client, member, lead_experiment
):
    lead_experiment.status = "evaluated"
    for name, value in DONE.items():
        setattr(lead_experiment, name, value)
    lead_experiment.save()
    # A reuse by the same organisation, or a draft one, does not count.
    ExperimentFactory(reused_from=lead_experiment, owner=lead_experiment.owner)
    draft = ExperimentFactory(reused_from=lead_experiment, visibility="draft")
    client.force_login(member)
    url = f"/fi/experiments/{lead_experiment.slug}/stage/"
    assert client.post(url, {"to": "spread"}).status_code == 422
    draft.visibility = "members"
    draft.save()
    assert client.post(url, {"to": "spread"}).status_code == 302
    lead_experiment.refresh_from_db()
    assert lead_experiment.status == "spread"


def test_a_coordinator_marks_it_spread_without_a_reuse(client, coordinator, organisation):
    experiment = ExperimentFactory(owner=organisation, status="evaluated", **DONE)
    client.force_login(coordinator)
    html = client.get(f"/fi/experiments/{experiment.slug}/").content.decode()
    assert 'id="transition-form"' in html
    response = client.post(f"/fi/experiments/{experiment.slug}/stage/", {"to": "spread"})
    assert response.status_code == 302
    experiment.refresh_from_db()
    assert experiment.status == "spread"


def test_the_api_follows_the_spread_rule(client, member, lead_experiment):
    from digikunta.accounts.services import token_create

    lead_experiment.status = "evaluated"
    for name, value in DONE.items():
        setattr(lead_experiment, name, value)
    lead_experiment.save()
    response = client.post(
        f"/api/v1/experiments/{lead_experiment.pk}/transitions",
        {"to": "spread"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="sv",
        HTTP_AUTHORIZATION=f"Bearer {token_create(user=member, name='t')[1]}",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "to"
    assert "återanvänt" in response.json()["errors"][0]["message"]


def test_moves_can_be_dated_for_a_record_made_afterwards(member, organisation):
    started = timezone.now() - timedelta(days=400)
    experiment = services.experiment_create(
        by=member, owner=organisation, title="Kokeilu", summary="Lyhyesti.", at=started
    )
    assert experiment.created_at == started
    for days, stage in ((350, "planned"), (300, "running")):
        services.experiment_transition(
            experiment=experiment, to=stage, by=member, at=timezone.now() - timedelta(days=days)
        )
    ended = timezone.now() - timedelta(days=100)
    services.experiment_transition(
        experiment=experiment, to="ended", by=member, at=ended, results="r", outcome="partly"
    )
    timeline = list(experiment.transitions.values_list("to_status", "at"))
    assert [stage for stage, _at in timeline] == ["idea", "planned", "running", "ended"]
    assert timeline[0][1] == started and timeline[-1][1] == ended
    # The follow-up questions count from the day it ended.
    assert experiment.follow_ups.get(months=6).due_on == (
        timezone.localdate(ended) + timedelta(days=183)
    )


@pytest.mark.parametrize("days", [-1, 500])
def test_a_move_dated_in_the_future_or_before_the_previous_one_is_refused(
    member, organisation, days
):
    experiment = services.experiment_create(
        by=member,
        owner=organisation,
        title="Kokeilu",
        summary="Lyhyesti.",
        at=timezone.now() - timedelta(days=400),
    )
    with pytest.raises(ValidationError) as error:
        services.experiment_transition(
            experiment=experiment,
            to="planned",
            by=member,
            at=timezone.now() - timedelta(days=days),
        )
    assert set(error.value.message_dict) == {"at"}
    assert list(
        Transition.objects.filter(experiment=experiment).values_list("to_status", flat=True)
    ) == ["idea"]
