"""Forms of citizens' panels. Views pass the cleaned data to panels.services, which owns the
rules; a form only asks what the panel needs and says what is missing in the reader's words."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from digikunta.municipalities.models import Municipality
from digikunta.panels import lifecycle
from digikunta.panels.models import AgeBand, CitizensPanel, Gender, Language, Trait
from digikunta.panels.services import SEED_MAX

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PanelForm(forms.ModelForm[CitizensPanel]):
    stratify_by = forms.MultipleChoiceField(
        label=_("Stratified by"),
        choices=Trait.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The traits by which the panel is made to resemble the volunteers. Volunteers are "
            "asked only these; fewer traits make larger groups. None ticked: a plain lot."
        ),
    )

    class Meta:
        model = CitizensPanel
        fields = [
            "title",
            "title_sv",
            "description",
            "description_sv",
            "seats",
            "stratify_by",
            "registration_closes_at",
            "answer_days",
            "seed_plan",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_sv": forms.Textarea(attrs={"rows": 6}),
            "seed_plan": forms.Textarea(attrs={"rows": 2}),
            "registration_closes_at": DATETIME,
        }
        help_texts = {"registration_closes_at": _("Finnish time.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            allowed = lifecycle.editable(self.instance.state)
            for name, field in self.fields.items():
                if name not in allowed:
                    field.disabled = True
        else:
            self.fields["stratify_by"].initial = [Trait.AGE_BAND, Trait.AREA, Trait.LANGUAGE]

    def editable_data(self) -> dict[str, Any]:
        """What the person could change: the fields the panel's state has fixed are left out."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not self.fields[name].disabled
        }


REQUIRED = {
    "age_band": _("Choose your age band."),
    "area": _("Choose the municipality you live in."),
    "language": _("Choose the language you speak best."),
    "consent_contact": _(
        "Tick the box to agree to an e-mail if you are drawn; without it we cannot invite you."
    ),
}


class AreaField(forms.ModelChoiceField[Municipality]):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.name


class VolunteerForm(forms.Form):
    """What a volunteer tells: only the traits the panel is stratified by, and their consent."""

    age_band = forms.ChoiceField(
        label=_("Age"),
        choices=AgeBand.choices,
        widget=forms.RadioSelect,
        help_text=_("You can take part from the age of 15."),
        error_messages={"required": REQUIRED["age_band"], "invalid_choice": REQUIRED["age_band"]},
    )
    area = AreaField(
        label=_("Municipality where you live"),
        queryset=Municipality.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": REQUIRED["area"], "invalid_choice": REQUIRED["area"]},
    )
    language = forms.ChoiceField(
        label=_("The language you speak best"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        error_messages={"required": REQUIRED["language"], "invalid_choice": REQUIRED["language"]},
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        choices=Gender.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("You need not answer: “prefer not to say” is a group of its own."),
    )
    consent_contact = forms.BooleanField(
        label=_("I agree that Digikunta e-mails me about this panel if I am drawn."),
        error_messages={"required": REQUIRED["consent_contact"]},
    )

    def __init__(self, *args: Any, panel: CitizensPanel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for trait in Trait.values:
            if trait not in panel.traits:
                del self.fields[trait]
        if "area" in self.fields:
            area = cast(AreaField, self.fields["area"])
            area.queryset = panel.process.municipalities.order_by("name_fi")

    def clean_gender(self) -> str:
        return self.cleaned_data.get("gender") or Gender.NOT_GIVEN


class DrawForm(forms.Form):
    seed = forms.CharField(
        label=_("Seed"),
        required=False,
        max_length=SEED_MAX,
        help_text=_(
            "Type the seed from the announced public source exactly as you publish it, or "
            "leave it empty and the site makes a random one at the moment of the draw."
        ),
    )

    def __init__(self, *args: Any, panel: CitizensPanel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if panel.seed_plan:
            field = self.fields["seed"]
            field.required = True
            field.help_text = _("Type the seed exactly as announced: %(plan)s") % {
                "plan": panel.seed_plan
            }
            field.error_messages["required"] = _("Type the seed as announced: %(plan)s") % {
                "plan": panel.seed_plan
            }


class VerifyForm(forms.Form):
    """Re-run the draw on the published list: the same seed must give the same members."""

    seed = forms.CharField(
        label=_("Seed"),
        max_length=SEED_MAX,
        error_messages={"required": _("Type the seed to draw with.")},
    )
    seats = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=500,
        error_messages={
            "required": _("Give the number of seats, from 1 to 500."),
            "min_value": _("Give the number of seats, from 1 to 500."),
            "max_value": _("Give the number of seats, from 1 to 500."),
            "invalid": _("Give the number of seats, from 1 to 500."),
        },
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        error_messages={
            "required": _("Choose whether to accept or decline the seat."),
            "invalid_choice": _("Choose whether to accept or decline the seat."),
        },
    )
