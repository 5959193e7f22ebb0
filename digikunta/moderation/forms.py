from django import forms
from django.utils.translation import gettext_lazy as _

from digikunta.moderation.models import DETAILS_CHARS, REASON_CHARS, Report, ReportReason


class ReportForm(forms.ModelForm[Report]):
    reason = forms.ChoiceField(
        label=_("Why do you report this?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you report this.")},
    )

    class Meta:
        model = Report
        fields = ["reason", "details"]
        widgets = {"details": forms.Textarea(attrs={"rows": 4, "maxlength": DETAILS_CHARS})}


class HideForm(forms.Form):
    public_reason = forms.CharField(
        label=_("Reason shown in place of the content"),
        max_length=REASON_CHARS,
        help_text=_(
            "Everyone sees this where the content was. Name what was wrong with it, not the "
            "person, e.g. “Advertising.” or “Contains a person's contact details.”"
        ),
        error_messages={"required": _("Give the reason that is shown in place of the content.")},
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REASON_CHARS}),
    )


class NoteForm(forms.Form):
    """Dismissing reports, restoring content, lifting a block: why, for the log only."""

    note = forms.CharField(
        label=_("Note for the moderation log (optional)"),
        max_length=REASON_CHARS,
        required=False,
        widget=forms.TextInput(attrs={"maxlength": REASON_CHARS}),
    )


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to the person"),
        max_length=REASON_CHARS,
        help_text=_("They see it when they try to post, e.g. “Repeated advertising.”"),
        error_messages={"required": _("Give the reason; the person sees it.")},
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REASON_CHARS}),
    )
