"""Forms of surveys: the runner's survey and question forms, and the answering form built from
the survey's questions. Views pass cleaned data to surveys.services, which owns the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from digikunta.core.forms import FastSelect
from digikunta.organisations.models import Organisation
from digikunta.participation.models import Process
from digikunta.surveys.models import (
    MAX_TEXT_ANSWER_CHARS,
    SCALE_MAX,
    SCALE_MIN,
    Question,
    QuestionKind,
    Survey,
)
from digikunta.surveys.selectors import scale_label

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
SETTINGS_FIELDS = [
    "title",
    "title_sv",
    "intro",
    "intro_sv",
    "is_anonymous",
    "has_public_results",
    "opens_at",
    "closes_at",
]


class SurveyForm(forms.ModelForm[Survey]):
    """A survey's texts, dates and settings."""

    class Meta:
        model = Survey
        fields = SETTINGS_FIELDS
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 4}),
            "intro_sv": forms.Textarea(attrs={"rows": 4}),
            "opens_at": DATETIME,
            "closes_at": DATETIME,
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Enter a closing time after the opening time."))
        return data

    def _post_clean(self) -> None:
        """The service checks the model (and the constraint), inside its transaction."""


class SurveyCreateForm(SurveyForm):
    """A new survey: of one of the person's organisations, or in a process they run."""

    process = forms.ChoiceField(
        label=_("Participation process"),
        required=False,
        widget=FastSelect,
        help_text=_(
            "A survey in a process is shown on the process's page and run by its organiser."
        ),
    )
    organiser = forms.ChoiceField(
        label=_("Organisation"),
        required=False,
        widget=FastSelect,
        help_text=_("Who runs the survey, when it is not in a process."),
    )

    field_order = ["process", "organiser", *SETTINGS_FIELDS]

    def __init__(
        self,
        *args: Any,
        organisations: list[Organisation],
        processes: list[Process],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.processes = {str(p.pk): p for p in processes}
        organiser = self.fields["organiser"]
        assert isinstance(organiser, forms.ChoiceField)
        organiser.choices = [
            ("", "—"),
            *((pk, o.display_name) for pk, o in self.organisations.items()),
        ]
        if processes:
            process = self.fields["process"]
            assert isinstance(process, forms.ChoiceField)
            process.choices = [
                ("", _("None: a survey of its own")),
                *((pk, p.localized_title) for pk, p in self.processes.items()),
            ]
        else:
            del self.fields["process"]

    def clean_process(self) -> Process | None:
        return self.processes.get(self.cleaned_data["process"] or "")

    def clean_organiser(self) -> Organisation | None:
        return self.organisations.get(self.cleaned_data["organiser"] or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("process") and not data.get("organiser") and "organiser" not in self.errors:
            self.add_error(
                "organiser", _("Choose the organisation that runs the survey, or a process.")
            )
        return data


class QuestionForm(forms.ModelForm[Question]):
    class Meta:
        model = Question
        fields = [
            "kind",
            "text",
            "text_sv",
            "help",
            "help_sv",
            "is_required",
            "low_label",
            "low_label_sv",
            "high_label",
            "high_label_sv",
        ]
        widgets = {"kind": forms.RadioSelect}

    def _post_clean(self) -> None:
        """The service checks the model, inside its transaction."""


class ChoiceRowForm(forms.Form):
    # Not required: an empty row is simply left out (services.question_save).
    label = forms.CharField(label=_("Option in Finnish"), max_length=300, required=False)
    label_sv = forms.CharField(label=_("Option in Swedish"), max_length=300, required=False)


ChoiceFormSet = forms.formset_factory(ChoiceRowForm, extra=3, can_order=True, max_num=40)


def choice_rows(formset: forms.BaseFormSet[Any]) -> list[tuple[str, str]]:
    """The options in the order the rows' numbers give (rows without one keep their place,
    after the numbered ones)."""
    return [
        (form.cleaned_data.get("label", ""), form.cleaned_data.get("label_sv", ""))
        for form in formset.ordered_forms
        if form.cleaned_data
    ] + [
        (form.cleaned_data.get("label", ""), form.cleaned_data.get("label_sv", ""))
        for form in formset.forms
        if form.cleaned_data and form not in formset.ordered_forms
    ]


class ScaleSelect(forms.RadioSelect):
    """Five radio buttons in a row, the ends labelled with their meaning."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attrs.setdefault("class", "scale")


def _question_field(question: Question) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.localized_text,
        "required": question.is_required,
        "help_text": question.localized_help,
    }
    options = [(str(choice.pk), choice.localized_label) for choice in question.choices.all()]
    if question.kind == QuestionKind.SINGLE:
        return forms.TypedChoiceField(
            choices=options,
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose one option."),
                "invalid_choice": _("Choose one of the options given."),
            },
            **common,
        )
    if question.kind == QuestionKind.MULTIPLE:
        return forms.TypedMultipleChoiceField(
            choices=options,
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Choose at least one option."),
                "invalid_choice": _("Choose one of the options given."),
                "invalid_list": _("Choose one of the options given."),
            },
            **common,
        )
    if question.kind == QuestionKind.SCALE:
        values = [(str(n), scale_label(question, n)) for n in range(SCALE_MIN, SCALE_MAX + 1)]
        return forms.TypedChoiceField(
            choices=values,
            coerce=int,
            empty_value=None,
            widget=ScaleSelect,
            error_messages={
                "required": _("Choose a number from 1 to 5."),
                "invalid_choice": _("Choose a number from 1 to 5."),
            },
            **common,
        )
    return forms.CharField(
        max_length=MAX_TEXT_ANSWER_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write an answer."),
            "max_length": _(
                "The answer can be at most %(limit_value)s characters; it now has %(show_value)s."
            ),
        },
        **common,
    )


class AnswerForm(forms.Form):
    """The survey itself: one field per question (``q<id>``), a group of choices in its own
    fieldset with the question as its legend (core/forms/field.html)."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = _question_field(question)

    def answers(self) -> dict[int, object]:
        return {
            question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions
        }
