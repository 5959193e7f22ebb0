"""Reads of the case bank: faceted, searchable listing and the TOP 10."""

from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from digikunta.accounts.models import PlatformRole
from digikunta.accounts.selectors import user_platform_roles
from digikunta.casebank import index
from digikunta.core.fragments import shared_html
from digikunta.core.pagecache import REFERENCE
from digikunta.core.rows import rows_by_id
from digikunta.experiments.models import Experiment, Measurement, Need, Status, Visibility
from digikunta.experiments.pages import LISTING
from digikunta.experiments.selectors import (
    LISTING_DEFERS,
    experiments_visible_to,
    reader_keys,
    readers,
    team_experiment_ids,
)
from digikunta.search import engine
from digikunta.search.analysis import parse_query
from digikunta.search.selectors import search

# Text the listing never shows: left in the database.
# What a listing reads of each row before its stored parts (EngineListing.complete): the
# parts' keys and the visibility check.
_LIGHT = ("id", "updated_at", "visibility", "owner_id")


def _with(relation: str, **lookups: Any) -> Q:
    """Experiments having a related row that matches; a subquery keeps the rows distinct.

    ``pk IN (subquery)``, not EXISTS: the database can start from the few experiments of a
    theme or region instead of walking every experiment in date order (issue 9)."""
    through = Experiment._meta.get_field(relation).remote_field.through
    return Q(pk__in=through.objects.filter(**lookups).values("experiment_id"))


def casebank_experiments(user: Any, filters: dict[str, Any]) -> QuerySet[Experiment]:
    """Experiments the person may see, filtered by the facets; ranked by relevance when searched."""
    experiments = experiments_visible_to(user)
    if filters.get("municipality"):
        experiments = experiments.filter(
            _with("municipalities", municipality=filters["municipality"])
        )
    if filters.get("region"):
        experiments = experiments.filter(
            _with("municipalities", municipality__region=filters["region"])
        )
    if filters.get("theme"):
        # A Theme, or its identifier (the API's): one nobody has matches no experiment.
        theme = filters["theme"]
        by = {"theme__slug": theme} if isinstance(theme, str) else {"theme": theme}
        experiments = experiments.filter(_with("themes", **by))
    if filters.get("status"):
        experiments = experiments.filter(status=filters["status"])
    if filters.get("outcome"):
        experiments = experiments.filter(outcome=filters["outcome"])
    if filters.get("target_group"):
        experiments = experiments.filter(
            _with("target_groups", targetgroup=filters["target_group"])
        )
    if filters.get("year"):
        year = filters["year"]
        experiments = experiments.filter(
            Q(starts_on__year=year) | Q(starts_on__isnull=True, created_at__year=year)
        )
    if filters.get("need"):
        experiments = experiments.filter(
            Exists(Need.objects.filter(experiment=OuterRef("pk"), kind=filters["need"]))
        )
    if filters.get("q"):
        # Owners come in a second query for the shown page only: joined, PostgreSQL would
        # join them to every match before sorting by rank (thousands for a common word).
        experiments = search(experiments, filters["q"]).prefetch_related(
            "owner__municipality", "owner__region"
        )
    else:
        experiments = experiments.order_by("-updated_at", "-pk").select_related(
            "owner__municipality", "owner__region"
        )
    return experiments.defer(*LISTING_DEFERS)


def facet_counts(experiments: QuerySet[Experiment]) -> dict[str, dict[str, int]]:
    """How many of the listed experiments fall under each stage and outcome, in one query."""
    rows = experiments.order_by().values_list("status", "outcome").annotate(n=Count("pk"))
    counts: dict[str, dict[str, int]] = {"status": {}, "outcome": {}}
    for status, outcome, n in rows:
        counts["status"][status] = counts["status"].get(status, 0) + n
        if outcome:
            counts["outcome"][outcome] = counts["outcome"].get(outcome, 0) + n
    return counts


_NOT_PUBLIC = [v for v in Visibility.values if v != Visibility.PUBLIC]
_PRIVATE_IDS = 500


def _filters_key(filters: dict[str, Any]) -> tuple:
    return tuple(
        sorted((name, str(getattr(value, "pk", value))) for name, value in filters.items() if value)
    )


def casebank_facets(user: Any, filters: dict[str, Any]) -> dict[str, dict[str, int]]:
    """facet_counts of casebank_experiments(user, filters), without recounting every match.

    The public experiments' counts are shared by every viewer and kept per filter combination
    in the fragment cache under the listings' key (ADR 0012, 0013): no query at all until an
    experiment changes. Only the members-only experiments the person may see are counted on
    each request (issue 9).
    """
    public = shared_html(
        "casebank:facets",
        [LISTING, REFERENCE],
        lambda: facet_counts(casebank_experiments(None, filters)),
        vary=_filters_key(filters),
    )
    if not getattr(user, "is_authenticated", False):
        return public
    # Members-only experiments the person may see, from the visibility index; most people have
    # none or a few, and a short id list keeps the database from walking every search match.
    hidden = experiments_visible_to(user).filter(visibility__in=_NOT_PUBLIC).values("pk")
    ids = list(hidden[: _PRIVATE_IDS + 1].values_list("pk", flat=True))
    if not ids:
        return public
    matching = casebank_experiments(user, filters)
    private = facet_counts(
        matching.filter(pk__in=ids) if len(ids) <= _PRIVATE_IDS else matching.filter(pk__in=hidden)
    )
    return {
        facet: {
            value: public[facet].get(value, 0) + private[facet].get(value, 0)
            for value in public[facet].keys() | private[facet].keys()
        }
        for facet in ("status", "outcome")
    }


Facets = dict[str, dict[str, int]]


class Listing:
    """One case-bank listing, as the page and the API show it: slices of experiments in order,
    the count of all matches and the facet counts (``casebank_listing``).

    A slice is a list of rows that have at least ``pk`` and ``updated_at``, what the stored
    parts of a row are keyed on; ``complete`` gives the experiments with every listed field.
    The listing also serves as Django's Paginator's object list."""

    def __init__(self, user: Any, filters: dict[str, Any], *, per_page: int = 20) -> None:
        self.user = user
        self.filters = filters
        self.per_page = per_page

    def count(self) -> int:
        raise NotImplementedError

    @property
    def facets(self) -> Facets:
        raise NotImplementedError

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[Any]:
        raise NotImplementedError

    def complete(self, experiments: list[Any]) -> list[Experiment | None]:
        """The same experiments with every listed field and their owners, read in one query:
        for the rows whose stored parts (core/fragments.shared_rows) are missing. None for
        one deleted meanwhile."""
        return experiments


class DatabaseListing(Listing):
    """From SQL alone (``SEARCH_ENGINE=database``): the full-text index of search/selectors."""

    def count(self) -> int:
        return sum(self.facets["status"].values())

    @property
    def facets(self) -> Facets:
        if not hasattr(self, "_facets"):
            self._facets = casebank_facets(self.user, self.filters)
        return self._facets

    def __getitem__(self, key: slice) -> list[Experiment]:
        return list(casebank_experiments(self.user, self.filters)[key])


def _engine_filters(filters: dict[str, Any]) -> dict[str, list[Any]]:
    wanted: dict[str, list[Any]] = {}
    for name in ("municipality", "region", "target_group", "status", "outcome", "need", "year"):
        if filters.get(name):
            wanted[name] = [getattr(filters[name], "pk", filters[name])]
    if filters.get("theme"):
        theme = filters["theme"]
        wanted["theme"] = [theme if isinstance(theme, str) else theme.slug]
    return wanted


def engine_visibility(user: Any) -> dict[str, list[Any]] | None:
    """experiments_visible_to(user) as the search engine's ``visible``: which private
    experiments the person sees besides the public ones (None: every one): those whose
    ``readers`` they are, and those on whose team they are."""
    if not getattr(user, "is_authenticated", False):
        return {}
    if user.is_superuser or PlatformRole.COORDINATOR in user_platform_roles(user):
        return None
    return {"reader": reader_keys(user), "id": team_experiment_ids(user)}


class EngineListing(Listing):
    """From the search engine (search/engine.py, ADR 0014): ids, count and facets in one
    query of the index, then the page's rows by id under the same visibility filter."""

    def _found(self, offset: int, limit: int) -> engine.Found:
        cached = getattr(self, "_last", None)
        if cached is not None:
            (start, length), found = cached
            # The Paginator asks for the count, then for a last page cut to it.
            if start == offset and (limit <= length or len(found.ids) < length):
                return engine.Found(ids=found.ids[:limit], count=found.count, facets=found.facets)
        query = self.filters.get("q") or ""
        words = parse_query(query) if query else []
        if query and not words:  # only stop words or punctuation: nothing to find
            found = engine.Found(ids=[], count=0, facets={"status": {}, "outcome": {}})
        else:
            found = engine.find(
                index.NAME,
                words=words,
                filters=_engine_filters(self.filters),
                visible=self._visible,
                offset=offset,
                limit=limit,
                facets=not hasattr(self, "_facets"),
            )
        if not hasattr(self, "_facets"):
            self._facets = found.facets
            self._count = found.count
        self._last = ((offset, limit), found)
        return found

    def count(self) -> int:
        if not hasattr(self, "_count"):
            self._found(0, self.per_page)
        return self._count

    @property
    def facets(self) -> Facets:
        if not hasattr(self, "_facets"):
            self._found(0, self.per_page)
        return self._facets

    def __getitem__(self, key: slice) -> list[Any]:
        offset = key.start or 0
        limit = (key.stop if key.stop is not None else offset + self.per_page) - offset
        if limit <= 0:
            return []
        ids = self._found(offset, limit).ids
        if not ids:
            return []
        # What the stored parts are keyed on, and the visibility check, in one plain SELECT:
        # the rest of a row only for the parts not stored (complete).
        rows = rows_by_id(Experiment, _LIGHT, ids)
        # The database has the last word: a row the person may not see is never shown, even
        # from an index that has yet to apply a change.
        by_pk = {row.pk: row for row in rows if self._may_see(row)}
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def complete(self, experiments: list[Any]) -> list[Experiment | None]:
        if not experiments:
            return []
        rows = (
            Experiment.objects.filter(pk__in=[e.pk for e in experiments])
            .select_related("owner__municipality", "owner__region")
            .defer(*LISTING_DEFERS)
        )
        by_pk = {experiment.pk: experiment for experiment in rows}
        # None for a row deleted since the listing read it: its part is left empty.
        return [by_pk.get(e.pk) for e in experiments]

    def _may_see(self, experiment: Any) -> bool:
        visible = self._visible
        if visible is None or experiment.visibility == Visibility.PUBLIC:
            return True
        keys = visible.get("reader", ())
        if experiment.pk in visible.get("id", ()):
            return True
        return any(key in keys for key in readers(experiment.visibility, experiment.owner_id))

    @property
    def _visible(self) -> dict[str, list[Any]] | None:
        if not hasattr(self, "_visibility"):
            self._visibility = engine_visibility(self.user)
        return self._visibility


def casebank_listing(user: Any, filters: dict[str, Any], *, per_page: int = 20) -> Listing:
    """The case bank as ``user`` may see it, filtered by the facets: newest change first, or
    best match first when searched. The page and the API list both read it."""
    kind = EngineListing if engine.enabled() else DatabaseListing
    return kind(user, filters, per_page=per_page)


# The TOP 10 formula, shown on the page: transparent and simple on purpose.
REUSE_POINTS = 3
RESULT_POINTS = {"results": 1, "lessons": 2, "outcome": 1, "measured": 1}


def top_experiments(user: Any, limit: int = 10) -> QuerySet[Experiment]:
    """The most useful experiments for others: reused often and documented completely.

    score = 3 × times reused + completeness (results 1, lessons 2, outcome 1, an indicator with
    measurements 1); ties go to the most recently updated. Computed in the database.
    """
    reuses = (
        Experiment.objects.filter(reused_from=OuterRef("pk"))
        .order_by()
        .values("reused_from")
        .annotate(n=Count("pk"))
        .values("n")
    )
    measured = Exists(Measurement.objects.filter(indicator__experiment=OuterRef("pk")))

    def points(condition: Q, value: int) -> Case:
        return Case(
            When(condition, then=Value(value)), default=Value(0), output_field=IntegerField()
        )

    completeness = (
        points(~Q(results=""), RESULT_POINTS["results"])
        + points(~Q(lessons=""), RESULT_POINTS["lessons"])
        + points(~Q(outcome=""), RESULT_POINTS["outcome"])
        + points(Q(measured=True), RESULT_POINTS["measured"])
    )
    return (
        experiments_visible_to(user)
        .filter(status__in=[Status.ENDED, Status.EVALUATED, Status.SPREAD])
        .annotate(
            reuse_count=Coalesce(Subquery(reuses, output_field=IntegerField()), 0),
            measured=measured,
        )
        .annotate(completeness=completeness)
        .annotate(score=F("reuse_count") * REUSE_POINTS + F("completeness"))
        .select_related("owner__municipality", "owner__region")
        .order_by("-score", "-updated_at", "pk")[:limit]
    )
