"""The participation pages: a resident declares, posts, supports; the municipality answers."""

import pytest
from django.core import mail
from django.urls import reverse

from digikunta.accounts.tests.factories import UserFactory
from digikunta.organisations.models import MembershipRole, Organisation
from digikunta.organisations.tests.factories import MembershipFactory
from digikunta.participation.models import AnswerStatus, Basis, Idea, PhaseKind, Process
from digikunta.participation.tests.factories import (
    KUOPIO,
    IdeaFactory,
    ProcessFactory,
    declare_resident,
    phases_around_today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kuopio_admin():
    user = UserFactory(name="Kaisa Kuopio", totp=True)
    MembershipFactory(
        organisation=Organisation.objects.get(slug="kuopio"), user=user, role=MembershipRole.ADMIN
    )
    return user


def test_the_process_page_shows_phases_who_and_waiting_answers(client):
    process = ProcessFactory()
    IdeaFactory(process=process)
    response = client.get(process.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kuopio" in page and "Kirjaudu sisään osallistuaksesi" in page
    assert "1 odottaa yhä kunnan vastausta" in page


def test_a_draft_process_is_hidden_from_outsiders(client_for, outsider, kuopio_admin):
    process = ProcessFactory(published_at=None)
    assert client_for(outsider).get(process.get_absolute_url()).status_code == 404
    client_for(kuopio_admin)
    assert client_for(kuopio_admin).get(process.get_absolute_url()).status_code == 200


def test_a_resident_declares_then_posts_an_idea(client_for, resident):
    process = ProcessFactory()
    client = client_for(resident)
    response = client.get(reverse("participation:idea_create", args=[process.slug]))
    assert response.status_code == 302 and "declare" in response["Location"]
    response = client.post(
        reverse("participation:declare", args=[process.slug]),
        {"basis": Basis.SUMMER_RESIDENT, "municipality": KUOPIO, "confirm": "on"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("participation:idea_create", args=[process.slug]),
        {"title": "Laituri uimarannalle", "body": "Kesäasukkaille *myös*.", "language": "fi"},
    )
    idea = Idea.objects.get()
    assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    assert "<em>myös</em>" in client.get(idea.get_absolute_url()).content.decode()


def test_a_declaration_without_the_promise_is_refused_and_keeps_the_choice(client_for, resident):
    process = ProcessFactory()
    response = client_for(resident).post(
        reverse("participation:declare", args=[process.slug]),
        {"basis": Basis.RESIDENT, "municipality": KUOPIO},
    )
    assert response.status_code == 422
    assert "Vahvista ilmoitus" in response.content.decode()


def test_an_idea_with_markup_in_the_title_is_escaped(client_for, resident):
    process = ProcessFactory()
    declare_resident(resident, process)
    client = client_for(resident)
    client.post(
        reverse("participation:idea_create", args=[process.slug]),
        {
            "title": "<script>alert(1)</script>",
            "body": "<img src=x onerror=alert(1)>",
            "language": "fi",
        },
    )
    page = client.get(Idea.objects.get().get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page and "onerror" not in page


def test_a_failed_idea_keeps_what_was_typed(client_for, resident):
    process = ProcessFactory()
    declare_resident(resident, process)
    response = client_for(resident).post(
        reverse("participation:idea_create", args=[process.slug]),
        {"title": "", "body": "Tämä teksti jää talteen", "language": "fi"},
    )
    assert response.status_code == 422
    assert "Tämä teksti jää talteen" in response.content.decode()
    assert not Idea.objects.exists()


def test_posting_after_the_ideas_phase_is_refused_with_the_reason(client_for, resident):
    process = ProcessFactory(phases=PhaseKind.VOTING)
    declare_resident(resident, process)
    response = client_for(resident).get(reverse("participation:idea_create", args=[process.slug]))
    assert response.status_code == 403
    assert "päättynyt" in response.content.decode()


def test_support_twice_counts_once_and_withdraw(client_for, resident):
    idea = IdeaFactory()
    declare_resident(resident, idea.process)
    client = client_for(resident)
    url = reverse("participation:idea_support", args=[idea.pk])
    client.post(url)
    client.post(url)
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert "Peru kannatuksesi" in client.get(idea.get_absolute_url()).content.decode()
    client.post(url, {"withdraw": "1"})
    idea.refresh_from_db()
    assert idea.support_count == 0


def test_support_by_someone_not_eligible_is_a_403_with_the_reason(client_for, outsider):
    idea = IdeaFactory()
    response = client_for(outsider).post(reverse("participation:idea_support", args=[idea.pk]))
    assert response.status_code == 403
    assert "Kuopio" in response.content.decode()


def test_the_municipality_answers_and_the_author_is_told(
    client_for, resident, kuopio_admin, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(author=resident)
    client = client_for(kuopio_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("participation:idea_answer", args=[idea.pk]),
            {
                "status": AnswerStatus.IN_PROGRESS,
                "reasoning": "Selvitämme kustannukset.",
                "office": "Kuopion kaupunki, tekninen lautakunta",
                "link-experiment": "",
            },
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[resident.email]]
    page = client_for(resident).get(idea.get_absolute_url()).content.decode()
    assert "tekninen lautakunta" in page and "Selvitämme kustannukset." in page


def test_only_the_organisers_people_answer(client_for, resident):
    idea = IdeaFactory(author=resident)
    response = client_for(resident).get(reverse("participation:idea_answer", args=[idea.pk]))
    assert response.status_code == 403


def test_an_administrator_opens_and_publishes_a_process(client_for, kuopio_admin):
    client = client_for(kuopio_admin)
    phases = phases_around_today()
    data = {
        "organiser": Organisation.objects.get(slug="kuopio").pk,
        "municipalities": [KUOPIO],
        "title": "Kesäasukkaiden Kuopio",
        "description": "Mitä **kesä**asukkaat toivovat?",
        "eligible_bases": [Basis.RESIDENT, Basis.SUMMER_RESIDENT],
        "phases-TOTAL_FORMS": "4",
        "phases-INITIAL_FORMS": "4",
        "phases-MIN_NUM_FORMS": "4",
        "phases-MAX_NUM_FORMS": "4",
    }
    for i, phase in enumerate(phases):
        data[f"phases-{i}-kind"] = phase["kind"]
        data[f"phases-{i}-starts_on"] = phase["starts_on"].isoformat()
        data[f"phases-{i}-ends_on"] = phase["ends_on"].isoformat()
    response = client.post(reverse("participation:process_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    process = Process.objects.get()
    assert process.phases.count() == 4 and not process.is_published
    client.post(reverse("participation:process_publish", args=[process.slug]))
    process.refresh_from_db()
    assert process.is_published


def test_a_resident_cannot_open_a_process(client_for, resident):
    assert client_for(resident).get(reverse("participation:process_create")).status_code == 403


def test_the_profile_is_saved_and_offered_when_declaring(client_for, resident):
    client = client_for(resident)
    response = client.post(
        reverse("participation:profile"),
        {"home_municipality": "091", "summer_municipalities": [KUOPIO]},
    )
    assert response.status_code == 302
    process = ProcessFactory()
    page = client.get(reverse("participation:declare", args=[process.slug])).content.decode()
    assert 'value="summer_resident" required id="id_basis_1" checked' in page


def test_the_municipality_page_shows_its_open_processes_and_latest_ideas(client):
    idea = IdeaFactory(title="Uimarannan laituri")
    page = client.get(f"/fi/municipalities/{KUOPIO}/").content.decode()
    assert idea.process.title in page and "Uimarannan laituri" in page
    assert idea.process.title not in client.get("/fi/municipalities/091/").content.decode()


def test_an_idea_linked_to_an_experiment_shows_on_both_pages(
    client, kuopio_admin, django_capture_on_commit_callbacks
):
    from digikunta.experiments.tests.factories import ExperimentFactory

    idea = IdeaFactory(title="Kirjastoauto kyliin")
    experiment = ExperimentFactory(owner=Organisation.objects.get(slug="kuopio"))
    client.get(experiment.get_absolute_url())  # cached for visitors
    from digikunta.participation import services

    with django_capture_on_commit_callbacks(execute=True):
        services.idea_link_experiment(idea=idea, experiment=experiment)
    assert "Kirjastoauto kyliin" in client.get(experiment.get_absolute_url()).content.decode()
    assert experiment.title in client.get(idea.get_absolute_url()).content.decode()


def test_ideas_are_found_by_inflected_finnish_and_swedish_words(client_for, resident):
    process = ProcessFactory()
    declare_resident(resident, process)
    from digikunta.participation import services

    services.idea_create(
        by=resident, process=process, title="Kirjastoauto kyliin", body="Kirjastoauto kulkisi."
    )
    services.idea_create(
        by=resident,
        process=process,
        title="Bryggor vid stränderna",
        body="Fler bryggor behövs.",
        language="sv",
    )
    hidden = ProcessFactory(published_at=None)
    IdeaFactory(process=hidden, title="Kirjastoauto salaa")
    page = client_for(None).get("/fi/participation/ideas/", {"q": "kirjastoautolla"})
    text = page.content.decode()
    assert page.status_code == 200 and "Kirjastoauto kyliin" in text
    assert "Kirjastoauto salaa" not in text
    text = client_for(None).get("/sv/participation/ideas/", {"q": "bryggorna"}).content.decode()
    assert "Bryggor vid stränderna" in text
    other = client_for(None).get(
        "/fi/participation/ideas/", {"q": "kirjasto", "municipality": "091"}
    )
    assert "Kirjastoauto kyliin" not in other.content.decode()


def test_a_hidden_idea_vanishes_from_lists_search_and_api_and_leaves_its_reason(
    client, moderator, django_capture_on_commit_callbacks
):
    from digikunta.moderation.services import content_hide
    from digikunta.participation import services as participation
    from digikunta.participation.models import Process

    process = ProcessFactory()
    author = UserFactory()
    declare_resident(author, process)
    idea = participation.idea_create(
        by=author, process=process, title="Mainos: halpoja kelloja", body="Osta nyt"
    )
    with django_capture_on_commit_callbacks(execute=True):
        content_hide(moderator=moderator, obj=idea, public_reason="Mainos, ei idea.")
    assert "Mainos: halpoja" not in client.get(process.get_absolute_url()).content.decode()
    found = client.get("/fi/participation/ideas/", {"q": "kelloja"}).content.decode()
    assert "Mainos: halpoja" not in found
    assert client.get(f"/api/v1/ideas/{idea.pk}").status_code == 404
    assert client.get(f"/api/v1/ideas?process={process.slug}").json()["count"] == 0
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Mainos, ei idea." in page and "Osta nyt" not in page
    assert Process.objects.get(pk=process.pk).idea_count == 0
