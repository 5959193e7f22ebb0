"""Forms of participatory budgeting. Views pass cleaned data to budgeting.services, which owns
the rules (voting.py)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from digikunta.budgeting import receipts, voting
from digikunta.budgeting.models import DECIMAL_PLACES, MAX_DIGITS, BudgetArea, Project
from digikunta.municipalities.forms import MunicipalityMultipleChoiceField
from digikunta.participation.models import Idea, Process


class AreaForm(forms.ModelForm[BudgetArea]):
    municipalities = MunicipalityMultipleChoiceField(
        required=False,
        label=_("municipalities"),
        help_text=BudgetArea._meta.get_field("municipalities").help_text,
    )

    class Meta:
        model = BudgetArea
        fields = ["name", "name_sv", "budget", "municipalities", "position"]

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipalities"]
        assert isinstance(field, MunicipalityMultipleChoiceField)
        field.queryset = process.municipalities.select_related("region")


class ProjectForm(forms.ModelForm[Project]):
    estimated_cost = forms.DecimalField(
        label=_("estimated cost (€)"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        min_value=Decimal("1"),
    )

    class Meta:
        model = Project
        fields = [
            "area",
            "idea",
            "title",
            "title_sv",
            "description",
            "description_sv",
            "estimated_cost",
            "position",
        ]

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        idea = self.fields["idea"]
        assert isinstance(area, forms.ModelChoiceField) and isinstance(idea, forms.ModelChoiceField)
        area.queryset = BudgetArea.objects.filter(process=process)
        area.empty_label = None
        idea.queryset = Idea.objects.filter(process=process).order_by("-support_count", "pk")
        idea.required = False


class BallotForm(forms.Form):
    """The projects a person chooses, from the ballots of the areas they may vote in."""

    area = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput, required=False)
    projects = forms.MultipleChoiceField(
        label=_("Projects"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose only projects on the ballot of your area.")},
    )

    def __init__(self, *args: Any, areas: list[BudgetArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        projects = self.fields["projects"]
        assert isinstance(area, forms.ChoiceField) and isinstance(projects, forms.ChoiceField)
        area.choices = [(str(a.pk), a.localized_name) for a in areas]
        projects.choices = [
            (str(p.pk), p.localized_title)
            for a in areas
            for p in a.projects.all()
            if p.is_cost_checked
        ]

    def clean_projects(self) -> list[int]:
        return voting.clean_ids(self.cleaned_data["projects"])

    def clean_area(self) -> int | None:
        value = self.cleaned_data.get("area")
        return value if isinstance(value, int) else None


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        help_text=_("The 12 characters on your receipt, e.g. K7QM-2XRB-9TFA."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if receipts.normalise(code) is None:
            raise forms.ValidationError(
                _("Enter the receipt code of 12 letters and digits, e.g. K7QM-2XRB-9TFA."),
                code="invalid",
            )
        return code
