from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm

from . import throttle, two_factor
from .models import User


class AdminLoginForm(AdminAuthenticationForm):
    """
    The admin login: username and password (throttled by django-axes), then,
    for a user with two-factor authentication, a code from their app or a
    recovery code. The password is kept in the form while the code is asked.
    """

    otp_token = forms.CharField(
        label="Two-factor code",
        required=False,
        max_length=32,
        help_text="The six digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    # Set when the password was right and a code is needed: the template shows its field.
    asks_for_code = False

    def clean(self):
        try:
            super().clean()
        except forms.ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                credentials = {"username": self.cleaned_data.get("username")}
                message = throttle.lockout_message(self.request, credentials)
                raise forms.ValidationError(message, code="throttled") from None
            raise
        user = self.get_user()
        if user is not None and two_factor.is_set_up(user):
            self.asks_for_code = True
            self.fields["password"].widget.render_value = True
            self.fields["username"].widget.attrs.pop("autofocus", None)
            code = self.cleaned_data.get("otp_token")
            if not code:
                raise forms.ValidationError(
                    "Enter the code from your authenticator app (or a recovery code) to log in.",
                    code="code_required",
                )
            device = two_factor.verify(user, code)
            if device is None:
                raise forms.ValidationError(
                    "That code is not right, or has expired: enter the code your app shows "
                    "now, or an unused recovery code (after a wrong code, wait a few seconds "
                    "before the next).",
                    code="invalid_code",
                )
            # django-otp keeps the device in the session when the admin logs the user in.
            user.otp_device = device
        return self.cleaned_data


class CodeForm(forms.Form):
    """A code from the app being set up, or any current code to confirm a change."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AuthorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.public_name
        return name if name == user.username else f"{name} ({user.username})"


class AttributeContentForm(forms.Form):
    """Who a deleted user's posts and pages are attributed to."""

    attribute_to = AuthorChoiceField(
        queryset=User.objects.none(),
        label="Attribute all content to",
        empty_label="Choose a user…",
        error_messages={"required": "Choose the user their posts and pages are attributed to."},
    )

    def __init__(self, *args, deleting, **kwargs):
        super().__init__(*args, **kwargs)
        # Those who can write: active staff, those being deleted aside.
        self.fields["attribute_to"].queryset = (
            User.objects.filter(is_active=True, is_staff=True)
            .exclude(pk__in=[user.pk for user in deleting])
            .order_by("username")
        )
