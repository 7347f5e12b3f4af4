"""
The dashboard's panels, each built for the person looking.

Counts come from the same querysets as the lists they link to (the model
admin's ``get_queryset``), so a Contributor's "3 drafts" are the three drafts
their post list shows, and a panel a role may not see (pages, comments) is
left out rather than shown empty.
"""

import dataclasses

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from blog.comments.models import Comment
from blog.pages.models import Page
from blog.posts.models import Post

ROWS = 5

Status = Post.Status
# (key, label, the list's filters showing exactly those posts)
POST_FIGURES = (
    ("published", "Published", {"status": Status.PUBLISHED, "visibility": "live"}),
    ("scheduled", "Scheduled", {"visibility": "scheduled"}),
    ("draft", "Drafts", {"status": Status.DRAFT}),
    ("pending", "Pending review", {"status": Status.PENDING}),
)
COMMENT_FIGURES = tuple(
    (status.value, status.label, {"status": status.value}) for status in Comment.Status
)
# The comment row actions the dashboard offers, as the queue does, by status.
# (name, label, style of the queue's row-actions.css)
COMMENT_ACTIONS = {
    Comment.Status.PENDING: (
        ("approve", "Approve", "approve"),
        ("spam", "Spam", "danger"),
        ("trash", "Trash", "danger"),
    ),
    Comment.Status.APPROVED: (
        ("unapprove", "Unapprove", ""),
        ("spam", "Spam", "danger"),
        ("trash", "Trash", "danger"),
    ),
}


@dataclasses.dataclass(frozen=True)
class Figure:
    label: str
    count: int
    url: str


@dataclasses.dataclass(frozen=True)
class Glance:
    title: str
    figures: list
    url: str


def _admin(site, model):
    return site.get_model_admin(model) if site.is_registered(model) else None


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _figures(counts, model, spec):
    base = _changelist(model)
    return [
        Figure(label, counts.get(key) or 0, f"{base}?{urlencode(params)}")
        for key, label, params in spec
    ]


def post_counts(queryset):
    """Published, scheduled, draft and pending posts of ``queryset``, in one query."""
    now = timezone.now()
    return queryset.order_by().aggregate(
        published=Count("pk", filter=Q(status=Status.PUBLISHED, published_at__lte=now)),
        scheduled=Count("pk", filter=Q(status=Status.PUBLISHED, published_at__gt=now)),
        draft=Count("pk", filter=Q(status=Status.DRAFT)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
    )


def comment_counts():
    """Comments by status, in one query (as the moderation queue counts them)."""
    return dict(Comment.objects.order_by().values_list("status").annotate(n=Count("pk")))


def at_a_glance(request, site):
    """Posts, pages and comments by status, for those who may list each."""
    glances = []
    for model, title in ((Post, "Posts"), (Page, "Pages")):
        model_admin = _admin(site, model)
        if model_admin and model_admin.has_view_permission(request):
            counts = post_counts(model_admin.get_queryset(request))
            glances.append(Glance(title, _figures(counts, model, POST_FIGURES), _changelist(model)))
    comment_admin = _admin(site, Comment)
    if comment_admin and comment_admin.has_view_permission(request):
        glances.append(
            Glance(
                "Comments",
                _figures(comment_counts(), Comment, COMMENT_FIGURES),
                _changelist(Comment),
            )
        )
    return glances


def _kinds(request, site):
    """The kinds of post (post, page) whose lists the person may see."""
    return [
        kind
        for model, kind in ((Post, Post.Kind.POST), (Page, Post.Kind.PAGE))
        if (model_admin := _admin(site, model)) and model_admin.has_view_permission(request)
    ]


def _with_links(request, site, posts):
    """Each post with ``edit_url`` when the person may edit it (else None)."""
    admins = {Post.Kind.POST: _admin(site, Post), Post.Kind.PAGE: _admin(site, Page)}
    for post in posts:
        model_admin = admins[post.kind]
        post.edit_url = (
            post.get_admin_url() if model_admin.has_change_permission(request, post) else None
        )
    return posts


def scheduled_soon(request, site):
    """The next posts and pages to go out that the person may edit, soonest first."""
    posts = Post.any_kind.scheduled().filter(kind__in=_kinds(request, site))
    if not request.user.has_perm("posts.edit_others_posts"):
        posts = posts.filter(author=request.user)
    posts = posts.select_related("author").order_by("published_at", "pk")[:ROWS]
    return _with_links(request, site, list(posts))


def recently_published(request, site):
    """The latest posts and pages readers can see (public anyway), newest first."""
    posts = (
        Post.any_kind.published()
        .filter(kind__in=_kinds(request, site))
        .select_related("author")
        .order_by("-published_at", "-pk")[:ROWS]
    )
    return _with_links(request, site, list(posts))


def _comment_action_url(comment, name):
    try:
        return reverse("admin:comments_comment_row_action", args=[comment.pk, name])
    except NoReverseMatch:  # the queue without row actions: the edit link stays
        return None


def latest_comments(request, site):
    """The newest pending and approved comments, with row actions for moderators."""
    comment_admin = _admin(site, Comment)
    if not (comment_admin and comment_admin.has_view_permission(request)):
        return None
    may_moderate = comment_admin.has_change_permission(request)
    comments = list(
        Comment.objects.filter(status__in=COMMENT_ACTIONS)
        .select_related("post")
        .order_by("-created_at", "-pk")[:ROWS]
    )
    for comment in comments:
        comment.dashboard_actions = [
            {"name": name, "label": label, "style": style, "url": url}
            for name, label, style in (COMMENT_ACTIONS[comment.status] if may_moderate else ())
            if (url := _comment_action_url(comment, name))
        ]
        comment.edit_url = reverse("admin:comments_comment_change", args=[comment.pk])
        try:
            comment.reply_url = (
                reverse("admin:comments_comment_reply", args=[comment.pk]) if may_moderate else None
            )
        except NoReverseMatch:
            comment.reply_url = None
    return comments


def own_drafts(request, site):
    """The person's own drafts, last edited first, and the list of all of them."""
    posts = (
        Post.any_kind.filter(
            kind__in=_kinds(request, site), author=request.user, status=Status.DRAFT
        )
        .select_related("author")
        .order_by("-updated_at", "-pk")[:ROWS]
    )
    return _with_links(request, site, list(posts))


def own_drafts_url(request):
    query = urlencode({"status": Status.DRAFT, "author__id__exact": request.user.pk})
    return f"{_changelist(Post)}?{query}"


def context(request, site):
    """Everything the dashboard template shows."""
    return {
        "glances": at_a_glance(request, site),
        "scheduled_soon": scheduled_soon(request, site),
        "recently_published": recently_published(request, site),
        "latest_comments": latest_comments(request, site),
        "own_drafts": own_drafts(request, site),
        "own_drafts_url": own_drafts_url(request),
    }
