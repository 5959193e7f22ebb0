"""Forms of the accelerator. Views pass cleaned data to funding.services, which owns the rules."""

from decimal import Decimal
from typing import Any, TypedDict, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from digikunta.accounts.models import User
from digikunta.core.forms import BoundedModelMultipleChoiceField, FastSelect
from digikunta.core.uploads import check_attachment
from digikunta.experiments.models import Experiment, Indicator, Outcome, Theme
from digikunta.funding.models import (
    ApplicationStatus,
    Call,
    InstalmentTrigger,
    Question,
    QuestionKind,
    ReportKind,
)
from digikunta.organisations.models import Organisation, OrganisationKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class Money(TypedDict):
    max_digits: int
    decimal_places: int
    min_value: Decimal


MONEY: Money = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}


# The usual texts of a municipal grant decision, offered to a new call: the parts in square
# brackets are the organiser's to fill in, and a call is not published before they are.
CALL_TEMPLATES = {
    "legal_basis": (
        "Kuntalaki (410/2015) ja hakua järjestävän organisaation avustusperiaatteet; "
        "rahoitushaun ehdot."
    ),
    "legal_basis_sv": (
        "Kommunallagen (410/2015) och den utlysande organisationens principer för bidrag; "
        "villkoren i finansieringsutlysningen."
    ),
    "appeal_instructions": (
        "Tähän päätökseen tyytymätön voi tehdä kirjallisen oikaisuvaatimuksen. Päätökseen ei "
        "saa hakea muutosta valittamalla tuomioistuimeen.\n\n"
        "Oikaisuvaatimuksen saa tehdä se, johon päätös on kohdistettu tai jonka oikeuteen, "
        "velvollisuuteen tai etuun päätös välittömästi vaikuttaa (asianosainen).\n\n"
        "Oikaisuvaatimus on tehtävä 14 päivän kuluessa päätöksen tiedoksisaannista. "
        "Sähköpostitse lähetetyn päätöksen katsotaan tulleen tiedoksi kolmantena päivänä "
        "viestin lähettämisestä, jollei muuta näytetä.\n\n"
        "Oikaisuvaatimuksessa on ilmoitettava päätös, johon oikaisua haetaan, miten päätöstä "
        "halutaan muutettavaksi ja millä perusteella, sekä tekijän nimi ja yhteystiedot. "
        "Oikaisuvaatimus toimitetaan: [viranomainen, postiosoite ja kirjaamon "
        "sähköpostiosoite]."
    ),
    "appeal_instructions_sv": (
        "Den som är missnöjd med detta beslut kan framställa ett skriftligt omprövningskrav. "
        "Ändring i beslutet får inte sökas genom besvär hos domstol.\n\n"
        "Omprövningskrav får framställas av den som beslutet avser eller vars rätt, "
        "skyldighet eller fördel direkt påverkas av beslutet (part).\n\n"
        "Omprövningskravet ska framställas inom 14 dagar från delfåendet av beslutet. Ett "
        "beslut som skickats per e-post anses ha delgetts den tredje dagen efter att "
        "meddelandet sändes, om inte något annat visas.\n\n"
        "Av omprövningskravet ska framgå vilket beslut som avses, hur beslutet ska ändras och "
        "på vilka grunder samt den sökandes namn och kontaktuppgifter. Omprövningskravet "
        "lämnas till: [myndighet, postadress och registraturens e-postadress]."
    ),
}


class CallForm(forms.ModelForm[Call]):
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Eligible organisation types"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every type may apply."),
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "title_sv",
            "description",
            "description_sv",
            "organiser",
            "themes",
            "total_budget",
            "max_per_application",
            "own_contribution_percent",
            "opens_at",
            "closes_at",
            "eligible_kinds",
            "eligible_regions",
            "decision_days",
            "report_due_days",
            "fast_track",
            "reviewers_per_application",
            "legal_basis",
            "legal_basis_sv",
            "appeal_instructions",
            "appeal_instructions_sv",
        ]
        widgets = {
            "organiser": FastSelect,
            "themes": forms.CheckboxSelectMultiple,
            "eligible_regions": forms.CheckboxSelectMultiple,
            "opens_at": DATETIME,
            "closes_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_sv": forms.Textarea(attrs={"rows": 6}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "legal_basis_sv": forms.Textarea(attrs={"rows": 3}),
            "appeal_instructions": forms.Textarea(attrs={"rows": 6}),
            "appeal_instructions_sv": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"opens_at": _("Finnish time."), "closes_at": _("Finnish time.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:  # a new call starts from the usual texts, to be completed
            for name, text in CALL_TEMPLATES.items():
                self.fields[name].initial = text
        # Retired themes are not offered; one the call has stays ticked and may stay.
        themes = Theme.objects.in_use()
        if self.instance.pk:
            themes = themes | Theme.objects.filter(calls=self.instance)
        cast(
            forms.ModelMultipleChoiceField[Theme], self.fields["themes"]
        ).queryset = themes.distinct()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The call must close after it opens."))
        budget, maximum = data.get("total_budget"), data.get("max_per_application")
        if budget and maximum and maximum > budget:
            self.add_error("max_per_application", _("The maximum cannot exceed the total budget."))
        return data


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion in Finnish"), max_length=200)
    name_sv = forms.CharField(label=_("Criterion in Swedish"), max_length=200, required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=QuestionKind.choices, widget=FastSelect)
    # Not required: an untouched extra row (type and "required" preset) is simply skipped.
    label = forms.CharField(label=_("Question in Finnish"), max_length=300, required=False)
    label_sv = forms.CharField(label=_("Question in Swedish"), max_length=300, required=False)
    help_text = forms.CharField(label=_("Help text"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    choices = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a choice: one option per line."),
    )

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2)
QuestionFormSet = forms.formset_factory(QuestionForm, extra=2)


def filled(formset: forms.BaseFormSet[Any], key: str) -> list[dict[str, Any]]:
    """The rows with a value in ``key``, in order, whether new or unchanged from before; a row
    left empty is dropped."""
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and f.cleaned_data.get(key)]


class ApplicationStartForm(forms.Form):
    """Apply with an existing experiment, or describe a new one in the same step."""

    experiment: forms.ModelChoiceField[Experiment] = forms.ModelChoiceField(
        label=_("Apply with an experiment of yours"),
        queryset=None,
        required=False,
        empty_label=_("A new experiment"),
    )
    applicant: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Applicant organisation (for a new experiment)"), queryset=None, required=False
    )
    title = forms.CharField(label=_("Title of the new experiment"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Summary of the new experiment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        experiments: QuerySet[Experiment],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # self.fields holds the fields above; django-stubs types each as a plain Field.
        cast(forms.ModelChoiceField[Experiment], self.fields["experiment"]).queryset = experiments
        applicant = cast(forms.ModelChoiceField[Organisation], self.fields["applicant"])
        applicant.queryset = organisations
        if organisations.count() == 1:
            self.fields["applicant"].initial = organisations.first()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("experiment"):
            if not data.get("applicant"):
                self.add_error("applicant", _("Choose the organisation that applies."))
            if not (data.get("title") or "").strip():
                self.add_error("title", _("Give the new experiment a title."))
        return data


class BudgetLineForm(forms.Form):
    description = forms.CharField(label=_("Cost item"), max_length=200)
    amount = forms.DecimalField(label=_("Amount (€)"), **MONEY)


BudgetFormSet = forms.formset_factory(BudgetLineForm, extra=2)


class _Common(TypedDict):
    label: StrOrPromise
    help_text: StrOrPromise
    required: bool


def _question_field(question: Question) -> forms.Field:
    common: _Common = {
        "label": question.display_label,
        "help_text": question.help_text,
        # Drafts save incomplete: required answers are checked on submission, by name.
        "required": False,
    }
    if question.kind == QuestionKind.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **common)
    if question.kind == QuestionKind.NUMBER:
        return forms.DecimalField(max_digits=14, decimal_places=2, **common)
    if question.kind == QuestionKind.CHOICE:
        choices = [("", "—"), *((c, c) for c in question.choices)]
        return forms.ChoiceField(choices=choices, **common)
    if question.kind == QuestionKind.FILE:
        return forms.FileField(**common)
    return forms.CharField(max_length=500, **common)


class ApplicationForm(forms.Form):
    """The application itself: what the money is for, own contribution, answers. Saved as a draft
    on every change; the budget lines come in their own formset."""

    summary = forms.CharField(
        label=_("What the money is for"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    own_contribution = forms.DecimalField(label=_("Own contribution (€)"), initial=0, **MONEY)
    language = forms.ChoiceField(
        label=_("Language of the application"),
        choices=[("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q_{question.pk}"] = _question_field(question)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for question in self.questions:
            upload = data.get(f"q_{question.pk}")
            if question.kind == QuestionKind.FILE and upload:
                try:
                    check_attachment(upload)
                except forms.ValidationError as error:
                    self.add_error(f"q_{question.pk}", error)
        return data

    def answers(self) -> dict[int, Any]:
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.pk}")
            if question.kind == QuestionKind.FILE:
                if value:
                    answers[question.pk] = value
            else:
                answers[question.pk] = value
        return answers


class ReviewerChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.public_name


class AssignForm(forms.Form):
    reviewers = ReviewerChoiceField(
        label=_("Reviewers"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, reviewers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # self.fields holds the field above; django-stubs types it as a plain Field.
        cast(ReviewerChoiceField, self.fields["reviewers"]).queryset = reviewers


class ConflictForm(forms.Form):
    conflict_reason = forms.CharField(
        label=_("Why you cannot review this one"),
        max_length=300,
        help_text=_("For the coordinator only, e.g. “a former colleague leads the experiment”."),
    )


SCORES = [("", "—"), *((str(n), str(n)) for n in range(6))]


class ReviewForm(forms.Form):
    general_comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(criterion)s (weight %(weight)s): score 0–5")
                % {"criterion": criterion.display_name, "weight": criterion.weight},
                choices=SCORES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.display_name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.order_fields([*(f for c in criteria for f in (f"score_{c.pk}", f"comment_{c.pk}"))])

    def scores(self) -> dict[int, tuple[int | None, str]]:
        return {
            c.pk: (self.cleaned_data.get(f"score_{c.pk}"), self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


DECISION_CHOICES = [
    (ApplicationStatus.APPROVED.value, _("Approve")),
    (ApplicationStatus.REJECTED.value, _("Reject")),
    (ApplicationStatus.RETURNED.value, _("Return for changes")),
]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=DECISION_CHOICES, widget=forms.RadioSelect
    )
    granted_amount = forms.DecimalField(label=_("Granted amount (€)"), required=False, **MONEY)
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reasoning = forms.CharField(
        label=_("Reasoning"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sent to the applicant; public with an approval or a rejection."),
    )
    decision_maker_name = forms.CharField(
        label=_("Decision-maker"),
        max_length=200,
        help_text=_("The official who decides, as printed on the decision."),
    )
    decision_maker_title = forms.CharField(
        label=_("Decision-maker's title"),
        max_length=200,
        help_text=_("For example: development manager."),
    )


class PaymentForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Payment date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.DecimalField(label=_("Amount (€)"), **(MONEY | {"min_value": Decimal("0.01")}))
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        help_text=_("The voucher or transaction number in the bookkeeping."),
    )


class InstalmentForm(forms.Form):
    # Not required: an untouched extra row is skipped (views use filled(…, "amount")).
    amount = forms.DecimalField(label=_("Instalment (€)"), required=False, **MONEY)
    trigger = forms.ChoiceField(
        label=_("Paid"),
        choices=InstalmentTrigger.choices,
        initial=InstalmentTrigger.APPROVAL,
        widget=FastSelect,
    )


InstalmentFormSet = forms.formset_factory(InstalmentForm, extra=3)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices, widget=FastSelect)
    results = forms.CharField(label=_("Results"), widget=forms.Textarea(attrs={"rows": 5}))
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", "—"), *Outcome.choices],
        required=False,
        widget=FastSelect,
        help_text=_("Required in the final report: a failure is a result too."),
    )
    lessons = forms.CharField(
        label=_("Lessons learned"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    spent = forms.DecimalField(label=_("Money spent (€)"), **MONEY)

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=_("%(name)s now (%(unit)s)")
                % {"name": indicator.name, "unit": indicator.unit},
                required=False,
                max_digits=14,
                decimal_places=2,
            )

    def measurements(self) -> list[tuple[Indicator, Decimal]]:
        return [
            (i, self.cleaned_data[f"indicator_{i.pk}"])
            for i in self.indicators
            if self.cleaned_data.get(f"indicator_{i.pk}") is not None
        ]
