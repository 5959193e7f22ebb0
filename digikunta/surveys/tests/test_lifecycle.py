"""When a survey takes answers: pure rules, no database."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from digikunta.surveys.lifecycle import State, answer_problem, state

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("published", "opens", "closes", "expected"),
    [
        (None, None, None, State.DRAFT),
        (None, NOW - DAY, NOW + DAY, State.DRAFT),
        (NOW - DAY, None, None, State.OPEN),
        (NOW - DAY, NOW + DAY, None, State.UPCOMING),
        (NOW - DAY, NOW - DAY, NOW + DAY, State.OPEN),
        (NOW - DAY, None, NOW, State.CLOSED),  # closes at the moment given
        (NOW - DAY, None, NOW - DAY, State.CLOSED),
    ],
)
def test_the_state_follows_publication_and_the_dates(published, opens, closes, expected):
    assert state(published_at=published, opens_at=opens, closes_at=closes, now=NOW) == expected


def test_only_an_open_survey_takes_answers_and_the_others_say_when():
    with translation.override("fi"):
        assert answer_problem(State.OPEN, opens_at=None, closes_at=None) is None
        assert "ei ole vielä julkaistu" in answer_problem(
            State.DRAFT, opens_at=None, closes_at=None
        )
        assert "1.5.2026 12.00" in answer_problem(State.UPCOMING, opens_at=NOW, closes_at=None)
        assert "1.5.2026 12.00" in answer_problem(State.CLOSED, opens_at=None, closes_at=NOW)
