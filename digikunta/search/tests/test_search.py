"""Searching a real model (Organisation) on the database under test: SQLite or PostgreSQL."""

import pytest
from django.core.paginator import Paginator
from django.db import connection

from digikunta.organisations.models import Organisation, OrganisationKind
from digikunta.organisations.tests.factories import OrganisationFactory
from digikunta.search import analysis
from digikunta.search.models import SearchEntry
from digikunta.search.selectors import search
from digikunta.search.services import index_object

pytestmark = pytest.mark.django_db


def indexed(name: str, description: str = "", language: str = "fi", **fields) -> Organisation:
    organisation: Organisation = OrganisationFactory.create(
        name=name, description=description, description_language=language, **fields
    )
    index_object(organisation, title=name, body=description, language=language)
    return organisation


def found(query: str) -> list[str]:
    return [organisation.name for organisation in search(Organisation.objects.all(), query)]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("kokeiluista", "Kokeilu"),
        ("kunnille", "Kunta"),
        ("kuntien", "Kunta"),
        ("tilavarauksen", "Tilavaraus"),
        ("asukkaille", "Asukas"),
        ("Tilavaraus", "tilavarauksen"),
    ],
)
def test_inflected_finnish_finds_the_base_form(query, text):
    indexed(f"{text} ry")
    indexed("Muu yhdistys")
    assert found(query) == [f"{text} ry"]


def test_a_compound_query_finds_longer_compounds():
    indexed("Tilavarausjärjestelmä")
    assert found("tilavaraus") == ["Tilavarausjärjestelmä"]
    assert found("järjestelmä") == ["Tilavarausjärjestelmä"]


def test_the_base_form_finds_an_inflected_compound():
    indexed("Turvallisuus", "Kulunvalvonnan uudistus koulussa.")
    assert found("kulunvalvonta") == ["Turvallisuus"]


def test_a_compound_query_does_not_match_its_first_part_alone():
    indexed("Tila")
    assert found("tilavaraus") == []


@pytest.mark.parametrize(("query", "text"), [("kommunerna", "Kommun"), ("försöken", "Försök")])
def test_inflected_swedish_finds_the_stem(query, text):
    indexed(f"{text} rf", language="sv")
    assert found(query) == [f"{text} rf"]


def test_english_finds_the_stem():
    indexed("Experiment Society", language="en")
    assert found("experiments") == ["Experiment Society"]


def test_a_title_match_ranks_above_a_body_match():
    indexed("Liikunta", "Kirjaston kokeilu")
    indexed("Kirjasto", "Liikunnan kokeilu")
    results = list(search(Organisation.objects.all(), "kirjasto"))
    assert [o.name for o in results] == ["Kirjasto", "Liikunta"]
    assert results[0].search_rank > results[1].search_rank > 0


def test_every_query_word_must_match():
    indexed("Kunnan kokeilu")
    indexed("Kunnan kirjasto")
    indexed("Kylän kokeilu")
    assert found("kunta kokeilu") == ["Kunnan kokeilu"]
    assert found("kunta kokeilu kirjasto") == []


def test_the_last_word_is_a_prefix_for_type_ahead():
    indexed("Tilavarausjärjestelmä")
    indexed("Kunnille tiedoksi")
    assert found("tilavar") == ["Tilavarausjärjestelmä"]
    assert found("kunni") == ["Kunnille tiedoksi"]
    assert found("tiedoksi tilavar") == []


def test_a_prefix_applies_to_the_last_word_only_and_needs_three_letters():
    indexed("Tilavarausjärjestelmä")
    assert found("tilavar järjestelmä") == []
    assert found("ti") == []


def test_objects_that_are_not_indexed_are_not_found():
    OrganisationFactory(name="Kokeilu ry")
    assert found("kokeilu") == []


def test_entries_of_other_models_do_not_match():
    organisation = OrganisationFactory(name="Kokeilu ry")
    membership = organisation.memberships.model(organisation=organisation, pk=organisation.pk)
    index_object(membership, title="Kokeilu", body="", language="fi")
    assert SearchEntry.objects.filter(object_id=organisation.pk).exists()
    assert found("kokeilu") == []


def test_the_result_is_a_queryset_to_filter_count_and_paginate(django_assert_num_queries):
    for n in range(5):
        indexed(f"Kokeilu {n}", kind=OrganisationKind.ASSOCIATION)
    indexed("Kokeiluyritys", kind=OrganisationKind.COMPANY)
    indexed("Kirjasto")
    results = search(Organisation.objects.all(), "kokeilu")
    assert results.count() == 6
    assert results.filter(kind=OrganisationKind.COMPANY).count() == 1
    page = Paginator(results, 4).page(2)
    with django_assert_num_queries(1):
        assert len(page.object_list) == 2
    with django_assert_num_queries(1):
        ranks = [organisation.search_rank for organisation in results]
    assert ranks == sorted(ranks, reverse=True)


def test_ties_are_ordered_by_primary_key():
    first = indexed("Kokeilu")
    second = indexed("Kokeilu")
    assert list(search(Organisation.objects.all(), "kokeilu")) == [first, second]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        "'",
        "\\",
        "*",
        ":",
        "&",
        "|",
        "!",
        "()",
        "(kokeilu",
        'kokeilu" OR "x',
        "kokeilu:*",
        "kokeilu & !kunta | (x)",
        "NEAR(kokeilu kunta)",
        "AND OR NOT",
        "kokeilu' OR 1=1 --",
        "'; DROP TABLE search_searchentry; --",
        "kokeilu\\' \\\" %s %(x)s ?",
        "title_terms:kokeilu",
        "\x00kokeilu",
        "kokeilu " * 1000,
        "ä" * 5000,
    ],
)
def test_hostile_input_never_fails(query):
    organisation = indexed("Kokeilu", "Kunta")
    results = list(search(Organisation.objects.all(), query))
    assert results in ([], [organisation])
    assert SearchEntry.objects.count() == 1


@pytest.mark.parametrize("word", ["m²", "½", "Ⅻ", "١٢٣", "日本語", "Ωmega", "São", "naïve", "ﬁnal"])
def test_unusual_letters_and_digits_are_searchable_and_never_fail(word):
    organisation = indexed("Merkit", f"Teksti {word} loppuu")
    assert list(search(Organisation.objects.all(), word)) == [organisation]
    assert found(f"teksti {word}") == ["Merkit"]
    assert found(f"{word} teksti") == ["Merkit"]


def test_punctuation_only_finds_nothing():
    indexed("Kokeilu")
    results = search(Organisation.objects.all(), "\"*:&|!()'\\")
    assert results.count() == 0
    assert list(results) == []


def test_query_operators_are_plain_words():
    indexed("Kokeilu", "Kunta")
    assert found('kokeilu" OR "kirjasto') == []  # "kirjasto" is a required word, not an OR
    assert found("kokeilu:*") == ["Kokeilu"]


def test_words_after_200_characters_are_ignored():
    indexed("Kokeilu")
    assert found("kokeilu " + "a " * 100 + "kirjasto") == ["Kokeilu"]


def test_without_voikko_snowball_still_finds_stem_matches(monkeypatch, caplog):
    monkeypatch.setattr(analysis, "voikko_available", lambda: False)
    monkeypatch.setattr(analysis, "_fallback_warned", False)
    indexed("Kokeilu", "Tilavaraus ja kirjasto")
    assert found("kokeilut") == ["Kokeilu"]
    assert found("tilavaraus kirjastot") == ["Kokeilu"]
    assert any("Voikko not available" in r.getMessage() for r in caplog.records)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_keeps_the_fts5_table_in_sync_with_triggers():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            ["search_searchentry"],
        )
        triggers = {name for (name,) in cursor.fetchall()}
    assert triggers == {
        "search_searchentry_fts_insert",
        "search_searchentry_fts_update",
        "search_searchentry_fts_delete",
    }
    organisation = indexed("Kokeilu")
    index_object(organisation, title="Kirjasto", body="", language="fi")
    assert found("kokeilu") == []
    assert found("kirjasto") == ["Kokeilu"]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_searchentry_fts(search_searchentry_fts, rank)"
            " VALUES ('integrity-check', 1)"
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_uses_the_gin_index():
    organisation = indexed("Kokeilu")
    # Other rows, so that the index has something to skip.
    SearchEntry.objects.bulk_create(
        SearchEntry(
            content_type_id=SearchEntry.objects.get().content_type_id,
            object_id=10**9 + n,
            language="fi",
            title_terms=f"muu {n}",
        )
        for n in range(300)
    )
    # The match itself, as search() writes it: the outer plan may rightly probe a few
    # organisations by id instead, so this checks that the match can use the index.
    from django.db.models import BooleanField, TextField, Value

    from digikunta.search.selectors import POSTGRESQL_MATCH, SqlTemplate, UnmanagedColumn

    vector = UnmanagedColumn("title_terms", "search_vector", output_field=TextField())
    match = SqlTemplate(POSTGRESQL_MATCH, vector, Value("'kokeilu'"), output_field=BooleanField())
    sql, params = SearchEntry.objects.filter(match).values("object_id").query.sql_with_params()
    with connection.cursor() as cursor:
        # A table this small is cheaper to scan; forbid that to ask "can the index serve it?"
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row for (row,) in cursor.fetchall())
    assert "search_searchentry_vector_gin" in plan
    assert list(search(Organisation.objects.all(), "kokeilu")) == [organisation]
