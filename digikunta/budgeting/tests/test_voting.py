"""The ballot's rules and the funded line, as pure functions (no database)."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from digikunta.budgeting import receipts, voting


@dataclass
class P:
    pk: int
    estimated_cost: Decimal
    position: int = 0


def projects(*costs: int) -> list[P]:
    return [P(pk=n + 1, estimated_cost=Decimal(cost), position=n) for n, cost in enumerate(costs)]


@pytest.mark.parametrize(
    "raw",
    [["-1"], ["0"], [str(2**63)], [str(2**70)], ["abc"], ["1.5"], [True], [""]],
)
def test_ids_outside_a_64_bit_positive_range_or_not_whole_are_refused(raw):
    with pytest.raises(ValidationError) as error:
        voting.clean_ids(raw)
    assert error.value.code == "invalid_id"


def test_a_duplicate_id_is_refused_and_the_rest_come_sorted():
    assert voting.clean_ids(["3", 1, " 2 "]) == [1, 2, 3]
    with pytest.raises(ValidationError) as error:
        voting.clean_ids(["3", "3"])
    assert error.value.code == "duplicate"


def test_a_very_long_list_is_refused_before_it_is_read():
    with pytest.raises(ValidationError):
        voting.clean_ids(range(1, voting.MAX_CHOICES + 2))


def test_choices_over_the_budget_are_refused_with_the_figures():
    on_ballot = {p.pk: p for p in projects(12000, 9000)}
    with translation.override("en"), pytest.raises(ValidationError) as error:
        voting.chosen_projects([1, 2], on_ballot, Decimal("20000"))
    assert error.value.code == "over_budget"
    assert "21,000" in error.value.messages[0] and "1,000" in error.value.messages[0]


def test_choices_exactly_at_the_budget_are_fine_and_nothing_remains():
    on_ballot = {p.pk: p for p in projects(12000, 8000)}
    chosen, tally = voting.chosen_projects([1, 2], on_ballot, Decimal("20000"))
    assert len(chosen) == 2 and tally.remaining == 0 and not tally.is_over


def test_a_project_not_on_the_ballot_and_an_empty_ballot_are_refused():
    on_ballot = {p.pk: p for p in projects(1000)}
    with pytest.raises(ValidationError) as error:
        voting.chosen_projects([1, 99], on_ballot, Decimal("20000"))
    assert error.value.code == "not_on_ballot"
    with pytest.raises(ValidationError) as error:
        voting.chosen_projects([], on_ballot, Decimal("20000"))
    assert error.value.code == "empty"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "You chose 3 projects for 18,500 €; 1,500 € remains."),
        ("fi", "Valitsit 3 hanketta, yhteensä 18\xa0500 €; jäljellä on 1\xa0500 €."),
        ("sv", "Du valde 3 projekt för 18\xa0500 €; 1\xa0500 € återstår."),
    ],
)
def test_the_summary_says_what_was_chosen_and_what_remains(language, expected):
    tally = voting.tally(projects(8000, 6000, 4500), Decimal("20000"))
    with translation.override(language):
        assert tally.summary() == expected


def test_the_votes_fund_in_rank_order_and_skip_a_project_that_no_longer_fits():
    # Budget 20,000: A (12,000, 50 votes) fits, B (10,000, 40) does not, C (8,000, 30) does.
    a, b, c, d = projects(12000, 10000, 8000, 1000)
    outcomes = voting.fund([a, b, c, d], {a.pk: 50, b.pk: 40, c.pk: 30}, Decimal("20000"))
    assert [(o.project_id, o.is_funded) for o in outcomes] == [
        (a.pk, True),
        (b.pk, False),
        (c.pk, True),
        (d.pk, False),  # no votes: never funded, though 0 € would remain anyway
    ]
    assert [o.is_below_line_start for o in outcomes] == [False, True, False, False]
    assert outcomes[1].remaining_after == Decimal("8000")
    assert outcomes[2].is_below_line and outcomes[2].remaining_after == 0


def test_equal_votes_rank_the_cheaper_project_first():
    a, b = projects(9000, 3000)
    outcomes = voting.fund([a, b], {a.pk: 10, b.pk: 10}, Decimal("10000"))
    assert [o.project_id for o in outcomes] == [b.pk, a.pk]
    assert [o.rank for o in outcomes] == [1, 2]


def test_a_receipt_code_reads_the_same_however_it_is_typed():
    code = receipts.new_code()
    assert len(code) == 14 and code.count("-") == 2
    sloppy = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert receipts.digest(sloppy) == receipts.digest(code)
    assert receipts.normalise("K7QM-2XRB-9TF") is None  # one short
    assert receipts.normalise("K7QM-2XRB-9TFU") is None  # U is not in the alphabet
    assert receipts.digest("<script>") == ""
