"""Who may see and run a panel: a role × action matrix that fails when a rule drifts, and the
process page's section."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from digikunta.accounts.tests.factories import UserFactory
from digikunta.core.permissions import can
from digikunta.panels.sections import panel_sections
from digikunta.panels.tests.factories import PanelFactory, manager_of, resident_of, volunteers
from digikunta.participation import sections

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The services' messages read in English here; the pages test fi and sv."""
    with translation.override("en"):
        yield


def person(role, process):
    if role == "anonymous":
        return AnonymousUser()
    if role == "manager":
        return manager_of(process)
    if role == "coordinator":
        return UserFactory(roles=["coordinator"], totp=True)
    if role == "resident":
        return resident_of(process)
    return UserFactory()


@pytest.mark.parametrize(
    ("role", "state", "action", "allowed"),
    [
        ("anonymous", "open", "view", True),
        ("anonymous", "draft", "view", False),
        ("anonymous", "open", "change", False),
        ("outsider", "draft", "view", False),
        ("resident", "open", "view", True),
        ("resident", "open", "change", False),
        ("resident", "draft", "view", False),
        ("manager", "draft", "view", True),
        ("manager", "draft", "change", True),
        ("manager", "open", "change", True),
        ("coordinator", "draft", "change", True),
    ],
)
def test_who_may_see_and_run_a_panel(role, state, action, allowed):
    panel = PanelFactory(draft=state == "draft")
    assert can(person(role, panel.process), action, panel) is allowed


def test_a_panel_of_an_unpublished_process_is_hidden_like_its_process():
    panel = PanelFactory(process__published_at=None)
    assert not can(UserFactory(), "view", panel)
    assert can(manager_of(panel.process), "view", panel)


def test_the_process_page_shows_the_panel_where_it_stands(django_assert_max_num_queries):
    panel = PanelFactory(title="Kuopion kuntaraati")
    volunteers(panel, {("25-44", "fi"): 3})
    found = [s for s in sections.sections(panel.process, AnonymousUser()) if s.order == 40]
    (section,) = found
    assert "Kuopion kuntaraati" in section.title
    assert "3 volunteers so far" in section.summary
    assert section.url == panel.get_absolute_url()
    with django_assert_max_num_queries(2):
        panel_sections(panel.process, AnonymousUser())


def test_those_who_run_the_process_are_offered_to_set_up_a_panel_and_others_nothing():
    panel = PanelFactory(draft=True)
    assert panel_sections(panel.process, UserFactory()) == []
    (draft,) = panel_sections(panel.process, manager_of(panel.process))
    assert draft.summary.startswith("Draft")
    other = PanelFactory().process
    other.panels.all().delete()
    (offer,) = panel_sections(other, manager_of(other))
    assert offer.url == f"/en/panels/new/{other.slug}/"
