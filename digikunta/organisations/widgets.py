"""Choosing organisations (an experiment's partners): the municipality list's widget, grouped by
the organisation's type instead of the region (municipalities/widgets.py)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from digikunta.municipalities.widgets import Described, FilterableList
from digikunta.organisations.models import OrganisationKind


def describe_organisation(organisation: Any) -> Described:
    kind = OrganisationKind(organisation.kind)
    return Described(
        group=organisation.kind,
        group_label=str(kind.label),
        group_names=(str(kind.label),),
        names=(organisation.name, organisation.name_sv),
    )


class OrganisationCheckboxes(FilterableList, forms.CheckboxSelectMultiple):
    """Checkboxes for any number of organisations, by type, narrowed by typing a name."""

    filter_label = _("Find an organisation by its name")
    chosen_one = ngettext_lazy(
        "%(count)s organisation chosen.", "%(count)s organisations chosen.", 1
    )
    chosen_other = ngettext_lazy(
        "%(count)s organisation chosen.", "%(count)s organisations chosen.", 2
    )
    no_match = _("No organisation matches “%(query)s”.")

    @staticmethod
    def describe(instance: Any) -> Described:
        return describe_organisation(instance)
