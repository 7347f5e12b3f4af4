from django import template

from ..models import Page

register = template.Library()


@register.simple_tag
def page_ancestors(page):
    """The published pages above ``page``, top first, for its breadcrumbs: one query."""
    parts = page.path.split("/")[:-1]
    if not parts:
        return []
    paths = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    found = {
        p.path: p
        for p in Page.objects.published()
        .filter(path__in=paths)
        .only("kind", "title", "path", "status", "published_at")
    }
    return [found[path] for path in paths if path in found]
