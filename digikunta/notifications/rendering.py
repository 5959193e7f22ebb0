"""E-mails of notifications, each written in the recipient's language, with its links in that
language too, and the headers and footer that let them stop it (RFC 8058)."""

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from digikunta.accounts.models import User
from digikunta.core.links import absolute_url
from digikunta.notifications import kinds
from digikunta.notifications.tokens import unsubscribe_token

logger = logging.getLogger(__name__)

# A link: a URL name and its arguments, e.g. ("experiments:experiment_detail", ["slug"]).
Link = Sequence[Any] | None
# Subject lines in a digest lose the brand they begin with: the digest's subject has it.
BRAND = "Digikunta: "


def language_of(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


def link_url(link: Link) -> str:
    """The absolute URL of ``link`` in the active language; empty for no link."""
    if not link:
        return ""
    name, args = link
    return absolute_url(reverse(name, args=list(args)))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to the URL."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _footer(user: User, kind: kinds.Kind | None) -> tuple[str, str]:
    """(the footer's text, the one-click unsubscribe URL) in the active language."""
    key = kind.key if kind is not None else kinds.ALL
    unsubscribe_url = absolute_url(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(user.pk, key)])
    )
    context = {
        "kind": kind,
        "unsubscribe_url": unsubscribe_url,
        "settings_url": absolute_url(reverse("notifications:settings")),
    }
    return render_to_string("notifications/email/footer.txt", context).strip(), unsubscribe_url


def item_context(
    user: User, kind: kinds.Kind | None, params: Mapping[str, Any], link: Link
) -> dict[str, Any]:
    """A notification's template context in the active language: its parameters, what its
    kind adds (``Kind.context``), ``user`` and ``url``."""
    extra = kind.context(params) if kind is not None and kind.context is not None else {}
    return {**params, **extra, "user": user, "url": link_url(link)}


def notification_message(
    user: User, kind: kinds.Kind, template: str, params: Mapping[str, Any], link: Link
) -> EmailMessage:
    """One notification e-mail to ``user``, in their language."""
    with translation.override(language_of(user)):
        context = item_context(user, kind, params, link)
        subject = _one_line(render_to_string(f"{template}_subject.txt", context))
        body = render_to_string(f"{template}.txt", context).rstrip()
        footer, unsubscribe_url = _footer(user, kind)
    return EmailMessage(
        subject=subject,
        body=f"{body}\n\n-- \n{footer}\n",
        to=[user.email],
        headers=_headers(unsubscribe_url),
    )


def digest_message(user: User, items: Sequence[Any]) -> EmailMessage | None:
    """One digest e-mail to ``user`` of its pending ``items`` (Notification rows), in their
    language: each item's subject line and link, grouped by kind in the order registered.
    An item whose template an app has since removed is left out (and logged), so it never
    holds up the others' digests; None when nothing is left."""
    order = {kind.key: position for position, kind in enumerate(kinds.registered())}
    groups: dict[str, list[dict[str, str]]] = {}
    count = 0
    with translation.override(language_of(user)):
        for item in sorted(items, key=lambda row: (order.get(row.kind, len(order)), row.pk)):
            kind = kinds.find(item.kind)
            context = item_context(user, kind, item.params, item.link)
            try:
                line = _one_line(render_to_string(f"{item.template}_subject.txt", context))
            except TemplateDoesNotExist:
                logger.warning("Digest item %s: no template %s", item.pk, item.template)
                continue
            groups.setdefault(item.kind, []).append(
                {"subject": line.removeprefix(BRAND), "url": context["url"]}
            )
            count += 1
        if not count:
            return None
        sections = [{"kind": kinds.find(key), "items": entries} for key, entries in groups.items()]
        context = {"user": user, "count": count, "sections": sections}
        subject = _one_line(render_to_string("notifications/email/digest_subject.txt", context))
        body = render_to_string("notifications/email/digest.txt", context).rstrip()
        footer, unsubscribe_url = _footer(user, None)
    return EmailMessage(
        subject=subject,
        body=f"{body}\n\n-- \n{footer}\n",
        to=[user.email],
        headers=_headers(unsubscribe_url),
    )
