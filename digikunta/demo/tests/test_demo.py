"""`digikunta demo` (issue 10, item 13): demo data that feels real, loaded twice without
harm, and a terminal that shows the logins and nothing else."""

import io
import os
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from digikunta.experiments.models import Experiment, JournalEntry, Measurement, Transition
from digikunta.funding.models import Application, ApplicationStatus, Call, Decision
from digikunta.home.models import ExperimentOfTheMonth
from digikunta.organisations.models import Membership
from digikunta.participation.models import Idea, Process, Support

pytestmark = pytest.mark.django_db

STAGES = {"idea", "planned", "running", "ended", "evaluated", "spread"}


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    return {
        "experiments": Experiment.objects.count(),
        "transitions": Transition.objects.count(),
        "journal": JournalEntry.objects.count(),
        "measurements": Measurement.objects.count(),
        "calls": Call.objects.count(),
        "applications": Application.objects.count(),
        "decisions": Decision.objects.count(),
        "months": ExperimentOfTheMonth.objects.count(),
        "processes": Process.objects.count(),
        "ideas": Idea.objects.count(),
        "supports": Support.objects.count(),
    }


def test_the_demo_is_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        demo()
    assert not Experiment.objects.exists()


def test_the_demo_fills_an_empty_database_like_a_real_programme_and_loads_again(settings):
    """One test, since loading the demo takes seconds."""
    settings.DEBUG = True
    printed = demo()
    first = snapshot()

    # The logins, where the other logins are, how to get a 2FA code: no e-mail text.
    lines = printed.splitlines()
    assert lines[0] == "Demo logins (password for all: Digikunta-demo-2026):"
    logins = [line.split()[0] for line in lines if "@demo.digikunta.fi" in line.split()[0]]
    assert "koordinaattori@demo.digikunta.fi" in logins and len(logins) == 10
    assert len(lines) == 13 and not any("Subject:" in line for line in lines)

    assert demo() == printed  # idempotent, and says the same
    assert snapshot() == first

    published = Experiment.objects.public()
    assert 38 <= published.count() <= 45
    assert published.values("owner").distinct().count() >= 20
    assert set(published.values_list("status", flat=True)) == STAGES
    assert set(published.values_list("language", flat=True)) == {"fi", "sv"}
    populations = published.values_list("owner__municipality__population", flat=True)
    assert min(populations) < 3000 and max(populations) > 500_000  # every size
    outcomes = set(published.exclude(outcome="").values_list("outcome", flat=True))
    assert {"succeeded", "did_not_succeed", "stopped_early", "partly"} <= outcomes
    assert Experiment.objects.exclude(visibility="public").exists()  # drafts stay drafts
    assert published.filter(journal__isnull=False).distinct().count() >= 15
    assert published.filter(indicators__measurements__isnull=False).distinct().count() >= 20
    # Dates spread over months, not all "now".
    created = set(published.values_list("created_at__date", flat=True))
    assert len(created) >= 20

    reuses = published.filter(reused_from__isnull=False).select_related("reused_from")
    assert reuses.count() >= 6
    assert all(copy.owner_id != copy.reused_from.owner_id for copy in reuses)

    # Every stage move is made by someone of the owner municipality.
    members = set(Membership.objects.values_list("organisation_id", "user_id"))
    moves = Transition.objects.filter(experiment__in=published).select_related("experiment")
    assert all((t.experiment.owner_id, t.by_id) in members for t in moves)

    funded = Call.objects.get(slug="kuntakokeilut-kevat")
    assert funded.state == "closed"
    decided = dict(
        funded.applications.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    assert decided == {ApplicationStatus.APPROVED: 3, ApplicationStatus.REJECTED: 2}
    assert all(
        a.assignments.filter(submitted_at__isnull=False).count() == 2
        for a in funded.applications.all()
    )
    assert funded.applications.filter(reports__kind="final").exists()
    fast = Call.objects.get(slug="digikokeilujen-pikakaista")
    assert fast.is_open and fast.applications.get().status == ApplicationStatus.SUBMITTED

    assert ExperimentOfTheMonth.objects.count() == 4

    # Residents take part: ideas in both languages, some answered by named offices, some still
    # waiting, one taken forward by an experiment; a summer resident among them.
    budget = Process.objects.get(slug="mita-tekisit-10-000-eurolla")
    ideas = budget.ideas.all()
    assert set(ideas.values_list("language", flat=True)) == {"fi", "sv"}
    assert ideas.filter(answer__isnull=False).count() == 3
    assert ideas.filter(answer__isnull=True).count() == 3
    assert ideas.filter(experiment__isnull=False).count() == 1
    assert budget.declarations.filter(basis="summer_resident").exists()
    assert all(i.support_count == i.supports.count() for i in ideas)


def test_the_demo_lists_every_login_and_gives_a_two_factor_code(settings):
    settings.DEBUG = True
    every = demo("logins")
    assert "sanna.virtanen@demo.digikunta.fi" in every and "aslak.valle@demo.digikunta.fi" in every
    assert len(re.findall(r"@demo\.digikunta\.fi", every)) == 10 + 18  # Kuopio and Vaasa: personas
    assert re.fullmatch(r"\d{6}\n", demo("code", "koordinaattori@demo.digikunta.fi"))
    with pytest.raises(CommandError):
        demo("code", "someone@example.fi")


def test_in_development_e_mail_goes_to_files_not_the_terminal(tmp_path):
    env = {**os.environ, "DEBUG": "1", "DIGIKUNTA_VAR_DIR": str(tmp_path)}
    env.pop("EMAIL_BACKEND", None)
    code = "from digikunta.settings import base; print(base.EMAIL_BACKEND, base.EMAIL_FILE_PATH)"
    shown = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert shown == ["django.core.mail.backends.filebased.EmailBackend", str(tmp_path / "mail")]
