"""The fast track's one-page limit (issue 10, item 11): on a fast-track call, "what the money is
for" may hold at most 3,000 characters (selectors.FAST_TRACK_SUMMARY_CHARS, counted with
``len``). A longer one is refused at submission with a message in the reader's language that
gives the limit and the count; the draft keeps the text, as every draft does (docs/funding.md).
"""

from decimal import Decimal

import pytest
from django.core import mail

from digikunta.accounts.services import token_create
from digikunta.experiments.models import Status
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding import services
from digikunta.funding.lifecycle import FAST_TRACK_SUMMARY_CHARS
from digikunta.funding.models import Application, ApplicationStatus
from digikunta.funding.tests.factories import CallFactory

pytestmark = pytest.mark.django_db

LIMIT = 3000
TOO_LONG = {
    "fi": "Pikakaistan hakemus mahtuu yhdelle sivulle: lyhennä kohta ”mihin rahaa käytetään” "
    "enintään 3000 merkkiin (nyt 3001).",
    "sv": "En ansökan på snabbspåret ryms på en sida: korta av ”vad pengarna ska användas till” "
    "till högst 3000 tecken (nu 3001).",
    "en": "A fast-track application fits on one page: shorten “what the money is for” to 3000 "
    "characters (now 3001).",
}


@pytest.fixture
def fast_call():
    return CallFactory(fast_track=True, reviewers_per_application=1)


@pytest.fixture
def draft(fast_call, organisation, member):
    experiment = ExperimentFactory(
        owner=organisation, title="Pikakokeilu kirjastoissa", status=Status.RUNNING
    )
    experiment.team.create(user=member, role="lead")
    application = services.application_create(call=fast_call, experiment=experiment, by=member)
    return services.application_save(
        application=application,
        by=member,
        summary="Lyhyt.",
        own_contribution=Decimal("2000"),
        budget_lines=[("Ovien etäavaus", Decimal("8000"))],
        answers={fast_call.questions.first().pk: "Opimme, miksi tiloja ei varata."},
    )


def summary_of(length: int) -> str:
    """A text of ``length`` characters, in words, ending with a marker to find it on the page."""
    words = ("Varaamme kirjastojen tiloja verkossa. " * (length // 38 + 1))[: length - 5]
    return words + "LOPPU"


def submit_form(application: Application, summary: str) -> dict[str, object]:
    question = application.call.questions.first()
    assert question is not None
    return {
        "summary": summary,
        "own_contribution": "2000",
        "language": "fi",
        "version": application.version,
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-0-description": "Ovien etäavaus",
        "budget-0-amount": "8000",
        f"q_{question.pk}": "Opimme, miksi tiloja ei varata.",
        "submit": "1",
    }


def test_the_limit_is_one_page_of_3000_characters():
    assert FAST_TRACK_SUMMARY_CHARS == LIMIT
    assert len(summary_of(LIMIT)) == LIMIT and len(summary_of(LIMIT + 1)) == LIMIT + 1


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_summary_over_one_page_is_refused_in_the_readers_language(
    client, draft, member, language, django_capture_on_commit_callbacks
):
    client.force_login(member)
    mail.outbox.clear()
    long = summary_of(LIMIT + 1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/{language}/funding/applications/{draft.pk}/edit/", submit_form(draft, long)
        )

    assert response.status_code == 422
    page = response.content.decode()
    assert TOO_LONG[language] in page
    assert long in page  # the form keeps what was typed
    application = Application.objects.get(pk=draft.pk)
    assert application.status == ApplicationStatus.DRAFT
    assert application.submitted_at is None
    assert mail.outbox == []  # no receipt, no note to the coordinators


def test_a_summary_of_exactly_one_page_is_submitted(
    client, draft, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/fi/funding/applications/{draft.pk}/edit/", submit_form(draft, summary_of(LIMIT))
        )

    assert response.status_code == 302
    application = Application.objects.get(pk=draft.pk)
    assert application.status == ApplicationStatus.SUBMITTED
    assert len(application.summary) == LIMIT
    assert member.email in [m.to[0] for m in mail.outbox]  # the receipt


def test_the_limit_holds_on_the_fast_track_only(client, organisation, member):
    call = CallFactory(fast_track=False)
    experiment = ExperimentFactory(owner=organisation, status=Status.RUNNING)
    application = services.application_create(call=call, experiment=experiment, by=member)
    client.force_login(member)

    response = client.post(
        f"/fi/funding/applications/{application.pk}/edit/",
        submit_form(application, summary_of(3 * LIMIT)),
    )

    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED


def test_the_form_tells_the_limit_before_submitting(client, draft, member):
    services.application_save(application=draft, by=member, summary=summary_of(LIMIT + 1))
    client.force_login(member)

    page = client.get(f"/fi/funding/applications/{draft.pk}/edit/").content.decode()

    assert "Pikakaista: pidä hakemus yhden sivun mittaisena." in page
    todo = page.split('id="todo-title"', 1)[1]
    assert TOO_LONG["fi"] in todo


def test_the_api_refuses_a_long_summary_and_takes_one_at_the_limit(client, draft, member):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=member, name='t')[1]}"}
    for length, status in [(LIMIT + 1, 422), (LIMIT, 200)]:
        changed = client.patch(
            f"/api/v1/applications/{draft.pk}",
            {"summary": summary_of(length)},
            content_type="application/json",
            **auth,
        )
        assert changed.status_code == 200
        submitted = client.post(
            f"/api/v1/applications/{draft.pk}/submit",
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
            **auth,
        )
        assert submitted.status_code == status, submitted.content
        if status == 422:
            assert TOO_LONG["en"] in [e["message"] for e in submitted.json()["errors"]]
            assert Application.objects.get(pk=draft.pk).status == ApplicationStatus.DRAFT
    assert Application.objects.get(pk=draft.pk).status == ApplicationStatus.SUBMITTED


def test_line_breaks_count_as_one_character_each(client, draft, member):
    paragraphs = [summary_of(300)[:-5] for _n in range(10)]
    typed = "\n".join(paragraphs)  # what the person sees and counts: 3,000 characters
    typed = typed + "x" * (LIMIT - len(typed))
    assert len(typed) == LIMIT
    client.force_login(member)

    response = client.post(
        f"/fi/funding/applications/{draft.pk}/edit/",
        submit_form(draft, typed.replace("\n", "\r\n")),  # what the browser sends
    )

    assert response.status_code == 302, response.context["form"].non_field_errors()
    assert Application.objects.get(pk=draft.pk).status == ApplicationStatus.SUBMITTED
