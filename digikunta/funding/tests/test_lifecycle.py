"""The application lifecycle's pure rules (funding/lifecycle.py): no database needed."""

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from digikunta.funding import lifecycle as lc

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Europe/Helsinki"))


def a_call(**fields):
    values = {
        "published": True,
        "opens_at": NOW - timedelta(days=1),
        "closes_at": NOW + timedelta(days=13),
        "fast_track": False,
        "max_per_application": Decimal("10000"),
        "own_contribution_percent": 20,
        "eligible_kinds": [],
        "reviewers_per_application": 2,
        "appeal_instructions": "Oikaisuvaatimus 14 päivässä.",
    }
    return SimpleNamespace(**{**values, **fields})


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("status", "to", "allowed"),
    [
        (lc.DRAFT, lc.SUBMITTED, True),
        (lc.RETURNED, lc.SUBMITTED, True),
        (lc.SUBMITTED, lc.SUBMITTED, False),
        (lc.IN_REVIEW, lc.APPROVED, True),
        (lc.DRAFT, lc.APPROVED, False),
        (lc.APPROVED, lc.WITHDRAWN, False),
        (lc.REJECTED, lc.SUBMITTED, False),
        (lc.RETURNED, lc.WITHDRAWN, True),
        (lc.WITHDRAWN, lc.SUBMITTED, False),
    ],
)
def test_the_allowed_moves(status, to, allowed):
    assert (lc.move_problem(status, to) is None) is allowed


def test_every_state_has_its_moves_and_a_label():
    assert set(lc.ALLOWED) == set(lc.LABELS)
    assert all(moves <= set(lc.ALLOWED) for moves in lc.ALLOWED.values())
    assert all(not lc.ALLOWED[state] for state in lc.FINAL)


def test_a_refused_move_says_why():
    assert (
        lc.move_problem(lc.APPROVED, lc.WITHDRAWN) == "A decided application cannot be withdrawn."
    )
    assert lc.move_problem(lc.DRAFT, lc.REJECTED) == "Only a submitted application can be decided."


def test_a_draft_or_closed_call_takes_no_applications():
    assert lc.opening_problem(a_call(), NOW) is None
    assert lc.opening_problem(a_call(published=False), NOW)
    assert lc.opening_problem(a_call(), NOW + timedelta(days=14))


def test_submission_lists_everything_to_fix():
    problems = lc.submission_problems(
        a_call(fast_track=True),
        summary="x" * (lc.FAST_TRACK_SUMMARY_CHARS + 1),
        money=lc.Money(total=Decimal("20000"), own=Decimal("1000")),
        has_budget=True,
        unanswered=[("Mitä opitte?", False), ("Liite", True)],
        now=NOW,
    )
    text = "\n".join(problems)
    assert "fits on one page" in text
    assert "over the call's maximum" in text  # asks 19 000 € of at most 10 000 €
    assert "at least 20 % of the total costs, 4000.00 €" in text
    assert "Answer: “Mitä opitte?”." in text and "Attach: “Liite”." in text


def test_a_complete_application_at_the_limits_may_go():
    assert (
        lc.submission_problems(
            a_call(fast_track=True),
            summary="x" * lc.FAST_TRACK_SUMMARY_CHARS,
            money=lc.Money(total=Decimal("12500"), own=Decimal("2500")),
            has_budget=True,
            unanswered=[],
            now=NOW,
        )
        == []
    )


def test_eligibility_by_kind_and_region():
    region = SimpleNamespace(code="11", __str__=lambda self: "Pirkanmaa")
    call = a_call(eligible_kinds=["municipality"])
    kinds = {"municipality": "municipality", "company": "company"}
    assert (
        lc.eligibility_problems(
            call, kind="municipality", region="11", kind_labels=kinds, eligible_regions=[region]
        )
        == []
    )
    problems = lc.eligibility_problems(
        call, kind="company", region="01", kind_labels=kinds, eligible_regions=[region]
    )
    assert len(problems) == 2


def test_a_decision_needs_the_reviews_and_appeal_instructions_but_a_return_does_not():
    call = a_call(appeal_instructions="")
    problems = lc.decision_problems(call, status=lc.IN_REVIEW, outcome=lc.APPROVED, reviews_done=1)
    assert len(problems) == 2
    assert (
        lc.decision_problems(call, status=lc.IN_REVIEW, outcome=lc.RETURNED, reviews_done=0) == []
    )
    assert lc.decision_problems(call, status=lc.DRAFT, outcome=lc.RETURNED, reviews_done=0)
    assert lc.decision_problems(call, status=lc.IN_REVIEW, outcome="maybe", reviews_done=2)


@pytest.mark.parametrize(
    ("granted", "expected"),
    [
        (None, "Give the granted amount"),
        (Decimal("10001"), "at most 10000"),
        (Decimal("9000"), "asked for 8000"),
        (Decimal("8000"), "Only 7000"),
    ],
)
def test_grant_checks(granted, expected):
    problem = lc.grant_problem(
        a_call(), granted=granted, requested=Decimal("8000"), budget_left=Decimal("7000")
    )
    assert expected in problem
    assert (
        lc.grant_problem(
            a_call(),
            granted=Decimal("7000"),
            requested=Decimal("8000"),
            budget_left=Decimal("7000"),
        )
        is None
    )


def test_instalments_must_make_up_the_grant():
    triggers = ["approval", "final_report"]
    ok = [(Decimal("4000"), "approval"), (Decimal("2000"), "final_report")]
    assert lc.instalment_problem(ok, granted=Decimal("6000"), triggers=triggers) is None
    assert lc.instalment_problem(ok, granted=Decimal("7000"), triggers=triggers)
    bad = [(Decimal("6000"), "someday")]
    assert lc.instalment_problem(bad, granted=Decimal("6000"), triggers=triggers)
