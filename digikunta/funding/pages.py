"""Which funding writes stale which cached pages (core/pagecache.py, ADR 0012).

``call:<slug>`` is a call's page: the call, its criteria and questions, its public decisions
and the budget left. ``LISTING`` is the list of calls. An application's drafts and autosaves,
its answers and budget, reviews, scores and reports show on no public page: they stale
nothing. An application stales its call's page only when its status becomes or stops being
one the page shows.
"""

from collections.abc import Iterable

from digikunta.core import pagecache
from digikunta.core.pagecache import Change
from digikunta.funding import lifecycle
from digikunta.funding.models import (
    Application,
    Call,
    Criterion,
    Decision,
    Instalment,
    Question,
)

LISTING = "calls:list"


def call_key(slug: str) -> str:
    return f"call:{slug}"


def _call_keys(call: Call, change: Change) -> Iterable[str]:
    return [call_key(call.slug), LISTING]


def _of_call(call: Call, change: Change) -> Iterable[str]:
    return [call_key(call.slug)]


# The call's page lists approvals and rejections; the budget left leaves out withdrawn ones.
_SHOWN = lifecycle.FINAL


def _application_keys(application: Application, change: Change) -> Iterable[str]:
    statuses = {application.status, change.before.get("status")}
    if change.changed and statuses & _SHOWN:
        return [call_key(application.call.slug)]
    return []


pagecache.register(Call, _call_keys)
pagecache.register(Criterion, lambda criterion, change: _of_call(criterion.call, change))
pagecache.register(Question, lambda question, change: _of_call(question.call, change))
pagecache.register(Application, _application_keys, fields=("status",))
pagecache.register(Decision, lambda decision, change: _of_call(decision.application.call, change))
pagecache.register(
    Instalment, lambda instalment, change: _of_call(instalment.application.call, change)
)
