from pathlib import PurePath

from django import forms

from . import files, processing
from .models import Image, MediaFile


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


class MediaFileUploadForm(forms.ModelForm):
    """
    An audio, video or PDF upload with its title. ``file`` is checked by
    ``files.check`` while the form is cleaned (extension, size for its kind,
    content), so a refused file is a field error, the typed title stays, and
    nothing is stored. A blank title becomes the file's name.
    """

    file = forms.FileField(
        label="File",
        widget=forms.ClearableFileInput(attrs={"accept": files.accept_attribute()}),
    )

    class Meta:
        model = MediaFile
        fields = ["title"]

    field_order = ["file", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = None
        self.fields["file"].help_text = files.limits_text()
        self.fields["title"].required = False
        self.fields["title"].help_text = "Shown as the link text. Leave blank to use the file name."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = files.check(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and self.checked:
            stem = PurePath(self.checked.original_name).stem
            cleaned["title"] = " ".join(stem.replace("_", " ").replace("-", " ").split())[:200]
            if not cleaned["title"]:
                cleaned["title"] = "Untitled"
        return cleaned

    def save(self, commit=True):
        media_file = super().save(commit=False)
        if commit:
            media_file.store(self.cleaned_data["file"], self.checked)
        return media_file
