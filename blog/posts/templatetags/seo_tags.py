from django import template
from django.utils.safestring import mark_safe

from .. import seo

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # Rendered template output, escaped as it was written into the page.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """
    ``{% capture name %}...{% endcapture %}`` renders its content into the
    variable ``name`` instead of the page. base.html wraps its ``title`` and
    ``description`` blocks in it, so the Open Graph tags reuse whatever a
    page put there (blocks inside still take child templates' overrides).
    """
    try:
        _, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("capture takes one variable name") from None
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, name)


@register.simple_tag(takes_context=True)
def absolute_uri(context, location):
    """
    ``location`` as an absolute URL on the host the request came to (which
    ALLOWED_HOSTS vouches for). Empty where there is no request, as on the
    500 page.
    """
    request = context.get("request")
    return request.build_absolute_uri(location) if request else ""


@register.filter
def meta_description(text):
    return seo.meta_description(text)


@register.simple_tag
def share_image(post):
    return seo.share_image(post)


@register.filter
def modified_time(post):
    return seo.last_modified(post)


@register.filter
def iso_datetime(moment):
    return seo.iso_datetime(moment)


@register.simple_tag(takes_context=True)
def blog_posting_json_ld(context, post):
    return seo.json_ld(seo.blog_posting(post, context["request"], context.get("site_title", "")))
