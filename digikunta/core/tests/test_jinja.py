"""The Jinja2 pages and the shell both engines share (core/jinja.py, ADR 0016)."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import TemplateDoesNotExist, engines
from django.test import Client, RequestFactory
from django.utils import translation

from digikunta.core.jinja import ENGINE


def _nav(html: str) -> str:
    """The main navigation, without the per-render token values of its logout form."""
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S)
    assert nav is not None
    return re.sub(r'value="[^"]*"', 'value=""', nav[0])


@pytest.mark.django_db
def test_a_jinja_page_and_a_django_page_share_one_shell(client, resident):
    client.force_login(resident)
    jinja_page = client.get("/sv/casebank/").content.decode()  # Jinja2
    django_page = client.get("/sv/experiments/").content.decode()  # Django templates

    assert _nav(jinja_page) == _nav(django_page)
    assert "Logga ut" in jinja_page and "Mitt Digikunta" in jinja_page
    assert 'href="/fi/casebank/" lang="fi" hreflang="fi">Suomi</a>' in jinja_page


@pytest.mark.django_db
def test_logging_out_from_a_jinja_page_carries_a_valid_csrf_token(resident):
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    html = client.get("/fi/casebank/").content.decode()
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', html, re.S)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]+)"', form[2]))

    response = client.post(form[1], fields)

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_htmx_partial_of_a_jinja_page_is_its_block(client):
    partial = client.get("/fi/casebank/", headers={"HX-Request": "true"}).content.decode()

    assert partial.lstrip().startswith('<section id="results"')
    assert "<html" not in partial and "<h1" not in partial


def test_an_unknown_block_is_a_missing_template():
    with pytest.raises(TemplateDoesNotExist):
        engines[ENGINE].get_template("casebank/casebank.html#no-such-block")


def test_values_are_escaped_and_shown_as_django_shows_them():
    template = engines[ENGINE].from_string("{{ text }}|{{ count }}|{{ missing }}|{{ nothing }}")
    with translation.override("fi"):
        fi = template.render({"text": "<b>x</b>", "count": 2500, "nothing": None})
    with translation.override("en"):
        en = template.render({"text": "", "count": 2500, "nothing": None})

    assert fi == "&lt;b&gt;x&lt;/b&gt;|2\xa0500||"
    assert en == "|2,500||"


def test_translations_are_escaped_and_filled_by_format():
    template = engines[ENGINE].from_string(
        '{{ _("Page %(number)s of %(total)s")|format(number=1, total=total|localize) }}'
    )
    with translation.override("fi"):
        assert template.render({"total": 12000}) == "Sivu 1 / 12\xa0000"


@pytest.mark.django_db
def test_the_test_client_sees_a_jinja_pages_context(client):
    response = client.get("/fi/casebank/")

    assert "casebank/casebank.html" in [t.name for t in response.templates]
    assert response.context["page"].number == 1


def test_the_shell_of_an_anonymous_visitor_offers_login(rf: RequestFactory):
    request = rf.get("/fi/casebank/")
    request.user = AnonymousUser()
    with translation.override("fi"):
        html = (
            engines[ENGINE]
            .get_template("shell/header.html")
            .render({"user": request.user}, request)
        )

    assert "Kirjaudu sisään" in html and "Kirjaudu ulos" not in html
