"""Writes of the accelerator: calls, applications, reviews, decisions, instalments, reports.

Every broken rule raises ValidationError with a translated message that says what to fix;
nothing is written then. E-mail goes out after the commit (funding/notifications.py).
"""

import re
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digikunta.accounts.models import PlatformRole, User
from digikunta.accounts.selectors import user_platform_roles
from digikunta.audit.models import AuditAction
from digikunta.audit.services import audit_record
from digikunta.core.records import next_record_number
from digikunta.core.slugs import unique_slug
from digikunta.core.uploads import check_attachment
from digikunta.experiments import lifecycle as stages
from digikunta.experiments import services as experiment_services
from digikunta.experiments.models import Experiment, Indicator, Status, Visibility
from digikunta.funding import lifecycle, notifications
from digikunta.funding.models import (
    Answer,
    Application,
    BudgetLine,
    Call,
    Criterion,
    Decision,
    Instalment,
    InstalmentTrigger,
    Payment,
    Question,
    QuestionKind,
    Report,
    ReportKind,
    ReportReminder,
    ReviewAssignment,
    Score,
)
from digikunta.funding.selectors import (
    budget_left,
    eligibility_problems,
    report_due_on,
    submission_problems,
)
from digikunta.organisations.models import Membership, Organisation

CALL_M2M = ("themes", "eligible_regions")
# A part of a template text still to fill in (funding/forms.py CALL_TEMPLATES).
PLACEHOLDER = re.compile(r"\[[^\]]+\]")


# --- Calls ----------------------------------------------------------------------------------


def call_save(
    *,
    by: User,
    call: Call | None = None,
    criteria: list[dict[str, Any]] | None = None,
    questions: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Call:
    """Create or change a call with its criteria and questions (replaced as given).

    A fast-track call has one reviewer per application.
    """
    m2m = {name: fields.pop(name) for name in CALL_M2M if name in fields}
    with transaction.atomic():
        if call is None:
            call = Call(created_by=by)
            call.slug = unique_slug(Call, fields.get("title", ""), max_length=80, fallback="haku")
        for name, value in fields.items():
            setattr(call, name, value)
        if call.fast_track:
            call.reviewers_per_application = 1
        call.full_clean()
        call.save()
        for name, values in m2m.items():
            getattr(call, name).set(values)
        if criteria is not None:
            _criteria_replace(call, criteria)
        if questions is not None:
            if call.applications.exists():
                raise ValidationError(
                    {
                        "questions": _(
                            "People have started applying: the questions can no longer change."
                        )
                    }
                )
            call.questions.all().delete()
            for position, question in enumerate(questions):
                item = Question(call=call, position=position, **question)
                if item.kind == QuestionKind.CHOICE and len(item.choices) < 2:
                    raise ValidationError(
                        {
                            "questions": _("A choice question needs at least two options: “%(q)s”.")
                            % {"q": item.label}
                        }
                    )
                item.full_clean(exclude=["call"])
                item.save()
    return call


def call_publish(*, call: Call, by: User) -> Call:
    """Publish a draft call: it shows in the list and, while open, takes applications. A call
    is published only with the legal basis and appeal instructions its decisions will carry."""
    missing = []
    if not call.legal_basis.strip():
        missing.append(_("the legal basis"))
    if not call.appeal_instructions.strip():
        missing.append(_("the appeal instructions"))
    if missing:
        raise ValidationError(
            _("Before publishing, add %(missing)s in Finnish: every decision prints them.")
            % {"missing": _(" and ").join(missing)}
        )
    texts = (
        call.legal_basis,
        call.legal_basis_sv,
        call.appeal_instructions,
        call.appeal_instructions_sv,
    )
    if any(PLACEHOLDER.search(text) for text in texts):
        raise ValidationError(
            _(
                "Before publishing, fill in the parts in square brackets in the legal basis and "
                "the appeal instructions."
            )
        )
    if not call.published:
        call.published = True
        call.save(update_fields=["published", "updated_at"])
    return call


def call_unpublish(*, call: Call, by: User) -> Call:
    """Take a call back to a draft, while nobody has applied to it."""
    if call.applications.exists():
        raise ValidationError(
            _("People have applied to this call: it can no longer be taken back to a draft.")
        )
    if call.published:
        call.published = False
        call.save(update_fields=["published", "updated_at"])
    return call


def _criteria_replace(call: Call, criteria: list[dict[str, Any]]) -> None:
    """Replace the call's criteria with ``criteria``; the same ones again change nothing.

    Once reviewers have scored, the criteria are part of every decision's basis (issue 8):
    changing them is refused, never done by dropping the scores.
    """
    if not criteria:
        raise ValidationError({"criteria": _("Give at least one assessment criterion.")})
    fields = ("name", "name_sv", "weight")
    current = [tuple(str(value) for value in row) for row in call.criteria.values_list(*fields)]
    given = [tuple(str(criterion.get(name, "")) for name in fields) for criterion in criteria]
    if given == current:
        return
    if Score.objects.filter(criterion__call=call).exists():
        raise ValidationError(
            {"criteria": _("Reviewers have started scoring: the criteria can no longer change.")}
        )
    call.criteria.all().delete()
    for position, criterion in enumerate(criteria):
        Criterion(call=call, position=position, **criterion).full_clean(exclude=["call"])
        Criterion.objects.create(call=call, position=position, **criterion)


# --- Applications ---------------------------------------------------------------------------


def application_create(
    *,
    call: Call,
    by: User,
    experiment: Experiment | None = None,
    new_experiment: dict[str, Any] | None = None,
    applicant: Organisation | None = None,
) -> Application:
    """Start a draft: with an existing experiment of the applicant, or a new one created in the
    same step (``new_experiment``: title, summary…). One application per experiment per call."""
    with transaction.atomic():
        if experiment is None:
            if applicant is None or not new_experiment:
                raise ValidationError(
                    {"experiment": _("Choose one of your experiments or describe a new one.")}
                )
            experiment = experiment_services.experiment_create(
                by=by, owner=applicant, **new_experiment
            )
        applicant = experiment.owner
        if not Membership.objects.filter(organisation=applicant, user=by).exists():
            raise ValidationError(
                {
                    "experiment": _("Only members of %(org)s may apply with its experiments.")
                    % {"org": applicant.display_name}
                }
            )
        problem = lifecycle.opening_problem(call, timezone.now())
        if problem:
            raise ValidationError(problem)
        problems = eligibility_problems(call, applicant)
        if problems:
            raise ValidationError(problems)
        if Application.objects.filter(call=call, experiment=experiment).exists():
            raise ValidationError(
                {"experiment": _("This experiment already has an application in this call.")}
            )
        application = Application.objects.create(
            call=call,
            experiment=experiment,
            applicant=applicant,
            created_by=by,
            language=experiment.language,
            summary=experiment.summary,
        )
    return application


def application_save(
    *,
    application: Application,
    by: User,
    version: int | None = None,
    budget_lines: list[tuple[str, Decimal]] | None = None,
    answers: dict[int, Any] | None = None,
    **fields: Any,
) -> Application:
    """Save the draft as it is (autosave): incomplete is fine until submission.

    ``version`` is the one the form was loaded with: a save over a newer version is refused, so
    two people editing the same draft never silently overwrite each other.
    """
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.status not in lifecycle.EDITABLE:
            raise ValidationError(_("A submitted application cannot be changed."))
        if version is not None and version != current.version:
            raise ValidationError(
                _(
                    "Someone else saved this application meanwhile. Reload the page to see their "
                    "changes; what you typed is still in the form."
                ),
                code="conflict",
            )
        for name in ("summary", "own_contribution", "language"):
            if name in fields:
                setattr(current, name, fields.pop(name))
        if fields:
            raise TypeError(f"unknown fields: {', '.join(fields)}")
        current.full_clean(exclude=["call", "experiment", "applicant"])
        if budget_lines is not None:
            current.budget_lines.all().delete()
            for position, (description, amount) in enumerate(budget_lines):
                if amount is None or Decimal(amount) < 0:
                    raise ValidationError(
                        {
                            "budget": _("A cost cannot be negative: “%(item)s”.")
                            % {"item": description}
                        }
                    )
                BudgetLine.objects.create(
                    application=current, position=position, description=description, amount=amount
                )
        if answers is not None:
            _answers_save(current, answers)
        current.version += 1
        current.save()
    application.refresh_from_db()
    return application


def _number_answer(question: Question, value: Any) -> Decimal | None:
    """The API sends answers as text: "abc", "NaN" or "1e400" are refused, not a 500."""
    field = Answer._meta.get_field("number")
    try:
        number: Decimal | None = forms.DecimalField(
            max_digits=field.max_digits, decimal_places=field.decimal_places, required=False
        ).clean(value)
        return number
    except ValidationError:
        raise ValidationError(
            _("Answer “%(question)s” with a number of at most %(digits)s digits.")
            % {"question": question.label, "digits": field.max_digits - field.decimal_places}
        ) from None


def _answers_save(application: Application, answers: dict[int, Any]) -> None:
    questions = {q.pk: q for q in application.call.questions.all()}
    for question_id, value in answers.items():
        question = questions.get(int(question_id))
        if question is None:
            raise ValidationError(_("That question is not in this call."))
        answer, _created = Answer.objects.get_or_create(application=application, question=question)
        if question.kind == QuestionKind.NUMBER:
            answer.number = _number_answer(question, value)
        elif question.kind == QuestionKind.FILE:
            if value is not None:  # a new upload; None keeps the earlier file
                extension, _content_type = check_attachment(value)
                # Stored under a random name: the original one is shown, never used as a path.
                answer.file.save(uuid.uuid4().hex + extension, value, save=False)
                answer.file_name = (value.name or "")[-200:]
        elif question.kind == QuestionKind.CHOICE:
            if value and value not in question.choices:
                raise ValidationError(
                    _("Choose one of the options for “%(q)s”.") % {"q": question.display_label}
                )
            answer.text = value or ""
        else:
            answer.text = value or ""
        answer.save()


def application_submit(*, application: Application, by: User) -> Application:
    """Send the application for review; refused with a list of what to fix."""
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        problem = lifecycle.move_problem(current.status, lifecycle.SUBMITTED)
        if problem:
            raise ValidationError(problem)
        problems = submission_problems(current, timezone.now())
        if problems:
            raise ValidationError(problems)
        current.status = lifecycle.SUBMITTED
        current.submitted_at = timezone.now()
        current.version += 1
        current.save(update_fields=["status", "submitted_at", "version", "updated_at"])
        notifications.application_submitted(current)
    application.refresh_from_db()
    return application


def application_withdraw(*, application: Application, by: User) -> Application:
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        problem = lifecycle.move_problem(current.status, lifecycle.WITHDRAWN)
        if problem:
            raise ValidationError(problem)
        current.status = lifecycle.WITHDRAWN
        current.save(update_fields=["status", "updated_at"])
    application.refresh_from_db()
    return application


# --- Review ---------------------------------------------------------------------------------


def reviewers_assign(
    *, application: Application, reviewers: Iterable[User], by: User
) -> list[ReviewAssignment]:
    """Give the application to reviewers. Someone of the applicant organisation is refused."""
    reviewers = list(reviewers)
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.status not in lifecycle.UNDER_REVIEW:
            raise ValidationError(_("Only a submitted application can be given to reviewers."))
        insiders = set(
            Membership.objects.filter(organisation=current.applicant).values_list(
                "user_id", flat=True
            )
        )
        created = []
        for reviewer in reviewers:
            if PlatformRole.REVIEWER not in user_platform_roles(reviewer):
                raise ValidationError(
                    _("%(name)s is not a reviewer.") % {"name": reviewer.public_name}
                )
            if reviewer.pk in insiders:
                raise ValidationError(
                    _("%(name)s belongs to the applicant organisation and cannot review this.")
                    % {"name": reviewer.public_name}
                )
            assignment, made = ReviewAssignment.objects.get_or_create(
                application=current, reviewer=reviewer, defaults={"assigned_by": by}
            )
            if made:
                created.append(assignment)
                audit_record(
                    action=AuditAction.REVIEWER_ASSIGNED, actor=by, subject=reviewer, target=current
                )
        if current.status == lifecycle.SUBMITTED:
            current.status = lifecycle.IN_REVIEW
            current.save(update_fields=["status", "updated_at"])
        notifications.review_assigned(created)
    application.refresh_from_db()
    return created


def conflict_declare(*, assignment: ReviewAssignment, by: User, reason: str) -> ReviewAssignment:
    """The reviewer cannot judge this one fairly: they no longer see it; the coordinator is told.
    Their unsubmitted draft scores go with it.

    Refused once the review is submitted (issue 8): a submitted review is part of the decision's
    basis and never disappears or stops counting. Recording it as a "late conflict" that no
    longer counts would change the basis just as much, silently, after reviewers and perhaps
    the coordinator have relied on it; so the reviewer is told to raise it with the
    coordinator, who can weigh it in the decision with the review still on record.
    """
    if assignment.reviewer_id != by.pk:
        raise ValidationError(_("Only the reviewer can declare their own conflict of interest."))
    if not reason.strip():
        raise ValidationError({"conflict_reason": _("Say briefly why, for the coordinator.")})
    with transaction.atomic():
        current = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
        if current.submitted_at:
            raise ValidationError(
                _(
                    "You have submitted this review, so it stays part of the decision's basis "
                    "and a conflict of interest can no longer be declared here. Tell the "
                    "coordinator about the conflict."
                )
            )
        current.conflict_of_interest = True
        current.conflict_reason = reason.strip()
        current.save(update_fields=["conflict_of_interest", "conflict_reason"])
        current.scores.all().delete()
    assignment.refresh_from_db()
    return assignment


def _check_reviewing(assignment: ReviewAssignment) -> None:
    """Scores are written only while the application is under review and no conflict was
    declared: after a decision, its basis is what had been submitted by then."""
    if assignment.conflict_of_interest:
        raise ValidationError(_("You declared a conflict of interest for this application."))
    if assignment.application.status not in lifecycle.UNDER_REVIEW:
        raise ValidationError(_("Reviewing has ended: this application is no longer in review."))


def _repeats_the_submitted(
    assignment: ReviewAssignment,
    scores: dict[int, tuple[int | None, str]],
    general_comment: str | None,
) -> bool:
    """Whether a save asks for exactly what the submitted review already holds (a second
    click, a retried request, a stale tab that changed nothing)."""
    stored = {s.criterion_id: (s.value, s.comment) for s in assignment.scores.all()}
    for criterion_id, (value, comment) in scores.items():
        wanted = None if value is None else (int(value), comment or "")
        if stored.get(int(criterion_id)) != wanted:
            return False
    return general_comment is None or general_comment == assignment.general_comment


def scores_save(
    *,
    assignment: ReviewAssignment,
    by: User,
    scores: dict[int, tuple[int | None, str]],
    general_comment: str | None = None,
) -> ReviewAssignment:
    """Save a reviewer's scores (criterion id → (0–5 or None, comment)); partial is fine until
    they submit. Each reviewer writes only their own rows.

    A submitted review never changes (issue 8): a save that would change it is refused; one
    that repeats it exactly writes nothing and succeeds, so a retried submission is harmless.
    """
    if assignment.reviewer_id != by.pk:
        raise ValidationError(_("You can only score your own review."))
    with transaction.atomic():
        current = (
            ReviewAssignment.objects.select_for_update()
            .select_related("application")
            .get(pk=assignment.pk)
        )
        if current.submitted_at:
            if _repeats_the_submitted(current, scores, general_comment):
                assignment.refresh_from_db()
                return assignment
            raise ValidationError(_("This review has been submitted and can no longer change."))
        _check_reviewing(current)
        criteria = {c.pk: c for c in current.application.call.criteria.all()}
        for criterion_id, (value, comment) in scores.items():
            criterion = criteria.get(int(criterion_id))
            if criterion is None:
                raise ValidationError(_("That criterion is not in this call."))
            if value is None:
                Score.objects.filter(assignment=current, criterion=criterion).delete()
                continue
            if not 0 <= int(value) <= 5:
                raise ValidationError(
                    _("Score “%(c)s” from 0 to 5.") % {"c": criterion.display_name}
                )
            Score.objects.update_or_create(
                assignment=current,
                criterion=criterion,
                defaults={"value": int(value), "comment": comment or ""},
            )
        if general_comment is not None:
            current.general_comment = general_comment
            current.save(update_fields=["general_comment"])
    assignment.refresh_from_db()
    return assignment


def review_submit(*, assignment: ReviewAssignment, by: User) -> ReviewAssignment:
    """Submit the review once every criterion is scored. Submitting again is a repeat, not a
    change: it succeeds and keeps the first ``submitted_at`` (issue 8)."""
    if assignment.reviewer_id != by.pk:
        raise ValidationError(_("You can only submit your own review."))
    with transaction.atomic():
        current = (
            ReviewAssignment.objects.select_for_update()
            .select_related("application")
            .get(pk=assignment.pk)
        )
        if current.submitted_at:
            assignment.refresh_from_db()
            return assignment
        _check_reviewing(current)
        scored = set(current.scores.values_list("criterion_id", flat=True))
        missing = [
            c.display_name for c in current.application.call.criteria.all() if c.pk not in scored
        ]
        if missing:
            raise ValidationError(
                _("Score every criterion before submitting. Missing: %(list)s.")
                % {"list": ", ".join(missing)}
            )
        current.submitted_at = timezone.now()
        current.save(update_fields=["submitted_at"])
    assignment.refresh_from_db()
    return assignment


# --- Decisions, instalments and reports ------------------------------------------------------


def decision_make(
    *,
    application: Application,
    by: User,
    outcome: str,
    reasoning: str,
    granted_amount: Decimal | None = None,
    conditions: str = "",
    instalments: list[tuple[Decimal, str]] | None = None,
    decision_maker_name: str = "",
    decision_maker_title: str = "",
) -> Decision:
    """Approve (with the granted amount, conditions and instalments), reject or return for
    changes. The decision is an administrative decision: it gets the next record number
    (core/records.py), names the official who made it and carries the call's legal basis and
    appeal instructions in the application's language. The applicant is told by e-mail, with
    the decision as a PDF (funding/notifications.py)."""
    name = (decision_maker_name or by.get_full_name()).strip()
    title = (decision_maker_title or by.contact_title).strip()
    errors = {}
    if not reasoning.strip():
        errors["reasoning"] = _("Write the reasoning: the applicant receives it.")
    if not name:
        errors["decision_maker_name"] = _("Give the name of the official who decides.")
    if not title:
        errors["decision_maker_title"] = _("Give the title of the official who decides.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = (
            Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        )
        call = current.call
        reviews_done = current.assignments.filter(
            submitted_at__isnull=False, conflict_of_interest=False
        ).count()
        problems = lifecycle.decision_problems(
            call, status=current.status, outcome=outcome, reviews_done=reviews_done
        )
        if problems:
            raise ValidationError(problems)
        now = timezone.now()
        if outcome == lifecycle.APPROVED:
            granted = _check_grant(current, granted_amount)
            plan = instalments or [(granted, InstalmentTrigger.APPROVAL)]
            problem = lifecycle.instalment_problem(
                plan, granted=granted, triggers=InstalmentTrigger.values
            )
            if problem:
                raise ValidationError({"instalments": problem})
            for position, (amount, trigger) in enumerate(plan):
                Instalment.objects.create(
                    application=current,
                    position=position,
                    amount=amount,
                    trigger=trigger,
                    payable_at=now if trigger == InstalmentTrigger.APPROVAL else None,
                )
        else:
            granted = None
        language = current.language or "fi"
        decision = Decision.objects.create(
            application=current,
            record_number=next_record_number(),
            language=language,
            outcome=outcome,
            granted_amount=granted,
            conditions=conditions.strip() if granted is not None else "",
            reasoning=reasoning.strip(),
            decided_by=by,
            decision_maker_name=name,
            decision_maker_title=title,
            legal_basis=call.legal_basis_in(language),
            appeal_instructions=(
                call.appeal_instructions_in(language) if outcome != lifecycle.RETURNED else ""
            ),
            decided_at=now,
        )
        current.status = outcome
        current.decided_at = now
        current.version += 1
        current.save(update_fields=["status", "decided_at", "version", "updated_at"])
        audit_record(
            action=AuditAction.FUNDING_DECIDED,
            actor=by,
            target=current,
            outcome=outcome,
            record_number=decision.record_number,
        )
        notifications.decision_made(decision)
    application.refresh_from_db()
    return decision


def _check_grant(application: Application, granted: Decimal | None) -> Decimal:
    problem = lifecycle.grant_problem(
        application.call,
        granted=Decimal(granted) if granted is not None else None,
        requested=application.requested_amount,
        budget_left=budget_left(application.call),
    )
    if problem:
        raise ValidationError({"granted_amount": problem})
    return Decimal(cast(Decimal, granted))  # grant_problem refuses None


def instalments_make_payable(*, application: Application, trigger: str) -> list[Instalment]:
    """The instalments whose condition has now been met become payable. Nothing is marked
    paid: a coordinator records each payment (payment_record)."""
    due = list(application.instalments.filter(trigger=trigger, payable_at__isnull=True))
    for instalment in due:
        instalment.payable_at = timezone.now()
        instalment.save(update_fields=["payable_at"])
    return due


def payment_record(
    *, instalment: Instalment, by: User, paid_on: Any, amount: Decimal, reference: str
) -> Payment:
    """Record a payment of a payable instalment as the bookkeeping shows it: the date, the
    amount (at most what is still unpaid) and the voucher or transaction reference."""
    errors = {}
    reference = (reference or "").strip()
    if not reference:
        errors["reference"] = _("Give the payment's reference from the bookkeeping.")
    if paid_on is None:
        errors["paid_on"] = _("Give the payment date.")
    elif paid_on > timezone.localdate():
        errors["paid_on"] = _("The payment date cannot be in the future.")
    if amount is None or Decimal(amount) <= 0:
        errors["amount"] = _("Give the amount paid in euros.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = (
            Instalment.objects.select_for_update()
            .select_related("application")
            .get(pk=instalment.pk)
        )
        if current.payable_at is None:
            raise ValidationError(
                _("This instalment is not payable yet: its condition (%(trigger)s) is not met.")
                % {"trigger": current.get_trigger_display()}
            )
        decided = current.application.decided_at
        if decided and paid_on < timezone.localdate(decided):
            raise ValidationError({"paid_on": _("The payment date cannot be before the decision.")})
        unpaid = current.amount - current.paid_amount
        if Decimal(amount) > unpaid:
            raise ValidationError(
                {
                    "amount": _("Only %(unpaid)s € of this instalment is unpaid.")
                    % {"unpaid": unpaid}
                }
            )
        payment = Payment.objects.create(
            instalment=current,
            paid_on=paid_on,
            amount=amount,
            reference=reference,
            recorded_by=by,
        )
        audit_record(
            action=AuditAction.PAYMENT_RECORDED,
            actor=by,
            target=current.application,
            amount=str(payment.amount),
        )
    return payment


def report_submit(
    *,
    application: Application,
    by: User,
    kind: str,
    results: str,
    spent: Decimal,
    lessons: str = "",
    outcome: str = "",
    measurements: list[tuple[Indicator, Decimal]] | None = None,
) -> Report:
    """The interim or final report. The final one writes the results and lessons into the
    experiment, ends it (and marks it evaluated when lessons are given) and makes it public, so
    it enters the case bank."""
    if application.status != lifecycle.APPROVED:
        raise ValidationError(_("Only a funded experiment reports."))
    if not results.strip():
        raise ValidationError({"results": _("Write what came of the experiment.")})
    if spent is None or Decimal(spent) < 0:
        raise ValidationError({"spent": _("Give the money spent in euros, zero or more.")})
    if kind == ReportKind.FINAL and not outcome:
        raise ValidationError({"outcome": _("Choose the outcome: a failure is a result too.")})
    with transaction.atomic():
        if Report.objects.filter(application=application, kind=kind).exists():
            raise ValidationError(_("This report has already been submitted."))
        if (
            kind == ReportKind.INTERIM
            and Report.objects.filter(application=application, kind=ReportKind.FINAL).exists()
        ):
            raise ValidationError(
                _("The final report has been submitted: an interim report no longer applies.")
            )
        report = Report.objects.create(
            application=application,
            kind=kind,
            results=results.strip(),
            lessons=lessons.strip(),
            outcome=outcome,
            spent=spent,
            submitted_by=by,
        )
        experiment = application.experiment
        today = timezone.localdate()
        for indicator, value in measurements or []:
            if indicator.experiment_id != experiment.pk:
                raise ValidationError(_("That indicator belongs to another experiment."))
            experiment_services.measurement_add(
                indicator=indicator, by=by, measured_on=today, value=value
            )
        trigger = (
            InstalmentTrigger.FINAL_REPORT
            if kind == ReportKind.FINAL
            else InstalmentTrigger.INTERIM_REPORT
        )
        instalments_make_payable(application=application, trigger=trigger)
        if kind == ReportKind.FINAL:
            _experiment_conclude(experiment, by=by, report=report)
    return report


def _experiment_conclude(experiment: Experiment, *, by: User, report: Report) -> None:
    # The moves left to its end, by the lifecycle's rules; none once it has ended.
    path = stages.path(experiment.status, stages.ENDED) or []
    for stage in path:
        experiment_services.experiment_transition(
            experiment=experiment,
            to=stage,
            by=by,
            results=report.results,
            outcome=report.outcome,
            lessons=report.lessons or None,
        )
    if experiment.status == Status.ENDED and report.lessons:
        experiment_services.experiment_transition(
            experiment=experiment, to=Status.EVALUATED, by=by, lessons=report.lessons
        )
    if not path:  # already ended before the report: the report's words replace the old ones
        experiment.results = report.results
        experiment.lessons = report.lessons or experiment.lessons
        experiment.save(update_fields=["results", "lessons", "updated_at"])
    if experiment.visibility != Visibility.PUBLIC:  # a funded experiment's results are public
        experiment_services.experiment_publish(
            experiment=experiment, by=by, visibility=Visibility.PUBLIC
        )


REMIND_DAYS_BEFORE = 7


def report_reminders_send_due(today: Any = None) -> int:
    """A reminder a week before the final report is due, another once it is overdue; each at
    most once per application (ReportReminder). Returns the e-mails sent."""
    today = today or timezone.localdate()
    sent = 0
    approved = (
        Application.objects.filter(status=lifecycle.APPROVED)
        .exclude(reports__kind=ReportKind.FINAL)
        .select_related("call", "experiment", "applicant", "created_by")
    )
    for application in approved:
        due = report_due_on(application)
        if due is None:
            continue
        if due < today:
            kind = "overdue"
        elif (due - today).days <= REMIND_DAYS_BEFORE:
            kind = "before"
        else:
            continue
        with transaction.atomic():
            _reminder, created = ReportReminder.objects.get_or_create(
                application=application, kind=kind
            )
            if created:
                sent += notifications.report_reminder(application, kind=kind, due_on=due)
    return sent
