import re
from datetime import date
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from digikunta.experiments.models import Experiment
from digikunta.home.models import CITATION_CHARS, ExperimentOfTheMonth
from digikunta.home.selectors import public_experiment

# An experiment's page address, with or without the site and language, or its last part.
EXPERIMENT_ADDRESS = re.compile(r"^(?:.*/experiments/)?(?P<slug>[-\w]+)/?(?:[?#].*)?$")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m", **kwargs)


def _citation(name: str, *, required: bool) -> forms.CharField:
    model_field = ExperimentOfTheMonth._meta.get_field(name)
    return forms.CharField(
        label=capfirst(model_field.verbose_name),  # lazy: in the reader's language
        help_text=model_field.help_text,
        required=required,
        max_length=CITATION_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExperimentOfTheMonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=MonthInput(),
        help_text=_("Year and month, for example 2026-03."),
        error_messages={"invalid": _("Give the month as year and month, for example 2026-03.")},
    )
    experiment = forms.CharField(
        label=_("Experiment"),
        max_length=300,
        help_text=_("Paste the address of the experiment's page, or its last part."),
    )
    citation_fi = _citation("citation_fi", required=True)
    citation_sv = _citation("citation_sv", required=True)
    citation_en = _citation("citation_en", required=False)

    def clean_month(self) -> date:
        return self.cleaned_data["month"].replace(day=1)

    def clean_experiment(self) -> Experiment:
        match = EXPERIMENT_ADDRESS.match(self.cleaned_data["experiment"].strip())
        experiment = public_experiment(match["slug"]) if match else None
        if experiment is None:
            raise forms.ValidationError(
                _("No public experiment has that address: copy it from the experiment's page.")
            )
        return experiment
