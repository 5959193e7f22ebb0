"""Writes of experiments: create, edit, move through the lifecycle, steps, indicators, reuse."""

import os
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ManyToManyRel, Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from digikunta.accounts.models import User
from digikunta.accounts.selectors import forget
from digikunta.core.markdown import render_markdown
from digikunta.core.permissions import can
from digikunta.core.slugs import unique_slug as core_unique_slug
from digikunta.experiments import lifecycle
from digikunta.experiments.models import (
    PUBLISHED,
    Attachment,
    Experiment,
    Follow,
    FollowUp,
    Indicator,
    JournalEntry,
    JournalEntryVersion,
    JournalPhoto,
    Measurement,
    Need,
    Status,
    Step,
    TeamMember,
    TeamRole,
    Theme,
    Transition,
    Visibility,
)
from digikunta.experiments.notifications import notify_transition, send_follow_up
from digikunta.experiments.search_text import experiment_index, experiment_text
from digikunta.experiments.selectors import lifecycle_state
from digikunta.experiments.similarity import enqueue_embeddings
from digikunta.moderation.services import check_may_post, check_not_blocked
from digikunta.organisations.models import Organisation
from digikunta.search.services import index_many

M2M_FIELDS = ("municipalities", "partners", "target_groups", "themes", "life_events")


def unique_slug(title: str) -> str:
    return core_unique_slug(Experiment, title, max_length=80, fallback="kokeilu")


def _split(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    m2m = {name: fields.pop(name) for name in M2M_FIELDS if name in fields}
    return fields, m2m


def experiment_create(
    *, by: User, owner: Organisation, at: datetime | None = None, **fields: Any
) -> Experiment:
    """Start an experiment as an idea of ``owner``; its creator leads it.

    The owner's municipality takes part by default. It is a draft unless ``visibility`` says
    otherwise: its creator may publish it (experiment_publish). ``at`` dates its start (its
    creation, first stage and publication) for a record made afterwards, such as the demo's;
    not in the future, now by default.
    """
    fields, m2m = _split(dict(fields))
    needs = fields.pop("needs", None)
    moment = timezone.now() if at is None else _recorded_at(at)
    with transaction.atomic():
        experiment = Experiment(
            owner=owner,
            created_by=by,
            slug=unique_slug(fields.get("title", "")),
            created_at=moment,
            **fields,
        )
        experiment.status = Status.IDEA
        if experiment.visibility in PUBLISHED:  # published at once (the API may ask so)
            experiment.published_at = moment
        _check_links(experiment, m2m)
        experiment.full_clean()
        experiment.save()
        for name, values in m2m.items():
            getattr(experiment, name).set(values)
        if owner.municipality_id and not m2m.get("municipalities"):
            # add() takes any primary key; django-stubs allows only an int (codes are text).
            experiment.municipalities.add(owner.municipality_id)  # type: ignore[arg-type]
        TeamMember.objects.create(experiment=experiment, user=by, role=TeamRole.LEAD)
        _forget_team_roles(by)
        Transition.objects.create(
            experiment=experiment, from_status="", to_status=Status.IDEA, by=by, at=moment
        )
        if needs is not None:
            needs_set(experiment=experiment, kinds=needs)
        experiment_index(experiment)
        enqueue_embeddings([experiment.pk])
    return experiment


def _recorded_at(at: datetime) -> datetime:
    """``at`` as the time of something recorded afterwards: never in the future."""
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > timezone.now():
        raise ValidationError(
            {"at": _("Give a time that has passed: a record cannot be dated in the future.")}
        )
    return at


def _check_links(experiment: Experiment, m2m: dict[str, Any]) -> None:
    """The many-to-many choices an experiment may take: no partner that is its owner, and no
    retired theme that it does not have already (a retired one it has may stay)."""
    themes = m2m.get("themes") or []
    if any(getattr(theme, "is_retired", False) for theme in themes):
        kept = set(experiment.themes.values_list("pk", flat=True)) if experiment.pk else set()
        retired = [t for t in themes if t.is_retired and t.pk not in kept]
        if retired:
            raise ValidationError(
                {
                    "themes": _("The theme “%(theme)s” is no longer in use: choose another.")
                    % {"theme": ", ".join(t.name for t in retired)}
                }
            )
    partners = m2m.get("partners")
    if partners and any(_pk(p) == experiment.owner_id for p in partners):
        raise ValidationError(
            {
                "partners": _(
                    "The owner organisation runs the experiment: choose other organisations "
                    "as its partners."
                )
            }
        )


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def experiment_update(*, experiment: Experiment, by: User, **fields: Any) -> Experiment:
    """Change an experiment's content; the stage changes only through experiment_transition.

    A new ``visibility`` publishes or unpublishes it: the caller checks that ``by`` may
    (the permission ``publish``)."""
    fields, m2m = _split(dict(fields))
    needs = fields.pop("needs", None)
    fields.pop("status", None)
    visibility = fields.pop("visibility", None)
    # What its stages asked for stays (lifecycle.kept_errors): the API cannot empty them.
    changed = [name for name, value in fields.items() if getattr(experiment, name) != value]
    kept = {name: fields[name] for name in ("results", "outcome", "lessons") if name in fields}
    errors = lifecycle.kept_errors(replace(experiment.lifecycle_state, **kept), changed)
    if errors:
        raise ValidationError(errors)
    _check_links(experiment, m2m)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(experiment, name, value)
        experiment.full_clean()
        experiment.save()
        for name, values in m2m.items():
            getattr(experiment, name).set(values)
        if needs is not None:
            needs_set(experiment=experiment, kinds=needs)
        if visibility == Visibility.DRAFT and experiment.visibility != Visibility.DRAFT:
            experiment_unpublish(experiment=experiment, by=by)
        elif visibility is not None and visibility != experiment.visibility:
            experiment_publish(experiment=experiment, by=by, visibility=visibility)
        experiment_index(experiment)
        enqueue_embeddings([experiment.pk])
    return experiment


def experiment_publish(*, experiment: Experiment, by: User, visibility: str) -> Experiment:
    """Show a draft (or a published experiment to another audience): ``visibility`` is public
    or members. The first publication's time is kept."""
    if visibility not in PUBLISHED:
        raise ValidationError({"visibility": _("Choose who may see the experiment.")})
    with transaction.atomic():
        current = Experiment.objects.select_for_update().get(pk=experiment.pk)
        current.visibility = visibility
        current.published_at = current.published_at or timezone.now()
        current.save(update_fields=["visibility", "published_at", "updated_at"])
        experiment_index(current)
    experiment.refresh_from_db()
    return experiment


def experiment_unpublish(*, experiment: Experiment, by: User) -> Experiment:
    """Take an experiment back to a draft: only its team, its organisation's administrators
    and the coordinators see it."""
    with transaction.atomic():
        current = Experiment.objects.select_for_update().get(pk=experiment.pk)
        current.visibility = Visibility.DRAFT
        current.published_at = None
        current.save(update_fields=["visibility", "published_at", "updated_at"])
        experiment_index(current)
    experiment.refresh_from_db()
    return experiment


def needs_set(*, experiment: Experiment, kinds: list[str]) -> None:
    experiment.needs.exclude(kind__in=kinds).delete()
    for kind in kinds:
        Need.objects.get_or_create(experiment=experiment, kind=kind)


def experiment_transition(
    *,
    experiment: Experiment,
    to: str,
    by: User | None,
    results: str | None = None,
    outcome: str | None = None,
    lessons: str | None = None,
    at: datetime | None = None,
) -> Experiment:
    """Move an experiment to the stage ``to``, recording who moved it and when.

    The rules are lifecycle.py's: ending requires results and an outcome, evaluating requires
    lessons, spreading a reuse by another organisation unless ``by`` is a coordinator. Results,
    outcome and lessons given here are saved with the move. ``at`` dates a move made earlier
    (the demo's timelines, a record written afterwards): not in the future and not before the
    experiment's previous move; now by default. Locks the row so that two people moving it at
    once cannot skip a stage.
    """
    with transaction.atomic():
        current = Experiment.objects.select_for_update().get(pk=experiment.pk)
        for name, value in (("results", results), ("outcome", outcome), ("lessons", lessons)):
            if value is not None:
                setattr(current, name, value)
        errors = lifecycle.transition_errors(
            lifecycle_state(current), to, by_coordinator=can(by, "attest_spread", current)
        )
        if errors:
            raise ValidationError(errors)
        moment = _move_time(current, at)
        previous = current.status
        Transition.objects.create(
            experiment=current, from_status=previous, to_status=to, by=by, at=moment
        )
        current.status = to
        current.save(update_fields=["status", "results", "outcome", "lessons", "updated_at"])
        experiment_index(current)
        if to == lifecycle.ENDED:
            follow_ups_schedule(experiment=current, ended_on=timezone.localdate(moment))
        notify_transition(current, from_status=previous, by=by)
    experiment.refresh_from_db()
    return experiment


def _move_time(experiment: Experiment, at: datetime | None) -> datetime:
    """When a move is recorded: ``at`` if it is plausible, now by default."""
    if at is None:
        return timezone.now()
    at = _recorded_at(at)
    last = experiment.transitions.order_by("-at").values_list("at", flat=True).first()
    if last is not None and at < last:
        raise ValidationError(
            {
                "at": _(
                    "Date the stage change on or after the experiment's previous one (%(date)s)."
                )
                % {"date": formats.date_format(timezone.localtime(last), "SHORT_DATE_FORMAT")}
            }
        )
    return at


def step_save(*, experiment: Experiment, step: Step | None = None, **fields: Any) -> Step:
    """Add a step at the end, or change one."""
    if step is None:
        last = experiment.steps.aggregate(last=Max("position"))["last"]
        step = Step(experiment=experiment, position=(last or 0) + 1)
    for name, value in fields.items():
        setattr(step, name, value)
    step.full_clean()
    step.save()
    experiment_index(experiment)
    return step


def step_move(*, step: Step, offset: int) -> None:
    """Move a step up (-1) or down (+1) in the order."""
    steps = list(step.experiment.steps.all())
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    target = index + offset
    if 0 <= target < len(steps):
        steps[index], steps[target] = steps[target], steps[index]
        with transaction.atomic():
            for position, s in enumerate(steps, start=1):
                if s.position != position:
                    s.position = position
                    s.save(update_fields=["position"])


def indicator_save(
    *, experiment: Experiment, indicator: Indicator | None = None, **fields: Any
) -> Indicator:
    if indicator is None:
        last = experiment.indicators.aggregate(last=Max("position"))["last"]
        indicator = Indicator(experiment=experiment, position=(last or 0) + 1)
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    experiment_index(experiment)
    return indicator


def measurement_add(
    *, indicator: Indicator, measured_on: date, value: Decimal, note: str = "", by: User | None
) -> Measurement:
    measurement = Measurement(
        indicator=indicator, measured_on=measured_on, value=value, note=note, recorded_by=by
    )
    measurement.full_clean()
    measurement.save()
    return measurement


def team_member_add(*, experiment: Experiment, user: User, role: str) -> TeamMember:
    member, _created = TeamMember.objects.update_or_create(
        experiment=experiment, user=user, defaults={"role": role}
    )
    _forget_team_roles(user)
    return member


def team_member_remove(*, member: TeamMember) -> None:
    """Take a person off the team; an experiment always keeps at least one lead."""
    others = member.experiment.team.filter(role=TeamRole.LEAD).exclude(pk=member.pk)
    if member.role == TeamRole.LEAD and not others.exists():
        raise ValidationError(_("An experiment needs a lead; name another lead first."))
    member.delete()
    _forget_team_roles(member.user)


def _forget_team_roles(user: User) -> None:
    """The request's memos of the person's teams (experiments.selectors.team_roles)."""
    forget(user, "_experiment_roles", "_team_roles", "_visibility_scope")


def experiment_reuse(*, original: Experiment, owner: Organisation, by: User) -> Experiment:
    """Start a similar experiment: copy the structure (steps, indicators, themes, target groups,
    life events) into a new idea of ``owner``, linked to the original. Results, lessons,
    measurements and the team are not copied: they belong to the original."""
    with transaction.atomic():
        copy = experiment_create(
            by=by,
            owner=owner,
            title=_("%(title)s (%(owner)s)")
            % {"title": original.title, "owner": owner.display_name},
            summary=original.summary,
            problem=original.problem,
            hypothesis=original.hypothesis,
            goal=original.goal,
            expected_benefit=original.expected_benefit,
            language=original.language,
            reused_from=original,
            themes=list(original.themes.in_use()),  # a retired theme is not given anew
            target_groups=list(original.target_groups.all()),
            life_events=list(original.life_events.all()),
        )
        Step.objects.bulk_create(
            Step(experiment=copy, position=s.position, title=s.title, goal=s.goal)
            for s in original.steps.all()
        )
        Indicator.objects.bulk_create(
            Indicator(
                experiment=copy,
                position=i.position,
                name=i.name,
                unit=i.unit,
                baseline=i.baseline,
                target=i.target,
            )
            for i in original.indicators.all()
        )
        experiment_index(copy)
    return copy


def journal_entry_create(
    *,
    experiment: Experiment,
    by: User,
    body: str,
    video_url: str = "",
    language: str = "fi",
    photo: Any = None,
    alt_text: str = "",
    attachment: Any = None,
    attachment_type: str = "",
) -> JournalEntry:
    """Post a journal entry with an optional processed photo (core.uploads.process_image) and an
    optional checked attachment. Files go through Django's storage API. The text is rendered
    here, once, and the HTML stored (core.markdown.render_markdown): views never render it.

    A blocked account, or one that posted its limit of entries for now, is refused first
    (moderation.services.check_may_post: 403 or 429, with the message)."""
    check_may_post(by, kind="journal_entry")
    with transaction.atomic():
        entry = JournalEntry(
            experiment=experiment, author=by, body=body, video_url=video_url, language=language
        )
        entry.full_clean()
        entry.body_html = render_markdown(entry.body)
        entry.save()
        if photo is not None:
            JournalPhoto.objects.create(
                entry=entry, image=photo.image, thumbnail=photo.thumbnail, alt_text=alt_text.strip()
            )
        if attachment is not None:
            original_name = (attachment.name or "")[-200:]
            # Stored under a random name: the original one is shown, never used as a path.
            attachment.name = uuid.uuid4().hex + os.path.splitext(original_name)[1].lower()
            Attachment.objects.create(
                entry=entry,
                file=attachment,
                name=original_name,
                content_type=attachment_type,
                size=attachment.size,
            )
        experiment_index(experiment)
    return entry


def journal_entry_update(*, entry: JournalEntry, by: User, **fields: Any) -> JournalEntry:
    """Edit an entry's text; the previous text, with its stored HTML, is kept in the version
    history, and the new text is rendered and stored (core.markdown.render_markdown). A blocked
    account may not edit (moderation.services.check_not_blocked)."""
    check_not_blocked(by)
    with transaction.atomic():
        stored = JournalEntry.objects.select_for_update().get(pk=entry.pk)
        if any(getattr(stored, name) != value for name, value in fields.items()):
            JournalEntryVersion.objects.create(
                entry=stored,
                body=stored.body,
                body_html=stored.body_html,
                video_url=stored.video_url,
                edited_by=by,
            )
            for name, value in fields.items():
                setattr(stored, name, value)
            stored.full_clean()
            stored.body_html = render_markdown(stored.body)
            stored.save()
            experiment_index(stored.experiment)
    entry.refresh_from_db()
    return entry


FOLLOW_UP_MONTHS = (6, 12)


def follow_ups_schedule(*, experiment: Experiment, ended_on: date | None = None) -> None:
    """Plan the 6- and 12-month questions "did the change last?" (idempotent)."""
    ended_on = ended_on or timezone.localdate()
    for months in FOLLOW_UP_MONTHS:
        FollowUp.objects.get_or_create(
            experiment=experiment,
            months=months,
            defaults={"due_on": ended_on + timedelta(days=round(months * 30.44))},
        )


def follow_ups_send_due(*, today: date | None = None) -> int:
    """Send the follow-up questions that are due and not yet sent; returns how many."""
    today = today or timezone.localdate()
    sent = 0
    due = FollowUp.objects.filter(due_on__lte=today, sent_at__isnull=True).select_related(
        "experiment__owner"
    )
    for follow_up in due:
        with transaction.atomic():
            # Claim the row first, so two runs at once never send the same question twice.
            claimed = FollowUp.objects.filter(pk=follow_up.pk, sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
            if claimed:
                send_follow_up(follow_up)
                sent += 1
    return sent


def follow_up_answer(
    *,
    follow_up: FollowUp,
    by: User,
    lasted: str,
    note: str = "",
    values: dict[Indicator, Decimal] | None = None,
) -> FollowUp:
    """Record the lead's answer and any fresh indicator values; shown on the experiment page."""
    with transaction.atomic():
        follow_up.lasted = lasted
        follow_up.note = note
        follow_up.answered_at = timezone.now()
        follow_up.answered_by = by
        follow_up.full_clean()
        follow_up.save()
        for indicator, value in (values or {}).items():
            measurement_add(
                indicator=indicator,
                measured_on=timezone.localdate(),
                value=value,
                note=f"+{follow_up.months}",
                by=by,
            )
    return follow_up


def follow_set(
    *, user: User, following: bool, experiment: Experiment | None = None, municipality: Any = None
) -> None:
    """Start or stop following an experiment or a municipality (idempotent)."""
    target: dict[str, Any] = (
        {"experiment": experiment} if experiment is not None else {"municipality": municipality}
    )
    if following:
        Follow.objects.get_or_create(user=user, **target)
    else:
        Follow.objects.filter(user=user, **target).delete()


# --- The theme taxonomy, managed by the coordinators (issue 10) ------------------------------


def theme_create(*, by: User, name_fi: str, name_sv: str, name_en: str = "") -> Theme:
    """Add a theme at the end of the list; its identifier comes from the Finnish name and is
    never changed afterwards (links, the API and import files use it)."""
    with transaction.atomic():
        theme = Theme(
            name_fi=name_fi.strip(),
            name_sv=name_sv.strip(),
            name_en=name_en.strip(),
            slug=core_unique_slug(Theme, name_fi, max_length=50, fallback="teema"),
            position=(Theme.objects.aggregate(last=Max("position"))["last"] or 0) + 1,
        )
        _check_theme_name(theme)
        theme.full_clean()
        theme.save()
    return theme


def theme_update(
    *, theme: Theme, by: User, name_fi: str, name_sv: str, name_en: str = "", position: int
) -> Theme:
    """Rename a theme or move it in the list. The experiments that have it are indexed again,
    since their search text holds the theme's Finnish and Swedish names."""
    with transaction.atomic():
        stored = Theme.objects.select_for_update().get(pk=theme.pk)
        renamed = (stored.name_fi, stored.name_sv) != (name_fi.strip(), name_sv.strip())
        stored.name_fi, stored.name_sv, stored.name_en = (
            name_fi.strip(),
            name_sv.strip(),
            name_en.strip(),
        )
        stored.position = position
        _check_theme_name(stored)
        stored.full_clean()
        stored.save()
        if renamed:
            _reindex(list(stored.experiments.values_list("pk", flat=True)))
    theme.refresh_from_db()
    return theme


def _check_theme_name(theme: Theme) -> None:
    others = Theme.objects.exclude(pk=theme.pk)
    for name in ("name_fi", "name_sv"):
        value = getattr(theme, name)
        if value and others.filter(**{f"{name}__iexact": value}).exists():
            raise ValidationError(
                {name: _("Another theme has this name already: choose another name.")}
            )


def theme_retire(*, theme: Theme, by: User, is_retired: bool = True) -> Theme:
    """Stop offering a theme for new tagging (or offer it again): the experiments and calls
    that have it keep it."""
    theme.is_retired = is_retired
    theme.save(update_fields=["is_retired"])
    return theme


def theme_merge(*, theme: Theme, into: Theme, by: User) -> int:
    """Merge ``theme`` into ``into``: everything tagged with it (experiments, funding calls)
    gets ``into`` instead, and ``theme`` is retired, so no tag is lost and its identifier
    stays reserved. Returns how many experiments it moved."""
    if into.pk == theme.pk or into.is_retired:
        raise ValidationError({"into": _("Choose another theme in use to merge it into.")})
    with transaction.atomic():
        moved = _move_theme_links(theme, into)
        theme.is_retired = True
        theme.save(update_fields=["is_retired"])  # stales the pages that name themes
        _reindex(moved)
    return len(moved)


def _move_theme_links(source: Theme, target: Theme) -> list[int]:
    """Tag with ``target`` everything tagged with ``source``, in bulk, through every
    many-to-many table that points at Theme (experiments, funding calls…), and untag
    ``source``. Returns the ids of the experiments that had ``source``."""
    experiments: list[int] = []
    for relation in Theme._meta.related_objects:
        if not isinstance(relation, ManyToManyRel):  # the many-to-many ones
            continue
        through: Any = relation.through  # a model class once the apps are loaded
        owner = relation.field.m2m_field_name() + "_id"  # e.g. experiment_id
        tag = relation.field.m2m_reverse_field_name() + "_id"  # theme_id
        tagged = set(through.objects.filter(**{tag: source.pk}).values_list(owner, flat=True))
        having = set(
            through.objects.filter(**{tag: target.pk, f"{owner}__in": tagged}).values_list(
                owner, flat=True
            )
        )
        through.objects.bulk_create(
            [through(**{owner: pk, tag: target.pk}) for pk in sorted(tagged - having)]
        )
        through.objects.filter(**{tag: source.pk}).delete()
        if relation.related_model is Experiment:
            experiments = sorted(tagged)
    return experiments


def _reindex(experiment_ids: list[int]) -> None:
    """Index these experiments' search text again, in one upsert (the search engine follows)."""
    if experiment_ids:
        experiments = (
            Experiment.objects.filter(pk__in=experiment_ids)
            .select_related("owner")
            .prefetch_related("themes", "municipalities", "steps", "indicators", "journal")
        )
        index_many(experiments, experiment_text)
