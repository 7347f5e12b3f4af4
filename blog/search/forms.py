from django import forms

from .query import MAX_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for",
        max_length=MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={
            "required": "Enter a word or phrase to search for.",
            "max_length": (
                "Searches are limited to %(limit_value)d characters; "
                "this one has %(show_value)d. Try fewer words."
            ),
        },
    )

    @property
    def too_long(self):
        return self.is_bound and self.has_error("q", "max_length")
