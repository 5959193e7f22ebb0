"""Finnish and Swedish are complete: no missing or fuzzy translation, compiled catalogues fresh."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_catalogue_has_no_missing_or_fuzzy_translation(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue if not entry.translated() and not entry.obsolete]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], f"untranslated in {language}: {missing}"
    assert fuzzy == [], f"fuzzy in {language}: {fuzzy}"
    assert len(catalogue) > 100


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_compiled_catalogue_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.pofile(str(folder / "django.po"))
        if e.translated()
    }
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.mofile(str(folder / "django.mo"))
    }
    compiled.pop((None, ""), None)
    assert source == compiled, "run `make messages` to recompile the catalogues"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_source_string_is_in_the_catalogue(language):
    """A string added to the code but not to the catalogue would show in English."""
    english = {e.msgid for e in polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))}
    translated = {
        e.msgid for e in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    }
    assert english - translated == set()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_third_party_catalogues_we_show_are_complete(language):
    """allauth's pages are part of ours: its fi and sv catalogues must be complete too."""
    import allauth

    path = Path(allauth.__file__).parent / "locale" / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path))
    ours = {
        e.msgid
        for e in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
        if e.translated()
    }
    gaps = [
        e.msgid
        for e in catalogue
        if not e.obsolete and (not e.translated() or "fuzzy" in e.flags) and e.msgid not in ours
    ]
    assert gaps == []


def test_placeholders_survive_translation():
    for language in ("fi", "sv"):
        for entry in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po")):
            import re

            names = set(re.findall(r"%\((\w+)\)s", entry.msgid))
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if text:
                    assert set(re.findall(r"%\((\w+)\)s", text)) <= names | {"counter"}, entry.msgid
