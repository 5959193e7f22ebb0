"""All of Finland's municipalities and regions, from Statistics Finland's classification."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from digikunta.municipalities.models import LanguageStatus, Municipality, Region
from digikunta.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_every_municipality_and_region_is_loaded():
    assert Municipality.objects.count() == 308
    assert Region.objects.count() == 19
    assert Municipality.objects.bilingual().count() == 33
    assert (
        Municipality.objects.filter(language_status=LanguageStatus.UNILINGUAL_SWEDISH).count() == 16
    )
    assert Region.objects.get(code="01").municipalities.count() == 26


def test_helsinki_matches_the_classification():
    helsinki = Municipality.objects.get(code="091")
    assert (helsinki.name_fi, helsinki.name_sv) == ("Helsinki", "Helsingfors")
    assert helsinki.region.name_sv == "Nyland"
    assert helsinki.language_status == LanguageStatus.BILINGUAL_FINNISH_MAJORITY
    assert helsinki.population == 664028


def test_each_municipality_and_region_is_an_organisation():
    assert Organisation.objects.filter(kind="municipality").count() == 308
    assert Organisation.objects.filter(kind="region").count() == 19
    assert Organisation.objects.get(municipality_id="478").slug == "maarianhamina"


def test_swedish_names_follow_the_official_language_rule():
    akaa, vaasa = Municipality.objects.get(code="020"), Municipality.objects.get(code="905")
    with translation.override("sv"):
        # Unilingual Finnish: the official name is Finnish, not the parallel name "Ackas".
        assert akaa.name == "Akaa"
        assert vaasa.name == "Vasa"
    with translation.override("fi"):
        assert vaasa.name == "Vaasa"


def test_reloading_the_reference_data_updates_without_duplicating():
    Municipality.objects.filter(code="091").update(name_sv="väärin", population=1)
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    call_command("load_reference_data", stdout=out)
    assert "308 municipalities in 19 regions" in out.getvalue()
    assert Municipality.objects.count() == 308
    assert Organisation.objects.filter(kind="municipality").count() == 308
    assert Municipality.objects.get(code="091").name_sv == "Helsingfors"
