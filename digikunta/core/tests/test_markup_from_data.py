"""Text that comes from data is shown as text: no markup from the database runs in a page."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from digikunta.accounts.tests.factories import UserFactory
from digikunta.experiments.models import Status
from digikunta.experiments.tests.factories import ExperimentFactory
from digikunta.funding import services
from digikunta.funding.models import Question, QuestionKind
from digikunta.funding.tests.factories import CallFactory
from digikunta.organisations.models import MembershipRole, Organisation
from digikunta.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<span hx-post="/fi/organisations/kuopio/members/" hx-trigger="load">Ohje</span>'


def test_question_help_text_from_a_call_is_escaped_on_the_application_form(client):
    kuopio = Organisation.objects.get(slug="kuopio")
    admin = UserFactory(totp=True)
    MembershipFactory(organisation=kuopio, user=admin, role=MembershipRole.ADMIN)
    experiment = ExperimentFactory(owner=kuopio, status=Status.RUNNING)
    experiment.team.create(user=admin, role="lead")
    call = CallFactory()
    Question.objects.create(
        call=call, position=5, kind=QuestionKind.SHORT_TEXT, label="Kysymys", help_text=HOSTILE
    )
    application = services.application_create(call=call, experiment=experiment, by=admin)
    client.force_login(admin)

    page = client.get(f"/fi/funding/applications/{application.pk}/edit/").content.decode()

    assert "&lt;span hx-post=" in page  # shown as the text it is
    assert '<span hx-post="/fi/organisations/kuopio/members/"' not in page


def test_password_help_written_by_code_still_shows_as_a_list(client):
    page = client.get("/fi/account/signup/").content.decode()
    assert re.search(r'class="field__help"[^>]*>\s*<ul>\s*<li>', page)


def test_no_template_marks_a_value_safe():
    """`|safe` trusts whatever the value holds; code that builds HTML returns a SafeString."""
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR).rglob("*.html")
        if ".venv" not in path.parts
        and re.search(r"\|\s*safe\b|{%\s*autoescape\s+off", path.read_text())
    ]
    assert offenders == []
