from django import forms
from django.utils.translation import gettext_lazy as _

from digikunta.municipalities.models import LanguageStatus, Municipality
from digikunta.municipalities.selectors import regions_list
from digikunta.municipalities.widgets import MunicipalityCheckboxes, MunicipalityRadios


class MunicipalityFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Region"), required=False)
    language_status = forms.ChoiceField(
        label=_("Language status"),
        required=False,
        choices=[("", _("All"))] + list(LanguageStatus.choices),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions"))] + [
            (region.code, region.name) for region in regions_list()
        ]


class MunicipalityMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Any number of municipalities, chosen from a filterable checkbox list grouped by region
    (municipalities/widgets.py). Every form that picks municipalities uses it."""

    widget = MunicipalityCheckboxes

    def __init__(self, queryset: object = None, **kwargs: object) -> None:
        base = Municipality.objects.all() if queryset is None else queryset
        super().__init__(base.select_related("region"), **kwargs)  # type: ignore[attr-defined]


class MunicipalityChoiceField(forms.ModelChoiceField):
    """One municipality, from the same list with radio buttons; an optional field offers
    "No municipality" first."""

    widget = MunicipalityRadios

    def __init__(self, queryset: object = None, **kwargs: object) -> None:
        base = Municipality.objects.all() if queryset is None else queryset
        kwargs.setdefault("empty_label", _("No municipality"))
        # Django drops the empty choice of radio buttons unless the model field may be blank.
        kwargs.setdefault("blank", not kwargs.get("required", True))
        super().__init__(base.select_related("region"), **kwargs)  # type: ignore[attr-defined]
