"""
Comment figures for admin templates: the pending badge of the admin menu
(``templates/admin/app_list.html``) and the number of comments a post
deletion takes with it (``templates/admin/posts/post/delete_*.html``).
"""

from django import template
from django.db.models import Model
from django.utils.html import format_html
from django.utils.translation import ngettext

from ..models import Comment

register = template.Library()

_PENDING_ATTR = "_pending_comment_count"


def pending_count_for(request):
    """Pending comments, counted once per request, for users who may moderate; else None."""
    if request is None or not request.user.has_perm("comments.change_comment"):
        return None
    if not hasattr(request, _PENDING_ATTR):
        count = Comment.objects.filter(status=Comment.Status.PENDING).count()
        setattr(request, _PENDING_ATTR, count)
    return getattr(request, _PENDING_ATTR)


def remember_pending_count(request, count):
    """Spare the badge its query when the page has counted pending comments already."""
    setattr(request, _PENDING_ATTR, count)


@register.simple_tag(takes_context=True)
def pending_comment_badge(context):
    """The pending count as a badge; nothing when none wait or the user may not moderate."""
    count = pending_count_for(context.get("request"))
    if not count:
        return ""
    label = ngettext(
        "%(n)d comment awaiting moderation", "%(n)d comments awaiting moderation", count
    )
    return format_html(
        '<span class="pending-count" title="{}"><span class="visually-hidden">(</span>{}'
        '<span class="visually-hidden"> pending)</span></span>',
        label % {"n": count},
        count,
    )


@register.simple_tag
def comment_count_of(posts):
    """All comments (any status) of one post or of several, in one query."""
    if isinstance(posts, Model):
        posts = [posts]
    return Comment.objects.filter(post__in=[post.pk for post in posts]).count()
