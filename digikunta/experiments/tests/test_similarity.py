"""Similar experiments elsewhere: the chosen method, measured, and what the page shows."""

import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest

from digikunta.experiments import services, similarity
from digikunta.experiments.models import Experiment, ExperimentVector, Visibility
from digikunta.organisations.models import Organisation

ROOT = Path(__file__).resolve().parents[3]


def _similar_slugs(client, experiment: Experiment) -> list[str]:
    """The experiments the page's "Similar experiments elsewhere" links to, in order."""
    page = client.get(experiment.get_absolute_url())
    assert page.status_code == 200
    section = re.search(r'<section id="similar".*?</section>', page.content.decode(), re.S)
    return re.findall(r'href="/\w\w/experiments/([^/"]+)/"', section[0]) if section else []


def load_eval():
    spec = importlib.util.spec_from_file_location(
        "similarity_eval", ROOT / "bench/similarity_eval.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_embeddings_beat_lemmas_on_the_labelled_set_and_across_languages():
    results = load_eval().main()
    used, e5, lemma = (
        results["e5_language_centred"],
        results["multilingual_e5_small"],
        results["lemma_tfidf"],
    )
    assert used["p@1"] >= 0.9 and used["p@1"] >= e5["p@1"] > lemma["p@1"]
    assert used["cross_language_p@1"] >= 0.9 > lemma["cross_language_p@1"]


@pytest.mark.django_db
def test_the_page_lists_similar_experiments_of_other_municipalities_first(
    client, member, django_capture_on_commit_callbacks
):
    kuopio = Organisation.objects.get(municipality_id="297")
    vaasa = Organisation.objects.get(municipality_id="905")
    helsinki = Organisation.objects.get(municipality_id="091")

    def make(owner, title, summary, language="fi"):
        # The embedding is a task, queued on commit and run at once by the test backend.
        with django_capture_on_commit_callbacks(execute=True):
            return services.experiment_create(
                by=member,
                owner=owner,
                title=title,
                summary=summary,
                language=language,
                visibility=Visibility.PUBLIC,
            )

    booking = make(
        kuopio,
        "Tilavaraus verkossa",
        "Kirjaston tilat varataan verkossa ja ovi aukeaa puhelimella.",
    )
    same_owner = make(
        kuopio, "Salivuorot verkossa", "Liikuntasalien vuorot varataan ja maksetaan verkossa."
    )
    swedish = make(
        vaasa,
        "Lokalbokning",
        "Invånarna bokar lokaler på nätet och öppnar dörren med mobilen.",
        "sv",
    )
    unrelated = make(
        helsinki, "Etäkokoukset", "Lautakunnat kokoontuvat etänä ja pöytäkirjat allekirjoitetaan."
    )
    titles = [Experiment.objects.get(slug=s).title for s in _similar_slugs(client, booking)]
    assert titles[0] == swedish.title  # another municipality, in Swedish
    assert same_owner.title not in titles
    assert set(titles) == {swedish.title, unrelated.title}
    body = client.get(f"/api/v1/experiments/{booking.pk}/similar").json()
    assert [e["title"] for e in body] == titles


@pytest.fixture
def three_places(member, django_capture_on_commit_callbacks):
    kuopio = Organisation.objects.get(municipality_id="297")
    vaasa = Organisation.objects.get(municipality_id="905")
    helsinki = Organisation.objects.get(municipality_id="091")

    def make(owner, title, summary, language="fi", **extra):
        # The embedding (and the stored similar lists) is a task run on commit.
        with django_capture_on_commit_callbacks(execute=True):
            return services.experiment_create(
                by=member,
                owner=owner,
                title=title,
                summary=summary,
                language=language,
                **{"visibility": Visibility.PUBLIC, **extra},
            )

    booking = make(kuopio, "Tilavaraus verkossa", "Kirjaston tilat varataan verkossa.")
    swedish = make(vaasa, "Lokalbokning", "Invånarna bokar lokaler på nätet.", "sv")
    hidden = make(helsinki, "Tilojen varaus", "Tilat varataan verkossa.", visibility="members")
    return booking, swedish, hidden


@pytest.mark.django_db
def test_an_earlier_experiment_stores_the_similar_ones_added_after_it(three_places):
    booking, swedish, hidden = three_places

    stored = [pk for pk, _score in ExperimentVector.objects.get(experiment=booking).similar]

    assert set(stored) == {swedish.pk, hidden.pk}


@pytest.mark.django_db
def test_the_page_shows_stored_similar_experiments_only_if_the_viewer_may_see_them(
    client, three_places
):
    booking, swedish, hidden = three_places
    insider = hidden.team.get().user

    anonymous = _similar_slugs(client, booking)
    client.force_login(insider)
    member = _similar_slugs(client, booking)

    assert anonymous == [swedish.slug]
    assert set(member) == {swedish.slug, hidden.slug}


@pytest.mark.django_db
def test_the_page_never_loads_every_vector_into_the_web_worker(client, three_places):
    booking, swedish, _hidden = three_places
    similarity._cache.update(stamp=None, matrix=None)

    assert _similar_slugs(client, booking) == [swedish.slug]
    assert similarity._cache["matrix"] is None


@pytest.mark.django_db
def test_a_shared_municipality_added_later_hides_the_stored_similar_experiment(
    client, member, three_places
):
    booking, swedish, _hidden = three_places
    services.experiment_update(
        experiment=swedish, by=member, municipalities=[*swedish.municipalities.all(), "297"]
    )

    assert _similar_slugs(client, booking) == []


@pytest.mark.django_db
def test_lists_kept_up_as_experiments_come_and_change_equal_a_full_recount(member):
    from digikunta.organisations.tests.factories import OrganisationFactory

    subjects = [
        ("Tilavaraus verkossa", "Kirjaston tilat varataan verkossa."),
        ("Etäkokoukset", "Lautakunnat kokoontuvat etänä."),
        ("Digituki", "Ikäihmisiä opastetaan sähköisissä palveluissa."),
        ("Koulukyydit", "Koulubussin sijainti näkyy puhelimessa."),
    ]
    made = [
        services.experiment_create(
            by=member,
            owner=OrganisationFactory(),
            title=f"{title} {i}",
            summary=summary,
            visibility=Visibility.PUBLIC,
        )
        for i in range(4)
        for title, summary in subjects
    ]
    services.experiment_update(experiment=made[0], by=member, summary="Koulukyydit verkossa.")

    def lists():
        return dict(ExperimentVector.objects.values_list("experiment_id", "similar"))

    kept = lists()
    assert all(len(v) == similarity.SIMILAR_STORED for v in kept.values())
    similarity.similar_refresh([e.pk for e in made])

    assert lists() == kept


@pytest.mark.django_db
def test_refreshing_a_whole_import_batch_at_once_works_on_every_database(member):
    """An import queues up to 1,000 ids in one task: no query may grow with them."""
    from digikunta.experiments.models import Experiment
    from digikunta.experiments.tests.factories import ExperimentFactory

    kuopio = Organisation.objects.get(municipality_id="297")
    vaasa = Organisation.objects.get(municipality_id="905")
    rng = np.random.default_rng(7)
    experiments = Experiment.objects.bulk_create(
        ExperimentFactory.build(owner=kuopio if i % 2 else vaasa, slug=f"tuonti-{i}")
        for i in range(1100)
    )
    ExperimentVector.objects.bulk_create(
        ExperimentVector(
            experiment=e,
            vector=similarity._unit(rng.normal(size=384)).astype(np.float16).tobytes(),
            source_hash=f"h{e.pk}",
        )
        for e in experiments
    )
    similarity._cache.update(stamp=None, matrix=None)
    ids = [e.pk for e in experiments]
    assert similarity.similar_refresh(ids) == 1100
    # Again, now that every list is stored: the lists naming them are found in one pass.
    assert similarity.similar_refresh(ids) == 1100
    stored = ExperimentVector.objects.get(experiment=experiments[0]).similar
    assert len(stored) == similarity.SIMILAR_STORED
