"""Which experiment writes stale which cached pages (core/pagecache.py, ADR 0012).

``experiment:<slug>`` is one experiment's page: its own fields and everything listed under it
(steps, indicators and measurements, journal, team, stages, needs, follow-ups, followers,
public reuses). ``LISTING`` is what listings show: the case bank with its search and facets,
the experiment list, the TOP 10 and the decisions of funding calls. ``WITHDRAWN`` is bumped
when an experiment stops being public or is deleted, for the pages that show *other*
experiments (similar experiments, reuses): such a page must never keep naming it.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from digikunta.core import pagecache
from digikunta.core.pagecache import REFERENCE, Change
from digikunta.experiments.models import (
    Attachment,
    Experiment,
    Follow,
    FollowUp,
    Indicator,
    JournalEntry,
    JournalEntryVersion,
    JournalPhoto,
    LifeEvent,
    Measurement,
    Need,
    Step,
    TargetGroup,
    TeamMember,
    Theme,
    Transition,
    Visibility,
)

LISTING = "experiments:list"
WITHDRAWN = "experiments:withdrawn"
# The TOP 10 counts "an indicator with measurements" (casebank.selectors.top_experiments).
RANKING = "experiments:ranking"


def experiment_key(slug: str) -> str:
    return f"experiment:{slug}"


def _key_of_experiment(experiment_id: int | None) -> str:
    if experiment_id is None:
        return ""
    slug = Experiment.objects.filter(pk=experiment_id).values_list("slug", flat=True).first()
    return experiment_key(slug) if slug else ""


def _experiment_keys(experiment: Experiment, change: Change) -> Iterable[str]:
    # Any change can change what listings show or find (the search index holds every text).
    yield experiment_key(experiment.slug)
    yield LISTING
    yield _key_of_experiment(experiment.reused_from_id)  # the original lists its public reuses
    was_public = change.before.get("visibility", Visibility.PUBLIC) == Visibility.PUBLIC
    if change.deleted or (was_public and experiment.visibility != Visibility.PUBLIC):
        yield WITHDRAWN
    if change.deleted or change.changed & {"title", "visibility"}:
        # Its reuses name it as their original.
        reuses = Experiment.objects.filter(reused_from=experiment.pk).values_list("slug", flat=True)
        yield from map(experiment_key, reuses)


def _parent(path: str) -> pagecache.KeysFunction:
    """The keys function of a row shown on its experiment's page, reached through ``path``."""

    def keys(instance: object, change: Change) -> Iterable[str]:
        target: Any = instance
        try:
            for name in path.split("."):
                target = getattr(target, name)
        except ObjectDoesNotExist:  # its experiment is being deleted, which stales it too
            return []
        return [experiment_key(target.slug)] if target is not None else []

    return keys


def _measurement_keys(measurement: Measurement, change: Change) -> Iterable[str]:
    return [*_parent("indicator.experiment")(measurement, change), RANKING]


def _journal_keys(entry: JournalEntry, change: Change) -> Iterable[str]:
    # An entry the moderators hide or restore leaves the search at once, or comes back: the
    # listings that search the experiments' text are stale too (experiments/moderation.py).
    yield from _parent("experiment")(entry, change)
    if change.deleted or (not change.created and "hidden_at" in change.changed):
        yield LISTING


pagecache.register(Experiment, _experiment_keys, fields=("title", "visibility"))
for model, path in (
    (Step, "experiment"),
    (Indicator, "experiment"),
    (Need, "experiment"),
    (Transition, "experiment"),
    (TeamMember, "experiment"),
    (FollowUp, "experiment"),
    (Follow, "experiment"),  # the follower count; a municipality's followers show nowhere
    (JournalEntryVersion, "entry.experiment"),
    (JournalPhoto, "entry.experiment"),
    (Attachment, "entry.experiment"),
):
    pagecache.register(model, _parent(path))
pagecache.register(Measurement, _measurement_keys)
pagecache.register(JournalEntry, _journal_keys, fields=("hidden_at",))
for reference in (Theme, TargetGroup, LifeEvent):
    pagecache.register(reference, lambda instance, change: [REFERENCE])
