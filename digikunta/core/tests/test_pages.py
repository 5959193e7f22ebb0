"""Every public page: one h1, a skip link, the page's language, and a switcher that keeps it."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

PUBLIC_PAGES = [
    ("home", {}),
    ("casebank:casebank", {}),  # Jinja2 (core/jinja.py); the others are Django templates
    ("experiments:experiment_list", {}),
    ("privacy", {}),
    ("accessibility", {}),
    ("api_docs", {}),
    ("home:month_archive", {}),
    ("api_reference", {}),
    ("municipalities:municipality_list", {}),
    ("municipalities:municipality_detail", {"code": "091"}),
    ("organisations:organisation_list", {}),
    ("organisations:organisation_detail", {"slug": "helsinki"}),
    ("account_login", {}),
    ("account_signup", {}),
    ("account_reset_password", {}),
]


def page_urls(language: str) -> list[str]:
    with translation.override(language):
        return [reverse(name, kwargs=kwargs) for name, kwargs in PUBLIC_PAGES]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_public_page_has_one_h1_a_skip_link_and_its_language(client, language):
    for url in page_urls(language):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, url
        assert 'class="skip-link" href="#main"' in html, url
        assert f'<html lang="{language}">' in html, url
        assert '<main id="main"' in html, url


@pytest.mark.django_db
def test_language_switcher_links_to_the_same_page_in_each_language(client):
    response = client.get("/fi/municipalities/?region=01")
    html = response.content.decode()
    assert 'href="/sv/municipalities/?region=01"' in html
    assert 'href="/en/municipalities/?region=01"' in html
    assert 'aria-current="true" lang="fi"' in html


@pytest.mark.django_db
def test_root_redirects_to_finnish_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/"


@pytest.mark.django_db
def test_root_follows_the_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="sv-FI,sv;q=0.9")
    assert response["Location"] == "/sv/"


@pytest.mark.django_db
def test_unknown_page_answers_404_in_the_users_language(client):
    response = client.get("/sv/no-such-page/")
    assert response.status_code == 404
    assert "Sidan hittades inte" in response.content.decode()


@pytest.mark.django_db
def test_finnish_pages_format_numbers_the_finnish_way(client):
    html = client.get("/fi/municipalities/091/").content.decode()
    # Helsinki's population, 664 028, with a (non-breaking) space as thousands separator.
    assert re.search(r"664\s028", html)
    html = client.get("/en/municipalities/091/").content.decode()
    assert "664,028" in html


@pytest.mark.django_db
def test_home_page_shows_platform_figures(client):
    html = client.get("/en/").content.decode()
    assert "<strong>308</strong> municipalities" in html
    assert "<strong>19</strong> regions" in html


@pytest.mark.django_db
def test_dates_follow_the_language(client, resident):
    from digikunta.accounts.services import token_create

    token, _raw = token_create(user=resident, name="x")
    token.created_at = token.created_at.replace(year=2026, month=11, day=23, hour=10)
    token.save(update_fields=["created_at"])
    client.force_login(resident)
    assert "23.11.2026" in client.get("/fi/account/settings/tokens/").content.decode()
    # Swedish as written in Finland: the Finnish convention (issue 10), not Sweden's 2026-11-23.
    assert "23.11.2026" in client.get("/sv/account/settings/tokens/").content.decode()
    assert "11/23/2026" in client.get("/en/account/settings/tokens/").content.decode()


def test_fast_select_renders_like_djangos_select():
    from django import forms

    from digikunta.core.forms import FastSelect

    class Slow(forms.Form):
        pick = forms.ChoiceField(choices=[("", "All"), ("a", "A & <b>"), ("b", "B")])

    class Fast(forms.Form):
        pick = forms.ChoiceField(
            choices=[("", "All"), ("a", "A & <b>"), ("b", "B")], widget=FastSelect
        )

    def normalise(html: str) -> str:
        return "".join(html.split())

    for data in ({"pick": "a"}, {"pick": "zzz"}, None):
        slow, fast = Slow(data)["pick"], Fast(data)["pick"]
        slow.form.is_valid() if data else None
        fast.form.is_valid() if data else None
        assert normalise(str(fast)) == normalise(str(slow))
