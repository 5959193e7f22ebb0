"""Reports are their reporter's data; a moderator's actions outlive the moderator, unsigned;
a block is the blocked person's."""

import pytest

from digikunta.accounts.services import user_erase, user_export
from digikunta.accounts.tests.factories import UserFactory
from digikunta.moderation import services
from digikunta.moderation.models import AccountBlock, ModerationAction, Report

pytestmark = pytest.mark.django_db


def test_a_reporters_export_holds_their_reports_and_not_the_handler(entry, moderator):
    reporter = UserFactory()
    services.report_create(reporter=reporter, obj=entry, reason="spam", details="Mainos.")
    services.content_hide(moderator=moderator, obj=entry, public_reason="Mainos.")
    exported = user_export(user=reporter)["moderation.report"]
    assert exported[0]["details"] == "Mainos." and exported[0]["status"] == "upheld"
    assert "handled_by" not in exported[0]


def test_erasing_the_reporter_keeps_the_report_unsigned(entry):
    reporter = UserFactory()
    services.report_create(reporter=reporter, obj=entry, reason="spam")
    user_erase(user=reporter)
    assert Report.objects.get().reporter is None


def test_erasing_a_moderator_keeps_their_actions_unsigned(entry):
    moderator = UserFactory(roles=["moderator"], totp=True)
    services.content_hide(moderator=moderator, obj=entry, public_reason="Mainos.")
    assert user_export(user=moderator)["moderation.moderationaction"][0]["action"] == "hide"
    user_erase(user=moderator)
    action = ModerationAction.objects.get()
    assert action.moderator is None and action.reason == "Mainos."


def test_a_blocked_persons_export_holds_the_block_and_erasure_removes_it(moderator):
    person = UserFactory()
    services.account_block(moderator=moderator, user=person, reason="Mainontaa.")
    exported = user_export(user=person)
    assert exported["moderation.accountblock"][0]["reason"] == "Mainontaa."
    assert exported["moderation.moderationaction"][0]["action"] == "block"
    user_erase(user=person)
    assert not AccountBlock.objects.exists()
    assert ModerationAction.objects.get().user is None
