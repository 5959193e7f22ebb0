from datetime import date
from decimal import Decimal

from digikunta.experiments.charts import build_chart


def test_chart_places_baseline_below_target_when_the_target_is_higher():
    chart = build_chart(Decimal(10), Decimal(50), [(date(2026, 1, 1), Decimal(20))])
    assert chart.baseline_y > chart.target_y  # SVG y grows downwards
    assert len(chart.points) == 1


def test_measurements_span_the_plot_from_first_to_last_date():
    chart = build_chart(
        Decimal(0), Decimal(100), [(date(2026, 1, 1), Decimal(5)), (date(2026, 3, 1), Decimal(40))]
    )
    assert chart.points[0].x == chart.plot_left
    assert chart.points[-1].x == chart.plot_right
    assert chart.polyline.count(",") == 2


def test_flat_values_do_not_divide_by_zero():
    chart = build_chart(Decimal(5), Decimal(5), [])
    assert chart.plot_top <= chart.baseline_y <= chart.plot_bottom


def test_ticks_are_round_numbers():
    chart = build_chart(Decimal(40), Decimal(120), [(date(2026, 4, 1), Decimal(131))])
    assert [str(value) for _y, value in chart.y_ticks] == ["40", "60", "80", "100", "120", "140"]


def test_the_left_margin_grows_with_the_longest_label_so_phone_sized_labels_fit():
    small = build_chart(Decimal(0), Decimal(40), [])
    measured = [(date(2026, 4, 1), Decimal(12000)), (date(2026, 5, 1), Decimal(14000))]
    large = build_chart(Decimal(0), Decimal(15000), measured)
    assert small.plot_left == 64  # "40": the margin of a wide screen
    assert large.plot_left == 16 + 16 * len("15 000")
    assert large.points[0].x == large.plot_left
