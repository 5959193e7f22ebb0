"""The vote's part of the process page (participation.sections)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from digikunta.budgeting.sections import process_sections
from digikunta.budgeting.tests.factories import BallotFactory, BudgetAreaFactory
from digikunta.participation.models import PhaseKind
from digikunta.participation.sections import sections
from digikunta.participation.tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def test_a_process_without_areas_has_no_vote_section():
    assert sections(ProcessFactory(), AnonymousUser()) == []


def test_an_open_vote_says_until_when_and_how_many_ballots(django_assert_max_num_queries):
    area = BudgetAreaFactory()
    BallotFactory(area=area)
    BallotFactory(area=area)
    with django_assert_max_num_queries(3):  # the vote's own section, whatever others add
        [section] = process_sections(area.process, AnonymousUser())
    assert section.summary.startswith("Voting open until ")
    assert section.summary.endswith(": 2 ballots cast.")
    assert section.url.endswith("/budget/") and section.link_text == "Vote"


@pytest.mark.parametrize(
    ("phase", "summary", "link"),
    [
        (PhaseKind.CO_CREATION, "Voting opens on", "See the projects"),
        (
            PhaseKind.IMPLEMENTATION,
            "Voting has closed; the results are published.",
            "See the results",
        ),
    ],
)
def test_before_and_after_the_vote_the_section_points_to_the_projects_or_results(
    phase, summary, link
):
    area = BudgetAreaFactory(process=ProcessFactory(phases=phase))
    [section] = sections(area.process, AnonymousUser())
    assert section.summary.startswith(summary) and section.link_text == link
