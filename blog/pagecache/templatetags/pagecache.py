from django import template
from django.template.loader import get_template
from django.utils.html import format_html

from .. import fragments

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, keys):
        self.nodelist, self.name, self.keys = nodelist, name, keys

    def render(self, context):
        name = self.name.resolve(context)
        keys = [key.resolve(context) for key in self.keys]
        return fragments.cached(name, keys, lambda: self.nodelist.render(context))


@register.tag
def cachedfragment(parser, token):
    """``{% cachedfragment "name" "dep-key" ... %}...{% endcachedfragment %}``"""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("cachedfragment needs a name")
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(
        nodelist, parser.compile_filter(bits[0]), [parser.compile_filter(b) for b in bits[1:]]
    )


@register.simple_tag(takes_context=True)
def live_include(context, name):
    """Include ``name`` with markers: the page cache renders it afresh on every hit."""
    html = get_template(name).render(context.flatten(), context.get("request"))
    return format_html(fragments.LIVE_START + "{}" + fragments.LIVE_END, name, html)
