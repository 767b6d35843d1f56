from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from uslugi.accounts.models import User


class LoginForm(AuthenticationForm):
    """Django's login form: `authenticate(request, ...)` runs through django-axes."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is wrong. Check them and try again."),
        "inactive": _("This account is disabled. Contact the support service."),
    }


class RegistrationForm(UserCreationForm):
    """A citizen's local account; the password passes every AUTH_PASSWORD_VALIDATORS rule."""

    class Meta:
        model = User
        fields = ["username", "email", "last_name", "first_name", "middle_name"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in ("email", "last_name", "first_name"):
            self.fields[name].required = True
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["middle_name"].widget.attrs["autocomplete"] = "additional-name"
        self.fields["middle_name"].help_text = _("Leave empty if you have none.")
