"""Forms of resident participation. They check the shape of what is typed; the services check
the rules (phases, eligibility) and their messages land on the form (core.forms.add_errors)."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from digikunta.core.forms import FastSelect, FilterForm, ReferenceChoiceField
from digikunta.core.markdown import MAX_BODY_CHARS
from digikunta.core.uploads import process_image
from digikunta.experiments.models import Experiment, Theme
from digikunta.municipalities.forms import MunicipalityChoiceField, MunicipalityMultipleChoiceField
from digikunta.municipalities.models import Municipality
from digikunta.participation import lifecycle
from digikunta.participation.models import AnswerStatus, Basis, PhaseKind, Process

MARKDOWN_HELP = _("Markdown: **bold**, *italics*, lists and links work; HTML is left out.")


class ProcessForm(forms.Form):
    organiser = forms.ModelChoiceField(
        label=_("Organiser"),
        queryset=None,
        empty_label=None,  # type: ignore[arg-type]
    )
    municipalities = MunicipalityMultipleChoiceField(
        label=_("Municipalities"),
        help_text=_("The area of the process: whose residents take part."),
    )
    title = forms.CharField(label=_("Title in Finnish"), max_length=200)
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description in Finnish"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_BODY_CHARS,
        help_text=MARKDOWN_HELP,
    )
    description_sv = forms.CharField(
        label=_("Description in Swedish"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_BODY_CHARS,
        required=False,
    )
    eligible_bases = forms.MultipleChoiceField(
        label=_("Who may take part"),
        choices=Basis.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "People declare their ground once per process. Choose “anyone signed in” for "
            "an open consultation."
        ),
    )

    def __init__(self, *args: Any, organisers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers  # type: ignore[attr-defined]


class PhaseForm(forms.Form):
    """One phase of the four; a phase left without dates is not part of the process."""

    kind = forms.ChoiceField(choices=PhaseKind.choices, widget=forms.HiddenInput)
    starts_on = forms.DateField(
        label=_("Starts"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("What happens, in Finnish"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description_sv = forms.CharField(
        label=_("What happens, in Swedish"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("starts_on")) != bool(data.get("ends_on")):
            raise forms.ValidationError(_("Give both dates of the phase, or neither."))
        return data

    @property
    def kind_label(self) -> str:
        return str(
            PhaseKind(self.initial.get("kind") or self.data.get(f"{self.prefix}-kind")).label
        )

    @property
    def what_you_can_do(self) -> str:
        kind = self.initial.get("kind") or self.data.get(f"{self.prefix}-kind")
        return str(lifecycle.WHAT_YOU_CAN_DO[PhaseKind(kind)])


PhaseFormSet = forms.formset_factory(PhaseForm, extra=0, min_num=4, max_num=4, validate_max=True)


def phase_rows(formset: Any) -> list[dict[str, Any]]:
    """The phases given dates, for services.phases_set."""
    return [
        {name: form.cleaned_data[name] for name in PhaseForm.base_fields}
        for form in formset.forms
        if form.cleaned_data.get("starts_on")
    ]


class DeclarationForm(forms.Form):
    """ "I declare that I live in Kuopio": the ground and the municipality, and the promise."""

    basis = forms.ChoiceField(label=_("I take part as"), widget=forms.RadioSelect)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=None,  # type: ignore[arg-type]
        empty_label=None,
    )
    confirm = forms.BooleanField(
        label=_("I confirm that what I declare is true."),
        error_messages={"required": _("Confirm the declaration to take part.")},
    )

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bases = [b for b in process.eligible_bases if b != Basis.SIGNED_IN]
        self.fields["basis"].choices = [(b, Basis(b).label) for b in bases]  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = process.municipalities.order_by("name_fi")  # type: ignore[attr-defined]


class ProfileForm(forms.Form):
    home_municipality = MunicipalityChoiceField(
        label=_("Home municipality"),
        required=False,
        help_text=_("Where you live (kotikunta)."),
    )
    summer_municipalities = MunicipalityMultipleChoiceField(
        label=_("Summer resident in"),
        required=False,
        help_text=_("Municipalities where you have a holiday home (vapaa-ajan asunto)."),
    )


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    body = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_BODY_CHARS,
        help_text=MARKDOWN_HELP,
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.in_use(), required=False, empty_label=_("No theme")
    )
    address = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("A street address or a place name, if the idea concerns one place."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=8, decimal_places=6,
        min_value=-90, max_value=90,
    )  # fmt: skip
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6,
        min_value=-180, max_value=180,
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Language of the text"), choices=settings.LANGUAGES)
    photo = forms.ImageField(label=_("Photo"), required=False)
    alt_text = forms.CharField(
        label=_("Description of the photo"),
        max_length=300,
        required=False,
        help_text=_("What the photo shows, for people who cannot see it."),
    )

    def __init__(self, *args: Any, with_photo: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not settings.MAP_TILES_URL:
            # Coordinates only where a map shows them; the address always (issue 11).
            del self.fields["latitude"], self.fields["longitude"]
        if not with_photo:
            del self.fields["photo"], self.fields["alt_text"]

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        return process_image(photo) if photo else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("photo") and not (data.get("alt_text") or "").strip():
            self.add_error("alt_text", _("Describe what the photo shows."))
        return data


class IdeaFilterForm(FilterForm):
    """The idea list's filters: reference choices kept per process, so that binding and
    rendering them costs no query (core.forms.ReferenceChoiceField)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    theme = ReferenceChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
    )
    answer = forms.ChoiceField(
        label=pgettext_lazy("idea answer", "Answer"),
        required=False,
        choices=[("", _("All")), ("none", _("Not answered yet")), *AnswerStatus.choices],
        widget=FastSelect,
    )
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("new", _("Newest first")), ("support", _("Most supported first"))],
        widget=FastSelect,
    )


class IdeaSearchForm(IdeaFilterForm):
    municipality = ReferenceChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name_fi"),
        required=False,
        empty_label=_("All municipalities"),
        to_field_name="code",
    )
    order = None  # type: ignore[assignment] - best match first, or newest


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=pgettext_lazy("idea answer", "Answer"),
        choices=AnswerStatus.choices,
        widget=forms.RadioSelect,
    )
    reasoning = forms.CharField(
        label=_("Reasoning"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_BODY_CHARS,
        help_text=_("Why, and what happens next. Markdown."),
    )
    office = forms.CharField(
        label=_("Answering office"),
        max_length=200,
        help_text=_("The office or body that answers, e.g. the technical board."),
    )


class ExperimentLinkForm(forms.Form):
    experiment = forms.ModelChoiceField(
        label=_("Experiment that takes the idea forward"),
        queryset=Experiment.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args: Any, experiments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["experiment"].queryset = experiments  # type: ignore[attr-defined]
