from django import forms

from blog import markup
from blog.accounts import throttle

from .models import Post


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        exclude = ()  # noqa: DJ006 - the admin's fieldsets choose the fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        body = self.fields.get("body")
        if body is not None:
            # No maxlength on the textarea: a browser would cut a pasted body
            # short without a word; the form says so instead, text kept.
            body.help_text = (
                f"{body.help_text} At most {markup.POST_BODY_MAX_CHARS:,} characters."
            ).strip()

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        if body is not None and "body" in self.fields:
            # Rendered now, as save() will: a body over the limits
            # (blog/render_limits.py) is refused here with the reason, not
            # stored to fail on every later save.
            body_format = cleaned.get("body_format") or self.instance.body_format
            try:
                markup.article(markup.render_post(body.replace("\r\n", "\n"), body_format))
            except markup.RenderRefused as refused:
                self.add_error("body", forms.ValidationError(str(refused), code="too_much"))
        return cleaned

    def validate_unique(self):
        # A slug already taken is no error: save() makes it unique with -2, -3
        # as WordPress does.
        exclude = {*self._get_validation_exclusions(), "slug"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class PostPasswordForm(forms.Form):
    """
    A protected post's password. Given the request, wrong answers are
    throttled per address and per post like logins (blog/accounts/throttle.py):
    once locked, no answer is checked until the lockout ends.
    """

    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label="Password",
    )

    def __init__(self, *args, post, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        credentials = throttle.post_credentials(self.post)
        if self.request is not None and throttle.is_locked(self.request, credentials):
            raise self.throttled(credentials)
        if not self.post.password_unlocks(password):
            if self.request is not None and throttle.record_failure(self.request, credentials):
                raise self.throttled(credentials)
            raise forms.ValidationError("That password is not right. Please try again.")
        return password

    def throttled(self, credentials):
        message = throttle.lockout_message(self.request, credentials, what="password tries")
        return forms.ValidationError(message, code="throttled")

    @property
    def is_throttled(self):
        return self.has_error("password", code="throttled")
