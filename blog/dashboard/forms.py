from django import forms

from blog import markup
from blog.posts.models import Post


class QuickDraftForm(forms.ModelForm):
    """
    WordPress's Quick Draft: a title and a few lines, kept as a draft of the
    person writing. The body is refused here, with the reason, when the post
    pipeline would refuse it on save (``blog/render_limits.py``).
    """

    class Meta:
        model = Post
        fields = ["title", "body"]
        labels = {"body": "Content"}
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "body": forms.Textarea(attrs={"rows": 4, "placeholder": "What’s on your mind?"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].required = False
        self.fields["body"].help_text = ""

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        try:
            markup.render_post(body, markup.BodyFormat.MARKDOWN)
        except markup.RenderRefused as refused:
            raise forms.ValidationError(str(refused), code="too_much") from refused
        return body

    def save_as_draft(self, user):
        """The draft, by ``user``, with its first revision (saved as the admin saves)."""
        post = self.save(commit=False)
        post.author = user
        post.status = Post.Status.DRAFT
        post.published_at = None
        post._changed_by = user
        post.save()
        return post
