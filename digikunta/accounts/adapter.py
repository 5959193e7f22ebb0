from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.utils import translation

from digikunta.core.tasks import message_data, send_email


class AccountAdapter(DefaultAccountAdapter):
    """Remembers the language a person signed up in, for the e-mails we send them."""

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user.language = (translation.get_language() or "fi")[:2]
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render in the request, in the person's language; a worker sends it (core/tasks.py),
        so no sign-up or password reset waits for SMTP. Queued at once, not on commit: allauth
        runs outside our transactions, and the database backend's row commits with any that
        is open."""
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        request = allauth_context.request
        with translation.override(language):
            ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
            ctx.update(context)
            message = self.render_mail(template_prefix, email, ctx)
        send_email.enqueue(**message_data(message))
