"""
How article templates reach comments without the posts app importing them
(the approach of django-contrib-comments' template tags).
"""

from django import template
from django.utils.translation import ngettext

from ..forms import CommentForm
from ..models import Comment

register = template.Library()

_COUNT_ATTR = "_approved_comment_count"


@register.simple_tag
def prefetch_comment_counts(posts):
    """Count approved comments for a whole list in one query; prints nothing."""
    posts = list(posts)
    counts = Comment.objects.count_by_post(posts)
    for post in posts:
        setattr(post, _COUNT_ATTR, counts.get(post.pk, 0))
    return ""


@register.simple_tag
def comment_label(post):
    """``No Comments`` / ``1 Comment`` / ``N Comments`` / ``Comments Off on <title>``."""
    if not post.comments_open:
        return f"Comments Off on {post.title}"
    count = getattr(post, _COUNT_ATTR, None)
    if count is None:
        count = Comment.objects.approved().filter(post=post).count()
        setattr(post, _COUNT_ATTR, count)
    if count == 0:
        return "No Comments"
    return ngettext("%(n)d Comment", "%(n)d Comments", count) % {"n": count}


@register.simple_tag
def comment_threads(post):
    """Approved comments of a post as a list of top-level comments, each with ``.thread``."""
    comments = list(Comment.objects.approved().filter(post=post).select_related("user"))
    by_id = {c.pk: c for c in comments}
    roots = []
    for comment in comments:
        comment.thread = []
    for comment in comments:
        parent = by_id.get(comment.parent_id)
        (parent.thread if parent else roots).append(comment)
    setattr(post, _COUNT_ATTR, len(comments))
    return roots


@register.inclusion_tag("comments/_form.html", takes_context=True)
def comment_form(context, post):
    form = context.get("comment_form")
    request = context.get("request")
    if form is None or form.instance.post_id != post.pk:
        # WordPress's ?replytocom=N reply links work without JavaScript.
        reply_to = request.GET.get("replytocom", "") if request else ""
        form = CommentForm(post=post, initial={"parent": reply_to} if reply_to.isdigit() else {})
    return {"form": form, "post": post, "request": request}
