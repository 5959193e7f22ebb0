"""Personal API tokens as ``Authorization: Bearer <token>``."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from digikunta.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()


def viewer(request: HttpRequest) -> Any:
    """Who reads: the token's owner when a token is sent (401 if it is wrong), else the session
    user or an anonymous visitor. Public reads accept a token so members see members-only rows."""
    from ninja.errors import AuthenticationError

    header = request.headers.get("Authorization", "")
    if not header:
        return request.user
    user = token_auth(request)
    if user is None:
        raise AuthenticationError
    return user
