"""
The featured image of the post and page forms, picked from thumbnails.

A group of radio buttons, one per image, each labelled by its thumbnail and
alt text, plus "No featured image": a plain form control that works with
JavaScript off. Only the chosen image and the newest ``SHOWN`` are rendered
(a library of thousands is never listed whole); ``static/js/admin/
image-picker.js`` adds a search over the whole library and an upload (a file
chosen or dropped on the grid), both through the media admin's JSON
endpoints. Those who may not see the library (Contributors) see the chosen
image and "No featured image" only.
"""

from django import forms
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

# How many of the newest images the picker shows before any search.
SHOWN = 24
MEDIA = forms.Media(
    js=[
        forms.Script("js/admin/common.js", defer=True),
        forms.Script("js/admin/image-picker.js", defer=True),
    ],
    css={"all": ["css/admin/media-library.css"]},
)


class FeaturedImageWidget(forms.RadioSelect):
    template_name = "admin/media/widgets/image_picker.html"
    option_template_name = "admin/media/widgets/image_picker_option.html"

    def __init__(self, attrs=None, *, can_browse=True, can_upload=False):
        super().__init__(attrs)
        self.can_browse = can_browse
        self.can_upload = can_upload

    @property
    def media(self):
        return MEDIA

    def _render(self, template_name, context, renderer=None):
        # The project's templates (templates/admin/media/widgets/), which the
        # default form renderer, reading only apps' and Django's, would not find.
        return mark_safe(render_to_string(template_name, context))  # noqa: S308 - a template

    def _images(self, value):
        """The chosen image first, then the newest others: two queries with renditions."""
        queryset = self.choices.queryset
        chosen = [int(pk) for pk in value if pk.isdigit()]
        wanted = Q(pk__in=chosen)
        if self.can_browse:
            newest = queryset.exclude(pk__in=chosen).values("pk")[:SHOWN]
            wanted |= Q(pk__in=newest)
        images = list(queryset.filter(wanted).with_renditions())
        return sorted(images, key=lambda image: image.pk not in chosen)

    def optgroups(self, name, value, attrs=None):
        options = [
            self.create_option(name, "", "No featured image", not any(value), 0, attrs=attrs)
        ]
        for index, image in enumerate(self._images(value), start=1):
            option = self.create_option(
                name, image.pk, str(image), str(image.pk) in value, index, attrs=attrs
            )
            thumbnail = image.thumbnail()
            option["image"] = {
                "url": thumbnail.url,
                "width": thumbnail.width,
                "height": thumbnail.height,
                "alt": image.alt_text,
            }
            options.append(option)
        return [(None, options, 0)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            can_browse=self.can_browse,
            shown=SHOWN,
            library_url=reverse("admin:media_image_library") if self.can_browse else "",
            upload_url=reverse("admin:media_image_upload") if self.can_upload else "",
            changelist_url=reverse("admin:media_image_changelist") if self.can_browse else "",
        )
        return context


def featured_image_field(db_field, request, **kwargs):
    """
    The form field for a post's ``featured_image``: the picker above, for what
    the person may do in the library. Returned as it is, without the admin's
    add/change links (the picker uploads by itself).
    """
    kwargs["widget"] = FeaturedImageWidget(
        can_browse=request.user.has_perm("media.view_image"),
        can_upload=request.user.has_perm("media.add_image"),
    )
    kwargs.setdefault("empty_label", None)
    return db_field.formfield(**kwargs)
