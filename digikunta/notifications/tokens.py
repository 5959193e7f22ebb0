"""The token of a one-click unsubscribe link: the person's id and a kind (or ``all``), signed
with the site's secret key (django.core.signing). The signature is the authority, so the link
works without signing in and never expires; a key rotated through SECRET_KEY_FALLBACKS keeps
old links working."""

from django.core import signing

SALT = "digikunta.notifications.unsubscribe"


def unsubscribe_token(user_id: int, kind: str) -> str:
    """The token for ``kind`` (a registered key or kinds.ALL) of person ``user_id``."""
    return signing.dumps([user_id, kind], salt=SALT, compress=False)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(person's id, kind) of a token we signed; None for anything else."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    match value:
        case [int() as user_id, str() as kind]:
            return user_id, kind
    return None
