"""Choosing municipalities (issue 10, item 9): without JavaScript a plain list of checkboxes by
region, the chosen ones first; a failed form keeps its ticks."""

import re

import pytest
from django import forms
from django.utils import translation

from digikunta.experiments.models import Experiment
from digikunta.municipalities.forms import MunicipalityChoiceField, MunicipalityMultipleChoiceField
from digikunta.municipalities.widgets import search_text, sort_key
from digikunta.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db


class PlacesForm(forms.Form):
    places = MunicipalityMultipleChoiceField(label="Places", required=False)
    home = MunicipalityChoiceField(label="Home", required=False)


def boxes(html: str, name: str) -> list[tuple[str, bool]]:
    """(value, ticked) of each checkbox or radio button called ``name``, in page order."""
    return [
        (value, bool(checked))
        for value, checked in re.findall(
            rf'<input type="(?:checkbox|radio)" name="{name}" value="([^"]*)"( checked)?', html
        )
    ]


def legends(html: str) -> list[str]:
    return re.findall(r"<legend>([^<]+)</legend>", html)


def test_without_a_choice_the_list_has_every_municipality_once_grouped_by_region():
    html = str(PlacesForm()["places"])
    values = [value for value, _ticked in boxes(html, "places")]
    assert len(values) == len(set(values)) == 308
    assert not any(ticked for _value, ticked in boxes(html, "places"))
    # 19 regions, alphabetical in the page's language; Åland (Ahvenanmaa) first in Finnish.
    assert len(legends(html)) == 19
    assert legends(html)[0] == "Ahvenanmaa" and legends(html)[-1] == "Varsinais-Suomi"
    uusimaa = html[html.index("<legend>Uusimaa</legend>") :]
    uusimaa = uusimaa[: uusimaa.index("</fieldset>")]
    assert "Helsinki</label>" in uusimaa and "Kuopio</label>" not in uusimaa


def test_names_are_in_the_pages_language_and_in_finnish_and_swedish_alphabetical_order():
    with translation.override("sv"):
        html = str(PlacesForm()["places"])
    assert "Helsingfors</label>" in html and "<legend>Nyland</legend>" in html
    names = re.findall(r"> ([^<]+)</label>", html[html.index("<legend>Österbotten</legend>") :])
    names = names[: names.index("Vörå") + 1]
    assert names == ["Jakobstad", "Kaskö", "Korsholm", "Korsnäs", "Kristinestad", "Kronoby"] + [
        "Laihia",
        "Larsmo",
        "Malax",
        "Nykarleby",
        "Närpes",
        "Pedersöre",
        "Vasa",
        "Vörå",
    ]
    assert sort_key("Ylöjärvi") < sort_key("Åbo") < sort_key("Ähtäri") < sort_key("Övermark")


def test_each_municipality_is_found_by_its_finnish_and_swedish_names_without_accents():
    html = str(PlacesForm()["places"])
    assert '<li data-search="helsinki helsingfors"><label><input' in html
    assert search_text("Hämeenlinna", "Tavastehus") == "hameenlinna tavastehus"


def test_the_chosen_municipalities_come_first_in_a_group_of_their_own():
    html = str(PlacesForm({"places": ["905", "091"]})["places"])
    assert legends(html)[0] == "Valitut"
    assert boxes(html, "places")[:2] == [("091", True), ("905", True)]
    assert [ticked for _value, ticked in boxes(html, "places")].count(True) == 2
    assert len(boxes(html, "places")) == 308  # not listed twice


def test_the_filter_box_waits_for_the_script_and_is_never_sent():
    html = str(PlacesForm()["places"])
    assert '<div class="choice-list__tools" hidden>' in html
    filter_box = re.search(r'<input type="search"[^>]*>', html).group(0)
    assert "name=" not in filter_box
    assert 'for="id_places_filter"' in html and 'id="id_places_filter"' in html
    assert 'role="status"' in html


def test_one_municipality_is_chosen_with_radio_buttons_and_no_municipality_comes_first():
    html = str(PlacesForm({"home": "297"})["home"])
    assert boxes(html, "home")[0] == ("", False)
    assert boxes(html, "home")[1] == ("297", True)
    assert legends(html)[0] == "Nyt valittu"
    assert "Ei kuntaa" in html
    assert PlacesForm({"home": "297"}).is_valid()
    assert not PlacesForm({"home": "999"}).is_valid()


def test_the_list_is_in_one_fieldset_with_its_help_before_the_choices(client, member):
    kuopio = Organisation.objects.get(municipality_id="297")
    Membership.objects.create(organisation=kuopio, user=member)
    client.force_login(member)
    html = client.get("/fi/experiments/new/").content.decode()
    field = html[html.index('<fieldset aria-describedby="id_municipalities_helptext">') :]
    help_text = field.index('id="id_municipalities_helptext"')
    assert field.index("<legend>Osallistuvat kunnat</legend>") < help_text
    assert help_text < field.index('name="municipalities"')
    assert "Ctrl" not in html


def test_a_failed_experiment_form_keeps_the_ticks(client, member):
    kuopio = Organisation.objects.get(municipality_id="297")
    Membership.objects.create(organisation=kuopio, user=member)
    client.force_login(member)
    response = client.post(
        "/fi/experiments/new/",
        {"owner": kuopio.pk, "title": "", "language": "fi", "municipalities": ["091", "297"]},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert boxes(html, "municipalities")[:2] == [("091", True), ("297", True)]
    assert not Experiment.objects.exists()


def test_the_ticked_municipalities_are_saved_and_shown_ticked_when_editing(client, member):
    kuopio = Organisation.objects.get(municipality_id="297")
    Membership.objects.create(organisation=kuopio, user=member)
    client.force_login(member)
    client.post(
        "/fi/experiments/new/",
        {
            "owner": kuopio.pk,
            "title": "Kirjasto",
            "summary": "Tilat verkossa.",
            "language": "fi",
            "municipalities": ["091"],
        },
    )
    experiment = Experiment.objects.get()
    assert list(experiment.municipalities.values_list("code", flat=True)) == ["091"]
    html = client.get(f"/fi/experiments/{experiment.slug}/edit/").content.decode()
    assert boxes(html, "municipalities")[0] == ("091", True)


def test_a_failed_organisation_form_keeps_the_chosen_home_municipality(client, resident):
    client.force_login(resident)
    response = client.post(
        "/fi/organisations/new/",
        {
            "kind": "association",
            "name": "",
            "home_municipality": "905",
            "description_language": "fi",
        },
    )
    assert response.status_code == 422
    assert ("905", True) in boxes(response.content.decode(), "home_municipality")
