"""The draw's rules as pure functions (draw.py): no database, the published inputs only."""

import hashlib
import random
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from digikunta.panels import draw
from digikunta.panels.draw import Volunteer

DRAW_PY = Path(draw.__file__)
SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "panel_verify.py"


def volunteers(sizes: dict[str, int], rng: random.Random | None = None) -> list[Volunteer]:
    """``sizes[stratum]`` volunteers in each stratum, with distinct codes."""
    rng = rng or random.Random(11)
    codes = rng.sample(range(32**4), sum(sizes.values()))
    people = []
    for stratum, size in sizes.items():
        for _ in range(size):
            people.append(Volunteer(code=f"V-{codes.pop():06d}", stratum=stratum))
    return people


SIZES = {"15-24|297": 7, "25-44|297": 12, "45-64|297": 15, "65+|297": 9, "65+|749": 3}


def test_the_same_seed_and_list_draw_the_same_panel_whatever_order_the_list_comes_in():
    people = volunteers(SIZES)
    shuffled = people[:]
    random.Random(3).shuffle(shuffled)
    first = draw.draw("3f9c2a", people, 10)
    again = draw.draw("3f9c2a", shuffled, 10)
    assert first == again
    assert len(first.members) == 10


def test_another_seed_draws_another_panel():
    people = volunteers(SIZES)
    assert draw.draw("seed-a", people, 10).members != draw.draw("seed-b", people, 10).members


def test_within_a_stratum_the_order_is_that_of_the_sha_256_lot_numbers():
    people = volunteers({"": 6})
    drawn = draw.draw("Lotto 14.6.: 3 8 14 22 27 31 36", people, 2)

    def digest(code: str) -> str:
        return hashlib.sha256(f"Lotto 14.6.: 3 8 14 22 27 31 36:{code}".encode()).hexdigest()

    expected = sorted((p.code for p in people), key=digest)
    assert list(drawn.strata[0].order) == expected
    assert drawn.members == expected[:2]
    assert list(drawn.strata[0].reserve) == expected[2:]


def test_leftover_seats_go_to_the_largest_remainders():
    # Exact shares of 4 seats: 2.0, 1.2 and 0.8; the one seat left goes to the 0.8.
    assert draw.quotas({"a": 5, "b": 3, "c": 2}, 4, "seed") == {"a": 2, "b": 1, "c": 1}


def test_equal_remainders_are_settled_by_the_strata_s_lot_numbers():
    seeds = [f"seed-{n}" for n in range(20)]
    winners = set()
    for seed in seeds:
        quota = draw.quotas({"a": 1, "b": 1}, 1, seed)
        winner = min("ab", key=lambda key: draw.lot(seed, key))
        assert quota[winner] == 1 and sum(quota.values()) == 1
        winners.add(winner)
    assert winners == {"a", "b"}  # the lot decides, not the name


def test_quotas_sum_to_the_seats_and_stay_within_one_of_each_exact_share():
    rng = random.Random(20240611)
    for _ in range(500):
        sizes = {f"s{n}": rng.randint(1, 40) for n in range(rng.randint(1, 12))}
        total = sum(sizes.values())
        seats = rng.randint(1, total + 5)
        quota = draw.quotas(sizes, seats, f"seed{rng.random()}")
        if seats >= total:
            assert quota == sizes
            continue
        assert sum(quota.values()) == seats
        for key, size in sizes.items():
            exact = Fraction(seats * size, total)
            assert exact - 1 < quota[key] < exact + 1
            assert quota[key] <= size
        # A stratum with more volunteers never gets fewer seats; equal ones differ by one.
        ordered = sorted(sizes, key=sizes.get)
        for smaller, larger in zip(ordered, ordered[1:], strict=False):
            if sizes[smaller] < sizes[larger]:
                assert quota[smaller] <= quota[larger]
            else:
                assert abs(quota[smaller] - quota[larger]) <= 1


def test_with_no_more_volunteers_than_seats_everyone_is_drawn():
    people = volunteers({"a": 2, "b": 3})
    drawn = draw.draw("seed", people, 8)
    assert sorted(drawn.members) == sorted(p.code for p in people)


def test_a_decline_draws_the_next_on_the_reserve_list_of_the_same_stratum():
    drawn = draw.draw("seed", volunteers(SIZES), 10)
    stratum = next(s for s in drawn.strata if s.key == "45-64|297")
    seating = draw.replay(drawn, [stratum.members[0]])
    (replacement,) = seating.replacements
    assert replacement.drawn == stratum.reserve[0]
    assert replacement.same_stratum
    # A second decline in the stratum (the replacement's own, too) takes the next one down.
    seating = draw.replay(drawn, [stratum.members[0], stratum.reserve[0]])
    assert seating.replacements[1].drawn == stratum.reserve[1]
    assert len(seating.seated) == 10


def test_when_a_stratum_runs_out_the_seat_goes_to_the_stratum_furthest_below_its_share():
    # 6 seats of 20: exact shares 0.3 (x, 1 person), 2.7 (y, 9) and 3.0 (z, 10); quotas 0, 3, 3.
    people = volunteers({"x": 1, "y": 9, "z": 10})
    drawn = draw.draw("seed", people, 6)
    assert [s.quota for s in drawn.strata] == [0, 3, 3]
    y = drawn.strata[1]
    # Everyone of y declines in turn until its reserve is gone: six replacements from y ...
    seating = draw.replay(drawn, [*y.members, *y.reserve[:3]])
    assert all(r.same_stratum for r in seating.replacements)
    # ... then y's list is used up. Its next three seats move: first to x, 0.3 below its share
    # (z is exactly at its 3.0), then to z, the only stratum with a reserve left.
    seating = draw.replay(drawn, [*y.members, *y.reserve])
    assert [r.drawn_stratum for r in seating.replacements[-3:]] == ["x", "z", "z"]
    assert seating.replacements[-3].drawn == drawn.strata[0].order[0]
    assert len(seating.seated) == 6


def test_the_shortfall_of_a_used_up_stratum_goes_by_the_largest_shortfall_then_empties():
    people = volunteers({"x": 1, "y": 1, "z": 4})
    drawn = draw.draw("seed", people, 3)
    # Shares of 3 seats: 0.5, 0.5 and 2; quotas 2 for z and one for x or y by their lot.
    z = next(s for s in drawn.strata if s.key == "z")
    lone = next(s for s in drawn.strata if s.key in "xy" and s.quota == 1)
    other = next(s for s in drawn.strata if s.key in "xy" and s.quota == 0)
    seating = draw.replay(drawn, [lone.members[0]])
    # The lone stratum has no reserve; the other one is 0.5 below its share, z exactly at it.
    assert seating.replacements[0].drawn == other.order[0]
    assert seating.replacements[0].drawn_stratum == other.key
    seating = draw.replay(drawn, [lone.members[0], other.order[0]])
    assert seating.replacements[1].drawn_stratum == "z"
    assert seating.replacements[1].drawn == z.reserve[0]
    everyone_left = [lone.members[0], other.order[0], *z.members, z.reserve[0], z.reserve[1]]
    seating = draw.replay(drawn, everyone_left)
    assert seating.replacements[-1].drawn is None  # nobody left anywhere: the seat stays empty
    assert seating.seated == []


def test_only_someone_holding_a_seat_can_leave_it():
    drawn = draw.draw("seed", volunteers(SIZES), 10)
    reserve = drawn.strata[0].reserve[0]
    with pytest.raises(ValueError, match="does not hold a seat"):
        draw.replay(drawn, [reserve])
    member = drawn.members[0]
    with pytest.raises(ValueError):
        draw.replay(drawn, [member, member])


def test_a_code_twice_in_the_list_is_refused():
    with pytest.raises(ValueError, match="twice"):
        draw.draw("seed", [Volunteer("V-AAAA", "a"), Volunteer("V-AAAA", "b")], 1)


def test_the_published_csv_is_read_with_its_byte_order_mark_and_columns_as_the_stratum():
    lines = ["\ufeffcode,age_band,area\r\n".removeprefix("\ufeff"), "V-2345,15-24,297\r\n"]
    assert draw.read_volunteers(lines) == [Volunteer("V-2345", "15-24|297")]
    with pytest.raises(ValueError, match="first column"):
        draw.read_volunteers(["name,area\n"])


@pytest.mark.parametrize("program", [DRAW_PY, SCRIPT])
def test_the_script_runs_with_the_standard_library_alone(tmp_path, program):
    people = volunteers({"15-24|fi": 4, "25-44|sv": 5})
    csv_file = tmp_path / "volunteers.csv"
    rows = [f"{p.code},{p.stratum.replace('|', ',')}" for p in sorted(people, key=lambda p: p.code)]
    csv_file.write_text("\ufeffcode,age_band,language\n" + "\n".join(rows) + "\n", "utf-8")
    drawn = draw.draw("abc", people, 3)
    out = subprocess.run(
        [sys.executable, "-I", "-S", str(program), "--seed", "abc", "--seats", "3"]
        + ["--volunteers", str(csv_file), "--left", drawn.members[0]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seating = draw.replay(drawn, [drawn.members[0]])
    assert out == draw.report(seating)
    assert f"{drawn.members[0]} left; {seating.replacements[0].drawn} drawn" in out


def test_the_script_says_what_is_wrong_with_its_input(tmp_path):
    csv_file = tmp_path / "volunteers.csv"
    csv_file.write_text("name\nx\n")
    result = subprocess.run(
        [sys.executable, str(DRAW_PY), "--seed", "a", "--seats", "3"]
        + ["--volunteers", str(csv_file)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "first column must be 'code'" in result.stderr
