"""Every write operation of the API refuses malformed and hostile bodies: 4xx JSON, nothing written.

The operations come from the OpenAPI document, so a new endpoint is in this suite as soon as it
is in the API: test_every_write_operation_has_a_setup fails until SETUPS says who may call it
and what a body it accepts looks like. Each body of the corpus changes one thing of that body
(issue 8): not JSON or not an object, a wrong type, NUL bytes and lone surrogates, numbers past
64 bits, NaN and infinity, nesting 10,000 deep, a 1 MB string, a body over 10 MB, pathological
Markdown and markup. Markup and Markdown may be stored, as text, and then show escaped.
"""

import functools
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import connection, transaction

from digikunta.accounts.services import token_create
from digikunta.accounts.tests.factories import UserFactory
from digikunta.api.api import api
from digikunta.budgeting.tests.factories import BudgetAreaFactory, ProjectFactory
from digikunta.core.models import RequestReceipt
from digikunta.experiments.models import Experiment
from digikunta.experiments.tests.factories import (
    ExperimentFactory,
    IndicatorFactory,
    TeamMemberFactory,
)
from digikunta.experiments.tests.markdown_corpus import CORPUS as MARKDOWN
from digikunta.funding import services as funding
from digikunta.funding.models import Answer, Application, BudgetLine, ReviewAssignment, Score
from digikunta.funding.tests.factories import CallFactory, reviewed
from digikunta.organisations.models import Organisation
from digikunta.organisations.tests.factories import MembershipFactory
from digikunta.participation.models import Idea, Support
from digikunta.participation.tests.factories import IdeaFactory, ProcessFactory, declare_resident

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")
DOCUMENT = api.get_openapi_schema()
OPERATIONS = {
    operation["operationId"].rsplit("_api_", 1)[-1]: (method, path, operation)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if method in WRITE_METHODS
}
RAW = "@@raw@@"  # stands for JSON text that json.dumps cannot write (NaN, 1e400)
MARKUP = '<script>alert("x")</script><span hx-post="/api/v1/me" hx-trigger="load">x</span>'
MARKUP_SEEN = ['<script>alert("x")', "<script>alert(&quot;x&quot;)", 'hx-post="/api']
SLOW = 10.0  # seconds; a request that takes longer on our corpus is a finding


@dataclass
class World:
    """Who acts and on what: every operation has an object in the right state."""

    tokens: dict[str, str]
    users: dict[str, Any]
    ids: dict[str, int]
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Setup:
    actor: str
    body: Callable[[World], dict[str, Any]] | None
    path: dict[str, str] = field(default_factory=dict)  # path parameter → key in World.ids


PATH_DEFAULTS = {
    "experiment_id": "experiment",
    "indicator_id": "indicator",
    "call_id": "call",
    "application_id": "draft",
    "review_id": "assignment",
    "slug": "process",
    "idea_id": "idea",
}
SETUPS: dict[str, Setup] = {
    "organisation_create": Setup(
        "org_admin",
        lambda w: {
            "kind": "association",
            "name": "Kylätoimikunta",
            "name_sv": "Byakommittén",
            "home_municipality": "564",
            "business_id": "",
            "website": "https://example.org/",
            "description": "Kylän yhdistys.",
            "description_language": "fi",
        },
    ),
    "experiment_create": Setup(
        "lead",
        lambda w: {
            "owner": "oulu",
            "title": "Etäkokoukset lautakunnille",
            "summary": "Kokeillaan.",
            "problem": "Matkat vievät aikaa.",
            "hypothesis": "Etänä useampi osallistuu.",
            "goal": "Puolet kokouksista etänä.",
            "expected_benefit": "Aikaa säästyy.",
            "municipalities": ["564"],
            "themes": ["management"],
            "starts_on": "2026-01-01",
            "ends_on": "2026-06-30",
            "language": "fi",
            "visibility": "public",
        },
    ),
    "experiment_update": Setup(
        "lead",
        lambda w: {
            "title": "Etäkokoukset",
            "summary": "Kokeillaan etänä.",
            "problem": "Matkat.",
            "results": "Tuloksia.",
            "lessons": "Opit.",
            "municipalities": ["564"],
            "themes": ["management"],
            "starts_on": "2026-01-01",
            "visibility": "public",
        },
    ),
    "experiment_transition": Setup(
        "lead", lambda w: {"to": "planned", "results": "Tuloksia.", "lessons": "Opit."}
    ),
    "measurement_create": Setup(
        "lead", lambda w: {"measured_on": "2026-01-15", "value": "12.5", "note": "Viikko 3"}
    ),
    "journal_create": Setup(
        "lead",
        lambda w: {
            "body": "Tänään **kokeiltiin**.",
            "video_url": "https://example.org/v",
            "language": "fi",
        },
    ),
    "application_create": Setup(
        "lead",
        lambda w: {
            "experiment": w.ids["free_experiment"],
            "new_experiment": {"applicant": "oulu", "title": "Uusi", "summary": "Uusi kokeilu."},
            "summary": "Tilavaraus kirjastoihin.",
            "own_contribution": "2000",
            "language": "fi",
            "budget_lines": [{"description": "Lukot", "amount": "9000"}],
            "answers": {str(w.ids["question"]): "Opimme paljon.", str(w.ids["number"]): "120"},
            "version": 1,
        },
    ),
    "application_update": Setup(
        "lead",
        lambda w: {
            "summary": "Tilavaraus kirjastoihin.",
            "own_contribution": "2000",
            "language": "fi",
            "budget_lines": [{"description": "Lukot", "amount": "9000"}],
            "answers": {str(w.ids["question"]): "Opimme paljon.", str(w.ids["number"]): "120"},
            "version": w.ids["draft_version"],
        },
    ),
    "application_submit": Setup("lead", None),
    "reviewers_assign": Setup(
        "coordinator",
        lambda w: {"reviewers": [w.ids["second_reviewer"]]},
        path={"application_id": "submitted"},
    ),
    "decision_create": Setup(
        "coordinator",
        lambda w: {
            "outcome": "approved",
            "reasoning": "Hyvä hakemus.",
            "granted_amount": "7000",
            "conditions": "Raportti kesäkuussa.",
            "instalments": [{"amount": "7000", "trigger": "approval"}],
        },
        path={"application_id": "decidable"},
    ),
    "ballot_cast": Setup("lead", lambda w: {"projects": [w.ids["project"]], "area": w.ids["area"]}),
    "review_update": Setup(
        "reviewer",
        lambda w: {
            "scores": [{"criterion": w.ids["criterion"], "value": 4, "comment": "Hyvä."}],
            "general_comment": "Hyvä kokonaisuus.",
            "submit": False,
        },
    ),
    "declaration_put": Setup(
        "resident",
        lambda w: {"basis": "resident", "municipality": "297"},
        path={"slug": "ideas_process"},
    ),
    "idea_create": Setup(
        "resident",
        lambda w: {
            "process": w.ids["ideas_process"],
            "title": "Laituri rantaan",
            "body": "Uimalaituri **kaikille**.",
            "language": "fi",
            "theme": "facilities",
            "address": "Väinölänniemi",
            "latitude": "62.88",
            "longitude": "27.68",
        },
    ),
    "support_add": Setup("resident", None),
    "support_remove": Setup("resident", None),
}


@pytest.fixture
def world(org_admin, coordinator, reviewer) -> World:
    oulu = Organisation.objects.get(slug="oulu")
    lead = UserFactory(name="Liisa Vetäjä")
    MembershipFactory(organisation=oulu, user=lead)
    experiment = ExperimentFactory(owner=oulu)
    TeamMemberFactory(experiment=experiment, user=lead)
    call = CallFactory(reviewers_per_application=1)
    [question, number] = call.questions.all()

    def filled(experiment):
        application = funding.application_create(call=call, by=lead, experiment=experiment)
        return funding.application_save(
            application=application,
            by=lead,
            summary="Tilavaraus.",
            own_contribution=Decimal("2000"),
            budget_lines=[("Lukot", Decimal("9000"))],
            answers={question.pk: "Opimme."},
        )

    draft = filled(experiment)
    submitted, decidable = (
        funding.application_submit(application=filled(ExperimentFactory(owner=oulu)), by=lead)
        for _n in range(2)
    )
    reviewed(decidable)
    [assignment] = funding.reviewers_assign(
        application=submitted, reviewers=[reviewer], by=coordinator
    )
    vote = BudgetAreaFactory()
    declare_resident(lead, vote.process)
    process = ProcessFactory()
    resident = UserFactory(name="Aino Asukas")
    declare_resident(resident, process)
    idea = IdeaFactory(process=process)
    users = {
        "org_admin": org_admin,
        "coordinator": coordinator,
        "reviewer": reviewer,
        "lead": lead,
        "resident": resident,
    }
    draft.refresh_from_db()
    return World(
        users=users,
        tokens={name: token_create(user=user, name="t")[1] for name, user in users.items()},
        ids={
            "experiment": experiment.pk,
            "indicator": IndicatorFactory(experiment=experiment).pk,
            "free_experiment": ExperimentFactory(owner=oulu).pk,
            "call": call.pk,
            "question": question.pk,
            "number": number.pk,
            "criterion": call.criteria.first().pk,
            "draft": draft.pk,
            "draft_version": draft.version,
            "submitted": submitted.pk,
            "decidable": decidable.pk,
            "assignment": assignment.pk,
            "second_reviewer": UserFactory(roles=["reviewer"], totp=True).pk,
            "ideas_process": process.slug,
            "idea": idea.pk,
            "process": vote.process.slug,  # type: ignore[dict-item]  # a slug in the path
            "area": vote.pk,
            "project": ProjectFactory(area=vote).pk,
        },
    )


# What a write may leave behind, compared before and after each refused request: the number of
# rows of every table of ours (in one query) and every row of the tables the writes change.
WATCHED = [Experiment, Application, Answer, BudgetLine, ReviewAssignment, Score, Idea, Support]
UNCOUNTED = {RequestReceipt}


@functools.cache
def _count_query() -> str:
    tables = sorted(
        connection.ops.quote_name(model._meta.db_table)
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.startswith("digikunta.") and model not in UNCOUNTED
    )
    counts = ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)  # noqa: S608
    return f"SELECT {counts}"  # table names of our models, quoted


def _snapshot() -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(_count_query())
        counts = cursor.fetchone()
    return (counts, *(list(m.objects.order_by("pk").values()) for m in WATCHED))


@dataclass(frozen=True)
class Case:
    name: str
    body: bytes | None
    path_ids: dict[str, str] | None = None  # replaces path parameters
    may_store: bool = False  # markup or Markdown: stored as text is a right answer too
    field: str = ""  # the field the error must name


def _dumps(body: Any) -> bytes:
    return json.dumps(body).encode()


def _with(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A deep copy of ``body`` with ``value`` at ``path``."""
    copy = json.loads(json.dumps(body))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list) and value:
        yield from _leaves(value[0], (*path, 0))
    else:
        yield path, value


def _raw(body: Any, path: tuple[Any, ...], text: str) -> bytes:
    return _dumps(_with(body, path, RAW)).replace(f'"{RAW}"'.encode(), text.encode())


def _string_cases(body: Any, path: tuple[Any, ...], name: str) -> Iterator[Case]:
    for label, text in [("NUL", "a\u0000b"), ("control character", "a\u001bb")]:
        yield Case(f"{name}: {label}", _dumps(_with(body, path, text)), field=name)
    yield Case(f"{name}: lone surrogate", _raw(body, path, '"a\\ud800b"'), field=name)
    yield Case(f"{name}: 1 MB of text", _dumps(_with(body, path, "x" * 1_000_001)))
    yield Case(f"{name}: markup", _dumps(_with(body, path, MARKUP)), may_store=True)
    for kind in ("nested lists - -", "open brackets [", "emphasis mix *_**__"):
        text = MARKDOWN[kind](20_000)
        yield Case(f"{name}: Markdown {kind}", _dumps(_with(body, path, text)), may_store=True)


def _number_cases(body: Any, path: tuple[Any, ...], name: str) -> Iterator[Case]:
    for number in (2**63, 2**64, -(2**63) - 1, 10**30):
        yield Case(f"{name}: {number}", _dumps(_with(body, path, number)))
    for text in ("1e400", "-1e400", "NaN", "Infinity", "1" * 5000):
        yield Case(f"{name}: {text[:10]}", _raw(body, path, text))


def _field_cases(body: dict[str, Any], schema: dict[str, Any]) -> Iterator[Case]:
    paths = dict(_leaves(body))
    for name in schema.get("properties", {}):
        paths.setdefault((name,), None)  # optional fields the valid body leaves out
    for path, valid in paths.items():
        name = ".".join(str(p) for p in path)
        yield Case(f"{name}: an object", _dumps(_with(body, path, {"a": 1})))
        yield Case(f"{name}: a list", _dumps(_with(body, path, [[1]])))
        if isinstance(valid, str) or valid is None:
            yield from _string_cases(body, path, name)
        if not isinstance(valid, str) or valid.replace(".", "").isdigit() or valid is None:
            yield from _number_cases(body, path, name)
        if len(path) > 1 and isinstance(path[-2], str) and str(path[-1]).isdigit():
            parent = path[:-1]  # a dict keyed by ids (answers): hostile keys
            for key in ("99999999999999999999", "-1", "0", "a\u0000"):
                yield Case(f"{name}: key {key!r}", _dumps(_with(body, parent, {key: "x"})))


def _shape_cases(body: dict[str, Any] | None) -> Iterator[Case]:
    yield Case("not JSON", b"{not json")
    yield Case("not UTF-8", b'{"title": "\xff\xfe"}')
    for text in ("[]", '"text"', "42", "null", "true", '[{"a": 1}]'):
        yield Case(f"JSON {text} instead of an object", text.encode())
    yield Case("10,000 nested arrays", b"[" * 10_000 + b"]" * 10_000)
    yield Case("10,000 nested objects", b'{"a":' * 10_000 + b"1" + b"}" * 10_000)
    first = next(iter(body or {"x": None}))
    yield Case("100 nested lists in a field", _raw(body or {}, (first,), "[" * 100 + "]" * 100))
    yield Case("a NUL in a key", _dumps({**(body or {}), "a\u0000": 1}))
    yield Case("11 MB", b'{"a": "' + b"a" * (11 * 1024 * 1024) + b'"}')


def _path_cases(operation: dict[str, Any]) -> Iterator[Case]:
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "path":
            continue
        for number in ("0", str(2**63), str(2**64), "9" * 30, "-1"):
            yield Case(f"{parameter['name']}={number}", None, path_ids={parameter["name"]: number})


def _send(client, world: World, key: str, case: Case, body: dict[str, Any] | None):
    method, template, operation = OPERATIONS[key]
    setup = SETUPS[key]
    url = template
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            name = parameter["name"]
            value = (case.path_ids or {}).get(name)
            if value is None:
                value = str(world.ids[setup.path.get(name, PATH_DEFAULTS[name])])
            url = url.replace("{" + name + "}", value)
    data = case.body if case.body is not None else (_dumps(body) if body is not None else b"")
    started = time.monotonic()
    response = getattr(client, method)(
        url,
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.tokens[setup.actor]}",
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    return response, time.monotonic() - started


def _problems(client, world: World, key: str, cases: list[Case]) -> list[str]:
    """Send each case in a savepoint that is rolled back; return what went wrong."""
    setup = SETUPS[key]
    body = setup.body(world) if setup.body else None
    client.raise_request_exception = False
    problems = []
    for case in cases:
        with transaction.atomic():
            before = _snapshot()
            response, seconds = _send(client, world, key, case, body)
            problem = _judge(client, world, key, case, response, seconds, before)
            transaction.set_rollback(True)
        if problem:
            problems.append(f"{case.name}: {problem}")
    return problems


def _judge(client, world, key, case, response, seconds, before) -> str | None:
    status = response.status_code
    if seconds > SLOW:
        return f"took {seconds:.1f} s"
    if not response["Content-Type"].startswith("application/json"):
        return f"{status} answered {response['Content-Type']}"
    answer = response.json()
    if case.may_store and 200 <= status < 300:
        return _shown_escaped(client, world, key, answer)
    if not 400 <= status < 500:
        return f"answered {status}: {response.content[:200]!r}"
    if not isinstance(answer.get("detail"), str) or not isinstance(answer.get("errors"), list):
        return f"{status} without the documented {{detail, errors}}: {answer}"
    messages = [answer["detail"], *(e.get("message", "") for e in answer["errors"])]
    if any("Input should" in m or "Cannot parse" in m for m in messages):
        return f"untranslated message {messages}"
    if case.field and status == 422:
        fields = [e.get("field", "") for e in answer["errors"]]
        if not any(f == case.field or f.endswith("." + case.field) for f in fields):
            return f"422 naming {fields}, not {case.field}"
    if _snapshot() != before:
        return f"{status} but something was written"
    return None


def _shown_escaped(client, world, key, answer) -> str | None:
    """Markup stored as text comes back as the same text and shows escaped on its page."""
    if "url" not in answer:
        return None
    client.force_login(world.users[SETUPS[key].actor])
    page = client.get(answer["url"]).content.decode()
    client.logout()
    if any(seen in page for seen in MARKUP_SEEN):
        return f"markup shown as markup on {answer['url']}"
    return None


def test_every_write_operation_has_a_setup():
    assert set(OPERATIONS) <= set(SETUPS), f"add these to SETUPS: {set(OPERATIONS) - set(SETUPS)}"
    assert len(OPERATIONS) >= 11


@pytest.mark.parametrize("key", sorted(OPERATIONS))
def test_a_valid_body_is_carried_out(client, world, key):
    """The corpus changes one thing of a body that works, so it tests what it means to."""
    setup = SETUPS[key]
    body = setup.body(world) if setup.body else None
    response, _seconds = _send(client, world, key, Case("valid", None), body)
    assert response.status_code in {200, 201}, response.content


@pytest.mark.parametrize("key", sorted(OPERATIONS))
def test_a_malformed_body_is_refused_with_nothing_written(client, world, key):
    setup = SETUPS[key]
    if setup.body is None:
        pytest.skip("the operation reads no body")
    cases = list(_shape_cases(setup.body(world)))
    assert _problems(client, world, key, cases) == []


@pytest.mark.parametrize("key", sorted(OPERATIONS))
def test_hostile_fields_are_refused_or_stored_as_text(client, world, key):
    setup = SETUPS[key]
    if setup.body is None:
        pytest.skip("the operation reads no body")
    method, path, operation = OPERATIONS[key]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = DOCUMENT["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    cases = list(_field_cases(setup.body(world), schema))
    assert _problems(client, world, key, cases) == []


@pytest.mark.parametrize("key", sorted(OPERATIONS))
def test_an_id_past_64_bits_in_the_path_is_not_found(client, world, key):
    cases = list(_path_cases(OPERATIONS[key][2]))
    if not cases:
        pytest.skip("the operation has no path parameters")
    assert _problems(client, world, key, cases) == []


READ_OPERATIONS = [
    (path, operation)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if method == "get"
]
HOSTILE_VALUES = ["a\x00b", "\x1b[2J", str(2**64), "9" * 30, "-1", "x" * 5000]


@pytest.mark.parametrize("path, operation", READ_OPERATIONS, ids=[p for p, _o in READ_OPERATIONS])
def test_hostile_query_and_path_values_on_every_read_answer_4xx_or_a_page(
    client, path, operation, world
):
    """schemathesis (test_openapi_fuzz) rarely draws a NUL byte; these always come."""
    client.raise_request_exception = False
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens['lead']}"}
    problems = []
    for parameter in operation.get("parameters", []):
        for value in HOSTILE_VALUES:
            url, query = path, {}
            for other in operation.get("parameters", []):
                if other["in"] == "path":
                    given = value if other is parameter else "1"
                    url = url.replace("{" + other["name"] + "}", quote(given, safe=""))
            if parameter["in"] == "query":
                query[parameter["name"]] = value
            with transaction.atomic():
                response = client.get(url, query, **headers)
                transaction.set_rollback(True)
            json_answer = response["Content-Type"].startswith("application/json")
            if response.status_code >= 500 or not json_answer:
                problems.append(f"{parameter['name']}={value[:12]!r}: {response.status_code}")
    assert problems == []
