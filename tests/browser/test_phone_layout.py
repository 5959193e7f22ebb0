"""On a phone (390 px) the header stays at most 80 px high in Finnish and Swedish, and chart
labels are at least 12 px, as on a wide screen (issue 10, item 9)."""

from datetime import date
from decimal import Decimal

import pytest

from digikunta.accounts.tests.factories import UserFactory
from digikunta.experiments.models import Measurement
from digikunta.experiments.tests.factories import ExperimentFactory, IndicatorFactory
from digikunta.funding.tests.factories import CallFactory
from tests.browser.conftest import log_in

# Each label's size on screen: its font size in SVG units times the SVG's scale.
LABEL_SIZES = """() => Array.from(document.querySelectorAll('.chart__svg text')).map(text => {
    const svg = text.ownerSVGElement.getBoundingClientRect();
    const box = text.getBoundingClientRect();
    return {
        px: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
        inside: box.left >= svg.left - 0.5 && box.right <= svg.right + 0.5
            && box.top >= svg.top - 0.5 && box.bottom <= svg.bottom + 0.5,
        text: text.textContent,
    };
})"""


@pytest.mark.parametrize("width", [320, 390, 600, 1280])
def test_chart_labels_are_at_least_12_px_and_inside_the_chart(browser, live_server, axe, width):
    experiment = ExperimentFactory(title="Kirjaston ryhmätilat")
    indicator = IndicatorFactory(
        experiment=experiment, name="Varaukset", unit="kpl", baseline=10, target=12500
    )
    for day, value in ((date(2026, 9, 30), "180"), (date(2026, 12, 31), "10250.5")):
        Measurement.objects.create(indicator=indicator, measured_on=day, value=Decimal(value))
    context = browser.new_context(
        base_url=live_server.url, locale="fi-FI", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.goto(experiment.get_absolute_url())
    labels = page.evaluate(LABEL_SIZES)
    assert len(labels) >= 4  # the y axis and two dates
    for label in labels:
        assert label["px"] >= 12, label
        assert label["inside"], label
    if width == 390:
        axe(page)
    context.close()


def test_the_header_is_one_row_of_at_most_80_px_on_a_phone_in_finnish_and_swedish(
    browser, live_server, axe
):
    person = UserFactory(email="puhelin@example.fi")
    call = CallFactory()
    experiment = ExperimentFactory()
    context = browser.new_context(
        base_url=live_server.url, locale="fi-FI", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    pages = [
        "/",
        "/casebank/",
        "/municipalities/",
        experiment.get_absolute_url()[3:],
        call.get_absolute_url()[3:],
    ]
    for signed_in in (False, True):
        if signed_in:
            log_in(page, person.email)
            pages.append("/mine/")
        for language in ("fi", "sv"):
            for path in pages:
                page.goto(f"/{language}{path}")
                height = page.locator(".site-header").bounding_box()["height"]
                assert height <= 80, (language, path, signed_in, height)
        axe(page)
    context.close()
