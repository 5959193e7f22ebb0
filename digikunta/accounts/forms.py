from django import forms
from django.utils.translation import gettext_lazy as _

from digikunta.accounts.models import ApiToken, User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language", "open_for_contact", "contact_title"]


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]


class EraseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("We ask for it so that nobody else can erase your account."),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right; type it again."))
        return password
