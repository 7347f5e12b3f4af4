"""
Widgets of the post admin that ``static/js/admin/post-editor.js`` enhances.

Both are ordinary form inputs first: with JavaScript off (or failing) the body
is a plain textarea and the tags a plain comma-separated text input, and the
form submits exactly as before. The script finds them by their classes and
reads what it needs (endpoint URLs, the autosave interval) from ``data-*``
attributes, which the post admin fills in per request (see
``blog/posts/admin/editor.py``).
"""

from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget
from taggit.forms import TagWidget

EDITOR_CLASS = "js-markdown-editor"
TAG_AUTOCOMPLETE_CLASS = "js-tag-autocomplete"

# One script and one stylesheet for the editor and the tags input; Media
# merging keeps a single copy when both widgets are on the page.
EDITOR_MEDIA = forms.Media(
    js=[
        forms.Script("js/admin/common.js", defer=True),
        forms.Script("js/admin/post-editor.js", defer=True),
        # Dropping or pasting an image uploads it to the media library.
        forms.Script("js/admin/editor-image-drop.js", defer=True),
    ],
    css={"all": ["css/admin/post-editor.css"]},
)


def _with_class(attrs, css_class):
    attrs = dict(attrs or {})
    attrs["class"] = " ".join(filter(None, [attrs.get("class", ""), css_class]))
    return attrs


class MarkdownEditorWidget(AdminTextareaWidget):
    """The Markdown body: toolbar, live preview, word count and autosave come from the script."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs=_with_class(
                {"rows": 22, "spellcheck": "true", **(attrs or {})},
                f"vLargeTextField {EDITOR_CLASS}",
            )
        )

    @property
    def media(self):
        return EDITOR_MEDIA


class TagAutocompleteWidget(TagWidget):
    """taggit's comma-separated input, with suggestions for the last term from the script."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs=_with_class(
                {"autocomplete": "off", **(attrs or {})}, f"vTextField {TAG_AUTOCOMPLETE_CLASS}"
            )
        )

    @property
    def media(self):
        return EDITOR_MEDIA
