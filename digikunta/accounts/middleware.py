"""The two-factor rule for staff accounts (docs/decisions/0004)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from digikunta.accounts.selectors import user_needs_two_factor_setup


class StaffTwoFactorMiddleware:
    """Sends a person who holds a staff role but has no authenticator to set one up.

    Staff roles (organisation admin, coordinator, reviewer, moderator) can see other people's
    data, so a password alone is not enough for them (docs/decisions/0004).
    """

    exempt_url_names = frozenset(
        {
            "mfa_activate_totp",
            "mfa_index",
            "mfa_view_recovery_codes",
            "mfa_generate_recovery_codes",
            "mfa_download_recovery_codes",
            "account_logout",
            "account_reauthenticate",
            "account_login",
            "healthz",
            "readyz",
            "set_language",
        }
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if (
            match is None
            or match.url_name in self.exempt_url_names
            or request.path.startswith("/api/")
        ):
            return None
        if user_needs_two_factor_setup(user):
            return redirect("mfa_activate_totp")
        return None
