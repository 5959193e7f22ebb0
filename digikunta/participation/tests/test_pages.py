"""Cached pages of participation follow the writes that change them (core/pagecache.py)."""

import pytest

from digikunta.accounts.tests.factories import UserFactory
from digikunta.participation import services
from digikunta.participation.models import AnswerStatus, Idea
from digikunta.participation.tests.factories import IdeaFactory, declare_resident

pytestmark = pytest.mark.django_db


def test_an_answer_shows_at_once_on_the_idea_and_process_pages(
    client, django_capture_on_commit_callbacks
):
    idea = IdeaFactory()
    client.get(idea.get_absolute_url())
    client.get(idea.process.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_set(
            idea=idea,
            by=UserFactory(),
            status=AnswerStatus.NOT_TAKEN_FORWARD,
            reasoning="Ei rahoitusta tänä vuonna.",
            office="Kuopion kaupunginhallitus",
        )
    assert "Kuopion kaupunginhallitus" in client.get(idea.get_absolute_url()).content.decode()
    assert "Ei viedä eteenpäin" in client.get(idea.process.get_absolute_url()).content.decode()


def test_a_support_stales_the_idea_page_but_not_the_idea_list(
    client, resident, django_capture_on_commit_callbacks
):
    idea = IdeaFactory()
    declare_resident(resident, idea.process)
    client.get(idea.get_absolute_url())
    list_before = client.get(idea.process.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.support_add(user=resident, idea=idea)
    assert "1 henkilö kannattaa tätä ideaa" in client.get(idea.get_absolute_url()).content.decode()
    assert client.get(idea.process.get_absolute_url()).content.decode() == list_before


def test_an_unrelated_idea_leaves_the_idea_page_cached(client, django_capture_on_commit_callbacks):
    idea = IdeaFactory()
    url = idea.get_absolute_url()
    client.get(url)
    Idea.objects.filter(pk=idea.pk).update(title="Muutettu salaa")
    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory(process=idea.process)
    assert "Muutettu salaa" not in client.get(url).content.decode()
