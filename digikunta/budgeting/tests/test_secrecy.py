"""The ballot is secret: nothing outside the one ballot row links a person to their choices, in
no export, log, API answer, admin page or other table (issue 11; docs/decisions/0021)."""

import logging

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils import translation

from digikunta.accounts.models import User
from digikunta.audit.models import AuditEvent
from digikunta.budgeting.models import Ballot
from digikunta.budgeting.tests.factories import BudgetAreaFactory, ProjectFactory, declare_resident
from digikunta.core.models import RequestReceipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast_by_form(client, resident):
    area = BudgetAreaFactory()
    projects = [ProjectFactory(area=area, estimated_cost=1000) for _ in range(3)]
    declare_resident(resident, area.process)
    client.force_login(resident)
    with translation.override("en"):
        path = reverse("budgeting:cast", args=[area.process.slug])
    data = {"area": area.pk, "projects": [projects[0].pk, projects[2].pk], "submission": "x" * 32}
    return lambda: client.post(path, data), projects


def test_casting_leaves_no_trace_of_the_choices_outside_the_ballot_row(cast_by_form, caplog):
    send, projects = cast_by_form
    receipts_before = RequestReceipt.objects.count()
    events_before = AuditEvent.objects.count()
    with caplog.at_level(logging.DEBUG):
        assert send().status_code == 303
    assert Ballot.objects.count() == 1
    # Not even a form receipt with a digest of the posted fields (core/repeats.py)...
    assert RequestReceipt.objects.count() == receipts_before
    # ...nor an audit event, nor a log line naming the ballot's projects.
    assert AuditEvent.objects.count() == events_before
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "projects" not in logged and "choices" not in logged


def test_the_ballot_is_the_only_row_that_points_to_both_a_person_and_the_projects():
    """A new model with a link to a person and to a project or ballot would be a second link
    between a person and their choices."""
    both = []
    for model in apps.get_models():
        targets = {
            field.related_model
            for field in model._meta.get_fields()
            if isinstance(field, models.ForeignKey | models.ManyToManyField)
        }
        if User in targets and targets & {Ballot, apps.get_model("budgeting", "Project")}:
            both.append(model._meta.label)
    assert both == []


def test_ballots_are_not_in_the_admin_site():
    assert Ballot not in admin.site._registry
