"""Choosing municipalities: a list grouped by region that a filter box narrows (issue 10, item 9).

Without JavaScript it is a plain list of checkboxes (or radio buttons) in one fieldset per
region, each sorted by name in the page's language, with what is already chosen in a group of
its own at the top, so a form that failed shows its ticks first. With
``static/digikunta/choices.js`` a text box above the list hides the municipalities whose Finnish,
Swedish or English name does not match what is typed; the chosen ones are never hidden, and a
live region tells how many are chosen and shown.
"""

import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from digikunta.core import pagecache

# Finnish and Swedish both put å, ä and ö after z, in that order.
_NORDIC_LAST = str.maketrans({"å": "z\x01", "ä": "z\x02", "æ": "z\x02", "ö": "z\x03", "ø": "z\x03"})


def sort_key(name: str) -> str:
    """A name's place in a Finnish or Swedish alphabetical list (Ähtäri after Ylöjärvi)."""
    folded = unicodedata.normalize("NFD", name.casefold().translate(_NORDIC_LAST))
    return "".join(c for c in folded if not unicodedata.combining(c))


def search_text(*names: str) -> str:
    """What the filter box matches: the names in lower case, without accents (choices.js folds
    what is typed the same way, so "hameenlinna" finds Hämeenlinna)."""
    folded = unicodedata.normalize("NFD", " ".join(dict.fromkeys(n for n in names if n)).lower())
    return "".join(c for c in folded if not unicodedata.combining(c))


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    search: str

    @cached_property
    def value_html(self) -> str:
        return escape(self.value)

    @cached_property
    def label_html(self) -> str:
        return escape(self.label)

    @cached_property
    def search_html(self) -> str:
        return escape(self.search)


@dataclass(frozen=True)
class RegionChoices:
    label: str
    search: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Catalogue:
    """The choices by region, sorted: the same for every form in a language until reference
    data changes."""

    empty: Choice | None
    regions: tuple[RegionChoices, ...]


@dataclass(frozen=True)
class Group:
    """A fieldset of the rendered list: a region, or the chosen ones."""

    label: str
    search: str
    options: SafeString
    is_chosen: bool = False


_catalogues: dict[tuple, Catalogue] = {}


@dataclass(frozen=True)
class Described:
    """Where one instance goes in the list: its group's key, label and names to match, and
    the instance's own names to match."""

    group: str
    group_label: str
    group_names: tuple[str, ...]
    names: tuple[str, ...]


def describe_municipality(municipality: Any) -> Described:
    region = municipality.region
    return Described(
        group=municipality.region_id,
        group_label=region.name,
        group_names=(region.name, region.name_fi, region.name_sv, region.name_en),
        names=(municipality.name_fi, municipality.name_sv, municipality.name_en),
    )


def catalogue(choices: Any, describe: Any = describe_municipality) -> Catalogue:
    """A model choice field's choices by region, kept per process, query, language and
    page-cache generation, like core.forms.reference_choices: reading and sorting the 308 rows
    would cost more than the rest of the form's page."""
    queryset = getattr(choices, "queryset", None)
    if queryset is None:
        return _build(choices, describe)
    key = (describe.__qualname__, str(queryset.query), get_language(), pagecache.generation())
    found = _catalogues.get(key)
    if found is None:
        found = _build(choices, describe)
        if len(_catalogues) > 32:
            _catalogues.clear()
        _catalogues[key] = found
    return found


def _build(choices: Any, describe: Any) -> Catalogue:
    empty = None
    by_group: dict[str, list[Choice]] = {}
    groups: dict[str, Described] = {}
    for choice_value, label in choices:
        value = "" if choice_value is None else str(choice_value)
        instance = getattr(choice_value, "instance", None)
        if instance is None:
            empty = Choice(value=value, label=str(label), search="")
            continue
        described = describe(instance)
        groups.setdefault(described.group, described)
        by_group.setdefault(described.group, []).append(
            Choice(value=value, label=str(label), search=search_text(str(label), *described.names))
        )
    built = []
    for key, found in by_group.items():
        described = groups[key]
        built.append(
            RegionChoices(
                label=described.group_label,
                search=search_text(*described.group_names),
                choices=tuple(sorted(found, key=lambda choice: sort_key(choice.label))),
            )
        )
    return Catalogue(empty=empty, regions=tuple(sorted(built, key=lambda r: sort_key(r.label))))


class FilterableList:
    """The list's rendering, shared by the municipality widgets (checkboxes and radio buttons,
    over municipalities with their regions: municipalities/forms.py) and by other lists that
    group their choices the same way (organisations/widgets.py): a subclass says how an
    instance is grouped (``describe``) and what the list calls its choices."""

    template_name = "municipalities/widgets/municipality_choices.html"
    chosen_legend: Any = pgettext_lazy("municipalities", "Chosen")
    filter_label: Any = _("Find a municipality by its Finnish or Swedish name")
    chosen_one: Any = ngettext_lazy(
        "%(count)s municipality chosen.", "%(count)s municipalities chosen.", 1
    )
    chosen_other: Any = ngettext_lazy(
        "%(count)s municipality chosen.", "%(count)s municipalities chosen.", 2
    )
    no_match: Any = _("No municipality matches “%(query)s”.")

    @staticmethod
    def describe(instance: Any) -> Described:
        return describe_municipality(instance)

    def texts(self) -> dict[str, Any]:
        """What choices.js says, in the page's language."""
        return {
            "chosen-one": self.chosen_one,
            "chosen-other": self.chosen_other,
            "chosen-name": _("Chosen: %(name)s."),
            "chosen-none": _("None chosen."),
            "shown": _("Showing %(shown)s of %(total)s."),
            "no-match": self.no_match,
        }

    choices: Any
    input_type: str

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        # Widget's context, not ChoiceWidget's: its optgroups would build 308 option dicts
        # the template does not use.
        context = forms.Widget.get_context(self, name, value, attrs)  # type: ignore[arg-type]
        widget = context["widget"]
        chosen = set(widget["value"])
        input_attrs = dict(widget["attrs"])
        widget["id"] = input_attrs.pop("id", None) or f"id_{name}"
        # What the form adds (aria-invalid, required) goes on every input, as in Django's own.
        extra = format_html_join(
            "",
            " {}{}",
            (
                (key, "" if item is True else format_html('="{}"', item))
                for key, item in input_attrs.items()
                if item is not None and item is not False
            ),
        )
        found = catalogue(self.choices, self.describe)
        widget["empty"] = found.empty and self._items([found.empty], name, chosen, extra)
        picked = sorted(
            (
                choice
                for region in found.regions
                for choice in region.choices
                if choice.value in chosen
            ),
            key=lambda choice: sort_key(choice.label),
        )
        groups = []
        if picked:
            groups.append(
                Group(
                    label=str(self.chosen_legend),
                    search="",
                    options=self._items(picked, name, chosen, extra),
                    is_chosen=True,
                )
            )
        for region in found.regions:
            rest = [choice for choice in region.choices if choice.value not in chosen]
            if rest:
                groups.append(
                    Group(
                        label=region.label,
                        search=region.search,
                        options=self._items(rest, name, chosen, extra),
                    )
                )
        widget["groups"] = groups
        widget["total"] = sum(len(region.choices) for region in found.regions)
        widget["texts"] = self.texts()
        widget["filter_label"] = self.filter_label
        return context

    def _items(self, choices: list[Choice], name: str, chosen: set[str], extra: str) -> SafeString:
        """The choices' list items, built in Python from parts escaped once per process: a
        template per option, or escaping 308 of them on every render, would cost most of the
        form's time."""
        start = f'<input type="{self.input_type}" name="{escape(name)}" value="'
        items = [
            f'<li data-search="{choice.search_html}"><label>{start}{choice.value_html}"'
            f"{' checked' if choice.value in chosen else ''}{extra}> {choice.label_html}"
            "</label></li>"
            for choice in choices
        ]
        return mark_safe("".join(items))  # noqa: S308 - every part escaped above or in Choice


class MunicipalityCheckboxes(FilterableList, forms.CheckboxSelectMultiple):
    """Checkboxes for any number of municipalities."""


class MunicipalityRadios(FilterableList, forms.RadioSelect):
    """Radio buttons for one municipality; the empty choice, when the field is optional,
    comes first."""

    chosen_legend = _("Chosen now")
