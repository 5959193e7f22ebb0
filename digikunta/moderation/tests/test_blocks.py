"""A blocked account cannot post, report or edit, and is told why; only moderators block, and
not one another."""

import pytest
from django.core.exceptions import ValidationError

from digikunta.audit.models import AuditAction, AuditEvent
from digikunta.experiments.models import JournalEntry
from digikunta.moderation import services
from digikunta.moderation.models import AccountBlock, ActionKind, ModerationAction

pytestmark = pytest.mark.django_db

REASON = "Toistuvaa mainontaa."
BLOCKED = "Moderaattorit ovat estäneet tiliäsi julkaisemasta: Toistuvaa mainontaa."


def block_url(user):
    return f"/fi/moderation/accounts/{user.pk}/block/"


def journal_url(experiment):
    return f"{experiment.get_absolute_url()}journal/"


def test_a_moderator_blocks_an_account_with_a_reason(client, moderator, member):
    client.force_login(moderator)
    page = client.get(block_url(member)).content.decode()
    assert "Estä Maija Jäsen" in page
    response = client.post(block_url(member), {"reason": REASON}, follow=True)
    assert response.redirect_chain[-1][0] == "/fi/moderation/accounts/"
    page = response.content.decode()
    assert "Maija Jäsen ei voi enää julkaista." in page and REASON in page
    block = AccountBlock.objects.get()
    assert (block.user, block.blocked_by, block.reason, block.lifted_at) == (
        member,
        moderator,
        REASON,
        None,
    )
    action = ModerationAction.objects.get()
    assert (action.action, action.user, action.moderator) == (ActionKind.BLOCK, member, moderator)
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_BLOCKED)
    assert (event.actor, event.subject, event.data) == (
        moderator,
        member,
        {"moderation_action": action.pk},
    )


def test_a_block_needs_a_reason(client, moderator, member):
    client.force_login(moderator)
    response = client.post(block_url(member), {"reason": " "})
    assert response.status_code == 422
    assert "Anna syy; henkilö näkee sen." in response.content.decode()
    assert not AccountBlock.objects.exists()


@pytest.mark.parametrize(
    ("actor", "target"), [("coordinator", "moderator"), ("moderator", "coordinator")]
)
def test_moderators_and_coordinators_are_not_blocked(client, request, actor, target):
    client.force_login(request.getfixturevalue(actor))
    response = client.post(block_url(request.getfixturevalue(target)), {"reason": REASON})
    assert response.status_code == 422
    assert "Moderaattoreita, koordinaattoreita ja ylläpitäjiä ei voi estää" in (
        response.content.decode()
    )
    assert not AccountBlock.objects.exists()


def test_nobody_blocks_their_own_account(client, moderator):
    client.force_login(moderator)
    response = client.post(block_url(moderator), {"reason": REASON})
    assert response.status_code == 422
    assert "Et voi estää omaa tiliäsi." in response.content.decode()
    assert not AccountBlock.objects.exists()


def test_a_blocked_person_cannot_post_in_the_journal_and_keeps_the_text(
    client, moderator, member, experiment
):
    services.account_block(moderator=moderator, user=member, reason=REASON)
    client.force_login(member)
    response = client.post(journal_url(experiment), {"body": "Uusi mainos", "language": "fi"})
    assert response.status_code == 403
    page = response.content.decode()
    assert BLOCKED in page
    assert "Uusi mainos" in page  # what they typed is in the form
    assert not JournalEntry.objects.exists()


def test_a_blocked_person_cannot_edit_an_entry(client, moderator, member, entry):
    services.account_block(moderator=moderator, user=member, reason=REASON)
    client.force_login(member)
    edit = f"{entry.experiment.get_absolute_url()}journal/{entry.pk}/edit/"
    response = client.post(edit, {"body": "Muokattu mainos", "language": "fi"})
    assert response.status_code == 403 and BLOCKED in response.content.decode()
    entry.refresh_from_db()
    assert entry.body.startswith("Osta halpoja") and not entry.versions.exists()


def test_a_blocked_person_cannot_post_through_the_api(client, moderator, member, experiment, auth):
    services.account_block(moderator=moderator, user=member, reason=REASON)
    response = client.post(
        f"/api/v1/experiments/{experiment.pk}/journal",
        {"body": "Uusi mainos"},
        content_type="application/json",
        **auth(member),
    )
    assert response.status_code == 403
    assert response.json()["detail"].startswith(BLOCKED)
    assert not JournalEntry.objects.exists()


def test_a_blocked_person_cannot_report(client, moderator, resident, entry):
    services.account_block(moderator=moderator, user=resident, reason=REASON)
    client.force_login(resident)
    response = client.post(f"/fi/moderation/report/journal_entry/{entry.pk}/", {"reason": "spam"})
    assert response.status_code == 403 and BLOCKED in response.content.decode()


def test_lifting_the_block_lets_the_person_post_again(client, moderator, member, experiment):
    services.account_block(moderator=moderator, user=member, reason=REASON)
    client.force_login(moderator)
    response = client.post(
        f"/fi/moderation/accounts/{member.pk}/unblock/",
        {f"unblock-{member.pk}-note": "Lupasi lopettaa."},
        follow=True,
    )
    assert "Maija Jäsen voi taas julkaista." in response.content.decode()
    assert AccountBlock.objects.get().lifted_by == moderator
    assert list(ModerationAction.objects.values_list("action", "reason")) == [
        (ActionKind.UNBLOCK, "Lupasi lopettaa."),
        (ActionKind.BLOCK, REASON),
    ]
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_UNBLOCKED, subject=member).exists()
    client.force_login(member)
    ok = client.post(journal_url(experiment), {"body": "Viikon kuulumiset", "language": "fi"})
    assert ok.status_code == 302 and JournalEntry.objects.count() == 1


def test_blocking_twice_and_unblocking_the_unblocked_say_so(moderator, member):
    services.account_block(moderator=moderator, user=member, reason=REASON)
    with pytest.raises(ValidationError, match="Tili on jo estetty."):
        services.account_block(moderator=moderator, user=member, reason=REASON)
    services.account_unblock(moderator=moderator, user=member)
    with pytest.raises(ValidationError, match="Tiliä ei ole estetty."):
        services.account_unblock(moderator=moderator, user=member)
    assert AccountBlock.objects.count() == 1


def test_the_block_page_of_a_blocked_account_offers_to_lift_it(client, moderator, member):
    services.account_block(moderator=moderator, user=member, reason=REASON)
    client.force_login(moderator)
    page = client.get(block_url(member)).content.decode()
    assert "Tili on ollut estettynä" in page and REASON in page
    assert f'action="/fi/moderation/accounts/{member.pk}/unblock/"' in page


def test_an_unknown_account_is_not_found(client, moderator):
    client.force_login(moderator)
    assert client.get("/fi/moderation/accounts/999999/block/").status_code == 404
