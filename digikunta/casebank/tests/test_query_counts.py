"""Pages cost the same number of queries with 2 rows or 20: nothing is fetched per row."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from digikunta.core import pagecache
from digikunta.experiments import services
from digikunta.experiments.models import JournalEntry, Measurement, Step, Theme
from digikunta.experiments.search_text import experiment_index
from digikunta.experiments.tests.factories import ExperimentFactory, IndicatorFactory
from digikunta.municipalities.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_time(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 0
    # Versions of cache keys are read again after a second: not in the middle of a count.
    monkeypatch.setattr(pagecache, "VERSION_RECHECK_SECONDS", 3600)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _experiments(organisation, n: int) -> None:
    theme = Theme.objects.get(slug="facilities")
    for _ in range(n):
        experiment = ExperimentFactory(owner=organisation, status="ended", outcome="partly")
        experiment.themes.add(theme)
        experiment.municipalities.add(Municipality.objects.get(code="091"))
        experiment_index(experiment)


@pytest.mark.parametrize(
    "url",
    [
        "/fi/casebank/",
        "/fi/casebank/?q=tilavarauskokeilu",
        "/fi/casebank/?theme=facilities&status=ended&region=01",
        "/fi/casebank/top-10/",
        "/fi/experiments/",
    ],
)
def test_case_bank_queries_do_not_grow_with_the_results(client, organisation, url):
    _experiments(organisation, 2)
    few_cold = _queries(client, url)  # also reads the reference choices, once per process
    few = _queries(client, url)  # public facet counts kept (casebank_facets)
    _experiments(organisation, 18)

    assert _queries(client, url) <= few_cold
    assert _queries(client, url) == few


def test_experiment_page_queries_do_not_grow_with_its_content(
    client, organisation, member, settings
):
    settings.FRAGMENT_CACHE_SECONDS = 0  # count the queries of a render, not of a stored part
    experiment = ExperimentFactory(owner=organisation)
    elsewhere = Municipality.objects.get(code="049")  # reused in another municipality

    def add(n: int) -> None:
        for i in range(n):
            Step.objects.create(experiment=experiment, title=f"Vaihe {i}", position=i)
            indicator = IndicatorFactory(experiment=experiment)
            Measurement.objects.create(
                indicator=indicator, measured_on=date(2026, 1, i + 1), value=i
            )
            JournalEntry.objects.create(experiment=experiment, body=f"Merkintä {i}", author=member)
            copy = services.experiment_reuse(original=experiment, by=member, owner=organisation)
            copy.municipalities.set([elsewhere])

    add(1)
    few = _queries(client, experiment.get_absolute_url())
    add(6)

    assert _queries(client, experiment.get_absolute_url()) == few


def _group_bys(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return sum("GROUP BY" in query["sql"] for query in context.captured_queries)


def test_case_bank_counts_public_experiments_once_per_filter_combination(
    client, organisation, member, settings
):
    settings.SEARCH_ENGINE = "database"  # the SQL listing's own facet counts
    _experiments(organisation, 3)
    url = "/fi/casebank/?q=tilavarauskokeilu&status=ended"
    assert _group_bys(client, url) == 1

    assert _group_bys(client, url) == 0
    client.force_login(member)  # sees no members-only experiment: nothing more to count
    assert _group_bys(client, url) == 0
    ExperimentFactory(owner=organisation, visibility="members")
    _group_bys(client, url)  # a new members-only experiment does not change the public key
    assert _group_bys(client, url) == 1  # only the ones the person may see are counted


@pytest.mark.parametrize("many", [False, True])
def test_case_bank_adds_the_members_only_experiments_the_person_may_see(
    client, organisation, member, monkeypatch, many
):
    from digikunta.casebank import selectors

    if many:  # past the id list: the same counts through a subquery
        monkeypatch.setattr(selectors, "_PRIVATE_IDS", 0)
    _experiments(organisation, 2)
    hidden = ExperimentFactory(owner=organisation, status="idea", visibility="members")
    experiment_index(hidden)
    client.force_login(member)

    context = client.get("/fi/casebank/?q=tilavarauskokeilu").context

    assert context["facets"]["status"] == {"ended": 2, "idea": 1}
    assert context["page"].paginator.count == 3


def test_case_bank_counts_follow_a_new_public_experiment_and_members_only_ones(
    client, organisation, member, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _experiments(organisation, 2)
    url = "/fi/casebank/?theme=facilities"
    assert client.get(url).context["page"].paginator.count == 2
    with django_capture_on_commit_callbacks(execute=True):  # committed: the listings are stale
        _experiments(organisation, 1)
        hidden = ExperimentFactory(owner=organisation, status="ended", visibility="members")
        hidden.themes.add(Theme.objects.get(slug="facilities"))

    anonymous = client.get(url).context
    client.force_login(outsider)
    outside = client.get(url).context
    client.force_login(member)
    inside = client.get(url).context

    assert anonymous["page"].paginator.count == outside["page"].paginator.count == 3
    assert inside["page"].paginator.count == 4
    assert inside["facets"]["status"] == {"ended": 4}
    assert anonymous["facets"]["outcome"] == {"partly": 3}
