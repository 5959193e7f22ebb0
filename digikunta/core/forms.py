"""The project's form renderer: accessible markup with an error summary for every form."""

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django_stubs_ext import StrOrPromise

from digikunta.core.converters import MAX_ID
from digikunta.core.pagecache import generation

T = TypeVar("T")
Choices = list[tuple[str, str]]


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: a field's message by the field, the rest
    at the top, so that the re-rendered form says what is wrong where it is wrong."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for text in error.messages:
            form.add_error(None, text)


class FormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class FastSelect(forms.Select):
    """A <select> rendered in Python rather than one template per option.

    Django renders every option through two templates; a filter of all 308 municipalities then
    costs most of a page's time (docs/benchmarks.md). Same markup, same attributes; groups of
    options fall back to Django's rendering.
    """

    # Set by ReferenceChoiceField: the options, read only when the widget is rendered.
    choices_from: Callable[[], Choices] | None = None

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        source = self.choices_from
        choices: list[tuple[Any, Any]] = list(source() if source else self.choices)
        if self.allow_multiple_selected or any(
            isinstance(label, (list, tuple)) for _value, label in choices
        ):
            return super().render(name, value, attrs, renderer)
        selected = set(self.format_value(value))
        options = []
        for option_value, label in choices:
            option = "" if option_value is None else str(option_value)
            options.append(
                f'<option value="{escape(option)}"'
                f"{' selected' if option in selected else ''}>{escape(label)}</option>"
            )
            if option in selected:
                selected = set()  # a single select marks its first match only
        attributes = format_html_join(
            "",
            " {}{}",
            (
                (key, format_html('="{}"', item) if item is not True else "")
                for key, item in self.build_attrs(self.attrs, attrs).items()
                if item is not False and item is not None
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            attributes,
            mark_safe("".join(options)),  # noqa: S308 - each option escaped above
        )


def reference_choices(
    queryset: QuerySet[Any], *, to_field_name: str = "pk", empty_label: StrOrPromise | None
) -> Choices:
    """The choices of a ModelChoiceField over reference data (municipalities, themes…),
    built once per process, language and page-cache generation instead of on every render.
    Validation still goes through the field's queryset."""
    key = (queryset.model._meta.label, to_field_name, get_language(), generation())
    return _kept(
        key,
        lambda: (
            ([] if empty_label is None else [("", str(empty_label))])
            + [(str(getattr(obj, to_field_name)), str(obj)) for obj in queryset.all()]
        ),
    )


_reference_cache: dict[tuple[Any, ...], Any] = {}


def _kept(key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """``make()``, kept per process under ``key`` (which holds the page-cache generation)."""
    found: T | None = _reference_cache.get(key)
    if found is None:
        found = make()
        if len(_reference_cache) > 64:
            _reference_cache.clear()
        _reference_cache[key] = found
    return found


class ReferenceChoiceField(forms.ModelChoiceField[Any]):
    """A ModelChoiceField over reference data that finds the chosen row in a table kept per
    process and page-cache generation, like reference_choices: a filter form validates with
    no query (issue 9). Reference rows change through the admin site, which bumps the
    generation. With FastSelect, its options come from reference_choices only when rendered:
    a form built for a page whose filters are stored renders none."""

    widget = FastSelect

    _queryset: QuerySet[Any] | None

    def _get_queryset(self) -> QuerySet[Any] | None:
        return self._queryset

    def _set_queryset(self, queryset: Any) -> None:
        self._queryset = None if queryset is None else queryset.all()
        if isinstance(self.widget, FastSelect):
            self.widget.choices_from = self.reference_choices
        else:
            # A ModelChoiceField's choices are always its iterator (django-stubs allows more).
            self.widget.choices = cast(ModelChoiceIterator, self.choices)

    queryset = property(_get_queryset, _set_queryset)

    def reference_choices(self) -> Choices:
        return reference_choices(
            self.queryset, to_field_name=self.to_field_name or "pk", empty_label=self.empty_label
        )

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        field = self.to_field_name or "pk"
        key = ("rows", self.queryset.model._meta.label, field, generation())
        # A fresh queryset each time: a FilterForm's field, and so its queryset, is shared.
        rows = _kept(key, lambda: {str(getattr(obj, field)): obj for obj in self.queryset.all()})
        found = rows.get(str(value))
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return found


class _SharedFields(dict[str, forms.Field]):
    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return dict(self)


class FilterForm(forms.Form):
    """A form of GET filters: bound and validated on every request of a listing, seldom
    rendered (its HTML is a stored part, ADR 0013). Its forms share the class's field objects
    instead of Django's deep copy of every field for every form, a third of a millisecond for
    the case bank's nine (issue 9). So a form never changes its fields: a subclass does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        if not isinstance(cls.__dict__.get("base_fields"), _SharedFields):
            cls.base_fields = _SharedFields(cls.base_fields)
        super().__init__(*args, **kwargs)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    """A ModelMultipleChoiceField whose ids are checked against the 64-bit range first.

    Django looks the chosen ids up with ``pk__in``, which the ORM does not range-check:
    ``99999999999999999999`` raised OverflowError on SQLite, a 500 (issue 8, finding 10). Such
    an id is refused like any other that is not a choice.
    """

    def _check_values(self, value: Any) -> QuerySet[Any]:
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # Django's own check refuses it with its message
            if not -MAX_ID - 1 <= number <= MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        # _check_values, which clean() calls, is missing from django-stubs 5.2.
        checked: QuerySet[Any] = super()._check_values(value)  # type: ignore[misc]
        return checked
