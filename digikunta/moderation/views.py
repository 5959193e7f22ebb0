"""Reporting content, and the moderators' pages: the queue, one item, hidden content and
blocked accounts."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digikunta.accounts.requests import AuthenticatedRequest
from digikunta.core.errors import Refused
from digikunta.core.htmx import render_page_or_partial
from digikunta.core.pagination import paginate
from digikunta.core.permissions import can
from digikunta.core.ratelimit import limit_form_posts
from digikunta.moderation import registry, selectors, services
from digikunta.moderation.forms import BlockForm, HideForm, NoteForm, ReportForm
from digikunta.moderation.models import AccountBlock, Report, ReportStatus

CONTENT = "moderation/content_detail.html"


def prefix(action: str, entry: registry.Entry, obj: Any) -> str:
    """One form per item and action on a page: ids stay unique when the queue lists many."""
    return f"{action}-{entry.kind}-{obj.pk}"


def _check_moderator(request: HttpRequest) -> None:
    if not can(request.user, "moderate", Report):
        raise PermissionDenied


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def report_create(request: AuthenticatedRequest, kind: str, pk: int) -> HttpResponse:
    """Report an item to the moderators, with a reason; once per person while it waits."""
    entry, obj = selectors.get_content_or_404(kind, pk, user=request.user)
    waiting = selectors.own_open_report(request.user, obj)
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = None
    if form.is_valid():
        try:
            services.report_create(reporter=request.user, obj=obj, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except Refused as refusal:  # blocked, or reporting too fast: keep what was typed
            form.add_error(None, refusal.message)
            status = refusal.status_code
        else:
            messages.success(
                request, _("Thank you. The moderators will look at what you reported.")
            )
            return redirect(entry.url(obj))
    context = {
        "entry": entry,
        "obj": obj,
        "content_title": entry.title(obj),
        "content_url": entry.url(obj),  # not "url": the Jinja2 shell's url() shares the context
        "form": form,
    }
    context["waiting"] = waiting if not form.is_bound else None
    page = "moderation/report_form.html"
    return render_page_or_partial(request, page, "form", context, status=status)


@login_required
@require_GET
def queue(request: AuthenticatedRequest) -> HttpResponse:
    """The reported items waiting for the moderators, the longest waiting first."""
    _check_moderator(request)
    page = paginate(request, selectors.open_report_groups(), per_page=selectors.QUEUE_PAGE)
    items = selectors.queue_items(list(page.object_list))
    context = {
        "page": page,
        "items": [_with_forms(item.entry, item.obj, queue_item=item) for item in items],
        "section": "queue",
    }
    return render_page_or_partial(request, "moderation/queue.html", "main", context)


def _with_forms(entry: registry.Entry, obj: Any, **extra: Any) -> dict[str, Any]:
    return {
        "entry": entry,
        "obj": obj,
        "title": entry.title(obj),
        "url": entry.url(obj),
        "text": entry.text(obj),
        "author": entry.author(obj),
        "hide_form": HideForm(prefix=prefix("hide", entry, obj)),
        "dismiss_form": NoteForm(prefix=prefix("dismiss", entry, obj)),
        "restore_form": NoteForm(prefix=prefix("restore", entry, obj)),
        **extra,
    }


def _content_page(
    request: HttpRequest,
    entry: registry.Entry,
    obj: Any,
    *,
    status: int = 200,
    errors: list[str] | None = None,
    **forms: Any,
) -> HttpResponse:
    """The item's page; ``errors`` are why an action could not be done (hidden already…),
    shown above it, since the form that failed may no longer be offered."""
    item = _with_forms(entry, obj, **forms)
    reports = selectors.content_reports(obj)
    context = {
        "item": item,
        "errors": errors or [],
        "reports": reports,
        "reports_open": any(report.status == ReportStatus.OPEN for report in reports),
        "actions": selectors.content_actions(obj),
        "section": "hidden" if obj.hidden_at else "queue",
    }
    return render_page_or_partial(request, CONTENT, "main", context, status=status)


@login_required
@require_GET
def content_detail(request: AuthenticatedRequest, kind: str, pk: int) -> HttpResponse:
    """One item as the moderators see it: the content, every report and action, the forms."""
    _check_moderator(request)
    entry, obj = selectors.get_content_or_404(kind, pk)
    return _content_page(request, entry, obj)


@login_required
@limit_form_posts
@require_POST
def content_hide(request: AuthenticatedRequest, kind: str, pk: int) -> HttpResponse:
    _check_moderator(request)
    entry, obj = selectors.get_content_or_404(kind, pk)
    form = HideForm(request.POST, prefix=prefix("hide", entry, obj))
    if form.is_valid():
        try:
            services.content_hide(
                moderator=request.user, obj=obj, public_reason=form.cleaned_data["public_reason"]
            )
        except ValidationError as error:
            return _content_page(request, entry, obj, status=422, errors=error.messages)
        else:
            messages.success(
                request,
                _("“%(title)s” was hidden; its reports are marked handled.")
                % {"title": entry.title(obj)},
            )
            return redirect("moderation:queue")
    return _content_page(request, entry, obj, status=422, hide_form=form)


@login_required
@limit_form_posts
@require_POST
def reports_dismiss(request: AuthenticatedRequest, kind: str, pk: int) -> HttpResponse:
    _check_moderator(request)
    entry, obj = selectors.get_content_or_404(kind, pk)
    form = NoteForm(request.POST, prefix=prefix("dismiss", entry, obj))
    if form.is_valid():
        try:
            count = services.reports_dismiss(
                moderator=request.user, obj=obj, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            return _content_page(request, entry, obj, status=422, errors=error.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "One report of “%(title)s” was dismissed; the content stays.",
                    "%(counter)s reports of “%(title)s” were dismissed; the content stays.",
                    count,
                )
                % {"counter": count, "title": entry.title(obj)},
            )
            return redirect("moderation:queue")
    return _content_page(request, entry, obj, status=422, dismiss_form=form)


@login_required
@limit_form_posts
@require_POST
def content_restore(request: AuthenticatedRequest, kind: str, pk: int) -> HttpResponse:
    _check_moderator(request)
    entry, obj = selectors.get_content_or_404(kind, pk)
    form = NoteForm(request.POST, prefix=prefix("restore", entry, obj))
    if form.is_valid():
        try:
            services.content_restore(
                moderator=request.user, obj=obj, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            return _content_page(request, entry, obj, status=422, errors=error.messages)
        else:
            messages.success(request, _("“%(title)s” shows again.") % {"title": entry.title(obj)})
            return redirect("moderation:hidden_list")
    return _content_page(request, entry, obj, status=422, restore_form=form)


@login_required
@require_GET
def hidden_list(request: AuthenticatedRequest) -> HttpResponse:
    """Hidden content of every kind, the most recently hidden first, each with a restore."""
    _check_moderator(request)
    items = [_with_forms(item.entry, item.obj) for item in selectors.hidden_content()]
    context = {"items": items, "section": "hidden"}
    return render_page_or_partial(request, "moderation/hidden_list.html", "main", context)


def _check_blocker(request: HttpRequest) -> None:
    if not can(request.user, "add", AccountBlock):
        raise PermissionDenied


@login_required
@require_GET
def account_list(request: AuthenticatedRequest) -> HttpResponse:
    """The blocked accounts, each with a way to lift the block."""
    _check_blocker(request)
    blocks = selectors.blocked_accounts()
    context = {
        "blocks": [(block, NoteForm(prefix=f"unblock-{block.user_id}")) for block in blocks],
        "section": "accounts",
    }
    return render_page_or_partial(request, "moderation/account_list.html", "main", context)


@login_required
@limit_form_posts
@require_http_methods(["GET", "POST"])
def account_block(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    """Block an account from posting, with a reason the person sees; or lift its block."""
    _check_blocker(request)
    person = selectors.get_person_or_404(user_id)
    block = selectors.active_block(person)
    form = BlockForm(request.POST if request.method == "POST" else None)
    if block is None and form.is_valid():
        try:
            services.account_block(
                moderator=request.user, user=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s can no longer post.") % {"name": person.public_name},
            )
            return redirect("moderation:account_list")
    context = {
        "person": person,
        "active_block": block,  # not "block": Django's templates use that name
        "form": form,
        "unblock_form": NoteForm(prefix=f"unblock-{person.pk}"),
        "actions": selectors.account_actions(person),
        "section": "accounts",
    }
    return render_page_or_partial(request, "moderation/account_block.html", "form", context)


@login_required
@limit_form_posts
@require_POST
def account_unblock(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    _check_blocker(request)
    person = selectors.get_person_or_404(user_id)
    form = NoteForm(request.POST, prefix=f"unblock-{person.pk}")
    if form.is_valid():
        try:
            services.account_unblock(
                moderator=request.user, user=person, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s can post again.") % {"name": person.public_name})
    else:
        messages.error(request, " ".join(str(error) for error in form.errors.get("note", [])))
    return redirect("moderation:account_list")
