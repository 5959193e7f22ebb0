"""Jinja2 for the hot pages and the site's shell (docs/decisions/0016).

Django's own Jinja2 backend with three additions:

- the page's partials: ``"casebank/casebank.html#results"`` renders only the block
  ``results``, as django-template-partials does for Django templates (core/htmx.py);
- ``template_rendered`` is sent as Django's test instrumentation sends it for Django
  templates, so ``response.context`` and ``assertTemplateUsed`` work in tests;
- the environment below: Django's gettext, ``url``, ``static`` and the helpers of the
  ``digikunta`` template library as plain functions.

Strings are marked ``_("…")`` with a literal and no arguments (``|format`` after it when a
value goes in): ``makemessages`` finds exactly that form in any ``.html`` file.
"""

from collections.abc import Callable, Mapping
from typing import Any, cast

import jinja2
from django.conf import settings
from django.http import HttpRequest
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.backends import jinja2 as django_jinja2
from django.template.backends.utils import csrf_input_lazy, csrf_token_lazy
from django.templatetags.static import static
from django.test.signals import template_rendered
from django.urls import reverse, translate_url
from django.utils.formats import localize
from django.utils.safestring import SafeString

# template_localtime, which Django's templates show datetimes with, is not in django-stubs 5.2.
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django.utils.translation import get_language, gettext, ngettext
from markupsafe import Markup

from digikunta.core.fragments import shared_html
from digikunta.core.repeats import submission_token

ENGINE = "jinja2"


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


AUTONYMS = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def language_links(request: HttpRequest) -> list[dict[str, object]]:
    """The current page in each language, named in that language, for the switcher (keeps
    the page and its query)."""
    current = get_language()
    path = request.get_full_path()
    return [
        {
            "code": code,
            "name": AUTONYMS.get(code, name),
            "url": translate_url(path, code),
            "is_current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


def query_with(request: HttpRequest, **changes: Any) -> str:
    """The current query string with some parameters replaced, e.g. for page links."""
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = value
    return "?" + query.urlencode()


def shared_fragment(name: str, *vary: object, caller: Callable[[], Markup]) -> Markup:
    """``{% call shared_fragment("main-nav", user.is_authenticated) %}…{% endcall %}``: the
    enclosed markup once per language and per value of the other arguments, for every viewer
    (core/fragments.py). Only for markup that shows nothing of the viewer beyond those
    arguments: no CSRF token, no name, no form."""
    return shared_html(f"jinja:{name}", [], caller, vary=vary)  # caller() is safe Markup


def shown(value: Any) -> Any:
    """Every ``{{ value }}`` as Django templates show it: numbers and dates in the reader's
    language (``USE_THOUSAND_SEPARATOR``); None as nothing rather than "None"."""
    if value is None:
        return ""
    if isinstance(value, (bool, str)):
        return value
    return localize(template_localtime(value))


def environment(**options: Any) -> jinja2.Environment:
    options.pop("autoescape", None)  # always on: every value is escaped unless marked safe
    env = jinja2.Environment(
        autoescape=True, extensions=["jinja2.ext.i18n"], finalize=shown, **options
    )
    # Old-style gettext: _("…") is Django's gettext, and its result is escaped like any value
    # (as {% translate %} does); placeholders are filled by |format.
    env.install_gettext_callables(gettext, ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.filters["localize"] = localize
    env.globals.update(
        url=url,
        static=static,
        get_language=get_language,
        language_links=language_links,
        query_with=query_with,
        shared_fragment=shared_fragment,
        submission_token=submission_token,
    )
    return env


class Template(django_jinja2.Template):
    template: jinja2.Template

    def __init__(self, template: jinja2.Template, backend: "Jinja2", block: str = "") -> None:
        super().__init__(template, backend)
        self.name = template.name if not block else f"{template.name}#{block}"
        self.block = block

    def render(
        self, context: dict[str, Any] | None = None, request: HttpRequest | None = None
    ) -> str:
        context = {} if context is None else dict(context)
        if request is not None:
            context["request"] = request
            context["csrf_input"] = csrf_input_lazy(request)
            context["csrf_token"] = csrf_token_lazy(request)
            for processor in self.backend.template_context_processors:
                context.update(processor(request))
        if template_rendered.receivers:  # the test client's instrumentation
            template_rendered.send(sender=self, template=self, context=context)
        try:
            if not self.block:
                return self.template.render(context)
            render_block = self.template.blocks[self.block]
            return "".join(render_block(self.template.new_context(context)))
        except jinja2.TemplateSyntaxError as exc:
            new = TemplateSyntaxError(exc.args)
            # As Django's backend does. Its stub wants Django's exception, and has no
            # template_debug, which Django's debug page reads.
            info = django_jinja2.get_exception_info(exc)  # type: ignore[arg-type]
            new.template_debug = info  # type: ignore[attr-defined]
            raise new from exc


class Jinja2(django_jinja2.Jinja2):
    """Django's Jinja2 backend, with ``name#block`` partials and the test signal."""

    def get_template(self, template_name: str) -> Template:
        name, _, block = template_name.partition("#")
        template = super().get_template(name)
        if block and block not in template.template.blocks:
            raise TemplateDoesNotExist(template_name, backend=self)
        return Template(template.template, self, block)

    def from_string(self, template_code: str) -> Template:
        return Template(self.env.from_string(template_code), self)


def include(name: str, context: Mapping[Any, Any]) -> SafeString:
    """The Jinja2 template ``name`` rendered with a Django template's ``context`` (the tag
    ``{% jinja_include %}``)."""
    request = context.get("request")
    if request is not None and "csrf_input" not in context:
        context = {**context, "csrf_input": csrf_input_lazy(request)}
    engine = cast(Jinja2, engines[ENGINE])  # TEMPLATES names this backend (settings/base.py)
    return SafeString(engine.env.get_template(name).render(context))
