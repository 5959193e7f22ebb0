"""On PostgreSQL, things done at the same moment: one registration however often it is sent,
and two declines at once never draw the same reserve."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from digikunta.panels import services
from digikunta.panels.models import Replacement, Volunteer, VolunteerStatus
from digikunta.panels.tests.factories import PanelFactory, manager_of, resident_of, volunteers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]


def at_once(calls):
    """Run the calls in threads released together; what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            outcomes.append(call())
        except Exception as error:
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_a_registration_sent_eight_times_at_once_is_one_registration(reference_data):
    panel = PanelFactory()
    person = resident_of(panel.process)

    def register():
        return services.volunteer_register(
            panel=panel, user=person, age_band="25-44", language="fi", consent_contact=True
        )

    outcomes = at_once([register] * 8)
    assert Volunteer.objects.filter(panel=panel, user=person).count() == 1
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 7 and all(o.code == "duplicate" for o in refused)


def test_two_declines_at_once_draw_two_different_reserves_of_their_stratum(reference_data):
    panel = PanelFactory(closed=True, seats=4)
    volunteers(panel, {("25-44", "fi"): 12})  # one stratum: four drawn, eight in reserve
    services.panel_draw(panel=panel, by=manager_of(panel.process), seed="samaan aikaan")
    services.invitations_send(panel=panel)
    first, second = panel.volunteers.filter(status=VolunteerStatus.INVITED).select_related("user")[
        :2
    ]

    outcomes = at_once(
        [
            lambda: services.invitation_answer(volunteer=first, user=first.user, accept=False),
            lambda: services.invitation_answer(volunteer=second, user=second.user, accept=False),
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception)]
    drawn = list(Replacement.objects.order_by("number").values_list("drawn__position", flat=True))
    assert drawn == [5, 6]  # the first two on the reserve list, once each
    assert panel.volunteers.filter(status=VolunteerStatus.INVITED).count() == 4
