"""The lifecycle rules, with no database."""

import pytest
from django.utils import translation

from digikunta.experiments import lifecycle
from digikunta.experiments.lifecycle import State

COMPLETE = {"results": "r", "outcome": "partly", "lessons": "l"}


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
    state = State(status=source, is_reused_elsewhere=True, **COMPLETE)
    assert (lifecycle.transition_errors(state, target) == {}) is allowed


def test_ending_requires_results_and_an_outcome():
    errors = lifecycle.transition_errors(State(status="running"), "ended")
    assert list(errors) == ["results", "outcome"]


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


@pytest.mark.parametrize(
    ("to", "asked"),
    [
        ("idea", ()),
        ("planned", ()),
        ("running", ()),
        ("ended", ("results", "outcome")),
        ("evaluated", ("lessons",)),
        ("spread", ()),
    ],
)
def test_each_move_asks_only_for_what_it_needs(to, asked):
    assert lifecycle.needs(to) == asked


def test_evaluating_does_not_ask_for_the_results_again():
    # An ended experiment has its results; marking it evaluated asks for lessons only.
    state = State(status="ended", lessons="Aloita pienestä.")
    assert lifecycle.transition_errors(state, "evaluated") == {}


def test_spreading_needs_a_reuse_by_another_organisation():
    state = State(status="evaluated", **COMPLETE)
    with translation.override("en"):
        errors = lifecycle.transition_errors(state, "spread")
    assert list(errors) == ["to"] and "another organisation" in errors["to"]
    reused = State(status="evaluated", is_reused_elsewhere=True, **COMPLETE)
    assert lifecycle.transition_errors(reused, "spread") == {}


def test_a_coordinator_may_mark_it_spread_without_a_reuse():
    state = State(status="evaluated", **COMPLETE)
    assert lifecycle.transition_errors(state, "spread", by_coordinator=True) == {}
    assert lifecycle.blocked_reason(state, "spread", by_coordinator=True) == ""


def test_a_coordinator_still_follows_the_order_of_stages():
    state = State(status="running", **COMPLETE)
    assert set(lifecycle.transition_errors(state, "spread", by_coordinator=True)) == {"to"}


def test_a_blocked_move_is_told_apart_from_a_missing_text():
    # Ending without results is not blocked: the form asks for them.
    assert lifecycle.blocked_reason(State(status="running"), "ended") == ""
    assert lifecycle.blocked_reason(State(status="idea"), "ended") != ""


@pytest.mark.parametrize(
    ("status", "changed", "refused"),
    [
        ("running", {"results", "lessons"}, set()),
        ("ended", {"results"}, {"results"}),
        ("ended", {"lessons"}, set()),
        ("evaluated", {"results", "lessons"}, {"results", "lessons"}),
        ("spread", {"lessons"}, {"lessons"}),
        ("evaluated", {"title"}, set()),
    ],
)
def test_what_a_stage_asked_for_cannot_be_emptied(status, changed, refused):
    state = State(status=status, outcome="partly", results=" ", lessons="")
    assert set(lifecycle.kept_errors(state, changed)) == refused


def test_an_edit_that_keeps_the_texts_is_fine():
    state = State(status="evaluated", **COMPLETE)
    assert lifecycle.kept_errors(state, {"results", "lessons", "outcome"}) == {}


@pytest.mark.parametrize(
    ("source", "target", "route"),
    [
        ("idea", "idea", []),
        ("idea", "ended", ["planned", "running", "ended"]),
        ("planned", "idea", ["idea"]),
        ("running", "spread", ["ended", "evaluated", "spread"]),
        ("ended", "running", None),
        ("spread", "evaluated", None),
        ("running", "idea", None),
        ("idea", "party", None),
    ],
)
def test_the_path_follows_the_allowed_moves(source, target, route):
    assert lifecycle.path(source, target) == route


def test_reaching_a_stage_asks_for_what_each_move_on_the_way_asks():
    errors = lifecycle.reach_errors(State(status="idea"), "evaluated")
    assert list(errors) == ["results", "outcome", "lessons"]
    complete = State(status="idea", **COMPLETE)
    assert lifecycle.reach_errors(complete, "evaluated") == {}


def test_a_stage_behind_cannot_be_reached():
    with translation.override("en"):
        errors = lifecycle.reach_errors(State(status="evaluated", **COMPLETE), "running")
    assert list(errors) == ["to"]
    assert "forward only" in errors["to"]


def test_reaching_spread_follows_the_spread_rule():
    state = State(status="idea", **COMPLETE)
    assert set(lifecycle.reach_errors(state, "spread")) == {"to"}
    assert lifecycle.reach_errors(state, "spread", by_coordinator=True) == {}


@pytest.mark.parametrize(
    ("status", "step_status", "flagged"),
    [
        ("evaluated", "planned", True),
        ("spread", "planned", True),
        ("evaluated", "done", False),
        ("evaluated", "dropped", False),
        ("ended", "planned", False),
        ("running", "planned", False),
    ],
)
def test_steps_still_planned_after_the_evaluation_are_flagged(status, step_status, flagged):
    assert lifecycle.is_leftover_step(status, step_status) is flagged


def test_messages_name_the_stages_in_the_language_of_the_request():
    with translation.override("sv"):
        errors = lifecycle.transition_errors(State(status="idea"), "ended")
    assert "”idé”" in errors["to"] and "”avslutad”" in errors["to"]
    assert lifecycle.label("party") == "party"
