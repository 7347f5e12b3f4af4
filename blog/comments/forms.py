from django import forms

from .models import Comment


class CommentForm(forms.ModelForm):
    """A reader's comment on one post; the view fills in IP, user agent and user."""

    parent = forms.ModelChoiceField(
        queryset=Comment.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Comment
        fields = ["name", "email", "url", "body", "parent"]
        labels = {"body": "Comment"}
        help_texts = {"email": "Never shown publicly."}
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.post = post
        self.fields["email"].required = True
        # A reply may only hang under a comment readers can see on this post.
        self.fields["parent"].queryset = Comment.objects.approved().filter(post=post)
        self.fields["parent"].error_messages["invalid_choice"] = (
            "The comment you replied to is no longer available."
        )
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["url"].widget.attrs["autocomplete"] = "url"
