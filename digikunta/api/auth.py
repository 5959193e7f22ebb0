"""Personal API tokens as ``Authorization: Bearer <token>``."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer

from digikunta.accounts.models import User
from digikunta.accounts.selectors import user_needs_two_factor_setup
from digikunta.accounts.services import token_authenticate


class TwoFactorRequired(HttpError):
    """A token of a person whose roles require two-factor authentication they have not set up."""

    def __init__(self) -> None:
        super().__init__(
            403,
            _(
                "Your roles require two-factor authentication: set it up in your account "
                "settings before using an API token."
            ),
        )


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """The token's owner, read fresh on every request (roles included, no cache).

        The same two-factor rule as the pages (StaffTwoFactorMiddleware, docs/decisions/0004):
        a token issued before a staff role was granted must not skip it (issue 8).
        """
        user = token_authenticate(token)
        if user is None:
            return None
        if user_needs_two_factor_setup(user):
            raise TwoFactorRequired
        request.user = user
        return user


token_auth = TokenAuth()


class TokenRequest(HttpRequest):
    """The request of an operation with ``auth=token_auth``: django-ninja has set ``auth`` to
    what TokenAuth.authenticate returned, the token's owner, who is ``user`` too. For mypy only
    (docs/decisions/0017): the request is Django's HttpRequest at run time."""

    auth: User
    user: User


def viewer(request: HttpRequest) -> Any:
    """Who reads: the token's owner when a token is sent (401 if it is wrong), else the session
    user or an anonymous visitor. Public reads accept a token so members see members-only rows.

    A signed-in person who still has to set up two-factor authentication reads as a visitor:
    the pages would send them to the set-up first.
    """
    header = request.headers.get("Authorization", "")
    if not header:
        user = request.user
        if user.is_authenticated and user_needs_two_factor_setup(user):
            return AnonymousUser()
        return user
    user = token_auth(request)
    if user is None:
        raise AuthenticationError
    return user
