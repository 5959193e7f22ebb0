"""Every write of citizens' panels, in a transaction, with a translated ValidationError when a
rule is broken (lifecycle.py for what each state allows, draw.py for the lot).

Each write that the draw depends on locks the panel's row first (registering, withdrawing,
closing, drawing, answering, replacing), so two declines at once never draw the same reserve
and nobody registers into a list that has just been published.
"""

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from digikunta.accounts.models import User
from digikunta.core.markdown import render_markdown
from digikunta.municipalities.models import Municipality
from digikunta.panels import draw, lifecycle, notifications
from digikunta.panels.models import (
    TRAIT_ORDER,
    AgeBand,
    CitizensPanel,
    Gender,
    Language,
    LeaveReason,
    PanelState,
    Replacement,
    Trait,
    Volunteer,
    VolunteerStatus,
)
from digikunta.panels.selectors import draw_volunteers
from digikunta.participation import eligibility
from digikunta.participation.models import Process

# Public codes: "V-" and four characters that cannot be mistaken for each other (no 0/O, 1/I).
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 4
SEED_MAX = 200


def new_code() -> str:
    return "V-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _locked(panel: CitizensPanel) -> CitizensPanel:
    return CitizensPanel.objects.select_for_update().select_related("process").get(pk=panel.pk)


def _check_traits(traits: Sequence[str]) -> list[str]:
    unknown = set(traits) - set(Trait.values)
    if unknown:
        raise ValidationError({"stratify_by": _("Choose among the traits offered.")})
    return [str(trait) for trait in TRAIT_ORDER if trait in set(traits)]


def _check_closing(moment: datetime) -> None:
    if moment <= timezone.now():
        raise ValidationError({"registration_closes_at": _("Choose a closing time in the future.")})


def _render(panel: CitizensPanel) -> None:
    panel.description_html = render_markdown(panel.description)
    panel.description_sv_html = (
        render_markdown(panel.description_sv) if panel.description_sv else ""
    )


def panel_create(
    *,
    by: User,
    process: Process,
    title: str,
    description: str,
    seats: int,
    registration_closes_at: datetime,
    stratify_by: Sequence[str] = (),
    title_sv: str = "",
    description_sv: str = "",
    answer_days: int = 14,
    seed_plan: str = "",
) -> CitizensPanel:
    """Set up a panel for the process, in draft: only those who run the process see it until
    it is published. The caller has checked that ``by`` runs the process."""
    _check_closing(registration_closes_at)
    panel = CitizensPanel(
        process=process,
        title=title.strip(),
        title_sv=title_sv.strip(),
        description=description,
        description_sv=description_sv,
        seats=seats,
        stratify_by=_check_traits(stratify_by),
        registration_closes_at=registration_closes_at,
        answer_days=answer_days,
        seed_plan=seed_plan.strip(),
        created_by=by,
    )
    panel.full_clean()
    _render(panel)
    with transaction.atomic():
        panel.save()
    return panel


def panel_update(*, panel: CitizensPanel, **fields: Any) -> CitizensPanel:
    """Change what the panel's state still allows (lifecycle.EDITABLE); a field that the
    state has fixed is refused by name when it would change."""
    with transaction.atomic():
        stored = _locked(panel)
        if "stratify_by" in fields:
            fields["stratify_by"] = _check_traits(fields["stratify_by"])
        allowed = lifecycle.editable(stored.state)
        problems = {
            name: lifecycle.edit_problem(stored.state, name)
            for name, value in fields.items()
            if name not in allowed and getattr(stored, name) != value
        }
        if problems:
            raise ValidationError(problems)
        if (
            "registration_closes_at" in fields
            and fields["registration_closes_at"] != stored.registration_closes_at
        ):
            _check_closing(fields["registration_closes_at"])
        for name, value in fields.items():
            setattr(stored, name, value.strip() if name in {"title", "title_sv"} else value)
        stored.full_clean()
        _render(stored)
        stored.save()
    return stored


def panel_publish(*, panel: CitizensPanel) -> CitizensPanel:
    """Open registration: the panel shows on its process's page and residents volunteer."""
    with transaction.atomic():
        stored = _locked(panel)
        if stored.state != PanelState.DRAFT:
            raise ValidationError(_("The panel has been published already."))
        if not stored.process.is_published:
            raise ValidationError(
                _("Publish the process first: the panel is shown on the process's page.")
            )
        _check_closing(stored.registration_closes_at)
        stored.state = PanelState.OPEN
        stored.published_at = timezone.now()
        stored.save(update_fields=["state", "published_at", "updated_at"])
    return stored


def _trait_values(
    panel: CitizensPanel,
    *,
    age_band: str,
    area: Municipality | None,
    language: str,
    gender: str,
) -> dict[str, Any]:
    """The volunteer's traits that the panel asks for; the others are not stored."""
    traits = panel.traits
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if Trait.AGE_BAND in traits:
        if age_band not in AgeBand.values:
            errors["age_band"] = _("Choose your age band.")
        values["age_band"] = age_band
    if Trait.AREA in traits:
        if area is None or not panel.process.municipalities.filter(pk=area.pk).exists():
            errors["area"] = _("Choose one of the municipalities of the process.")
        values["area"] = area
    if Trait.LANGUAGE in traits:
        if language not in Language.values:
            errors["language"] = _("Choose the language you speak best.")
        values["language"] = language
    if Trait.GENDER in traits:
        gender = gender or Gender.NOT_GIVEN
        if gender not in Gender.values:
            errors["gender"] = _("Choose one of the options, or “prefer not to say”.")
        values["gender"] = gender
    if errors:
        raise ValidationError(errors)
    return values


def volunteer_register(
    *,
    panel: CitizensPanel,
    user: User,
    consent_contact: bool,
    age_band: str = "",
    area: Municipality | None = None,
    language: str = "",
    gender: str = "",
) -> Volunteer:
    """Put the person on the list of volunteers with a new public code.

    They must stand in the process (participation.eligibility: a resident of its area, or as
    the process allows) and agree to be contacted. One registration per person and panel: the
    panel's lock serialises registrations and the unique constraint stands behind it.
    """
    if not panel.is_registration_open():
        raise ValidationError(_("Registration for this panel has closed."), code="closed")
    problem = eligibility.eligibility_problem(user, panel.process)
    if problem:
        raise ValidationError(problem, code="not_allowed")
    values = _trait_values(panel, age_band=age_band, area=area, language=language, gender=gender)
    if not consent_contact:
        raise ValidationError(
            {
                "consent_contact": _(
                    "Tick the box to agree to an e-mail if you are drawn; without it we "
                    "cannot invite you."
                )
            }
        )
    with transaction.atomic():
        stored = _locked(panel)
        if not stored.is_registration_open():
            raise ValidationError(_("Registration for this panel has closed."), code="closed")
        for _attempt in range(10):
            if Volunteer.objects.filter(panel=stored, user=user).exists():
                raise ValidationError(
                    _("You have registered for this panel already."), code="duplicate"
                )
            try:
                with transaction.atomic():
                    return Volunteer.objects.create(
                        panel=stored, user=user, code=new_code(), consent_contact=True, **values
                    )
            except IntegrityError:
                continue  # the code was taken (or the person registered meanwhile): look again
    raise ValidationError(_("Registration failed; try again."))


def volunteer_withdraw(*, volunteer: Volunteer) -> None:
    """Take the person off the list, while it is not yet published."""
    with transaction.atomic():
        panel = _locked(volunteer.panel)
        if panel.is_list_frozen():
            raise ValidationError(
                _(
                    "Registration has closed and the list of volunteers is published, so it no "
                    "longer changes. If you are drawn, you can decline the invitation."
                )
            )
        Volunteer.objects.filter(pk=volunteer.pk).delete()


def panel_close(*, panel: CitizensPanel) -> CitizensPanel:
    """Close registration now: the list of volunteers is published as it stands."""
    with transaction.atomic():
        stored = _locked(panel)
        if stored.state != PanelState.OPEN:
            raise ValidationError(_("Registration is not open."))
        stored.state = PanelState.CLOSED
        stored.closed_at = timezone.now()
        stored.save(update_fields=["state", "closed_at", "updated_at"])
    return stored


def panel_draw(*, panel: CitizensPanel, by: User, seed: str = "") -> CitizensPanel:
    """Draw the panel by stratified lot from the published list (draw.py), once.

    ``seed`` is the one announced in the seed plan (lottery numbers, say), typed as it is
    published; empty, a random one is made now (32 hexadecimal characters), so that nobody,
    the organiser included, knows it before the draw. Either way it is published with the
    draw, and anyone can re-run it (ADR 0022).
    """
    seed = seed.strip()
    if len(seed) > SEED_MAX:
        raise ValidationError(
            {"seed": _("The seed can be at most %(max)s characters.") % {"max": SEED_MAX}}
        )
    with transaction.atomic():
        stored = _locked(panel)
        if stored.is_drawn:
            raise ValidationError(_("The panel has been drawn already; a draw is never redone."))
        if not stored.is_list_frozen():
            raise ValidationError(
                _("Close registration first: the list of volunteers is published before the draw.")
            )
        if stored.seed_plan and not seed:
            raise ValidationError(
                {"seed": _("Type the seed as announced: %(plan)s") % {"plan": stored.seed_plan}}
            )
        rows = list(stored.volunteers.all())
        if not rows:
            raise ValidationError(_("Nobody has volunteered, so there is no one to draw."))
        seed = seed or secrets.token_hex(16)
        result = draw.draw(seed, draw_volunteers(stored, rows), stored.seats)
        place = {
            code: (index + 1, index < stratum.quota)
            for stratum in result.strata
            for index, code in enumerate(stratum.order)
        }
        for row in rows:
            row.position, is_drawn = place[row.code]
            row.status = VolunteerStatus.DRAWN if is_drawn else VolunteerStatus.RESERVE
        Volunteer.objects.bulk_update(rows, ["position", "status"])
        now = timezone.now()
        stored.seed = seed
        stored.state = PanelState.DRAWN
        stored.closed_at = stored.closed_at or now
        stored.drawn_at = now
        stored.drawn_by = by
        stored.save(
            update_fields=["seed", "state", "closed_at", "drawn_at", "drawn_by", "updated_at"]
        )
    return stored


def _is_reachable(volunteer: Volunteer) -> bool:
    return volunteer.user is not None and volunteer.user.is_active


class _Seats:
    """The seats of a locked, drawn panel while a service moves people in and out of them."""

    def __init__(self, panel: CitizensPanel) -> None:
        self.panel = panel
        self.rows = {row.code: row for row in panel.volunteers.select_related("user")}
        self.history = list(
            Replacement.objects.filter(panel=panel)
            .order_by("number")
            .values_list("left__code", flat=True)
        )
        self.result = draw.draw(panel.seed, draw_volunteers(panel, self.rows.values()), panel.seats)
        self.invited: list[int] = []
        self.now = timezone.now()

    def invite(self, volunteer: Volunteer) -> None:
        """Invite a drawn person, or, if they can no longer be reached (their account was
        erased or closed), give their seat on at once."""
        if not _is_reachable(volunteer):
            self.leave(volunteer, LeaveReason.UNREACHABLE)
            return
        volunteer.status = VolunteerStatus.INVITED
        volunteer.invited_at = self.now
        volunteer.answer_by = self.now + timedelta(days=self.panel.answer_days)
        volunteer.save(update_fields=["status", "invited_at", "answer_by"])
        self.invited.append(volunteer.pk)

    def leave(self, volunteer: Volunteer, reason: str) -> list[Replacement]:
        """Record that ``volunteer`` left their seat and draw who comes instead (draw.replay
        over the whole history, so the site and the published script agree)."""
        written = []
        leaving = [(volunteer, reason)]
        while leaving:
            person, why = leaving.pop(0)
            person.status = {
                LeaveReason.DECLINED: VolunteerStatus.DECLINED,
                LeaveReason.NO_ANSWER: VolunteerStatus.NO_ANSWER,
                LeaveReason.UNREACHABLE: VolunteerStatus.UNREACHABLE,
            }[LeaveReason(why)]
            if why == LeaveReason.DECLINED:
                person.answered_at = self.now
            person.save(update_fields=["status", "answered_at"])
            self.history.append(person.code)
            last = draw.replay(self.result, self.history).replacements[-1]
            drawn = self.rows[last.drawn] if last.drawn else None
            written.append(
                Replacement.objects.create(
                    panel=self.panel,
                    number=len(self.history),
                    left=person,
                    reason=why,
                    drawn=drawn,
                    at=self.now,
                )
            )
            if drawn is None:
                continue
            if not self.panel.invitations_sent_at:
                drawn.status = VolunteerStatus.DRAWN
                drawn.save(update_fields=["status"])
            elif _is_reachable(drawn):
                self.invite(drawn)
            else:
                leaving.append((drawn, LeaveReason.UNREACHABLE))
        return written

    def send(self) -> None:
        notifications.notify_invited(self.invited)


def invitations_send(*, panel: CitizensPanel) -> int:
    """Invite every drawn member by e-mail, with the deadline to answer; returns how many
    were invited. A drawn person who can no longer be reached is replaced at once."""
    with transaction.atomic():
        stored = _locked(panel)
        if not stored.is_drawn:
            raise ValidationError(_("Draw the panel first."))
        if stored.invitations_sent_at:
            raise ValidationError(_("The invitations have been sent already."))
        stored.invitations_sent_at = timezone.now()
        stored.save(update_fields=["invitations_sent_at", "updated_at"])
        seats = _Seats(stored)
        for row in sorted(seats.rows.values(), key=lambda row: row.code):
            if row.status == VolunteerStatus.DRAWN:
                seats.invite(row)
        seats.send()
    return len(seats.invited)


def invitation_answer(*, volunteer: Volunteer, user: User, accept: bool) -> Volunteer:
    """The drawn person accepts their seat, or declines it, and then the next on the reserve
    list of their stratum is drawn and invited. A member who accepted may still give the seat
    up later, in the same way."""
    with transaction.atomic():
        stored = _locked(volunteer.panel)
        row = stored.volunteers.select_related("user").get(pk=volunteer.pk)
        if row.user_id != user.pk:
            raise ValidationError(_("This invitation is not yours."))
        if row.status == VolunteerStatus.ACCEPTED and accept:
            raise ValidationError(_("You have accepted already: you are a member of the panel."))
        if row.status == VolunteerStatus.DRAWN:
            raise ValidationError(_("The invitations have not been sent yet."))
        if row.status not in (VolunteerStatus.INVITED, VolunteerStatus.ACCEPTED):
            raise ValidationError(
                _("The invitation is no longer open: the seat has gone to the reserve list.")
            )
        if accept:
            row.status = VolunteerStatus.ACCEPTED
            row.answered_at = timezone.now()
            row.save(update_fields=["status", "answered_at"])
            return row
        seats = _Seats(stored)
        seats.leave(seats.rows[row.code], LeaveReason.DECLINED)
        seats.send()
        return seats.rows[row.code]


def member_mark_no_answer(*, volunteer: Volunteer) -> Replacement:
    """After the deadline, give the seat of someone who did not answer to the next on the
    reserve list of their stratum."""
    with transaction.atomic():
        stored = _locked(volunteer.panel)
        row = stored.volunteers.get(pk=volunteer.pk)
        if row.status != VolunteerStatus.INVITED or row.answer_by is None:
            raise ValidationError(_("Only an invitation still waiting for an answer can lapse."))
        if timezone.now() <= row.answer_by:
            raise ValidationError(
                _("The person has until %(date)s to answer.")
                % {"date": date_format(timezone.localtime(row.answer_by), "SHORT_DATETIME_FORMAT")}
            )
        seats = _Seats(stored)
        written = seats.leave(seats.rows[row.code], LeaveReason.NO_ANSWER)
        seats.send()
    return written[0]
