"""The lifecycle rules, with no database."""

import pytest

from digikunta.experiments import lifecycle
from digikunta.experiments.lifecycle import State


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        ("idea", "planned", True),
        ("planned", "idea", True),
        ("planned", "running", True),
        ("running", "ended", True),
        ("ended", "evaluated", True),
        ("evaluated", "spread", True),
        ("idea", "running", False),
        ("planned", "evaluated", False),
        ("running", "planned", False),
        ("spread", "idea", False),
        ("ended", "running", False),
    ],
)
def test_only_lifecycle_moves_are_allowed(source, target, allowed):
    state = State(status=source, results="r", outcome="partly", lessons="l")
    assert (lifecycle.transition_errors(state, target) == {}) is allowed


def test_ending_requires_results_and_an_outcome():
    errors = lifecycle.transition_errors(State(status="running"), "ended")
    assert set(errors) == {"results", "outcome"}


def test_a_failure_is_a_valid_outcome():
    state = State(status="running", results="Ei toiminut.", outcome="did_not_succeed")
    assert lifecycle.transition_errors(state, "ended") == {}


def test_evaluating_requires_lessons():
    state = State(status="ended", results="r", outcome="stopped_early", lessons="  ")
    assert set(lifecycle.transition_errors(state, "evaluated")) == {"lessons"}


def test_unknown_stage_is_refused():
    assert set(lifecycle.transition_errors(State(status="idea"), "party")) == {"to"}


def test_allowed_moves_are_in_lifecycle_order():
    assert lifecycle.allowed_moves("planned") == ["idea", "running"]
    assert lifecycle.allowed_moves("spread") == []
