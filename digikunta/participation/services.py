"""Every write of resident participation, in a transaction, with a translated ValidationError
when a rule is broken (lifecycle.py for the phases, eligibility.py for who may take part)."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from digikunta.accounts.models import User
from digikunta.core.markdown import render_markdown
from digikunta.core.slugs import unique_slug
from digikunta.experiments.models import Experiment, Theme
from digikunta.moderation.services import check_may_post, check_not_blocked
from digikunta.municipalities.models import Municipality
from digikunta.organisations.models import Organisation
from digikunta.participation import eligibility, lifecycle, notifications
from digikunta.participation.lifecycle import Action
from digikunta.participation.models import (
    Answer,
    Basis,
    Declaration,
    Idea,
    IdeaFollow,
    IdeaImage,
    Phase,
    Process,
    ResidentProfile,
    Support,
)
from digikunta.participation.search_text import idea_index
from digikunta.search.services import remove_object


def _check_bases(bases: Sequence[str]) -> list[str]:
    chosen = [basis for basis in Basis.values if basis in set(bases)]
    if not chosen or len(chosen) != len(set(bases)):
        raise ValidationError(
            {"eligible_bases": _("Choose at least one group of people who may take part.")}
        )
    return chosen


def _render(process: Process) -> None:
    process.description_html = render_markdown(process.description)
    process.description_sv_html = (
        render_markdown(process.description_sv) if process.description_sv else ""
    )


def process_create(
    *,
    by: User,
    organiser: Organisation,
    municipalities: Iterable[Municipality],
    title: str,
    description: str,
    eligible_bases: Sequence[str],
    title_sv: str = "",
    description_sv: str = "",
) -> Process:
    """Open a process in draft: nobody outside the organiser sees it until it is published."""
    area = list(municipalities)
    if not area:
        raise ValidationError({"municipalities": _("Choose the municipalities of the process.")})
    with transaction.atomic():
        process = Process(
            organiser=organiser,
            title=title.strip(),
            title_sv=title_sv.strip(),
            description=description,
            description_sv=description_sv,
            eligible_bases=_check_bases(eligible_bases),
            created_by=by,
            slug=unique_slug(Process, title, max_length=80, fallback="process"),
        )
        process.full_clean()
        _render(process)
        process.save()
        process.municipalities.set(area)
    return process


def process_update(
    *,
    process: Process,
    municipalities: Iterable[Municipality] | None = None,
    **fields: Any,
) -> Process:
    with transaction.atomic():
        stored = Process.objects.select_for_update().get(pk=process.pk)
        if "eligible_bases" in fields:
            fields["eligible_bases"] = _check_bases(fields["eligible_bases"])
        for name, value in fields.items():
            setattr(stored, name, value)
        stored.full_clean()
        _render(stored)
        stored.save()
        if municipalities is not None:
            area = list(municipalities)
            if not area:
                raise ValidationError(
                    {"municipalities": _("Choose the municipalities of the process.")}
                )
            stored.municipalities.set(area)
            process.__dict__.pop("area", None)
    return stored


def phases_set(*, process: Process, phases: Sequence[dict[str, Any]]) -> list[Phase]:
    """Replace the process's phases with ``phases`` (kind, starts_on, ends_on, descriptions),
    which must come in order without overlapping."""
    kinds = [phase["kind"] for phase in phases]
    if len(kinds) != len(set(kinds)):
        raise ValidationError(_("Each phase can appear only once."))
    rows = [Phase(process=process, **phase) for phase in phases]
    for row in rows:
        row.full_clean(exclude=["process"], validate_unique=False, validate_constraints=False)
        if row.ends_on < row.starts_on:
            raise ValidationError(
                _("The %(phase)s phase ends before it starts.") % {"phase": row.get_kind_display()}
            )
    problems = lifecycle.phase_problems(rows)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        process.phases.all().delete()
        Phase.objects.bulk_create(rows)
    process.__dict__.pop("phase_list", None)  # read again on next use
    return rows


def process_publish(*, process: Process, at: Any = None) -> Process:
    if not process.phases.exists():
        raise ValidationError(_("Add the phases and their dates before publishing."))
    with transaction.atomic():
        Process.objects.filter(pk=process.pk, published_at__isnull=True).update(
            published_at=at or timezone.now()
        )
    process.refresh_from_db()
    return process


def profile_set(
    *,
    user: User,
    home_municipality: Municipality | None,
    summer_municipalities: Iterable[Municipality],
) -> ResidentProfile:
    with transaction.atomic():
        profile, _created = ResidentProfile.objects.get_or_create(user=user)
        profile.home_municipality = home_municipality
        profile.save()
        profile.summer_municipalities.set(list(summer_municipalities))
    return profile


def declare(
    *, user: User, process: Process, basis: str, municipality: Municipality | None
) -> Declaration:
    """Record how the person stands in the process, with the statement they agreed to. A
    person declares once per process; a new declaration replaces the old (they moved)."""
    if basis not in process.eligible_bases or basis == Basis.SIGNED_IN:
        raise ValidationError({"basis": _("This process does not take part on that basis.")})
    if municipality is None or not process.municipalities.filter(pk=municipality.pk).exists():
        raise ValidationError(
            {"municipality": _("Choose one of the municipalities of the process.")}
        )
    with transaction.atomic():
        declaration, _created = Declaration.objects.update_or_create(
            user=user,
            process=process,
            defaults={
                "basis": basis,
                "municipality": municipality,
                "statement": eligibility.statement(basis, municipality),
                "declared_at": timezone.now(),
            },
        )
    eligibility.forget(process)
    return declaration


def check_can(user: User, process: Process, action: Action, *, today: date | None = None) -> None:
    """Raise a ValidationError naming why ``user`` cannot do ``action`` in the process now."""
    problem = lifecycle.action_problem(
        process.phase_list,
        action,
        today or timezone.localdate(),
        published=process.is_published,
    ) or eligibility.eligibility_problem(user, process)
    if problem:
        raise ValidationError(problem, code="not_allowed")


def _coordinates(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    if latitude in (None, "") or longitude in (None, ""):
        raise ValidationError(_("Give both the latitude and the longitude, or neither."))
    return Decimal(str(latitude)), Decimal(str(longitude))


def idea_create(
    *,
    by: User,
    process: Process,
    title: str,
    body: str,
    language: str = "fi",
    theme: Theme | None = None,
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    photo: Any = None,
    alt_text: str = "",
) -> Idea:
    """Post an idea. Its author follows it, to be told of the answer and the comments. A
    blocked account, or one posting too fast, is refused (moderation.services)."""
    check_can(by, process, Action.POST_IDEA)
    check_may_post(by, kind="idea")
    if theme is not None and theme.is_retired:
        raise ValidationError({"theme": _("This theme is retired; choose another.")})
    lat, lon = _coordinates(latitude, longitude)
    with transaction.atomic():
        idea = Idea(
            process=process,
            author=by,
            title=title.strip(),
            body=body,
            language=language,
            theme=theme,
            address=address.strip(),
            latitude=lat,
            longitude=lon,
        )
        idea.full_clean()
        idea.body_html = render_markdown(idea.body)
        idea.save()
        if photo is not None:
            if not alt_text.strip():
                raise ValidationError({"alt_text": _("Describe what the photo shows.")})
            IdeaImage.objects.create(
                idea=idea, image=photo.image, thumbnail=photo.thumbnail, alt_text=alt_text.strip()
            )
        IdeaFollow.objects.create(idea=idea, user=by)
        Process.objects.filter(pk=process.pk).update(idea_count=F("idea_count") + 1)
        idea_index(idea)
    return idea


def idea_update(*, idea: Idea, by: User, **fields: Any) -> Idea:
    check_not_blocked(by)
    with transaction.atomic():
        stored = Idea.objects.select_for_update().get(pk=idea.pk)
        if "latitude" in fields or "longitude" in fields:
            fields["latitude"], fields["longitude"] = _coordinates(
                fields.get("latitude"), fields.get("longitude")
            )
        for name, value in fields.items():
            setattr(stored, name, value.strip() if name in {"title", "address"} else value)
        stored.full_clean()
        stored.body_html = render_markdown(stored.body)
        stored.edited_at = timezone.now()
        stored.save()
        if not stored.is_hidden:
            idea_index(stored)
    return stored


def idea_delete(*, idea: Idea) -> None:
    with transaction.atomic():
        answered = Answer.objects.filter(idea=idea).exists()
        remove_object(idea)
        idea.delete()
        Process.objects.filter(pk=idea.process_id).update(
            idea_count=F("idea_count") - 1,
            answered_count=F("answered_count") - (1 if answered else 0),
        )


def support_add(*, user: User, idea: Idea) -> bool:
    """Support the idea; True when this call added the support. The same person pressing many
    times at once counts once: the unique row decides, and the count moves only with it."""
    check_can(user, idea.process, Action.SUPPORT)
    if idea.is_hidden:
        raise ValidationError(_("The moderators have hidden this idea."), code="hidden")
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, user=user)
            Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:
        return False
    return True


def support_remove(*, user: User, idea: Idea) -> bool:
    """Withdraw the support; True when there was one to withdraw."""
    with transaction.atomic():
        deleted, _rows = Support.objects.filter(idea=idea, user=user).delete()
        if deleted:
            Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
    return bool(deleted)


def idea_follow(*, user: User, idea: Idea, follow: bool = True) -> None:
    with transaction.atomic():
        if follow:
            IdeaFollow.objects.get_or_create(idea=idea, user=user)
        else:
            IdeaFollow.objects.filter(idea=idea, user=user).delete()


def answer_set(*, idea: Idea, by: User, status: str, reasoning: str, office: str) -> Answer:
    """Give or change the official answer; the author, supporters and followers are told."""
    with transaction.atomic():
        answer = Answer.objects.select_for_update().filter(idea=idea).first()
        first = answer is None
        if answer is None:
            answer = Answer(idea=idea, answered_by=by)
        answer.status = status
        answer.reasoning = reasoning
        answer.office = office.strip()
        answer.answered_by = by
        answer.full_clean()
        answer.reasoning_html = render_markdown(answer.reasoning)
        answer.save()
        if first:
            Process.objects.filter(pk=idea.process_id).update(
                answered_count=F("answered_count") + 1
            )
            Idea.objects.filter(pk=idea.pk).update(answered_at=answer.answered_at)
        notifications.notify_answer(idea, by=by)
    return answer


def idea_link_experiment(*, idea: Idea, experiment: Experiment | None) -> Idea:
    """Link the idea to the experiment that takes it forward (or unlink it)."""
    with transaction.atomic():
        idea.experiment = experiment
        idea.save(update_fields=["experiment"])  # a save: the experiment's page is staled
        if experiment is not None:
            notifications.notify_experiment_link(idea)
    return idea
