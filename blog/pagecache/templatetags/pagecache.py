from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from .. import fragments, store

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
def live_include(context, name, *keys, per_path=False):
    """
    Include ``name``; in a page the page cache may keep, mark it as a part
    kept apart, valid while the dependency ``keys`` are unchanged (and, with
    ``per_path``, for this address only).
    """
    request = context.get("request")
    live = fragments.Live(name, keys, per_path)

    def render():
        return get_template(name).render(context.flatten(), request)

    html = store.live_html(request, live, render) if request is not None else render()
    if getattr(request, "_pagecache_live", False):
        html = fragments.mark(live, html)
    return mark_safe(html)  # noqa: S308 - a template's own output
