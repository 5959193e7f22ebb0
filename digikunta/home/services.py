"""Writes of the home app: choosing the month's experiment."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digikunta.accounts.models import User
from digikunta.experiments.models import Experiment, Visibility
from digikunta.home.models import ExperimentOfTheMonth


def experiment_of_the_month_choose(
    *,
    experiment: Experiment,
    month: date,
    citation_fi: str,
    citation_sv: str,
    citation_en: str = "",
    by: User,
) -> ExperimentOfTheMonth:
    """Make ``experiment`` the experiment of ``month`` (any day of it), with the citation.

    Choosing again for a month replaces that month's choice, so a coordinator can mend a
    citation. Only a public experiment can be honoured. The caller checks that ``by`` may
    (the permission ``choose``, coordinators only: home/rules.py).
    """
    if experiment.visibility != Visibility.PUBLIC:
        raise ValidationError(
            {"experiment": _("Only a public experiment can be the experiment of the month.")}
        )
    with transaction.atomic():
        honour = (
            ExperimentOfTheMonth.objects.select_for_update()
            .filter(month=month.replace(day=1))
            .first()
        ) or ExperimentOfTheMonth(month=month.replace(day=1))
        honour.experiment = experiment
        honour.citation_fi = citation_fi.strip()
        honour.citation_sv = citation_sv.strip()
        honour.citation_en = citation_en.strip()
        honour.chosen_by = by
        honour.chosen_at = timezone.now()
        honour.full_clean()
        honour.save()
    return honour
