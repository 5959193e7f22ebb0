from django import forms
from django.utils.translation import gettext_lazy as _

from digikunta.core.forms import FilterForm
from digikunta.municipalities.forms import MunicipalityChoiceField
from digikunta.organisations.models import (
    SELF_SERVICE_KINDS,
    JoinRequest,
    MembershipRole,
    Organisation,
    OrganisationKind,
)

BUSINESS_ID_MESSAGE = _(
    "Enter the Business ID as seven digits, a hyphen and a check digit, e.g. 1572860-0."
)


class OrganisationFilterForm(FilterForm):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types"))] + list(OrganisationKind.choices),
    )


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name",
            "name_sv",
            "home_municipality",
            "business_id",
            "website",
            "description",
            "description_language",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        field_classes = {"home_municipality": MunicipalityChoiceField}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in SELF_SERVICE_KINDS]
        if self.instance.pk and (self.instance.municipality_id or self.instance.region_id):
            for name in ("kind", "name", "name_sv", "home_municipality"):
                del self.fields[name]

    def clean_business_id(self) -> str:
        value = self.cleaned_data["business_id"].strip()
        if value and not is_valid_business_id(value):
            raise forms.ValidationError(BUSINESS_ID_MESSAGE)
        return value


def is_valid_business_id(value: str) -> bool:
    """Finnish Business ID (Y-tunnus): 7 digits, hyphen, check digit (weights 7,9,10,5,8,4,2)."""
    if len(value) != 9 or value[7] != "-" or not (value[:7] + value[8]).isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value[:7], (7, 9, 10, 5, 8, 4, 2), strict=True))
    remainder = total % 11
    if remainder == 1:
        return False
    check = 0 if remainder == 0 else 11 - remainder
    return int(value[8]) == check


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "We send an invitation to this address. The person joins only if they accept it."
        ),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class InvitationAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        error_messages={"required": _("Choose whether to accept or decline the invitation.")},
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class JoinRequestForm(forms.ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}
