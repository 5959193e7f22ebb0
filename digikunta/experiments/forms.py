from dataclasses import replace
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from digikunta.core.uploads import check_attachment, process_image
from digikunta.experiments import lifecycle
from digikunta.experiments.models import (
    PUBLISHED,
    Experiment,
    Indicator,
    JournalEntry,
    Lasted,
    Measurement,
    NeedKind,
    Outcome,
    Status,
    Step,
    TeamRole,
    Theme,
    Visibility,
)
from digikunta.municipalities.forms import MunicipalityMultipleChoiceField
from digikunta.organisations.models import Organisation
from digikunta.organisations.widgets import OrganisationCheckboxes


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ExperimentForm(forms.ModelForm[Experiment]):
    owner = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    needs = forms.MultipleChoiceField(
        label=_("We are looking for"),
        choices=NeedKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Experiment
        fields = [
            "title",
            "summary",
            "description",
            "problem",
            "hypothesis",
            "goal",
            "expected_benefit",
            "themes",
            "target_groups",
            "life_events",
            "municipalities",
            "partners",
            "strategy_link",
            "budget",
            "funding_sources",
            "starts_on",
            "ends_on",
            "language",
            "visibility",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "hypothesis": forms.Textarea(attrs={"rows": 3}),
            "goal": forms.Textarea(attrs={"rows": 2}),
            "expected_benefit": forms.Textarea(attrs={"rows": 2}),
            "strategy_link": forms.Textarea(attrs={"rows": 2}),
            "themes": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "life_events": forms.CheckboxSelectMultiple,
            "partners": OrganisationCheckboxes,
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }
        field_classes = {"municipalities": MunicipalityMultipleChoiceField}
        localized_fields = ["budget"]

    def __init__(
        self,
        *args: Any,
        owners: QuerySet[Organisation] | None = None,
        can_publish: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk or self.instance.visibility == Visibility.DRAFT or not can_publish:
            # A draft's audience is chosen when it is published, on its page.
            del self.fields["visibility"]
        else:
            # self.fields holds the fields above; django-stubs types each as a plain Field.
            visibility = cast(forms.ChoiceField, self.fields["visibility"])
            visibility.choices = [(v, Visibility(v).label) for v in PUBLISHED]
            self.fields["visibility"].help_text = _(
                "To take it back to a draft, use “Unpublish” on its page."
            )
        if self.instance.pk:
            del self.fields["owner"]
            self.fields["needs"].initial = list(self.instance.needs.values_list("kind", flat=True))
        else:
            cast(forms.ModelChoiceField[Organisation], self.fields["owner"]).queryset = owners
        if not self.instance.pk:
            self.fields["municipalities"].help_text = _(
                "If you choose none, the owner's municipality takes part."
            )
        # Retired themes are not offered; one the experiment has stays ticked and may stay.
        themes = Theme.objects.in_use()
        if self.instance.pk:
            themes = themes | Theme.objects.filter(experiments=self.instance)
        themes_field = cast(forms.ModelMultipleChoiceField[Theme], self.fields["themes"])
        themes_field.queryset = themes.distinct()
        partners = Organisation.objects.select_related("municipality", "region").order_by("name")
        if self.instance.pk:
            partners = partners.exclude(pk=self.instance.owner_id)
        partners_field = cast(forms.ModelMultipleChoiceField[Organisation], self.fields["partners"])
        partners_field.queryset = partners
        self.fields["partners"].help_text = _(
            "Other organisations that run it with the owner: municipalities, associations, "
            "companies, universities…"
        )

    def clean(self) -> dict[str, object]:
        super().clean()
        data = self.cleaned_data
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Enter an end date on or after the start date."))
        return data


class TransitionForm(forms.Form):
    """The stage form: the next stages, and only the texts a move to them asks for
    (lifecycle.needs): outcome and results when ending, lessons when evaluating.

    A move that cannot be made whatever is written (spreading without a reuse by another
    organisation) is left out, and its reason is in ``unavailable``."""

    to = forms.ChoiceField(label=_("Move to stage"), choices=Status.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices])
    results = forms.CharField(
        label=_("Results"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happened, in figures where you have them."),
    )
    lessons = forms.CharField(
        label=_("Lessons learned"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=Experiment._meta.get_field("lessons").help_text,
    )

    def __init__(
        self,
        *args: Any,
        experiment: Experiment,
        state: lifecycle.State | None = None,
        by_coordinator: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.experiment = experiment
        self.state = state or experiment.lifecycle_state
        self.by_coordinator = by_coordinator
        moves, self.unavailable = [], []
        for stage in lifecycle.allowed_moves(self.state.status):
            reason = lifecycle.blocked_reason(self.state, stage, by_coordinator=by_coordinator)
            if reason:
                self.unavailable.append(reason)
            else:
                moves.append(stage)
        to = cast(forms.ChoiceField, self.fields["to"])
        to.choices = [(s, Status(s).label) for s in moves] or [("", "—")]
        asked = [set(lifecycle.needs(stage)) for stage in moves]
        for name in ("outcome", "results", "lessons"):
            field = self.fields[name]
            if not any(name in needed for needed in asked):
                del self.fields[name]
                continue
            # Required when every move offered asks for it; the lifecycle's words say why.
            field.required = all(name in needed for needed in asked)
            field.error_messages["required"] = lifecycle.need_message(name)
        if not self.is_bound:
            self.initial.update(
                {name: getattr(experiment, name) for name in ("outcome", "results", "lessons")}
            )

    def clean(self) -> dict[str, object]:
        super().clean()
        data = self.cleaned_data
        texts: dict[str, Any] = {
            name: data.get(name) or "" for name in ("outcome", "results", "lessons")
        }
        state = replace(self.state, **{k: v for k, v in texts.items() if k in self.fields})
        errors = lifecycle.transition_errors(
            state, data.get("to", ""), by_coordinator=self.by_coordinator
        )
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name if name in self.fields else "to", message)
        return data


class StepForm(forms.ModelForm[Step]):
    class Meta:
        model = Step
        fields = ["title", "goal", "starts_on", "ends_on", "status"]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def clean(self) -> dict[str, object]:
        super().clean()
        data = self.cleaned_data
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Enter an end date on or after the start date."))
        return data


class IndicatorForm(forms.ModelForm[Indicator]):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "target"]
        localized_fields = ["baseline", "target"]


class MeasurementForm(forms.ModelForm[Measurement]):
    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "note"]
        widgets = {"measured_on": DateInput()}
        localized_fields = ["value"]


class ReuseForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Organisation that runs the new experiment"),
        queryset=Organisation.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args: Any, owners: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField[Organisation], self.fields["owner"]).queryset = owners


class JournalEntryForm(forms.ModelForm[JournalEntry]):
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Description of the photo"),
        required=False,
        max_length=300,
        help_text=_("What the photo shows, for people who cannot see it. Required with a photo."),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, office document, CSV or text, at most 20 MB."),
    )

    class Meta:
        model = JournalEntry
        fields = ["body", "video_url", "language"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}

    def clean_video_url(self) -> str:
        url: str = self.cleaned_data["video_url"]
        if url and not url.startswith("https://"):
            raise forms.ValidationError(_("Give the video's address beginning with https://."))
        return url

    def clean(self) -> dict[str, object]:
        super().clean()
        data = self.cleaned_data
        photo = data.get("photo")
        if photo:
            if not data.get("alt_text", "").strip():
                self.add_error(
                    "alt_text",
                    _("Describe what the photo shows: people who cannot see it rely on this."),
                )
            try:
                data["processed_photo"] = process_image(photo)
            except forms.ValidationError as error:
                self.add_error("photo", error)
        attachment = data.get("attachment")
        if attachment:
            try:
                data["attachment_type"] = check_attachment(attachment)[1]
            except forms.ValidationError as error:
                self.add_error("attachment", error)
        return data


class JournalEditForm(forms.ModelForm[JournalEntry]):
    class Meta:
        model = JournalEntry
        fields = ["body", "video_url", "language"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}


class FollowUpForm(forms.Form):
    lasted = forms.ChoiceField(
        label=_("Did the change last?"), choices=Lasted.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("What happened since"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = {f"indicator_{i.pk}": i for i in indicators}
        for name, indicator in self.indicators.items():
            self.fields[name] = forms.DecimalField(
                label=f"{indicator.name} ({indicator.unit})",
                required=False,
                max_digits=14,
                decimal_places=2,
                localize=True,
                help_text=_("The value now, if you know it."),
            )

    def indicator_values(self) -> dict[Indicator, Decimal]:
        return {
            indicator: self.cleaned_data[name]
            for name, indicator in self.indicators.items()
            if self.cleaned_data.get(name) is not None
        }


class TeamMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The person must already have an account.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices)

    def clean_email(self) -> object:
        from django.contrib.auth import get_user_model

        user = (
            get_user_model()
            .objects.filter(email__iexact=self.cleaned_data["email"], is_active=True)
            .first()
        )
        if user is None:
            raise forms.ValidationError(
                _("No account uses this e-mail address; ask the person to sign up first.")
            )
        return user


class ThemeForm(forms.ModelForm[Theme]):
    """A theme's names in Finnish and Swedish (both required: the site is bilingual) and
    English, and, when editing, its place in the list."""

    class Meta:
        model = Theme
        fields = ["name_fi", "name_sv", "name_en", "position"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name_sv"].required = True
        self.fields["name_sv"].error_messages["required"] = _(
            "Write the name in Swedish too: the site is in Finnish and Swedish."
        )
        self.fields["name_en"].help_text = _("If left empty, the Finnish name is shown.")
        if self.instance.pk is None:
            del self.fields["position"]  # a new theme goes last
        else:
            self.fields["position"].help_text = _("Themes are listed from the smallest number.")


class ThemeMergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Theme.objects.none(),
        help_text=_(
            "Everything tagged with this theme gets the chosen one instead, and this theme is "
            "retired. Nothing loses its tags."
        ),
    )

    def __init__(self, *args: Any, theme: Theme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        into = cast(forms.ModelChoiceField[Theme], self.fields["into"])
        into.queryset = Theme.objects.in_use().exclude(pk=theme.pk)
