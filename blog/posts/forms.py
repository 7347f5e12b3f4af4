from django import forms
from django.utils import timezone

from blog import markup
from blog.accounts import throttle

from .models import Post


class Visibility:
    PUBLIC = "public"
    PASSWORD = "password"  # noqa: S105 - a choice's name, not a secret
    PRIVATE = "private"
    CHOICES = [
        (PUBLIC, "Public"),
        (PASSWORD, "Password protected"),
        (PRIVATE, "Private (only Editors and you)"),
    ]


class PublishTime:
    NOW = "now"
    DATE = "date"
    CHOICES = [(NOW, "Immediately"), (DATE, "At a date and time")]


class PostAdminForm(forms.ModelForm):
    """
    The post (and page) form, with the publish panel's two choices of its own:
    ``visibility`` (public, password protected, private: the last is the
    status Private, the second needs the password field) and ``publish_time``
    (immediately, or ``published_at``). The admin sets ``can_publish`` and
    ``intent`` on the class it makes per request: ``"publish"`` for the
    panel's main button (Publish, Schedule, Submit for review) on a post not
    yet published, ``"draft"`` for *Save draft*, else ``""`` (the status
    chosen in the form).
    """

    visibility = forms.ChoiceField(
        choices=Visibility.CHOICES, widget=forms.RadioSelect, required=False
    )
    publish_time = forms.ChoiceField(
        label="Publish",
        choices=PublishTime.CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )

    can_publish = True
    intent = ""

    class Meta:
        model = Post
        exclude = ()  # noqa: DJ006 - the admin's fieldsets choose the fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        post = self.instance
        if post.status == Post.AUTO_DRAFT:
            # Still a new post to the person writing it.
            self.initial["status"] = Post.Status.DRAFT
        if post.status == Post.Status.PRIVATE:
            self.initial.setdefault("visibility", Visibility.PRIVATE)
        elif post.password:
            self.initial.setdefault("visibility", Visibility.PASSWORD)
        else:
            self.initial.setdefault("visibility", Visibility.PUBLIC)
        self.initial.setdefault(
            "publish_time", PublishTime.DATE if post.published_at else PublishTime.NOW
        )
        if "visibility" in self.fields and not self.can_publish:
            self.fields["visibility"].choices = Visibility.CHOICES[:2]
        status = self.fields.get("status")
        if status is not None and post.is_scheduled:
            # As the list says it: a published post whose time is to come.
            status.choices = [
                (value, "Scheduled" if value == Post.Status.PUBLISHED else label)
                for value, label in status.choices
            ]
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
        self._clean_visibility(cleaned)
        self._clean_publish_time(cleaned)
        self._clean_intent(cleaned)
        return cleaned

    def _clean_visibility(self, cleaned):
        visibility = cleaned.get("visibility")
        if not visibility or "status" not in cleaned:
            return  # not in this form (or not sent): status and password as given
        status = cleaned["status"]
        # Private is both a status and a visibility: whichever the person
        # changed decides (the panel's script keeps the two in step).
        if "visibility" in self.changed_data or status != Post.Status.PRIVATE:
            if visibility == Visibility.PRIVATE:
                cleaned["status"] = Post.Status.PRIVATE
            elif status == Post.Status.PRIVATE:
                cleaned["status"] = Post.Status.PUBLISHED
        if visibility == Visibility.PASSWORD and "password" in self.fields:
            if not cleaned.get("password"):
                self.add_error(
                    "password",
                    "Enter the password readers will need, or choose another visibility.",
                )
        elif "password" in cleaned and visibility in (Visibility.PUBLIC, Visibility.PRIVATE):
            cleaned["password"] = ""

    def _clean_publish_time(self, cleaned):
        choice = cleaned.get("publish_time")
        if not choice or "published_at" not in self.fields:
            return
        if choice == PublishTime.DATE:
            if not cleaned.get("published_at") and "published_at" not in self.errors:
                self.add_error("published_at", "Choose a date and time, or publish immediately.")
        elif self.instance.is_published:
            # "Immediately" on a post already out keeps its date (and permalink).
            cleaned["published_at"] = self.instance.published_at
        elif "published_at" not in self.changed_data:
            # A date typed without choosing "At a date" (no script) still counts.
            cleaned["published_at"] = None

    def _clean_intent(self, cleaned):
        if "status" not in cleaned:
            return
        if self.intent == "draft":
            if cleaned["status"] not in (Post.Status.DRAFT, Post.Status.PENDING):
                cleaned["status"] = Post.Status.DRAFT
        elif self.intent == "publish":
            if not self.can_publish:
                cleaned["status"] = Post.Status.PENDING
            elif cleaned["status"] != Post.Status.PRIVATE:
                cleaned["status"] = Post.Status.PUBLISHED


def is_live(post):
    """Published (now or to come) or private: the panel's main button then says Update."""
    return post.pk is not None and post.status in (Post.Status.PUBLISHED, Post.Status.PRIVATE)


def publish_label(post, can_publish, now=None):
    """What the panel's main button does for ``post`` as saved: its label."""
    if not can_publish:
        return "Submit for review"
    if is_live(post):
        return "Update"
    now = now or timezone.now()
    if post.published_at and post.published_at > now:
        return "Schedule"
    return "Publish"

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
