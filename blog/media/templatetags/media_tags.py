from django import template

from ..html import DEFAULT_SIZES, Picture, render, responsive_images

register = template.Library()


@register.simple_tag
def responsive_image(image, sizes=DEFAULT_SIZES, css_class="", loading="lazy", alt=None):
    """
    ``{% responsive_image post.featured_image sizes="..." css_class="..." %}``:
    the same <picture>/<img srcset> markup post bodies get. Prefetch
    ``renditions`` (``Image.objects.with_renditions()``, or
    ``prefetch_related("featured_image__renditions")``) when showing many.
    Nothing is shown for no image.
    """
    if not image:
        return ""
    attrs = [("class", css_class)] if css_class else []
    return render(
        Picture.from_image(image),
        alt=image.alt_text if alt is None else alt,
        sizes=sizes,
        attrs=attrs,
        loading=loading,
    )


register.filter("responsive_images", responsive_images, is_safe=True)
