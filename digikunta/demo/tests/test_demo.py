"""`digikunta demo` gives `make run` a call to look at and an application to review."""

import pytest
from django.core.management import call_command

from digikunta.funding.models import Application, ApplicationStatus, Call

pytestmark = pytest.mark.django_db


def test_demo_data_has_an_open_fast_track_call_with_an_application(settings):
    settings.DEBUG = True
    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)  # idempotent

    call = Call.objects.get(slug="digikokeilujen-pikakaista")
    assert call.is_open and call.fast_track and call.reviewers_per_application == 1
    assert Call.objects.count() == 2
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.requested_amount == 7000
