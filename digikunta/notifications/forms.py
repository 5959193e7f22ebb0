from typing import Any

from django import forms

from digikunta.notifications import kinds
from digikunta.notifications.models import CHOOSE_FREQUENCY, Frequency


class PreferencesForm(forms.Form):
    """One group of radio buttons per registered kind (a fieldset with the kind as its legend,
    core/forms renders it), named by the kind's key."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        kwargs["initial"] = current
        super().__init__(*args, **kwargs)
        for kind in kinds.registered():
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=Frequency.choices,
                widget=forms.RadioSelect,
                error_messages={"required": CHOOSE_FREQUENCY, "invalid_choice": CHOOSE_FREQUENCY},
            )
