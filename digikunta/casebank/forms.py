from django import forms
from django.utils.translation import gettext_lazy as _

from digikunta.core.forms import FastSelect, FilterForm, ReferenceChoiceField
from digikunta.experiments.models import NeedKind, Outcome, Status, TargetGroup, Theme
from digikunta.municipalities.models import Municipality, Region


class CaseBankFilterForm(FilterForm):
    """The case bank's search and facets; every field optional, bad values answered 400."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    municipality = ReferenceChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name_fi"),
        to_field_name="code",
        required=False,
        empty_label=_("All municipalities"),
        widget=FastSelect,
    )
    region = ReferenceChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
        widget=FastSelect,
    )
    theme = ReferenceChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label=_("Stage"),
        choices=[("", _("All stages")), *Status.choices],
        required=False,
        widget=FastSelect,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("All outcomes")), *Outcome.choices],
        required=False,
        widget=FastSelect,
    )
    target_group = ReferenceChoiceField(
        label=_("Target group"),
        queryset=TargetGroup.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All target groups"),
        widget=FastSelect,
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    need = forms.ChoiceField(
        label=_("Looking for"),
        choices=[("", _("Anything")), *NeedKind.choices],
        required=False,
        widget=FastSelect,
    )
