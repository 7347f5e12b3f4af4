from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from blog import markup

from . import spam
from .models import Comment

_NAME_LENGTH = Comment._meta.get_field("name").max_length
HONEYPOT = "homepage"
# A filled honeypot is refused like any bad form (400, text kept) rather than
# faked as a success: a person whose browser filled it in is told, and the
# re-rendered form empties it, so posting again works; a bot learns nothing
# it could not read in the page.
HONEYPOT_FILLED = (
    "A field meant to stay empty was filled in, so your comment looked automated. "
    "Please post it again."
)
# A form posted without a token (the reader's browser ran no scripts, so it never
# fetched one): nothing is wrong, the view asks the reader to confirm.
NEEDS_CONFIRMATION = "Please check your comment and post it again to confirm."
DUPLICATE = "Duplicate comment detected; it looks as though you’ve already said that!"


def renderable_comment(body):
    """
    ``body``, or a ValidationError saying why the renderer refuses it: within
    the size (the field's max_length) a comment can still nest more than the
    renderer takes (blog/render_limits.py). Every form that takes a comment's
    text asks this.
    """
    try:
        markup.render_comment(body)
    except markup.RenderRefused as refused:
        raise forms.ValidationError(str(refused), code="too_much") from None
    return body


class _FreshField(forms.CharField):
    """
    A field that always renders its initial value, even in a bound form: a
    re-rendered form gets a fresh token and an emptied honeypot, so the
    reader can simply post again.
    """

    def bound_data(self, data, initial):
        return initial


class CommentForm(forms.ModelForm):
    """
    A reader's comment on one post, built unsaved: the view adds IP, user
    agent and status. A logged-in user is not asked for name and email; they
    come from the account.
    """

    parent = forms.ModelChoiceField(
        queryset=Comment.objects.none(), required=False, widget=forms.HiddenInput
    )
    # Bots fill in every field they find; people never see this one.
    homepage = _FreshField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    # The signed post id and time the reader started writing (see spam.issue_token):
    # empty in the shared cached article, filled by static/js/comment-token.js
    # from ``comments:token`` on the form's first focus, or by the view when
    # it shows the form again (a confirmation or an error).
    token = _FreshField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["name", "email", "url", "body", "notify_replies", "parent"]
        labels = {"body": "Comment", "notify_replies": "Email me replies to my comment"}
        help_texts = {"email": "Never shown publicly.", "notify_replies": ""}
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    field_order = ["name", "email", "url", HONEYPOT, "body", "notify_replies"]

    def __init__(self, *args, post, user=None, fresh_token=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.post = post
        # Only forms shown in answer to a POST carry a token: the article is
        # the same bytes for every reader (and cached), so it carries none.
        self.fields["token"].initial = spam.issue_token(post) if fresh_token else ""
        # A reply may only hang under a comment readers can see on this post.
        self.fields["parent"].queryset = Comment.objects.approved().filter(
            post=post, kind=Comment.Kind.COMMENT
        )
        self.fields["parent"].error_messages["invalid_choice"] = (
            "The comment you replied to is no longer available."
        )
        self.commenter = user if user is not None and user.is_authenticated else None
        if self.commenter:
            del self.fields["name"], self.fields["email"]
            self.instance.user = self.commenter
            self.instance.name = self.commenter.public_name[:_NAME_LENGTH]
            self.instance.email = self.commenter.email
        else:
            self.fields["email"].required = True
            self.fields["name"].widget.attrs["autocomplete"] = "name"
            self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["url"].widget.attrs["autocomplete"] = "url"
        # Its label follows the box, as a sentence.
        self.fields["notify_replies"].label_suffix = ""

    @property
    def needs_confirmation(self):
        """Posted without a token and otherwise fine: show it again to confirm."""
        return self.has_error(NON_FIELD_ERRORS, "no_token") and len(self.errors) == 1

    @property
    def honeypot(self):
        return self[HONEYPOT]

    def clean_body(self):
        body = renderable_comment(self.cleaned_data["body"])
        # The common case, answered with the other errors; the view checks
        # again as it stores the comment (Comment.save_unless_duplicate), for
        # twins posted at the same moment.
        if Comment.objects.twins(self.instance.post, body).exists():
            raise forms.ValidationError(DUPLICATE, code="duplicate")
        return body

    def add_duplicate_error(self):
        """The duplicate error, for a twin found after validation (by the view, as it stores)."""
        self.add_error("body", forms.ValidationError(DUPLICATE, code="duplicate"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT):
            self.add_error(None, forms.ValidationError(HONEYPOT_FILLED, code="honeypot"))
        if not cleaned.get("token"):
            if not self.errors:
                self.add_error(None, forms.ValidationError(NEEDS_CONFIRMATION, code="no_token"))
            return cleaned
        problem = spam.token_problem(cleaned.get("token"), self.instance.post)
        if problem:
            self.add_error(None, forms.ValidationError(problem, code="token"))
        return cleaned
