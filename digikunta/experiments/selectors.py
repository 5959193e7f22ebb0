"""Reads of experiments, filtered by who is asking."""

from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django_stubs_ext import StrOrPromise

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.selectors import load_roles, user_platform_roles
from digikunta.core.permissions import can
from digikunta.core.rows import column_field, one_where
from digikunta.experiments import lifecycle
from digikunta.experiments.models import (
    Experiment,
    Follow,
    Indicator,
    Measurement,
    Status,
    Step,
    Theme,
    Visibility,
)
from digikunta.experiments.origins import origins
from digikunta.experiments.recognitions import recognitions
from digikunta.organisations.models import MembershipRole
from digikunta.organisations.rules import organisation_roles


def experiments_visible_to(user: Any) -> QuerySet[Experiment]:
    """Public experiments; members-only ones of the person's organisations; drafts of the
    organisations they administer; and every one on whose team they are."""
    experiments = Experiment.objects.all()
    if not getattr(user, "is_authenticated", False):
        return experiments.filter(visibility=Visibility.PUBLIC)
    if user.is_superuser or PlatformRole.COORDINATOR in user_platform_roles(user):
        return experiments
    # Short id lists, not joins or subqueries: no DISTINCT, and a check per row the database
    # makes without a lookup, so a filtered listing keeps its plan (issue 9). The organisations
    # are the ones the permission rules use in this request (organisation_roles).
    roles = organisation_roles(user)
    return experiments.filter(
        Q(visibility=Visibility.PUBLIC)
        | Q(visibility=Visibility.MEMBERS, owner_id__in=list(roles))
        | Q(owner_id__in=[pk for pk, role in roles.items() if role == MembershipRole.ADMIN])
        | Q(pk__in=team_experiment_ids(user))
    )


def readers(visibility: str, owner_id: int) -> list[str]:
    """Who, besides the experiment's team and the coordinators, sees an experiment that is not
    public: the members of its organisation (``m<id>``) or, for a draft, its administrators
    only (``a<id>``). The search index stores these (casebank/index.py)."""
    if visibility == Visibility.PUBLIC:
        return []
    if visibility == Visibility.MEMBERS:
        return [f"m{owner_id}", f"a{owner_id}"]
    return [f"a{owner_id}"]


def reader_keys(user: Any) -> list[str]:
    """The ``readers`` values that let this person see an experiment: member of each of their
    organisations, administrator of those they administer."""
    keys = []
    for pk, role in organisation_roles(user).items():
        keys.append(f"m{pk}")
        if role == MembershipRole.ADMIN:
            keys.append(f"a{pk}")
    return keys


def team_roles(user: Any) -> dict[int, str]:
    """The person's role in each experiment on whose team they are, by experiment id; read
    once and kept on the user object for the request (visibility, the case bank, rules)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    if getattr(user, "_team_roles", None) is None:
        load_roles(user)  # with the platform roles and memberships, in the same query
    roles: dict[int, str] = user._team_roles
    return roles


def team_experiment_ids(user: Any) -> list[int]:
    """The experiments on whose team the person is."""
    return list(team_roles(user))


def visibility_scope(user: Any, *, viewing: Experiment | None = None) -> str:
    """Equal for two people exactly when experiments_visible_to gives them the same rows: a
    cache of what a person sees (core/fragments.py) varies on it. Kept for the request.

    The team rows it reads also tell the person's role in ``viewing``, which the permission
    rules then need not read again (experiments/rules._team_role)."""
    if not getattr(user, "is_authenticated", False):
        return "public"
    scope = getattr(user, "_visibility_scope", None)
    if scope is None:
        if user.is_superuser or PlatformRole.COORDINATOR in user_platform_roles(user):
            scope = "all"
        else:
            scope = f"o{sorted(organisation_roles(user).items())}t{sorted(team_roles(user))}"
        user._visibility_scope = scope
    if viewing is not None and scope != "all":
        # Attributes, not __dict__: request.user is a lazy object that passes them through.
        roles = getattr(user, "_experiment_roles", None)
        if roles is None:
            roles = user._experiment_roles = {}
        roles.setdefault(viewing.pk, team_roles(user).get(viewing.pk))
    return scope


def get_experiment_for_user_or_404(
    user: Any, slug: str, *, action: str = "view", related: bool = True
) -> Experiment:
    """The experiment if ``user`` may ``action`` it: 404 when they may not see it, 403 otherwise.

    ``related=False`` leaves its owner and original to be read when used: a page that takes
    them from the fragment cache reads one row (issue 9). Whether the person follows it comes
    in the same query (``viewer_follows``)."""
    if related:
        experiments = Experiment.objects.filter(slug=slug).select_related(
            "owner__municipality", "owner__region", "reused_from"
        )
        if getattr(user, "is_authenticated", False):
            follows = Follow.objects.filter(user=user.pk, experiment=OuterRef("pk"))
            experiments = experiments.annotate(viewer_follows=Exists(follows))
        experiment = experiments.first()
    else:
        experiment = _experiment_row(user, slug)
    if experiment is None or not can(user, "view", experiment):
        raise Http404
    if action != "view" and not can(user, action, experiment):
        raise PermissionDenied
    return experiment


def _experiment_row(user: Any, slug: str) -> Experiment | None:
    """The experiment's row alone, with whether the person follows it, in one plain SELECT:
    every signed-in view of an experiment page starts here (issue 9)."""
    extras = []
    if getattr(user, "is_authenticated", False):
        quote = connection.ops.quote_name
        table = quote(Follow._meta.db_table)
        of, by = (quote(column_field(Follow, f).column) for f in ("experiment", "user"))
        follows = f"EXISTS (SELECT 1 FROM {table} f WHERE f.{of} = t.id AND f.{by} = %s)"  # noqa: S608
        extras.append((follows, [user.pk]))
    found = one_where(Experiment, "slug", slug, extras=extras)
    if found is None:
        return None
    experiment, values = found
    if values:
        experiment.viewer_follows = bool(values[0])  # type: ignore[attr-defined]
    return experiment


def viewer_follows(user: Any, experiment: Experiment) -> bool:
    """Whether the person follows the experiment: read with it by
    get_experiment_for_user_or_404, else asked now."""
    known: bool | None = getattr(experiment, "viewer_follows", None)
    if known is not None:
        return known
    return Follow.objects.filter(user=user, experiment=experiment).exists()


def experiment_page_data(experiment: Experiment) -> dict[str, Any]:
    """Everything the experiment page shows, in a fixed number of queries."""
    indicators = list(
        Indicator.objects.filter(experiment=experiment).prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on", "pk"))
        )
    )
    reuses = list(experiment.reuses.public().select_related("owner__municipality", "owner__region"))
    return {
        "municipalities": list(experiment.municipalities.all()),
        "partners": list(experiment.partners.select_related("municipality", "region")),
        "themes": list(experiment.themes.all()),
        "target_groups": list(experiment.target_groups.all()),
        "life_events": list(experiment.life_events.all()),
        "team": list(experiment.team.select_related("user")),
        "steps": list(experiment.steps.all()),
        "indicators": indicators,
        "transitions": list(experiment.transitions.select_related("by")),
        "needs": list(experiment.needs.all()),
        "follow_ups": list(experiment.follow_ups.filter(answered_at__isnull=False)),
        "follower_count": experiment.follows.count(),
        # Ordered here: a query with an aggregate leaves out Meta.ordering.
        "journal": list(
            experiment.journal.select_related("author")
            .prefetch_related("photos", "attachments")
            .annotate(version_count=Count("versions"))
            .order_by("-created_at", "-pk")[:20]
        ),
        "reuses": reuses,
        "recognitions": recognitions(experiment),  # the month's experiment and the like
        "origins": origins(experiment),  # the residents' ideas it takes forward
    }


def is_reused_elsewhere(experiment: Experiment) -> bool:
    """Whether another organisation has reused the experiment on Digikunta, in a reuse that
    is not a draft: what marking it spread needs (lifecycle.py)."""
    return (
        Experiment.objects.filter(reused_from=experiment.pk)
        .exclude(owner=experiment.owner_id)
        .exclude(visibility=Visibility.DRAFT)
        .exists()
    )


def lifecycle_state(experiment: Experiment) -> lifecycle.State:
    """The experiment's state for the lifecycle rules; whether it was reused elsewhere is read
    only when a move to spread is one of its next moves."""
    state = experiment.lifecycle_state
    if lifecycle.SPREAD in lifecycle.allowed_moves(experiment.status):
        state = replace(state, is_reused_elsewhere=is_reused_elsewhere(experiment))
    return state


def leftover_step_counts(experiments: list[Experiment]) -> dict[int, int]:
    """How many steps are still planned in each of ``experiments`` that has been evaluated
    (lifecycle.is_leftover_step, asked in SQL), by id: one query, none when none is evaluated."""
    settled = [e.pk for e in experiments if e.status in lifecycle.SETTLED_STAGES]
    if not settled:
        return {}
    steps = Step.objects.filter(experiment_id__in=settled, status=lifecycle.STEP_PLANNED)
    counts = steps.values("experiment_id").annotate(n=Count("pk")).order_by()
    return dict(counts.values_list("experiment_id", "n"))


def experiments_list(user: Any) -> QuerySet[Experiment]:
    return (
        experiments_visible_to(user)
        .select_related("owner__municipality", "owner__region")
        .annotate(reuse_count=Count("reuses", distinct=True))
    )


# What a list of experiments never shows: their long texts.
LISTING_DEFERS = ("description", "problem", "hypothesis", "goal", "expected_benefit")


@dataclass
class StageGroup:
    """The experiments of one stage on a municipality's or organisation's page."""

    status: str
    label: StrOrPromise
    count: int
    experiments: list[Experiment]


def by_stage(experiments: QuerySet[Experiment], *, per_stage: int = 5) -> list[StageGroup]:
    """``experiments`` by stage in the lifecycle's order: how many each stage has, and its
    ``per_stage`` most recently changed, with their outcomes. Two queries, whatever the
    number of experiments."""
    counts = dict(
        experiments.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    newest = (
        experiments.annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("status"),
                order_by=[F("updated_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=per_stage)
        .select_related("owner__municipality", "owner__region")
        .defer(*LISTING_DEFERS)
        .order_by("status", "rank")
    )
    shown: dict[str, list[Experiment]] = {}
    for experiment in newest:
        shown.setdefault(experiment.status, []).append(experiment)
    return [
        StageGroup(status.value, status.label, counts[status.value], shown.get(status.value, []))
        for status in Status
        if counts.get(status.value)
    ]


def themes_for_coordinators() -> list[Theme]:
    """Every theme, those in use first in their order, with how many experiments have each
    (``experiment_count``): the coordinators' theme page. One query."""
    return list(
        Theme.objects.annotate(experiment_count=Count("experiments")).order_by(
            "is_retired", "position", "name_fi"
        )
    )


def get_theme_or_404(theme_id: int) -> Theme:
    theme = Theme.objects.filter(pk=theme_id).first()
    if theme is None:
        raise Http404
    return theme
