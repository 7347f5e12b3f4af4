from django import forms

from . import processing
from .models import Image


class ImageUploadForm(forms.ModelForm):
    """
    An upload with its alt text. ``file`` is checked and processed in memory by
    ``processing.process`` while the form is cleaned, so a refused file is a
    field error (the typed alt text and caption stay) and nothing is stored.
    """

    file = forms.FileField(
        label="Image",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(processing.MIME_TYPES.values())}),
    )

    class Meta:
        model = Image
        # "file" is deliberately not a model field here: the stored file is the
        # processed one, written by Image.store(), never the upload itself.
        fields = ["alt_text", "caption"]
        widgets = {"caption": forms.Textarea(attrs={"rows": 3})}

    field_order = ["file", "alt_text", "caption"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.processed = None
        self.fields["file"].help_text = processing.limits_text()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.processed = processing.process(upload)
        return upload

    def save(self, commit=True):
        image = super().save(commit=False)
        if commit:
            image.store(self.processed)
        return image
