"""The search engine beside the database (search/engine.py, ADR 0014): what people find is
what the database holds, at once after their own writes, never a row they may not see."""

import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from digikunta.casebank import index
from digikunta.casebank.selectors import DatabaseListing, EngineListing
from digikunta.experiments import services
from digikunta.experiments.models import Experiment, Theme, Visibility
from digikunta.experiments.search_text import experiment_index, experiment_text
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.municipalities.models import Municipality, Region
from digikunta.search import engine
from digikunta.search.models import EngineChange
from digikunta.search.services import index_many
from digikunta.search.tasks import apply_engine_changes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0  # its keys move on commit, which these tests never reach


def _titles(client, query: str = "", **params) -> list[str]:
    context = client.get("/fi/casebank/", {"q": query, **params} if query else params).context
    titles = [re.search(r"<a [^>]*>([^<]*)</a>", card) for card in context["cards"]]
    assert all(titles), "a card without a title link"
    return [title.group(1) for title in titles if title]


def _count(client, **params) -> int:
    return client.get("/fi/casebank/", params).context["page"].paginator.count


def test_a_saved_experiment_is_found_at_once_and_an_edit_replaces_its_words(
    client, member, organisation
):
    experiment = services.experiment_create(
        by=member,
        owner=organisation,
        title="Tilavarausjärjestelmä",
        summary="Varaukset.",
        visibility=Visibility.PUBLIC,
    )
    assert _titles(client, "tilavarauksen") == ["Tilavarausjärjestelmä"]

    services.experiment_update(experiment=experiment, by=member, title="Etäkokoukset")

    assert _titles(client, "tilavarauksen") == []
    assert _titles(client, "etäkokouksissa") == ["Etäkokoukset"]


def test_an_experiment_made_members_only_leaves_the_public_listing_at_once(
    client, member, organisation
):
    experiment = services.experiment_create(
        by=member,
        owner=organisation,
        title="Tilavarausjärjestelmä",
        summary="Varaukset.",
        visibility=Visibility.PUBLIC,
    )
    assert _count(client) == 1

    services.experiment_update(experiment=experiment, by=member, visibility="members")

    assert _count(client) == 0
    assert _titles(client, "tilavaraus") == []
    client.force_login(member)  # a member of the owner still finds it
    assert _titles(client, "tilavaraus") == ["Tilavarausjärjestelmä"]


def test_an_index_behind_the_database_never_shows_what_the_person_may_not_see(client, organisation):
    experiment = ExperimentFactory(owner=organisation, title="Tilavaraus")
    assert _count(client) == 1
    # A write the index has not heard of (no signal): the database still has the last word.
    Experiment.objects.filter(pk=experiment.pk).update(visibility="members")

    assert client.get("/fi/casebank/").context["cards"] == []


def test_changes_wait_in_the_writes_transaction_and_go_once_applied(member, organisation):
    engine.build(index.NAME)
    with pytest.raises(RuntimeError), transaction.atomic():
        ExperimentFactory(owner=organisation)
        assert EngineChange.objects.filter(collection=index.NAME).exists()
        raise RuntimeError("rolled back")
    assert not EngineChange.objects.exists()  # a rolled-back write leaves nothing to apply

    experiment = ExperimentFactory(owner=organisation)
    assert set(EngineChange.objects.values_list("object_id", flat=True)) == {experiment.pk}
    assert engine.apply(index.NAME) == 1
    assert not EngineChange.objects.exists()
    assert engine.apply(index.NAME) == 0  # applying again is harmless and does nothing


def _engine_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path__endswith="apply_engine_changes"))


def test_the_writing_process_applies_a_few_changes_right_after_the_commit(
    organisation, queued_tasks, django_capture_on_commit_callbacks
):
    engine.build(index.NAME)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ExperimentFactory(owner=organisation)
        ExperimentFactory(owner=organisation)
    assert len([c for c in callbacks if isinstance(c, engine._Apply)]) == 1  # one per commit
    assert not EngineChange.objects.exists()  # applied before the request ends
    assert _engine_tasks() == []  # nothing left for the worker


def test_a_large_change_is_left_to_the_task(
    organisation, queued_tasks, monkeypatch, django_capture_on_commit_callbacks
):
    engine.build(index.NAME)
    monkeypatch.setattr(engine, "APPLY_AT_ONCE", 1)
    with django_capture_on_commit_callbacks(execute=True):
        made = [ExperimentFactory(owner=organisation) for _ in range(2)]
    assert EngineChange.objects.count() == 2  # the request did not wait for them
    [task] = _engine_tasks()
    assert task.args_kwargs["args"] == [index.NAME]

    apply_engine_changes.call(*task.args_kwargs["args"])  # as the worker runs it

    assert not EngineChange.objects.exists()
    found = engine.find(index.NAME, visible=None)
    assert set(found.ids) == {e.pk for e in made}


def test_a_reader_looks_for_pending_changes_at_most_once_a_second(
    settings, tmp_path, organisation, monkeypatch, django_assert_num_queries
):
    settings.SEARCH_INDEX_DIR = tmp_path
    engine.reset()
    engine.build(index.NAME)
    now = [1000.0]
    monkeypatch.setattr(engine.time, "monotonic", lambda: now[0])
    engine.find(index.NAME, visible=None)  # looks: one query
    ExperimentFactory(owner=organisation)  # no commit in this test: still pending

    with django_assert_num_queries(0):
        assert engine.find(index.NAME, visible=None).count == 0

    now[0] += engine.RECHECK_SECONDS
    assert engine.find(index.NAME, visible=None).count == 1  # found and applied


def test_a_deleted_experiment_leaves_the_index(client, organisation):
    experiment = ExperimentFactory(owner=organisation)
    assert _count(client) == 1
    experiment.delete()
    assert _count(client) == 0


def test_themes_changed_from_either_side_reach_the_index(client, organisation):
    theme = Theme.objects.get(slug="facilities")
    first, second = ExperimentFactory(owner=organisation), ExperimentFactory(owner=organisation)
    assert _count(client, theme="facilities") == 0

    theme.experiments.add(first, second)
    assert _count(client, theme="facilities") == 2
    first.themes.remove(theme)
    assert _count(client, theme="facilities") == 1
    theme.experiments.clear()
    assert _count(client, theme="facilities") == 0


def test_bulk_index_writes_record_their_objects(organisation):
    engine.build(index.NAME)
    made = [ExperimentFactory(owner=organisation) for _ in range(3)]
    EngineChange.objects.all().delete()
    rows = Experiment.objects.filter(pk__in=[e.pk for e in made]).select_related("owner")
    index_many(rows.prefetch_related("themes", "municipalities"), experiment_text)
    assert set(EngineChange.objects.values_list("object_id", flat=True)) == {e.pk for e in made}


@pytest.fixture
def varied(member, organisation):
    """Experiments spread over the facets, one members-only."""
    helsinki, oulu = Municipality.objects.get(code="091"), Municipality.objects.get(code="564")
    facilities = Theme.objects.get(slug="facilities")
    rows = [
        ("Tilavarausjärjestelmä kirjastoon", "running", "", [helsinki], [facilities], "public"),
        ("Tilavaraus kouluille", "ended", "succeeded", [oulu], [facilities], "public"),
        ("Etäkokoukset lautakunnille", "ended", "partly", [helsinki], [], "public"),
        ("Salainen tilavaraus", "idea", "", [oulu], [facilities], "members"),
        ("Kirjaston digituki", "running", "", [oulu, helsinki], [], "public"),
    ]
    for title, status, outcome, places, themes, visibility in rows:
        experiment = ExperimentFactory(
            owner=organisation, title=title, status=status, outcome=outcome, visibility=visibility
        )
        experiment.municipalities.set(places)
        experiment.themes.set(themes)
        experiment_index(experiment)


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"q": "tilavaraus"},
        {"q": "kirjasto"},
        {"status": "ended"},
        {"theme": "facilities"},
        {"region": "region"},
        {"municipality": "564", "q": "tilavar"},
        {"q": "the"},  # a stop word: nothing
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "member"])
@pytest.mark.parametrize("one_by_one", [engine.TERMS_ONE_BY_ONE, 0], ids=["terms", "term-set"])
def test_the_engine_lists_what_the_database_lists(
    varied, member, filters, who, one_by_one, monkeypatch
):
    monkeypatch.setattr(engine, "TERMS_ONE_BY_ONE", one_by_one)
    filters = dict(filters)
    if filters.get("region"):
        filters["region"] = Region.objects.get(municipalities__code="564")
    if filters.get("municipality"):
        filters["municipality"] = Municipality.objects.get(code=filters["municipality"])
    if filters.get("theme"):
        filters["theme"] = Theme.objects.get(slug=filters["theme"])
    user = member if who == "member" else None
    from_engine = EngineListing(user, filters)
    from_database = DatabaseListing(user, filters)

    assert from_engine.count() == from_database.count()
    assert from_engine.facets == from_database.facets
    engine_ids = [e.pk for e in from_engine[0:20]]
    database_ids = [e.pk for e in from_database[0:20]]
    if filters.get("q"):
        assert set(engine_ids) == set(database_ids)
    else:
        assert engine_ids == database_ids  # newest change first in both


def test_an_index_on_disk_is_shared_by_the_processes_of_a_host(
    settings, tmp_path, client, organisation
):
    settings.SEARCH_INDEX_DIR = tmp_path
    engine.reset()
    ExperimentFactory(owner=organisation, title="Ensimmäinen")
    assert _count(client) == 1
    # Another process of the host: its own reader of the same directory.
    other = engine._Index(index.COLLECTION, engine.index_of(index.NAME).directory, "default")
    assert other.ready
    ExperimentFactory(owner=organisation, title="Toinen")
    assert engine.apply(index.NAME) == 1  # this process writes
    found = other.searcher().search(engine.tantivy.Query.all_query(), 10, count=True)
    assert found.count == 2  # the other reads the new commit without writing anything


def test_the_command_builds_every_collection(organisation, capsys):
    ExperimentFactory(owner=organisation)
    call_command("search_engine", "build")
    assert "experiments: 1 documents" in capsys.readouterr().out


def test_a_write_never_waits_behind_another_writer(
    settings, tmp_path, organisation, queued_tasks, django_capture_on_commit_callbacks
):
    settings.SEARCH_INDEX_DIR = tmp_path
    engine.reset()
    engine.build(index.NAME)
    index_ = engine.index_of(index.NAME)
    # Another writer (a build, a task's batch) holds the lock meanwhile.
    with index_.writing(), django_capture_on_commit_callbacks(execute=True):
        ExperimentFactory(owner=organisation)
    assert EngineChange.objects.count() == 1  # left for the task, not waited for
    assert len(_engine_tasks()) == 1
