from django import template

from ..menus import header_links

register = template.Library()


@register.simple_tag(takes_context=True)
def header_menu(context):
    """
    ``{% header_menu as links %}``: the header's links (see blog/pages/menus.py),
    the request's page marked current.
    """
    request = context.get("request")
    return header_links(request.path if request is not None else "")
