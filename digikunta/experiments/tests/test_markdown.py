"""Journal Markdown: linear-time rendering, stored on write, a length cap (issue 8)."""

import importlib
import re
import time

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from digikunta.accounts.services import token_create
from digikunta.core.markdown import ALLOWED_TAGS, MAX_BODY_CHARS, render_markdown
from digikunta.experiments import services
from digikunta.experiments.models import JournalEntry, JournalEntryVersion
from digikunta.experiments.tests.factories import ExperimentFactory, TeamMemberFactory
from digikunta.experiments.tests.markdown_corpus import CORPUS, WORST, corpus

TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
AT_THE_CAP = corpus(MAX_BODY_CHARS)


@pytest.fixture
def lead_experiment(member, organisation):
    experiment = ExperimentFactory(owner=organisation)
    TeamMemberFactory(experiment=experiment, user=member)
    return experiment


def assert_sanitised(html: str) -> None:
    for closing, name, attributes in TAG.findall(html):
        assert name in ALLOWED_TAGS, name
        if name == "a" and not closing:
            assert 'rel="nofollow noopener noreferrer"' in attributes
            assert not re.search(r"\s(on\w+|style|src)=", attributes)
        elif not closing:
            assert not attributes.strip(), (name, attributes)


@pytest.mark.parametrize("name", list(CORPUS))
def test_every_pathological_text_at_the_cap_renders_into_sanitised_html(name):
    text = AT_THE_CAP[name]
    assert 0 < len(text) <= MAX_BODY_CHARS
    html = render_markdown(text)  # no RecursionError on 10,000 nested quotes or lists
    assert isinstance(html, str)
    assert_sanitised(html)


def best_of_three(text: str) -> float:
    times = []
    for _ in range(3):
        started = time.process_time()
        render_markdown(text)
        times.append(time.process_time() - started)
    return min(times)


@pytest.mark.parametrize("name", WORST)
def test_rendering_time_grows_linearly_with_the_length(name):
    # 8 times the text: about 8 times the time when linear, 64 times when quadratic.
    short, long = CORPUS[name](MAX_BODY_CHARS // 16), CORPUS[name](MAX_BODY_CHARS // 2)
    ratio = best_of_three(long) / max(best_of_three(short), 1e-4)
    assert ratio < 24, f"{name}: {ratio:.1f} times slower for 8 times the text"


def test_posting_stores_the_sanitised_html(lead_experiment, member):
    entry = services.journal_entry_create(
        experiment=lead_experiment, by=member, body="Viikko **1**: [Kuntaliitto](https://kl.fi)"
    )
    entry.refresh_from_db()
    assert entry.body_html == (
        "<p>Viikko <strong>1</strong>: "
        '<a href="https://kl.fi" rel="nofollow noopener noreferrer">Kuntaliitto</a></p>\n'
    )


def test_the_experiment_page_history_and_api_show_the_stored_html_without_rendering(
    client, member, lead_experiment
):
    entry = services.journal_entry_create(experiment=lead_experiment, by=member, body="Alku.")
    services.journal_entry_update(entry=entry, by=member, body="Korjattu.")
    # If any view rendered the Markdown, it would show "Alku." or "Korjattu.", not these.
    JournalEntry.objects.update(body_html="<p>Tallennettu nyt</p>")
    JournalEntryVersion.objects.update(body_html="<p>Tallennettu ennen</p>")
    client.force_login(member)
    page = client.get(lead_experiment.get_absolute_url()).content.decode()
    assert "Tallennettu nyt" in page and "Korjattu." not in page
    history = client.get(
        f"/fi/experiments/{lead_experiment.slug}/journal/{entry.pk}/history/"
    ).content.decode()
    assert "Tallennettu nyt" in history and "Tallennettu ennen" in history
    assert "Alku." not in history
    api = client.get(f"/api/v1/experiments/{lead_experiment.pk}/journal").json()
    assert api["results"][0]["html"] == "<p>Tallennettu nyt</p>"
    assert api["results"][0]["body"] == "Korjattu."


def test_an_edit_stores_the_new_html_and_keeps_the_earlier_in_the_history(
    client, member, lead_experiment
):
    entry = services.journal_entry_create(experiment=lead_experiment, by=member, body="*Alku*")
    client.force_login(member)
    response = client.post(
        f"/fi/experiments/{lead_experiment.slug}/journal/{entry.pk}/edit/",
        {"body": "**Korjattu**", "language": "fi", "video_url": ""},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.body_html == "<p><strong>Korjattu</strong></p>\n"
    assert entry.versions.get().body_html == "<p><em>Alku</em></p>\n"


def test_a_text_at_the_cap_is_published(client, member, lead_experiment):
    client.force_login(member)
    response = client.post(
        f"/en/experiments/{lead_experiment.slug}/journal/",
        {"language": "fi", "body": AT_THE_CAP["open brackets ["]},
    )
    assert response.status_code == 302
    assert JournalEntry.objects.get().body_html.startswith("<p>[[[")


def test_a_text_over_the_cap_is_refused_with_the_limit_and_kept_in_the_form(
    client, member, lead_experiment
):
    client.force_login(member)
    typed = "Pitkä " + "a" * MAX_BODY_CHARS
    response = client.post(
        f"/en/experiments/{lead_experiment.slug}/journal/", {"language": "fi", "body": typed}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "The text is 20,006 characters; shorten it to at most 20,000." in html
    assert 'href="#id_body"' in html
    assert typed in html
    assert not JournalEntry.objects.exists()


def test_an_edit_over_the_cap_is_refused_and_the_entry_is_unchanged(
    client, member, lead_experiment
):
    entry = services.journal_entry_create(experiment=lead_experiment, by=member, body="Alku.")
    client.force_login(member)
    response = client.post(
        f"/en/experiments/{lead_experiment.slug}/journal/{entry.pk}/edit/",
        {"body": "a" * (MAX_BODY_CHARS + 1), "language": "fi", "video_url": ""},
    )
    assert response.status_code == 422
    assert "shorten it to at most 20,000" in response.content.decode()
    entry.refresh_from_db()
    assert entry.body == "Alku." and entry.body_html == "<p>Alku.</p>\n"
    assert not entry.versions.exists()


def test_the_api_refuses_a_text_over_the_cap_naming_the_field(client, member, lead_experiment):
    token = token_create(user=member, name="t")[1]
    response = client.post(
        f"/api/v1/experiments/{lead_experiment.pk}/journal",
        {"body": "[" * (MAX_BODY_CHARS + 1)},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "body"
    assert error["message"] == "Käytä enintään 20000 merkkiä."
    assert not JournalEntry.objects.exists()


def test_the_model_refuses_a_text_over_the_cap_from_any_service(member, lead_experiment):
    with pytest.raises(ValidationError) as refused:
        services.journal_entry_create(
            experiment=lead_experiment, by=member, body="a" * (MAX_BODY_CHARS + 1)
        )
    assert list(refused.value.error_dict) == ["body"]
    assert not JournalEntry.objects.exists()


def test_the_migration_renders_the_entries_written_before_the_html_was_stored(
    lead_experiment, monkeypatch
):
    migration = importlib.import_module("digikunta.experiments.migrations.0009_render_journal_html")
    entries = [
        JournalEntry.objects.create(experiment=lead_experiment, body=f"*Merkintä {i}*")
        for i in range(3)
    ]
    JournalEntryVersion.objects.create(entry=entries[0], body="**Ennen**")
    monkeypatch.setattr(migration, "BATCH", 2)  # more than one page
    migration.render_stored(apps, None)
    assert [e.body_html for e in JournalEntry.objects.order_by("pk")] == [
        f"<p><em>Merkintä {i}</em></p>\n" for i in range(3)
    ]
    assert JournalEntryVersion.objects.get().body_html == "<p><strong>Ennen</strong></p>\n"
    migration.forget_rendered(apps, None)
    assert set(JournalEntry.objects.values_list("body_html", flat=True)) == {""}
