from django import forms
from django.utils.translation import gettext_lazy as _

from digikunta.municipalities.models import LanguageStatus
from digikunta.municipalities.selectors import regions_list


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
