"""The moderators' queue: only moderators and coordinators; hiding needs a public reason,
dismissing keeps the content; every action is in the moderation log and the audit trail."""

import pytest

from digikunta.audit.models import AuditAction, AuditEvent
from digikunta.moderation import services
from digikunta.moderation.models import ActionKind, ModerationAction, Report, ReportStatus

pytestmark = pytest.mark.django_db

PAGES = [
    "/fi/moderation/",
    "/fi/moderation/hidden/",
    "/fi/moderation/accounts/",
    "/fi/moderation/content/journal_entry/{pk}/",
]


@pytest.fixture
def reported(entry, resident, outsider):
    services.report_create(reporter=resident, obj=entry, reason="spam", details="Mainos.")
    services.report_create(reporter=outsider, obj=entry, reason="spam")
    return entry


def hide_url(entry):
    return f"/fi/moderation/content/journal_entry/{entry.pk}/hide/"


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("resident", 403),
        ("member", 403),  # the experiment's lead
        ("org_admin", 403),
        ("reviewer", 403),
        ("moderator", 200),
        ("coordinator", 200),
    ],
)
def test_only_moderators_and_coordinators_see_the_moderation_pages(
    request, client, entry, path, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(path.format(pk=entry.pk)).status_code == status


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_asked_to_log_in(client, entry, path):
    response = client.get(path.format(pk=entry.pk))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_others_cannot_hide_dismiss_restore_or_block(client, reported, resident, member):
    client.force_login(resident)
    base = f"/fi/moderation/content/journal_entry/{reported.pk}"
    prefix = f"journal_entry-{reported.pk}"
    assert client.post(f"{base}/hide/", {f"hide-{prefix}-public_reason": "x"}).status_code == 403
    assert client.post(f"{base}/dismiss/").status_code == 403
    assert client.post(f"{base}/restore/").status_code == 403
    block = client.post(f"/fi/moderation/accounts/{member.pk}/block/", {"reason": "x"})
    assert block.status_code == 403
    reported.refresh_from_db()
    assert reported.hidden_at is None
    assert not ModerationAction.objects.exists()


def test_the_queue_groups_reports_per_item_with_counts_and_reasons(client, reported, moderator):
    client.force_login(moderator)
    page = client.get("/fi/moderation/").content.decode()
    assert "Yksi ilmiannettu sisältö odottaa" in page
    assert "Ilmiannettu 2 kertaa" in page
    assert "Roskaposti tai mainonta (2)" in page
    assert "Mainos." in page  # the details
    assert "kellokorvakoruja" in page  # the content itself
    assert f'action="{hide_url(reported)}"' in page


def test_the_queue_is_empty_once_the_reports_are_handled(client, reported, moderator):
    services.reports_dismiss(moderator=moderator, obj=reported)
    client.force_login(moderator)
    page = client.get("/fi/moderation/").content.decode()
    assert "Mitään ei odota." in page


def test_the_queue_pages_cost_a_fixed_number_of_queries(
    client, moderator, experiment, member, resident, django_assert_max_num_queries
):
    from digikunta.experiments.models import JournalEntry

    for n in range(12):
        entry = JournalEntry.objects.create(experiment=experiment, author=member, body=f"{n}")
        services.report_create(reporter=resident, obj=entry, reason="spam")
        Report.objects.update(created_at="2020-01-01T00:00Z")  # past the report limits
    client.force_login(moderator)
    client.get("/fi/moderation/")  # sessions, roles and content types read once
    with django_assert_max_num_queries(12):
        assert client.get("/fi/moderation/").status_code == 200


def test_hiding_needs_a_public_reason_and_writes_nothing_without_one(client, reported, moderator):
    client.force_login(moderator)
    prefix = f"hide-journal_entry-{reported.pk}"
    response = client.post(hide_url(reported), {f"{prefix}-public_reason": "  "})
    assert response.status_code == 422
    assert "Anna syy, joka näytetään sisällön tilalla." in response.content.decode()
    reported.refresh_from_db()
    assert reported.hidden_at is None
    assert Report.objects.filter(status=ReportStatus.OPEN).count() == 2
    assert not ModerationAction.objects.exists()


def test_a_moderator_hides_an_item_and_its_reports_are_upheld(client, reported, moderator, member):
    client.force_login(moderator)
    prefix = f"hide-journal_entry-{reported.pk}"
    response = client.post(hide_url(reported), {f"{prefix}-public_reason": "Mainos."}, follow=True)
    assert response.redirect_chain[-1][0] == "/fi/moderation/"
    assert "piilotettiin; sen ilmiannot on merkitty käsitellyiksi" in response.content.decode()
    reported.refresh_from_db()
    assert reported.hidden_at is not None and reported.hidden_reason == "Mainos."
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.UPHELD}
    assert Report.objects.filter(handled_by=moderator, handled_at__isnull=False).count() == 2
    action = ModerationAction.objects.get()
    assert (action.action, action.moderator, action.user, action.reason) == (
        ActionKind.HIDE,
        moderator,
        member,
        "Mainos.",
    )
    assert action.content == reported
    event = AuditEvent.objects.get(action=AuditAction.CONTENT_HIDDEN)
    assert (event.actor, event.subject) == (moderator, member)
    assert event.target == f"experiments.journalentry:{reported.pk}"
    assert event.data == {"reports": 2, "moderation_action": action.pk}  # no free text


def test_hiding_twice_says_it_is_hidden_already(client, reported, moderator):
    services.content_hide(moderator=moderator, obj=reported, public_reason="Mainos.")
    client.force_login(moderator)
    prefix = f"hide-journal_entry-{reported.pk}"
    response = client.post(hide_url(reported), {f"{prefix}-public_reason": "Toinen syy"})
    assert response.status_code == 422
    assert "Moderaattorit ovat jo piilottaneet tämän." in response.content.decode()
    reported.refresh_from_db()
    assert reported.hidden_reason == "Mainos."
    assert ModerationAction.objects.count() == 1


def test_a_coordinator_dismisses_the_reports_and_the_content_stays(client, reported, coordinator):
    client.force_login(coordinator)
    url = f"/fi/moderation/content/journal_entry/{reported.pk}/dismiss/"
    prefix = f"dismiss-journal_entry-{reported.pk}"
    response = client.post(url, {f"{prefix}-note": "Ei mainos."}, follow=True)
    assert "2 ilmiantoa kohteesta" in response.content.decode()
    reported.refresh_from_db()
    assert reported.hidden_at is None
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.DISMISSED}
    action = ModerationAction.objects.get()
    assert (action.action, action.reason) == (ActionKind.DISMISS, "Ei mainos.")
    assert AuditEvent.objects.filter(
        action=AuditAction.REPORTS_DISMISSED, actor=coordinator
    ).exists()


def test_dismissing_when_nothing_waits_says_so(client, entry, moderator):
    client.force_login(moderator)
    response = client.post(f"/fi/moderation/content/journal_entry/{entry.pk}/dismiss/")
    assert response.status_code == 422
    assert "Tästä ei enää odota yhtään ilmiantoa." in response.content.decode()
    assert not ModerationAction.objects.exists()


def test_a_moderator_restores_hidden_content(client, reported, moderator):
    services.content_hide(moderator=moderator, obj=reported, public_reason="Mainos.")
    client.force_login(moderator)
    hidden = client.get("/fi/moderation/hidden/").content.decode()
    assert "Mainos." in hidden and "kellokorvakoruja" in hidden
    url = f"/fi/moderation/content/journal_entry/{reported.pk}/restore/"
    prefix = f"restore-journal_entry-{reported.pk}"
    response = client.post(url, {f"{prefix}-note": "Virhe"}, follow=True)
    assert response.redirect_chain[-1][0] == "/fi/moderation/hidden/"
    assert "Mitään ei ole piilotettu." in response.content.decode()
    reported.refresh_from_db()
    assert reported.hidden_at is None and reported.hidden_reason == ""
    assert list(ModerationAction.objects.values_list("action", flat=True)) == [
        ActionKind.RESTORE,
        ActionKind.HIDE,
    ]
    assert AuditEvent.objects.filter(action=AuditAction.CONTENT_RESTORED).exists()


def test_restoring_what_is_not_hidden_says_so(client, entry, moderator):
    client.force_login(moderator)
    response = client.post(f"/fi/moderation/content/journal_entry/{entry.pk}/restore/")
    assert response.status_code == 422
    assert "Tätä ei ole piilotettu." in response.content.decode()


def test_the_item_page_shows_its_reports_and_log(client, reported, moderator):
    services.content_hide(moderator=moderator, obj=reported, public_reason="Mainos.")
    client.force_login(moderator)
    page = client.get(f"/fi/moderation/content/journal_entry/{reported.pk}/").content.decode()
    assert page.count("Sisältö piilotettu") == 2  # both reports
    assert "Mikko Moderaattori piilotti sisällön: Mainos." in page


def test_markup_in_reasons_and_details_is_shown_as_text(client, entry, resident, moderator):
    script = "<script>alert(1)</script>"
    services.report_create(reporter=resident, obj=entry, reason="other", details=script)
    client.force_login(moderator)
    queue = client.get("/fi/moderation/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in queue and script not in queue
    services.content_hide(moderator=moderator, obj=entry, public_reason=script)
    client.logout()
    page = client.get(entry.experiment.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and script not in page


def test_moderation_pages_take_only_their_methods(client, entry, moderator):
    client.force_login(moderator)
    assert client.post("/fi/moderation/").status_code == 405
    assert client.get(hide_url(entry)).status_code == 405
