"""Who may do what in the accelerator: calls, applications, reviews and decisions.

Programme coordinators run calls: they open them, assign reviewers and decide. Members of the
applicant organisation write, submit and report. A reviewer sees an application only while
assigned to it, never one of their own organisation, and not after declaring a conflict.
"""

from typing import Any

import rules

from digikunta.accounts.rules import is_coordinator, is_reviewer, is_superuser
from digikunta.experiments.rules import is_lead
from digikunta.funding import lifecycle
from digikunta.organisations.rules import _role_in

staff = is_coordinator | is_superuser


def _assignment(user: Any, application: Any) -> Any:
    if application is None or not user.is_authenticated:
        return None
    cache = getattr(user, "_review_assignments", None)  # request.user is a lazy object
    if cache is None:
        cache = user._review_assignments = {}
    if application.pk not in cache:
        cache[application.pk] = application.assignments.filter(reviewer=user).first()
    return cache[application.pk]


@rules.predicate
def is_published(user: Any, call: Any) -> bool:
    return call is not None and call.published


@rules.predicate
def is_applicant_member(user: Any, application: Any) -> bool:
    return application is not None and _role_in(user, application.applicant) is not None


@rules.predicate
def leads_the_experiment(user: Any, application: Any) -> bool:
    """The experiment's leads are mailed about its application (notifications.applicants_of),
    also a lead from outside the applicant organisation: they may read what they are sent."""
    return application is not None and is_lead(user, application.experiment)


@rules.predicate
def is_editable(user: Any, application: Any) -> bool:
    return application is not None and application.status in lifecycle.EDITABLE


@rules.predicate
def is_assigned_reviewer(user: Any, application: Any) -> bool:
    """Holds the reviewer role, assigned, no conflict declared, and not of the applicant
    organisation. An assignment outlives a revoked role; the access must not (issue 8)."""
    assignment = _assignment(user, application)
    return (
        is_reviewer(user)
        and assignment is not None
        and not assignment.conflict_of_interest
        and _role_in(user, application.applicant) is None
    )


@rules.predicate
def is_under_review(user: Any, application: Any) -> bool:
    return application is not None and application.status in lifecycle.UNDER_REVIEW


@rules.predicate
def is_approved(user: Any, application: Any) -> bool:
    return application is not None and application.status == lifecycle.APPROVED


rules.add_perm("funding.view_call", is_published | (rules.is_authenticated & staff))
rules.add_perm("funding.add_call", rules.is_authenticated & staff)
rules.add_perm("funding.change_call", rules.is_authenticated & staff)
rules.add_perm("funding.manage_call", rules.is_authenticated & staff)

rules.add_perm(
    "funding.view_application",
    rules.is_authenticated
    & (is_applicant_member | leads_the_experiment | is_assigned_reviewer | staff),
)
rules.add_perm(
    "funding.change_application",
    rules.is_authenticated & is_applicant_member & is_editable,
)
rules.add_perm(
    "funding.withdraw_application",
    rules.is_authenticated & is_applicant_member & (is_editable | is_under_review),
)
# The review page of one's own assignment; scoring also needs the application under review.
rules.add_perm("funding.open_review_application", rules.is_authenticated & is_assigned_reviewer)
rules.add_perm(
    "funding.review_application",
    rules.is_authenticated & is_reviewer & is_assigned_reviewer & is_under_review,
)
rules.add_perm("funding.decide_application", rules.is_authenticated & staff & is_under_review)
rules.add_perm(
    "funding.report_application", rules.is_authenticated & is_applicant_member & is_approved
)
rules.add_perm("funding.see_reviews_application", rules.is_authenticated & staff)
# Recording a payment of a payable instalment: the coordinators, from the bookkeeping.
rules.add_perm("funding.pay_application", rules.is_authenticated & staff & is_approved)
rules.add_perm("funding.publish_call", rules.is_authenticated & staff)
