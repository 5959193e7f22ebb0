"""The front page shows the work (issue 10, item 12): a search box into the case bank, the
month's experiment, the latest results (failures too), newly published experiments and the
open funding calls. It is the same for everyone, cached whole, and cheap."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digikunta.experiments import services as experiment_services
from digikunta.experiments.models import Outcome, Status, Visibility
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding.tests.factories import CallFactory
from digikunta.home.models import ExperimentOfTheMonth

pytestmark = pytest.mark.django_db


def published(**fields):
    return ExperimentFactory(published_at=timezone.now(), **fields)


def section(html: str, title_id: str) -> str:
    start = html.index(f'id="{title_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_the_search_box_searches_the_case_bank(client):
    html = client.get("/fi/").content.decode()
    form = html[
        html.index('role="search"') - 200 : html.index("</form>", html.index('role="search"'))
    ]
    assert 'action="/fi/casebank/"' in form and 'method="get"' in form
    assert 'name="q"' in form and '<label for="front-search">' in form


def test_latest_results_show_failures_with_their_outcome(client):
    published(title="Onnistunut tilavaraus", status=Status.ENDED, outcome=Outcome.SUCCEEDED)
    published(
        title="Kesäasukkaiden ideakilpailu",
        status=Status.EVALUATED,
        outcome=Outcome.DID_NOT_SUCCEED,
        results="Ideoita tuli vain 14.",
    )
    published(title="Käynnissä oleva kokeilu", status=Status.RUNNING)

    results = section(client.get("/en/").content.decode(), "results-title")
    assert "Onnistunut tilavaraus" in results and "succeeded" in results
    assert "Kesäasukkaiden ideakilpailu" in results and "Did not succeed" in results
    assert "Ideoita tuli vain 14." in results
    assert "Käynnissä oleva kokeilu" not in results  # no result yet


def test_newly_published_experiments_come_newest_first(client):
    now = timezone.now()
    ExperimentFactory(title="Vanhempi kokeilu", published_at=now - timedelta(days=30))
    ExperimentFactory(title="Uusin kokeilu", published_at=now)

    shown = section(client.get("/fi/").content.decode(), "published-title")
    assert shown.index("Uusin kokeilu") < shown.index("Vanhempi kokeilu")


@pytest.mark.parametrize("viewer", [None, "coordinator", "org_admin"])
def test_drafts_and_members_only_experiments_never_show(client, request, organisation, viewer):
    for visibility, title in [
        (Visibility.DRAFT, "Salainen luonnos"),
        (Visibility.MEMBERS, "Vain jäsenille"),
    ]:
        ExperimentFactory(
            title=title,
            owner=organisation,
            visibility=visibility,
            status=Status.ENDED,
            outcome=Outcome.SUCCEEDED,
            published_at=timezone.now() if visibility == Visibility.MEMBERS else None,
        )
    if viewer:
        client.force_login(request.getfixturevalue(viewer))  # they may see both elsewhere

    html = client.get("/fi/").content.decode()
    assert "Salainen luonnos" not in html and "Vain jäsenille" not in html


def test_open_calls_are_listed_and_others_not(client):
    now = timezone.now()
    CallFactory(title="Avoin pikahaku", title_sv="Öppen snabbansökan")
    CallFactory(title="Julkaisematon haku", published=False)
    CallFactory(
        title="Tuleva haku", opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=9)
    )
    CallFactory(
        title="Päättynyt haku", opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=3)
    )

    calls = section(client.get("/fi/").content.decode(), "calls-title")
    assert "Avoin pikahaku" in calls
    assert "Julkaisematon" not in calls and "Tuleva haku" not in calls
    assert "Päättynyt haku" not in calls
    assert "Öppen snabbansökan" in client.get("/sv/").content.decode()


def test_the_month_s_experiment_is_on_the_front_page_with_its_citation(client):
    experiment = published(title="Kirjaston tilavaraus")
    ExperimentOfTheMonth.objects.create(
        month=timezone.localdate().replace(day=1),
        experiment=experiment,
        citation_fi="Rohkea ja helposti toistettava.",
        citation_sv="Modigt och lätt att upprepa.",
    )

    finnish = section(client.get("/fi/").content.decode(), "month-title")
    assert "Kirjaston tilavaraus" in finnish and "Rohkea ja helposti toistettava." in finnish
    swedish = section(client.get("/sv/").content.decode(), "month-title")
    assert "Modigt och lätt att upprepa." in swedish and 'lang="sv"' in swedish
    english = section(client.get("/en/").content.decode(), "month-title")
    assert 'lang="fi"' in english and "Rohkea ja helposti" in english  # no English citation


def test_without_a_month_s_experiment_the_section_is_left_out(client):
    assert 'id="month-title"' not in client.get("/fi/").content.decode()


def test_anonymous_sees_sign_up_and_a_person_their_own_links(client, resident):
    assert "/fi/account/signup/" in section(client.get("/fi/").content.decode(), "hero-title")
    client.force_login(resident)
    hero = section(client.get("/fi/").content.decode(), "hero-title")
    assert "/fi/account/signup/" not in hero and "/fi/mine/" in hero


def test_the_front_page_answers_only_get(client):
    assert client.post("/fi/").status_code == 405


def test_publishing_an_experiment_stales_the_cached_front_page(
    client, organisation, member, django_capture_on_commit_callbacks
):
    assert "Juuri julkaistu" not in client.get("/fi/").content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        draft = experiment_services.experiment_create(
            by=member, owner=organisation, title="Juuri julkaistu", summary="Uusi kokeilu."
        )
    assert "Juuri julkaistu" not in client.get("/fi/").content.decode()  # drafts never show
    with django_capture_on_commit_callbacks(execute=True):
        experiment_services.experiment_publish(experiment=draft, by=member, visibility="public")
    assert "Juuri julkaistu" in client.get("/fi/").content.decode()


def _queries(client, path: str = "/fi/") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("count", [2, 20])
def test_the_front_page_costs_few_queries_however_much_there_is(client, settings, count):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0
    for n in range(count):
        published(status=Status.ENDED if n % 2 else Status.RUNNING, outcome="partly")
        CallFactory()
    ExperimentOfTheMonth.objects.create(
        month=timezone.localdate().replace(day=1),
        experiment=published(),
        citation_fi="Hyvä.",
        citation_sv="Bra.",
    )
    # The month's experiment, latest published, latest results, open calls, three counts.
    assert _queries(client) == 7


def test_a_second_visit_costs_no_query_and_a_signed_in_one_only_the_session(client, resident):
    published(status=Status.ENDED, outcome="partly")
    _queries(client)
    assert _queries(client) == 0  # the page cache
    client.force_login(resident)
    assert _queries(client) == 1  # the session and its person; the rest is shared
