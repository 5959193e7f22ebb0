"""Every page of an experiment's lead passes axe-core, in Finnish and Swedish."""

import pytest

from digikunta.accounts.tests.factories import UserFactory
from digikunta.experiments import services
from digikunta.organisations.models import Membership, Organisation
from tests.browser.conftest import log_in


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_page_of_a_lead_passes_axe_core(page, visit, lang):
    lead = UserFactory(email="vetaja@example.fi")
    kuopio = Organisation.objects.get(municipality_id="297")
    Membership.objects.create(organisation=kuopio, user=lead)
    experiment = services.experiment_create(
        by=lead,
        owner=kuopio,
        title="Koulukyydit sovelluksella",
        summary="Reitit ja sijainti.",
        visibility="public",  # another organisation reuses it below: drafts are in test_experiments
    )
    step = services.step_save(experiment=experiment, title="Yksi reitti")
    services.indicator_save(
        experiment=experiment, name="Odotusaika", unit="min", baseline=12, target=5
    )
    entry = services.journal_entry_create(experiment=experiment, by=lead, body="Alku.")
    services.journal_entry_update(entry=entry, by=lead, body="Alku, korjattu.")
    for stage in ("planned", "running"):
        services.experiment_transition(experiment=experiment, to=stage, by=lead)
    services.experiment_transition(
        experiment=experiment, to="ended", by=lead, results="Odotus lyheni.", outcome="partly"
    )
    follow_up = experiment.follow_ups.get(months=6)
    log_in(page, lead.email, lang=lang)
    base = f"/{lang}/experiments/{experiment.slug}"
    for path in [
        f"{base}/",
        f"{base}/edit/",
        f"{base}/steps/{step.pk}/edit/",
        f"{base}/team/",
        f"{base}/journal/{entry.pk}/edit/",
        f"{base}/journal/{entry.pk}/history/",
        f"{base}/follow-up/{follow_up.pk}/",
        f"{base}/reuse/",
        f"/{lang}/experiments/new/",
    ]:
        visit(path)
