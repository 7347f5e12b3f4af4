from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import Truncator

from . import files, processing


class Format(models.TextChoices):
    JPEG = "JPEG", "JPEG"
    PNG = "PNG", "PNG"
    WEBP = "WEBP", "WebP"
    GIF = "GIF", "GIF"


class ImageQuerySet(models.QuerySet):
    def with_renditions(self):
        """Images with their renditions in one more query, smallest first."""
        return self.prefetch_related(
            models.Prefetch("renditions", queryset=Rendition.objects.order_by("width", "format"))
        )


class ImageManager(models.Manager.from_queryset(ImageQuerySet)):
    def create_from_file(self, file, *, alt_text, caption="", uploaded_by=None):
        """
        Check, clean and store an image from any Django ``File`` (an upload, or
        a file an importer opened). Raises ``processing.ImageRejected`` or a
        ``ValidationError`` for the alt text; stores nothing when it does.
        """
        image = self.model(alt_text=alt_text, caption=caption, uploaded_by=uploaded_by)
        image.full_clean(exclude={"file", "width", "height", "format", "file_size"})
        image.store(processing.process(file))
        return image


class Image(models.Model):
    """An uploaded image: the original (upright, metadata stripped) and its renditions."""

    file = models.ImageField(upload_to="images/%Y/%m/", max_length=255)
    alt_text = models.CharField(
        max_length=250,
        help_text="What the image shows, for people who can't see it. Required.",
    )
    caption = models.TextField(blank=True)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    format = models.CharField(max_length=4, choices=Format, editable=False)
    file_size = models.PositiveIntegerField("size in bytes", default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploaded_images",
        editable=False,
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ImageManager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return Truncator(self.alt_text).chars(60) or PurePosixPath(self.file.name).name

    @property
    def url(self):
        """The original's address: what post bodies link to."""
        return self.file.url

    @property
    def markdown(self):
        """The Markdown an author pastes into a post to show this image."""
        alt = " ".join(self.alt_text.split())
        for char in ("\\", "[", "]"):
            alt = alt.replace(char, "\\" + char)
        return f"![{alt}]({self.url})"

    def thumbnail(self):
        """The smallest rendition (WebP preferred), or the original if it is small."""
        renditions = sorted(self.renditions.all(), key=lambda r: (r.width, r.format != "WEBP"))
        return renditions[0] if renditions else self

    def store(self, processed):
        """
        Write a processed upload's original and renditions to storage and the
        database, in one transaction. If anything fails, the files written so
        far are removed again.
        """
        original = processed.original
        self.width, self.height = original.width, original.height
        self.format = original.format
        self.file_size = len(original.content)
        written = []
        try:
            with transaction.atomic():
                self.file.save(processed.name, ContentFile(original.content), save=False)
                written.append(self.file.name)
                self.save()
                stem = PurePosixPath(self.file.name).stem
                for encoded in processed.renditions:
                    rendition = Rendition(
                        image=self,
                        width=encoded.width,
                        height=encoded.height,
                        format=encoded.format,
                    )
                    rendition.file.save(
                        f"{stem}-{encoded.width}w.{encoded.extension}",
                        ContentFile(encoded.content),
                        save=False,
                    )
                    written.append(rendition.file.name)
                    rendition.save()
        except BaseException:
            for name in written:
                self.file.storage.delete(name)
            self.pk = None
            self._state.adding = True
            raise
        # The prefetch cache (if any) no longer matches.
        getattr(self, "_prefetched_objects_cache", {}).pop("renditions", None)
        return self


class Rendition(models.Model):
    """The image resized to one width, in one format, for ``srcset``."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=4, choices=Format)
    file = models.FileField(upload_to="images/%Y/%m/renditions/", max_length=255)

    class Meta:
        ordering = ["image", "width", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "width", "format"], name="media_rendition_unique_size"
            )
        ]

    def __str__(self):
        return f"{self.image} ({self.width}w {self.get_format_display()})"

    @property
    def url(self):
        return self.file.url

    @property
    def mime_type(self):
        return processing.MIME_TYPES[self.format]


class Kind(models.TextChoices):
    AUDIO = files.AUDIO, "Audio"
    VIDEO = files.VIDEO, "Video"
    DOCUMENT = files.DOCUMENT, "Document"


def media_file_path(instance, filename):
    """
    ``files/YYYY/MM/<slug of the original name>.<extension of the checked type>``:
    the uploader's extension is never kept, and a file that was not checked
    (no accepted MIME type) cannot be stored at all.
    """
    if instance.mime_type not in files.EXTENSIONS:
        raise ValueError(f"Not an accepted type: {instance.mime_type!r}; use MediaFile.store().")
    return f"files/{timezone.now():%Y/%m}/{files.stored_name(filename, instance.mime_type)}"


class MediaFileManager(models.Manager):
    def create_from_file(self, file, *, title, uploaded_by=None):
        """
        Check and store an audio, video or PDF file from any Django ``File``.
        Raises ``files.FileRejected`` or a ``ValidationError`` for the title;
        stores nothing when it does.
        """
        media_file = self.model(title=title, uploaded_by=uploaded_by)
        media_file.full_clean(exclude=MediaFile.CHECKED_FIELDS)
        return media_file.store(file, files.check(file))


class MediaFile(models.Model):
    """An uploaded audio, video or PDF file, stored as uploaded under a name of ours."""

    # Filled in from the checked upload, never from the form.
    CHECKED_FIELDS = ("file", "kind", "mime_type", "file_size", "original_name")

    file = models.FileField(upload_to=media_file_path, max_length=255)
    kind = models.CharField(max_length=8, choices=Kind, editable=False, db_index=True)
    mime_type = models.CharField("MIME type", max_length=50, editable=False)
    file_size = models.PositiveBigIntegerField("size in bytes", default=0, editable=False)
    title = models.CharField(max_length=200)
    original_name = models.CharField(
        "original file name", max_length=255, blank=True, editable=False
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploaded_files",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = MediaFileManager()

    class Meta:
        verbose_name = "file"
        verbose_name_plural = "audio, video and documents"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return Truncator(self.title).chars(60) or PurePosixPath(self.file.name).name

    @property
    def url(self):
        return self.file.url

    @property
    def content_type(self):
        """
        The ``Content-Type`` to declare when serving the file, from the stored
        name's extension (the same mapping a web server applies): always an
        audio, video or PDF type, never HTML, SVG or script.
        """
        extension = files.extension_of(self.file.name)
        return files.MIME_TYPES.get(extension, "application/octet-stream")

    def snippets(self):
        """``(label, text)``: what an author pastes into a post for this file."""
        if self.kind == Kind.AUDIO:
            return [("Shortcode", f'[audio src="{self.url}"]')]
        if self.kind == Kind.VIDEO:
            return [("Shortcode", f'[video src="{self.url}"]')]
        text = " ".join(self.title.split())
        for char in ("\\", "[", "]"):
            text = text.replace(char, "\\" + char)
        return [
            ("Markdown", f"[{text}]({self.url})"),
            ("HTML", f'<a href="{escape(self.url)}">{escape(" ".join(self.title.split()))}</a>'),
        ]

    def store(self, file, checked):
        """
        Write a checked upload to storage and its row to the database, in one
        transaction; if saving the row fails, the written file is removed.
        """
        self.kind = checked.kind
        self.mime_type = checked.mime_type
        self.file_size = checked.size
        self.original_name = checked.original_name
        written = None
        try:
            with transaction.atomic():
                self.file.save(checked.original_name, file, save=False)
                written = self.file.name
                self.save()
        except BaseException:
            if written:
                self.file.storage.delete(written)
            self.pk = None
            self._state.adding = True
            raise
        return self
