"""Who may do what in the accelerator: every role × every action, through the rules, the pages
and the API (issue 10, item 11). A cell that drifts fails with its role, its action, the
expected and the actual outcome.

One world per role (a draft, an application in review, an approved one, a call not published);
each write is made and undone in a savepoint, so every write starts from the same world.

The rules follow the organisation, not the experiment's team: a member, an admin and the
experiment's lead of the applicant organisation may do the same; the lead of the experiment who
is not in the organisation may do nothing (and is mailed links they cannot open: see
test_everyone_mailed_a_link_to_the_application_can_open_it). Superusers pass every rule
(ADR 0005).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from digikunta.accounts.models import PlatformRole, RoleAssignment, User
from digikunta.accounts.services import token_create
from digikunta.accounts.tests.factories import UserFactory
from digikunta.core.permissions import can
from digikunta.experiments.models import Experiment, Status
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding import services
from digikunta.funding.models import (
    Answer,
    Application,
    ApplicationStatus,
    Call,
    InstalmentTrigger,
    Question,
    QuestionKind,
    ReviewAssignment,
)
from digikunta.funding.tests.factories import CallFactory
from digikunta.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "outsider",  # signed in, no tie to the application
    "lead",  # leads the experiment and is a member of the applicant organisation
    "member",  # member of the applicant organisation, not on the experiment's team
    "org_admin",  # admin of the applicant organisation
    "outside_lead",  # leads the experiment, not a member of the applicant organisation
    "organiser",  # member of the organisation that organises the call
    "reviewer",  # reviewer assigned to the application
    "other_reviewer",  # reviewer, not assigned
    "conflicted",  # reviewer assigned, who declared a conflict of interest
    "revoked_reviewer",  # assigned, then the reviewer role was taken away
    "admin_staff",  # may open the technical admin site (is_staff), no platform role
    "coordinator",
    "superuser",
]
APPLICANTS = {"lead", "member", "org_admin"}
STAFF = {"coordinator", "superuser"}
# Django superusers pass every rule before any is asked (ADR 0005): they may also do what only
# the applicant may (edit, submit, withdraw, report). Superuser accounts are for technical
# administration only.
FOR_THE_APPLICANT = APPLICANTS | {"superuser"}
EVERYONE = set(ROLES)


@dataclass
class World:
    call: Call
    hidden: Call  # not published
    draft: Application  # complete, ready to submit
    in_review: Application  # reviewer assigned (not submitted yet), conflicted declared
    approved: Application  # reviewer's review submitted; approved with an interim instalment
    spare: Experiment  # an experiment of the applicant organisation with no application
    assignment: ReviewAssignment  # the reviewer's, on in_review
    conflicted_assignment: ReviewAssignment  # on in_review
    attachment: Answer  # a file answer of in_review
    people: dict[str, User]


def _reviewer(name: str) -> User:
    return UserFactory.create(name=name, roles=[PlatformRole.REVIEWER], totp=True)


@pytest.fixture
def world(organisation, member, org_admin, reviewer, coordinator, outsider) -> World:
    call = CallFactory.create(reviewers_per_application=1)
    first_question = call.questions.first()
    upload_question = Question.objects.create(
        call=call, position=2, kind=QuestionKind.FILE, label="Suunnitelma", required=False
    )
    lead = UserFactory.create(name="Liisa Liidi")
    MembershipFactory.create(organisation=organisation, user=lead)
    outside_lead = UserFactory.create(name="Kalle Kumppani")
    organiser = UserFactory.create(name="Oona Järjestäjä")
    MembershipFactory.create(organisation=call.organiser, user=organiser)
    other_reviewer = _reviewer("Olavi Muu")
    conflicted = _reviewer("Jaana Jäävi")
    revoked = _reviewer("Risto Entinen")
    superuser = UserFactory.create(name="Sanna Super", is_superuser=True, is_staff=True, totp=True)
    admin_staff = UserFactory.create(name="Ylläpitäjä Ylli", is_staff=True, totp=True)

    def experiment(title: str) -> Experiment:
        made = ExperimentFactory.create(owner=organisation, title=title, status=Status.RUNNING)
        made.team.create(user=lead, role="lead")
        made.team.create(user=outside_lead, role="lead")
        return made

    def applied(title: str, answers: dict[int, Any] | None = None) -> Application:
        application = services.application_create(call=call, experiment=experiment(title), by=lead)
        return services.application_save(
            application=application,
            by=lead,
            summary="Kirjastojen tilat varataan verkossa.",
            own_contribution=Decimal("2000"),
            budget_lines=[("Ovien etäavaus", Decimal("8000"))],
            answers={first_question.pk: "Opimme, miksi tiloja ei varata.", **(answers or {})},
        )

    def under_review(application: Application) -> Application:
        services.application_submit(application=application, by=lead)
        services.reviewers_assign(
            application=application, reviewers=[reviewer, conflicted, revoked], by=coordinator
        )
        services.conflict_declare(
            assignment=application.assignments.get(reviewer=conflicted),
            by=conflicted,
            reason="Entinen työpaikka",
        )
        return application

    draft = applied("Luonnoskokeilu")
    in_review = under_review(
        applied(
            "Arvioitava kokeilu",
            {
                upload_question.pk: SimpleUploadedFile(
                    "suunnitelma.txt", b"Suunnitelma", content_type="text/plain"
                )
            },
        )
    )
    approved = under_review(applied("Rahoitettu kokeilu"))
    reviewed = approved.assignments.get(reviewer=reviewer)
    services.scores_save(
        assignment=reviewed,
        by=reviewer,
        scores={c.pk: (4, "") for c in call.criteria.all()},
    )
    services.review_submit(assignment=reviewed, by=reviewer)
    services.decision_make(
        application=approved,
        by=coordinator,
        outcome=ApplicationStatus.APPROVED,
        reasoning="Selkeä kokeilu.",
        granted_amount=Decimal("6000"),
        instalments=[
            (Decimal("4000"), InstalmentTrigger.APPROVAL),
            (Decimal("2000"), InstalmentTrigger.INTERIM_REPORT),
        ],
    )
    RoleAssignment.objects.filter(user=revoked, role=PlatformRole.REVIEWER).delete()
    return World(
        call=call,
        hidden=CallFactory.create(published=False, with_form=False),
        draft=draft,
        in_review=in_review,
        approved=approved,
        spare=experiment("Uusi kokeilu"),
        assignment=in_review.assignments.get(reviewer=reviewer),
        conflicted_assignment=in_review.assignments.get(reviewer=conflicted),
        attachment=in_review.answers.get(question=upload_question),
        people={
            "outsider": outsider,
            "lead": lead,
            "member": member,
            "org_admin": org_admin,
            "outside_lead": outside_lead,
            "organiser": organiser,
            "reviewer": reviewer,
            "other_reviewer": other_reviewer,
            "conflicted": conflicted,
            "revoked_reviewer": revoked,
            "admin_staff": admin_staff,
            "coordinator": coordinator,
            "superuser": superuser,
        },
    )


# --- The rules, asked directly ------------------------------------------------------------

EDITABLE = {ApplicationStatus.DRAFT, ApplicationStatus.RETURNED}
UNDER_REVIEW = {ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW}

# action on the application -> (roles allowed, statuses in which they are allowed)
APPLICATION_RULES = {
    "view": (APPLICANTS | {"outside_lead", "reviewer"} | STAFF, set(ApplicationStatus)),
    "change": (APPLICANTS, EDITABLE),
    "withdraw": (APPLICANTS, EDITABLE | UNDER_REVIEW),
    "open_review": ({"reviewer"}, set(ApplicationStatus)),
    "review": ({"reviewer"}, UNDER_REVIEW),
    "decide": (STAFF, UNDER_REVIEW),
    "report": (APPLICANTS, {ApplicationStatus.APPROVED}),
    "see_reviews": (STAFF, set(ApplicationStatus)),
}
# action on a call -> roles allowed
CALL_RULES = {
    "view a published call": EVERYONE,
    "view a call not published": STAFF,
    "add a call": STAFF,
    "change a call": STAFF,
    "manage a call": STAFF,
}


def _person(world: World, role: str):
    """A fresh copy from the database: the rules keep memos on the user object."""
    if role == "anonymous":
        return AnonymousUser()
    return User.objects.get(pk=world.people[role].pk)


def test_the_rules_for_each_role_in_each_status(world):
    wrong = {}
    for status in ApplicationStatus:
        Application.objects.filter(pk=world.in_review.pk).update(status=status)
        application = Application.objects.get(pk=world.in_review.pk)
        for role in ROLES:
            person = _person(world, role)
            for action, (roles, statuses) in APPLICATION_RULES.items():
                expected = role == "superuser" or (role in roles and status in statuses)
                if can(person, action, application) is not expected:
                    wrong[(str(status), role, action)] = expected
    assert wrong == {}, "(status, role, action): expected, but the rule says otherwise"


def test_the_rules_for_calls(world):
    calls = {
        "view a published call": ("view", world.call),
        "view a call not published": ("view", world.hidden),
        "add a call": ("add", Call),
        "change a call": ("change", world.call),
        "manage a call": ("manage", world.call),
    }
    wrong = {}
    for role in ROLES:
        person = _person(world, role)
        for name, (action, target) in calls.items():
            expected = role in CALL_RULES[name]
            if can(person, action, target) is not expected:
                wrong[(role, name)] = expected
    assert wrong == {}, "(role, action): expected, but the rule says otherwise"


# --- The pages ----------------------------------------------------------------------------

LOGIN = "302 to login"
JOIN = "302 to organisations"  # "Join an organisation first"


def outcome(response) -> object:
    if response.status_code == 302:
        location = response["Location"]
        if "/account/login/" in location:
            return LOGIN
        if location.endswith("/organisations/"):
            return JOIN
    return response.status_code


def cells(*pairs: tuple[set[str], object], rest: object = 404, anonymous: object = LOGIN) -> dict:
    """role -> the outcome the person sees: ``rest`` unless a pair names the role."""
    table = dict.fromkeys(ROLES, rest)
    table["anonymous"] = anonymous
    for roles, seen in pairs:
        for role in roles:
            table[role] = seen
    return table


def _app(pk: int, tail: str = "") -> str:
    return f"/en/funding/applications/{pk}/{tail}"


STAFF_ONLY_PAGE = cells((STAFF, 200), rest=403)
APPLICATION_PAGE = cells((APPLICANTS | {"reviewer"} | STAFF, 200))

# action -> (the page, what each role sees)
PAGES = {
    "view call": (lambda w: f"/en/funding/{w.call.slug}/", cells(rest=200, anonymous=200)),
    "view draft call": (
        lambda w: f"/en/funding/{w.hidden.slug}/",
        cells((STAFF, 200), anonymous=404),
    ),
    "open a call": (lambda w: "/en/funding/new/", STAFF_ONLY_PAGE),
    "edit call": (lambda w: f"/en/funding/{w.call.slug}/edit/", STAFF_ONLY_PAGE),
    "call's applications": (lambda w: f"/en/funding/{w.call.slug}/applications/", STAFF_ONLY_PAGE),
    "decision times": (lambda w: f"/en/funding/{w.call.slug}/dashboard/", STAFF_ONLY_PAGE),
    "start applying": (
        lambda w: f"/en/funding/{w.call.slug}/apply/",
        cells((APPLICANTS | {"organiser"}, 200), rest=JOIN),
    ),
    "edit draft": (
        lambda w: _app(w.draft.pk, "edit/"),
        cells((FOR_THE_APPLICANT, 200), ({"coordinator"}, 403)),
    ),
    # A superuser gets the form, and every save is refused ("already submitted").
    "edit submitted": (
        lambda w: _app(w.in_review.pk, "edit/"),
        cells((APPLICANTS | {"reviewer", "coordinator"}, 403), ({"superuser"}, 200)),
    ),
    "view application": (lambda w: _app(w.in_review.pk), APPLICATION_PAGE),
    "download attachment": (
        lambda w: _app(w.in_review.pk, f"files/{w.attachment.pk}/"),
        APPLICATION_PAGE,
    ),
    "open own review": (
        lambda w: f"/en/funding/reviews/{w.assignment.pk}/",
        cells(({"reviewer"}, 200)),
    ),
    "open conflicted review": (
        lambda w: f"/en/funding/reviews/{w.conflicted_assignment.pk}/",
        cells(),
    ),
    "report form, approved": (
        lambda w: _app(w.approved.pk, "report/"),
        cells((FOR_THE_APPLICANT, 200), ({"reviewer", "coordinator"}, 403)),
    ),
    "report form, undecided": (
        lambda w: _app(w.in_review.pk, "report/"),
        cells((APPLICANTS | {"reviewer", "coordinator"}, 403), ({"superuser"}, 200)),
    ),
}

# What only some see on a page they all may open: (page, text) -> roles that see the text.
SEEN_ON_PAGE = {
    "the reviews' weighted score": (
        lambda w: _app(w.approved.pk),
        "Weighted score 4.00 / 5",
        STAFF,
    ),
    "the reviewers and their conflicts": (
        lambda w: _app(w.in_review.pk),
        "conflict of interest (Entinen työpaikka)",
        STAFF,
    ),
    "the withdraw button": (
        lambda w: _app(w.in_review.pk),
        "Withdraw the application",
        FOR_THE_APPLICANT,
    ),
    "the decision form": (lambda w: _app(w.in_review.pk), 'id="decide-title"', STAFF),
    "the report button": (lambda w: _app(w.approved.pk), "Submit a report", FOR_THE_APPLICANT),
}


def _edit_form(application: Application, **extra: str) -> dict[str, object]:
    question = application.call.questions.first()
    assert question is not None
    return {
        "summary": "Muutettu suunnitelma.",
        "own_contribution": "2000",
        "language": "fi",
        "version": application.version,
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-0-description": "Ovien etäavaus",
        "budget-0-amount": "8000",
        f"q_{question.pk}": "Opimme, miksi tiloja ei varata.",
        **extra,
    }


def _status(application: Application) -> str:
    return Application.objects.get(pk=application.pk).status


@dataclass
class Write:
    path: Callable[[World], Any]  # the address (for the API: the method and the address)
    data: Callable[[World], dict]  # what is sent
    effect: Callable[[World], bool]  # whether the write happened
    seen: dict[str, object]  # role -> outcome; the write happens for the roles that see ``done``
    done: object = 302


WRITES = {
    "apply": Write(
        lambda w: f"/en/funding/{w.call.slug}/apply/",
        lambda w: {"experiment": w.spare.pk},
        lambda w: Application.objects.filter(experiment=w.spare).exists(),
        cells((APPLICANTS, 302), ({"organiser"}, 422), rest=JOIN),
    ),
    "save draft": Write(
        lambda w: _app(w.draft.pk, "edit/"),
        lambda w: _edit_form(w.draft),
        lambda w: Application.objects.get(pk=w.draft.pk).summary == "Muutettu suunnitelma.",
        cells((FOR_THE_APPLICANT, 302), ({"coordinator"}, 403)),
    ),
    "submit": Write(
        lambda w: _app(w.draft.pk, "edit/"),
        lambda w: _edit_form(w.draft, submit="1"),
        lambda w: _status(w.draft) == ApplicationStatus.SUBMITTED,
        cells((FOR_THE_APPLICANT, 302), ({"coordinator"}, 403)),
    ),
    "withdraw": Write(
        lambda w: _app(w.in_review.pk, "withdraw/"),
        lambda w: {},
        lambda w: _status(w.in_review) == ApplicationStatus.WITHDRAWN,
        cells((FOR_THE_APPLICANT, 302), ({"reviewer", "coordinator"}, 403)),
    ),
    "assign reviewer": Write(
        lambda w: _app(w.in_review.pk, "reviewers/"),
        lambda w: {"reviewers": [w.people["other_reviewer"].pk]},
        lambda w: w.in_review.assignments.filter(reviewer=w.people["other_reviewer"]).exists(),
        cells((STAFF, 302), (APPLICANTS | {"reviewer"}, 403)),
    ),
    "score": Write(
        lambda w: f"/en/funding/reviews/{w.assignment.pk}/",
        lambda w: {
            "scores": "1",
            "general_comment": "",
            **{f"score_{c.pk}": "3" for c in w.call.criteria.all()},
            **{f"comment_{c.pk}": "" for c in w.call.criteria.all()},
        },
        lambda w: w.assignment.scores.count() == 2,
        cells(({"reviewer"}, 302)),
    ),
    "declare a conflict": Write(
        lambda w: f"/en/funding/reviews/{w.assignment.pk}/",
        lambda w: {"conflict": "1", "conflict_reason": "Tunnen hakijan."},
        lambda w: ReviewAssignment.objects.get(pk=w.assignment.pk).conflict_of_interest,
        cells(({"reviewer"}, 302)),
    ),
    "decide": Write(
        lambda w: _app(w.in_review.pk, "decision/"),
        lambda w: {
            "outcome": "returned",
            "reasoning": "Tarkenna budjettia.",
            "decision_maker_name": "Kirsi Koordinaattori",
            "decision_maker_title": "kehittämispäällikkö",
            "instalments-TOTAL_FORMS": "0",
            "instalments-INITIAL_FORMS": "0",
        },
        lambda w: _status(w.in_review) == ApplicationStatus.RETURNED,
        cells((STAFF, 302), (APPLICANTS | {"reviewer"}, 403)),
    ),
    "interim report": Write(
        lambda w: _app(w.approved.pk, "report/"),
        lambda w: {"kind": "interim", "results": "Puolet ovista avautuvat.", "spent": "3000"},
        lambda w: w.approved.reports.filter(kind="interim").exists(),
        cells((FOR_THE_APPLICANT, 302), ({"reviewer", "coordinator"}, 403)),
    ),
    "final report": Write(
        lambda w: _app(w.approved.pk, "report/"),
        lambda w: {
            "kind": "final",
            "results": "Kaikki ovet avautuvat.",
            "outcome": "succeeded",
            "spent": "6000",
        },
        lambda w: w.approved.reports.filter(kind="final").exists(),
        cells((FOR_THE_APPLICANT, 302), ({"reviewer", "coordinator"}, 403)),
    ),
}


def _attempt(write_once) -> tuple[object, bool]:
    """Make one write and undo it, so that every write starts from the same world."""
    with transaction.atomic():
        result = write_once()
        transaction.set_rollback(True)
    return result


# The experiment's lead from outside the applicant organisation is mailed about the application
# (notifications.applicants_of): they read it, and may do nothing else with it (403, not 404).
LEAD_READS = {"view application", "download attachment", "read application"}
LEAD_REFUSED = {
    "edit draft",
    "edit submitted",
    "report form, approved",
    "report form, undecided",
    "save draft",
    "submit",
    "withdraw",
    "assign reviewer",
    "decide",
    "interim report",
    "final report",
    "change draft",
}


def _outside_lead(table: dict, action: str) -> None:
    if action in LEAD_READS:
        table["outside_lead"] = 200
    elif action in LEAD_REFUSED:
        table["outside_lead"] = 403


def _on_the_pages(world: World, client, role: str) -> dict:
    """What differs from PAGES, SEEN_ON_PAGE and WRITES for ``role``: action -> (expected, got)."""
    if role != "anonymous":
        client.force_login(world.people[role])
    pages = {}

    def get(path: str):
        if path not in pages:
            pages[path] = client.get(path)
        return pages[path]

    wrong = {}
    for action, (path, seen) in PAGES.items():
        seen = dict(seen)
        _outside_lead(seen, action)
        got = outcome(get(path(world)))
        if got != seen[role]:
            wrong[action] = (seen[role], got)
    for name, (path, text, roles) in SEEN_ON_PAGE.items():
        response = get(path(world))
        got = response.status_code == 200 and text in response.content.decode()
        if got is not (role in roles):
            wrong[name] = (role in roles, got)
    for action, write in WRITES.items():

        def once(write=write):
            response = client.post(write.path(world), write.data(world))
            return outcome(response), write.effect(world)

        got = _attempt(once)
        seen = dict(write.seen)
        _outside_lead(seen, action)
        expected = (seen[role], seen[role] == write.done)
        if got != expected:
            wrong[action] = (expected, got)
    return wrong


# --- The API ------------------------------------------------------------------------------

API_READS = {
    "read a call not published": (
        lambda w: f"/api/v1/calls/{w.hidden.pk}",
        cells((STAFF, 200), anonymous=404),
    ),
    "read public decisions": (
        lambda w: f"/api/v1/calls/{w.call.pk}/decisions",
        cells(rest=200, anonymous=200),
    ),
    "read application": (
        lambda w: f"/api/v1/applications/{w.in_review.pk}",
        cells((APPLICANTS | {"reviewer"} | STAFF, 200), anonymous=401),
    ),
}

API_WRITES = {
    "apply": Write(
        lambda w: ("post", f"/api/v1/calls/{w.call.pk}/applications"),
        lambda w: {"experiment": w.spare.pk},
        lambda w: Application.objects.filter(experiment=w.spare).exists(),
        cells((APPLICANTS, 201), rest=422, anonymous=401),
        done=201,
    ),
    "change draft": Write(
        lambda w: ("patch", f"/api/v1/applications/{w.draft.pk}"),
        lambda w: {"summary": "Muutettu suunnitelma."},
        lambda w: Application.objects.get(pk=w.draft.pk).summary == "Muutettu suunnitelma.",
        cells((FOR_THE_APPLICANT, 200), ({"coordinator"}, 403), anonymous=401),
        done=200,
    ),
    "submit": Write(
        lambda w: ("post", f"/api/v1/applications/{w.draft.pk}/submit"),
        lambda w: {},
        lambda w: _status(w.draft) == ApplicationStatus.SUBMITTED,
        cells((FOR_THE_APPLICANT, 200), ({"coordinator"}, 403), anonymous=401),
        done=200,
    ),
    "assign reviewer": Write(
        lambda w: ("post", f"/api/v1/applications/{w.in_review.pk}/reviewers"),
        lambda w: {"reviewers": [w.people["other_reviewer"].pk]},
        lambda w: w.in_review.assignments.filter(reviewer=w.people["other_reviewer"]).exists(),
        cells((STAFF, 201), (APPLICANTS | {"reviewer"}, 403), anonymous=401),
        done=201,
    ),
    "score": Write(
        lambda w: ("put", f"/api/v1/reviews/{w.assignment.pk}"),
        lambda w: {"scores": [{"criterion": c.pk, "value": 3} for c in w.call.criteria.all()]},
        lambda w: w.assignment.scores.count() == 2,
        cells(({"reviewer"}, 200), anonymous=401),
        done=200,
    ),
    "decide": Write(
        lambda w: ("post", f"/api/v1/applications/{w.in_review.pk}/decision"),
        lambda w: {
            "outcome": "returned",
            "reasoning": "Tarkenna budjettia.",
            "decision_maker_title": "kehittämispäällikkö",
        },
        lambda w: _status(w.in_review) == ApplicationStatus.RETURNED,
        cells((STAFF, 201), (APPLICANTS | {"reviewer"}, 403), anonymous=401),
        done=201,
    ),
}


def _through_the_api(world: World, client, role: str) -> dict:
    """What differs from API_READS and API_WRITES for ``role``: action -> (expected, got)."""
    headers = {}
    if role != "anonymous":
        raw = token_create(user=world.people[role], name="matrix")[1]
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    wrong = {}
    for action, (path, seen) in API_READS.items():
        seen = dict(seen)
        _outside_lead(seen, action)
        got = client.get(path(world), **headers).status_code
        if got != seen[role]:
            wrong[action] = (seen[role], got)
    for action, write in API_WRITES.items():

        def once(write=write):
            method, path = write.path(world)
            response = getattr(client, method)(
                path, write.data(world), content_type="application/json", **headers
            )
            return response.status_code, write.effect(world)

        got = _attempt(once)
        seen = dict(write.seen)
        _outside_lead(seen, action)
        expected = (seen[role], seen[role] == write.done)
        if got != expected:
            wrong[action] = (expected, got)
    return wrong


@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_sees_and_may_do(world, client, role):
    wrong = {f"page: {k}": v for k, v in _on_the_pages(world, client, role).items()}
    wrong |= {f"api: {k}": v for k, v in _through_the_api(world, client, role).items()}
    assert wrong == {}, f"{role}: action -> (expected, actual)"


# --- What the e-mail promises -------------------------------------------------------------


def test_everyone_mailed_a_link_to_the_application_can_open_it(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=world.draft, by=world.people["lead"])
    link = re.compile(rf"https?://[^/\s]+(/\w+/funding/applications/{world.draft.pk}/)")
    opened = {}
    for message in mailoutbox:
        found = link.search(message.body)
        if found:
            client.force_login(User.objects.get(email=message.to[0]))
            opened[message.to[0]] = client.get(found.group(1)).status_code
    assert world.people["outside_lead"].email in opened  # the lead is told
    assert set(opened.values()) == {200}, opened
