"""The project's form renderer: accessible markup with an error summary for every form."""

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class FormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class FastSelect(forms.Select):
    """A <select> rendered in Python rather than one template per option.

    Django renders every option through two templates; a filter of all 308 municipalities then
    costs most of a page's time (docs/benchmarks.md). Same markup, same attributes.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        context = self.get_context(name, value, attrs)
        widget = context["widget"]
        options = []
        for _group_name, group_choices, _index in widget["optgroups"]:
            for option in group_choices:
                options.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        option["value"],
                        mark_safe(" selected") if option["selected"] else "",
                        option["label"],
                    )
                )
        attributes = format_html_join(
            "",
            " {}{}",
            (
                (name, format_html('="{}"', value) if value is not True else "")
                for name, value in widget["attrs"].items()
                if value is not False and value is not None
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            attributes,
            mark_safe("".join(options)),  # noqa: S308 - each option escaped by format_html
        )
