"""Pure tests of the text analysis: no database."""

import logging
import threading
import unicodedata

import pytest

from digikunta.search import analysis
from digikunta.search.analysis import (
    analyse,
    analyse_query,
    compound_parts,
    highlight,
    parse_query,
    status,
    tokenize,
)


@pytest.fixture
def without_voikko(monkeypatch):
    """Finnish as on a machine without libvoikko: Snowball only, the warning not yet logged."""
    monkeypatch.setattr(analysis, "voikko_available", lambda: False)
    monkeypatch.setattr(analysis, "_fallback_warned", False)


def test_tokenize_lowercases_and_keeps_finnish_letters_and_numbers():
    assert tokenize("Äänestys Åland ÖLJY 2024 ja 3,5 m²") == [
        "äänestys",
        "åland",
        "öljy",
        "2024",
        "ja",
        "3",
        "5",
        "m2",
    ]


def test_tokenize_folds_compatibility_characters_but_not_finnish_letters():
    assert tokenize("ﬁnanssi ½ ÄÖÅ") == ["finanssi", "1", "2", "äöå"]


def test_tokenize_splits_hyphenated_compounds_and_drops_colon_endings():
    assert tokenize("Kunta-alan sosiaali- ja terveyspalvelut EU:n 2024:ssä") == [
        "kunta",
        "alan",
        "sosiaali",
        "ja",
        "terveyspalvelut",
        "eu",
        "2024",
    ]


def test_tokenize_joins_decomposed_letters():
    assert tokenize(unicodedata.normalize("NFD", "Pääkö")) == ["pääkö"]


def test_tokenize_drops_overlong_words():
    assert tokenize("a" * 65 + " kunta") == ["kunta"]


def test_finnish_words_give_their_base_forms():
    terms = analyse("kokeiluista kunnille tilavarauksen", "fi")
    assert {"kokeilu", "kunta", "tilavaraus"} <= set(terms)


def test_finnish_compounds_give_their_parts_and_adjacent_joins():
    terms = set(analyse("tilavarausjärjestelmän", "fi"))
    assert {"tilavarausjärjestelmä", "tila", "varaus", "järjestelmä"} <= terms
    assert {"tilavaraus", "varausjärjestelmä"} <= terms


def test_finnish_compound_parts_follow_the_inflected_last_part():
    assert set(analyse("kulunvalvonnan", "fi")) >= {"kulunvalvonta", "kulun", "valvonta"}


def test_name_readings_are_dropped_only_when_another_reading_exists():
    assert "koski" in analyse("Koski", "fi")  # the noun; the town's reading is dropped
    assert "helsinki" in analyse("Helsingin", "fi")  # a place name only: kept


def test_unknown_finnish_words_give_the_word_and_its_snowball_stem():
    assert analyse("xyzkunnat", "fi") == ["xyzkunnat", "xyzkun"]


def test_stop_words_are_dropped():
    assert analyse("kunta ja kylä", "fi") == ["kunta", "kylä"]
    assert analyse("kommun och by", "sv") == ["kommun", "by"]
    assert analyse("the town", "en") == ["town"]


def test_swedish_and_english_use_snowball_stems():
    assert set(analyse("kommunerna försöken", "sv")) >= {"kommun", "försök"}
    assert set(analyse("experiments", "en")) >= {"experi"}


def test_analyse_refuses_an_unsupported_language():
    with pytest.raises(ValueError):
        analyse("kunta", "de")


def test_analyse_accepts_a_regional_language_code():
    assert "kunta" in analyse("kunnille", "fi-FI")


def test_numerals_that_inflect_every_part_are_not_split():
    assert compound_parts("kahdenkymmenen", "kaksikymmentä", "=pppppp=ppppppp") == ["kaksikymmentä"]


def test_query_words_combine_finnish_swedish_and_english_analyses():
    (kommunerna,) = analyse_query("kommunerna")
    assert "kommun" in kommunerna  # Swedish
    (kunnille,) = analyse_query("kunnille")
    assert "kunta" in kunnille  # Finnish


def test_a_finnish_compound_query_word_is_its_whole_base_form_not_its_parts():
    (alternatives,) = analyse_query("tilavarauksen")
    assert "tilavaraus" in alternatives
    assert not {"tila", "varaus"} & alternatives


def test_query_drops_stop_words_and_repeats():
    assert len(analyse_query("kunta ja kunta och the kylä")) == 2


def test_query_of_punctuation_only_has_no_words():
    assert analyse_query("\"*:&|!()'\\ -- ;") == []


def test_query_is_cut_at_200_characters():
    words = parse_query("kunta " + "x" * 300 + " kylä")
    assert [word.token for word in words] == ["kunta"]  # the long word is dropped, kylä cut off


def test_only_a_last_word_of_three_letters_or_more_is_a_prefix():
    assert [word.is_prefix for word in parse_query("kunta til")] == [False, True]
    assert [word.is_prefix for word in parse_query("kunta ti")] == [False, False]


def test_highlight_marks_inflected_forms_of_the_query():
    snippet = highlight("Kuntien kokeiluista kerrotaan kokeilupäivässä.", "kokeilu", "fi")
    assert snippet == ("Kuntien <mark>kokeiluista</mark> kerrotaan <mark>kokeilupäivässä</mark>.")


def test_highlight_marks_compounds_containing_the_query_word():
    snippet = highlight("Uusi tilavarausjärjestelmä otettiin käyttöön.", "tilavaraus", "fi")
    assert "<mark>tilavarausjärjestelmä</mark>" in snippet


def test_highlight_marks_swedish_forms():
    snippet = highlight("Försöken i kommunerna", "kommun försök", "sv")
    assert snippet == "<mark>Försöken</mark> i <mark>kommunerna</mark>"


def test_highlight_escapes_html_in_the_text_and_the_query():
    snippet = highlight(
        '<script>alert("kunta")</script> <b onclick=x>kunta</b>', "<b>kunta</b>", "fi"
    )
    assert "<script>" not in snippet and "<b " not in snippet
    assert snippet.count("<mark>kunta</mark>") == 2
    assert "&lt;script&gt;" in snippet


def test_highlight_cuts_around_the_first_match_with_ellipses():
    text = "Alku " + "sana " * 100 + "tilavarauksen tiedot " + "loppu " * 100
    snippet = highlight(text, "tilavaraus", "fi", max_length=80)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>tilavarauksen</mark>" in snippet
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 82


def test_highlight_without_a_match_shows_the_start():
    snippet = highlight("Alku " + "sana " * 100, "kokeilu", "fi", max_length=40)
    assert snippet.startswith("Alku sana") and snippet.endswith("…")
    assert "<mark>" not in snippet


def test_highlight_marks_a_prefix_of_the_last_word():
    assert highlight("Tilavaraukset", "tilavar", "fi") == "<mark>Tilavaraukset</mark>"


def test_status_reports_voikko():
    assert status()["finnish"] == "voikko"
    assert status()["voikko_version"]


def test_voikko_is_shared_safely_between_threads():
    words = ["kunnille", "kokeiluista", "tilavarauksen", "kulunvalvonnan"] * 25
    expected = {word: analysis._voikko_readings.__wrapped__(word) for word in set(words)}
    results: list[tuple[str, object]] = []

    def work(chunk):
        for word in chunk:
            results.append((word, analysis._voikko_readings.__wrapped__(word)))

    threads = [threading.Thread(target=work, args=(words[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == len(words)
    assert all(readings == expected[word] for word, readings in results)


def test_without_voikko_finnish_falls_back_to_snowball_and_warns_once(without_voikko, caplog):
    with caplog.at_level(logging.WARNING, logger="digikunta.search.analysis"):
        assert analyse("kokeilut tilavaraus", "fi") == ["kokeilut", "kokeilu", "tilavaraus"]
        analyse("kunnille", "fi")
        analyse_query("kunta")
    warnings = [r for r in caplog.records if "Voikko not available" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert status()["finnish"] == "snowball"


def test_voikko_is_unavailable_when_it_cannot_load(monkeypatch):
    def missing():
        raise OSError("libvoikko.so.1: cannot open shared object file")

    monkeypatch.setattr(analysis, "_voikko", None)
    monkeypatch.setattr(analysis, "_voikko_failed", False)
    monkeypatch.setattr(analysis, "_load_voikko", missing)
    assert analysis.voikko_available() is False
    assert status() == {"finnish": "snowball", "voikko_version": None}


def test_the_template_tag_renders_an_escaped_highlight():
    from django.template import Context, Template

    rendered = Template("{% load search %}{% search_highlight text query 'fi' %}").render(
        Context({"text": "<i>Kuntien</i> kokeilut", "query": "kunta"})
    )
    assert rendered == "&lt;i&gt;<mark>Kuntien</mark>&lt;/i&gt; kokeilut"


def test_cached_and_uncached_finnish_analysis_agree(monkeypatch):
    """The import analyses the same words over and over: the per-word cache must give exactly
    the terms that analysing each word afresh gives, on a cold cache and on a warm one."""
    text = (
        "Kirjaston ryhmätilojen tilavaraukset siirtyivät verkkoon, ja kuntalaiset avasivat ovet "
        "puhelimella. Tilavarausjärjestelmän käyttöönotto vähensi asiakaspalvelun puheluita. "
        "Ikäihmisten digituesta vastasivat vapaaehtoiset kirjastoissa. Koski ja Kuopio "
        "kokeilivat samaa EU:n rahoituksella vuonna 2024:ssä. Kuntalaiset äänestivät "
        "kymmenestä ehdotuksesta. Sosiaali- ja terveyspalvelut kokeilivat chat-neuvontaa."
    )
    analysis._word_terms.cache_clear()
    analysis._voikko_readings.cache_clear()
    cold = analyse(text, "fi")
    warm = analyse(text, "fi")
    assert analysis._word_terms.cache_info().hits >= len(set(tokenize(text))) - 10
    monkeypatch.setattr(analysis, "_word_terms", analysis._word_terms.__wrapped__)
    monkeypatch.setattr(analysis, "_voikko_readings", analysis._voikko_readings.__wrapped__)
    monkeypatch.setattr(analysis, "stem", analysis.stem.__wrapped__)
    uncached = analyse(text, "fi")
    assert cold == warm == uncached
    assert {"tilavaraus", "järjestelmä", "kirjasto", "kuntalainen"} <= set(uncached)
