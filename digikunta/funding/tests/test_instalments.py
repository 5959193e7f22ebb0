"""The interim-report instalment (issue 10, item 11): a grant in parts, the first payable on
approval, the next when the team submits its interim report, the last with the final report;
as the team and the coordinator see it in the application's payments table. Nothing is paid
until a coordinator records the payment (test_decisions_of_record.py)."""

import re
from decimal import Decimal
from html import unescape

import pytest

from digikunta.experiments.models import Status, Visibility
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding import services
from digikunta.funding.models import Application, ApplicationStatus
from digikunta.funding.tests.factories import CallFactory, reviewed

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r"<tr>\s*<td[^>]*>(?P<amount>.*?)</td>\s*<td>(?P<when>.*?)</td>\s*<td>(?P<state>.*?)</td>"
    r"\s*<td>.*?</td>\s*</tr>",
    re.S,
)


def payments(page: str) -> list[tuple[str, str, str]]:
    """The payments table: (amount, when it is payable, its state's first word in the page's
    language: "waiting", "payable", "payable")."""
    table = page.split('id="payments-title"', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in ROW.finditer(table):
        amount = " ".join(unescape(row["amount"]).replace("\xa0", " ").split())
        state = unescape(row["state"]).split()[0]  # "payable since 5/6/2026, …" -> "payable"
        rows.append((amount, unescape(row["when"]).strip(), state))
    return rows


@pytest.fixture
def call():
    return CallFactory(reviewers_per_application=1)


@pytest.fixture
def experiment(organisation, member):
    experiment = ExperimentFactory(
        owner=organisation,
        title="Etäavattavat kirjastot",
        status=Status.RUNNING,
        visibility=Visibility.MEMBERS,
    )
    experiment.team.create(user=member, role="lead")
    return experiment


@pytest.fixture
def in_review(call, experiment, member):
    application = services.application_create(call=call, experiment=experiment, by=member)
    services.application_save(
        application=application,
        by=member,
        summary="Kirjastojen tilat varataan ja avataan verkossa.",
        own_contribution=Decimal("2000"),
        budget_lines=[("Ovien etäavaus", Decimal("8000"))],
        answers={call.questions.first().pk: "Opimme, miksi tiloja ei varata."},
    )
    services.application_submit(application=application, by=member)
    return reviewed(application)


def approve(client, application: Application, coordinator, plan: list[tuple[str, str]]) -> None:
    """The coordinator approves 6,000 € on the application's page, in the instalments given."""
    client.force_login(coordinator)
    form = {
        "outcome": "approved",
        "granted_amount": "6000",
        "reasoning": "Selkeä kokeilu.",
        "decision_maker_name": "Kirsi Koordinaattori",
        "decision_maker_title": "kehittämispäällikkö",
        "instalments-TOTAL_FORMS": str(len(plan)),
        "instalments-INITIAL_FORMS": "0",
    }
    for n, (amount, trigger) in enumerate(plan):
        form[f"instalments-{n}-amount"] = amount
        form[f"instalments-{n}-trigger"] = trigger
    response = client.post(f"/en/funding/applications/{application.pk}/decision/", form)
    assert response.status_code == 302, response.content.decode()[-2000:]


def report(client, application: Application, **fields: str):
    data = {"kind": "interim", "results": "Kolme kirjastoa avaa ovensa verkossa.", "spent": "2500"}
    return client.post(f"/en/funding/applications/{application.pk}/report/", {**data, **fields})


THREE_PARTS = [("3000", "approval"), ("2000", "interim_report"), ("1000", "final_report")]


def test_the_interim_report_makes_the_interim_instalment_payable(
    client, in_review, coordinator, member, experiment
):
    approve(client, in_review, coordinator, THREE_PARTS)
    client.force_login(member)
    page = client.get(f"/en/funding/applications/{in_review.pk}/").content.decode()
    assert payments(page) == [
        ("3,000.00 €", "on approval", "payable"),
        ("2,000.00 €", "on the interim report", "waiting"),
        ("1,000.00 €", "on the final report", "waiting"),
    ]

    response = report(client, in_review)

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert payments(page) == [
        ("3,000.00 €", "on approval", "payable"),
        ("2,000.00 €", "on the interim report", "payable"),
        ("1,000.00 €", "on the final report", "waiting"),
    ]
    assert "Interim report" in page and "Spent 2,500.00 €." in page
    # The coordinator sees the same, in Finnish.
    client.force_login(coordinator)
    page = client.get(f"/fi/funding/applications/{in_review.pk}/").content.decode()
    assert [(when, state) for _amount, when, state in payments(page)] == [
        ("hyväksymisen yhteydessä", "maksettavissa"),
        ("väliraportin jälkeen", "maksettavissa"),
        ("loppuraportin jälkeen", "odottaa"),
    ]
    # An interim report is not the end: the experiment runs on, and stays members-only.
    experiment.refresh_from_db()
    assert (experiment.status, experiment.visibility) == (Status.RUNNING, Visibility.MEMBERS)
    assert Application.objects.get(pk=in_review.pk).status == ApplicationStatus.APPROVED


def test_a_second_interim_report_is_refused_and_makes_nothing_more_payable(
    client, in_review, coordinator, member
):
    approve(client, in_review, coordinator, THREE_PARTS)
    client.force_login(member)
    report(client, in_review)
    payable_at = list(in_review.instalments.values_list("payable_at", flat=True))

    response = report(client, in_review, results="Toinen väliraportti.")

    assert response.status_code == 422
    page = response.content.decode()
    assert "This report has already been submitted." in page
    assert "Toinen väliraportti." in page  # what was typed is kept
    assert in_review.reports.count() == 1
    assert list(in_review.instalments.values_list("payable_at", flat=True)) == payable_at


def test_the_final_report_then_makes_the_last_instalment_payable(
    client, in_review, coordinator, member
):
    approve(client, in_review, coordinator, THREE_PARTS)
    client.force_login(member)
    report(client, in_review)

    response = report(client, in_review, kind="final", outcome="succeeded", spent="5800")

    assert response.status_code == 302
    page = client.get(f"/en/funding/applications/{in_review.pk}/").content.decode()
    assert [state for _amount, _when, state in payments(page)] == ["payable", "payable", "payable"]


def test_without_an_interim_instalment_the_interim_report_makes_nothing_payable(
    client, in_review, coordinator, member
):
    approve(client, in_review, coordinator, [("4000", "approval"), ("2000", "final_report")])
    client.force_login(member)

    assert report(client, in_review).status_code == 302

    page = client.get(f"/en/funding/applications/{in_review.pk}/").content.decode()
    assert payments(page) == [
        ("4,000.00 €", "on approval", "payable"),
        ("2,000.00 €", "on the final report", "waiting"),
    ]


def test_an_interim_report_after_the_final_one_is_refused(client, in_review, coordinator, member):
    approve(client, in_review, coordinator, THREE_PARTS)
    client.force_login(member)
    final = report(client, in_review, kind="final", outcome="succeeded", spent="5800")
    assert final.status_code == 302

    late = report(client, in_review, results="Myöhässä tullut väliraportti.")

    assert late.status_code == 422
    assert "an interim report no longer applies" in late.content.decode()
    assert "Myöhässä tullut väliraportti." in late.content.decode()  # what was typed is kept
    assert list(in_review.reports.values_list("kind", flat=True)) == ["final"]
