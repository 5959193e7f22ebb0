"""The application lifecycle and the accelerator's checks, as pure rules with no database.

The states and the moves between them are written here once; models, rules, services, pages
and the API ask this module. Every check returns what stops an action, each message saying what
to fix, and nothing when the action may go; the caller gathers the rows and writes.

    draft → submitted → in review → approved / rejected / returned (→ submitted again)
    draft, submitted, in review and returned may be withdrawn.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

DRAFT, SUBMITTED, IN_REVIEW = "draft", "submitted", "in_review"
APPROVED, REJECTED, RETURNED, WITHDRAWN = "approved", "rejected", "returned", "withdrawn"

LABELS = {
    DRAFT: gettext_lazy("draft"),
    SUBMITTED: gettext_lazy("submitted"),
    IN_REVIEW: gettext_lazy("in review"),
    APPROVED: gettext_lazy("approved"),
    REJECTED: gettext_lazy("rejected"),
    RETURNED: gettext_lazy("returned for changes"),
    WITHDRAWN: gettext_lazy("withdrawn"),
}
EDITABLE = frozenset({DRAFT, RETURNED})  # the applicant writes
UNDER_REVIEW = frozenset({SUBMITTED, IN_REVIEW})  # reviewers score, a coordinator decides
OUTCOMES = (APPROVED, REJECTED, RETURNED)  # what a decision may say
FINAL = frozenset({APPROVED, REJECTED, WITHDRAWN})  # nothing moves any more
PUBLIC = frozenset({APPROVED, REJECTED})  # decisions everyone may read

ALLOWED: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED, WITHDRAWN}),
    SUBMITTED: frozenset({IN_REVIEW, *OUTCOMES, WITHDRAWN}),
    IN_REVIEW: frozenset({*OUTCOMES, WITHDRAWN}),
    RETURNED: frozenset({SUBMITTED, WITHDRAWN}),
    APPROVED: frozenset(),
    REJECTED: frozenset(),
    WITHDRAWN: frozenset(),
}

# A fast-track application is one page: the summary must fit on it.
FAST_TRACK_SUMMARY_CHARS = 3000


def one_page_length(text: str) -> int:
    """The characters a person counts: a line break is one, though a browser posts CRLF."""
    return len(text.replace("\r\n", "\n"))


def move_problem(status: str, to: str) -> str | None:
    """Why an application in ``status`` cannot move to ``to``; None when it can."""
    if to in ALLOWED.get(status, frozenset()):
        return None
    if to == SUBMITTED:
        return _("This application has already been submitted.")
    if to == WITHDRAWN:
        return _("A decided application cannot be withdrawn.")
    if to in OUTCOMES:
        return _("Only a submitted application can be decided.")
    return _("An application cannot move from “%(from)s” to “%(to)s”.") % {
        "from": LABELS.get(status, status),
        "to": LABELS.get(to, to),
    }


def local_time(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def opening_problem(call: Any, now: datetime) -> str | None:
    """Why the call takes no applications at ``now``; None while it does."""
    if not call.published or not call.opens_at <= now < call.closes_at:
        return _(
            "The call is not open: applications are accepted from %(opens)s to %(closes)s."
        ) % {"opens": local_time(call.opens_at), "closes": local_time(call.closes_at)}
    return None


def eligibility_problems(
    call: Any,
    *,
    kind: str,
    region: str | None,
    kind_labels: Mapping[str, StrOrPromise],
    eligible_regions: Iterable[Any],
) -> list[str]:
    """Why an organisation of ``kind`` in ``region`` may not apply to ``call``; empty when it
    may. ``eligible_regions`` are the call's regions (none: the whole country)."""
    problems = []
    if call.eligible_kinds and kind not in call.eligible_kinds:
        kinds = ", ".join(str(kind_labels[k]) for k in call.eligible_kinds)
        problems.append(
            _("This call is open to these organisation types only: %(kinds)s.") % {"kinds": kinds}
        )
    regions = {r.code: r for r in eligible_regions}
    if regions and region not in regions:
        names = ", ".join(str(r) for r in regions.values())
        problems.append(
            _("This call is open to organisations in these regions only: %(regions)s.")
            % {"regions": names}
        )
    return problems


@dataclass(frozen=True)
class Money:
    """An application's sums: the total of its cost items, its own contribution and the rest,
    which it asks for."""

    total: Decimal
    own: Decimal

    @property
    def requested(self) -> Decimal:
        return max(self.total - self.own, Decimal("0"))


def submission_problems(
    call: Any,
    *,
    summary: str,
    money: Money,
    has_budget: bool,
    unanswered: Iterable[tuple[str, bool]],
    now: datetime,
) -> list[str]:
    """Everything that stops a submission, each saying what to fix; empty when it may go.
    ``unanswered`` holds each required question left empty, as (its label, is a file)."""
    problems = []
    if now >= call.closes_at:
        problems.append(
            _("The call closed at %(time)s: late applications are not accepted.")
            % {"time": local_time(call.closes_at)}
        )
    elif now < call.opens_at:
        problems.append(_("The call opens at %(time)s.") % {"time": local_time(call.opens_at)})
    if not summary.strip():
        problems.append(_("Write what the money is for."))
    elif call.fast_track and one_page_length(summary) > FAST_TRACK_SUMMARY_CHARS:
        problems.append(
            _(
                "A fast-track application fits on one page: shorten “what the money is for” to "
                "%(max)s characters (now %(n)s)."
            )
            % {"max": FAST_TRACK_SUMMARY_CHARS, "n": one_page_length(summary)}
        )
    if not has_budget or money.total <= 0:
        problems.append(_("Add the budget: at least one cost item with its sum."))
    if money.requested > call.max_per_application:
        problems.append(
            _(
                "You ask for %(requested)s €, over the call's maximum of %(max)s € per "
                "application: lower the costs or raise your own contribution."
            )
            % {"requested": money.requested, "max": call.max_per_application}
        )
    if money.own > money.total and has_budget:
        problems.append(_("Your own contribution cannot be larger than the total costs."))
    needed = (money.total * call.own_contribution_percent / 100).quantize(Decimal("0.01"))
    if call.own_contribution_percent and money.own < needed:
        problems.append(
            _(
                "Your own contribution must be at least %(percent)s %% of the total costs, "
                "%(needed)s € (now %(own)s €)."
            )
            % {"percent": call.own_contribution_percent, "needed": needed, "own": money.own}
        )
    for label, is_file in unanswered:
        verb = _("Attach") if is_file else _("Answer")
        problems.append(_("%(verb)s: “%(question)s”.") % {"verb": verb, "question": label})
    return problems


def decision_problems(call: Any, *, status: str, outcome: str, reviews_done: int) -> list[str]:
    """What stops a decision saying ``outcome`` on an application in ``status``."""
    if outcome not in OUTCOMES:
        return [_("Choose approve, reject or return for changes.")]
    problem = move_problem(status, outcome)
    if problem:
        return [problem]
    if outcome == RETURNED:
        return []  # returning for changes is always possible while under review
    problems = []
    if not call.appeal_instructions.strip():
        problems.append(
            _(
                "The call has no appeal instructions: add them to the call before approving "
                "or rejecting, since the decision must tell how to request a review."
            )
        )
    needed = call.reviewers_per_application
    if reviews_done < needed:
        problems.append(
            _(
                "This call needs %(needed)s submitted reviews before approving or "
                "rejecting; there are %(done)s. You can return it for changes now."
            )
            % {"needed": needed, "done": reviews_done}
        )
    return problems


def grant_problem(
    call: Any, *, granted: Decimal | None, requested: Decimal, budget_left: Decimal
) -> str | None:
    """Why ``granted`` cannot be granted; None when it can."""
    if granted is None or Decimal(granted) <= 0:
        return _("Give the granted amount in euros.")
    if granted > call.max_per_application:
        return _("The call grants at most %(max)s € per application.") % {
            "max": call.max_per_application
        }
    if granted > requested:
        return _("The applicant asked for %(sum)s €: grant no more than that.") % {"sum": requested}
    if granted > budget_left:
        return _("Only %(left)s € of the call's budget is left.") % {"left": budget_left}
    return None


def instalment_problem(
    plan: list[tuple[Decimal, str]], *, granted: Decimal, triggers: Iterable[str]
) -> str | None:
    """Why the instalments do not make up the grant; None when they do."""
    if sum((Decimal(amount) for amount, _trigger in plan), Decimal("0")) != granted:
        return _("The instalments must add up to the granted amount, %(sum)s €.") % {"sum": granted}
    known = set(triggers)
    if any(Decimal(amount) <= 0 or trigger not in known for amount, trigger in plan):
        return _("Each instalment needs a positive sum and a condition.")
    return None
