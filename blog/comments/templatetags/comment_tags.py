"""
How article templates reach comments without the posts app importing them
(the approach of django-contrib-comments' template tags).

``comment_threads`` reads every comment the article shows in one query and
lays them out as WordPress does:

- **Depth.** Replies nest up to the site's ``comment_thread_depth`` levels
  (1 is a flat list). A reply deeper than that is shown at the deepest level,
  right after the comment it sits under (depth first, as WordPress's walker
  flattens), with an "in reply to <name>" line. Only comments above the
  deepest level have a Reply link; a crafted ``?replytocom=`` to a comment at
  the deepest level still works and its reply is flattened.
- **Pages.** Top-level threads are paginated at ``comments_per_page`` with
  ``?cpage=N``; replies stay with their top-level comment. Top-level threads
  follow ``comment_order`` (oldest or newest first); replies inside a thread
  always read oldest first. A ``cpage`` past the end (or not a number) shows
  the nearest page: old links keep working after comments are removed.
- **Pending.** The commenter's own pending comments (their ids are kept in the
  session under ``own_pending_comments`` by the posting view) are shown to
  that session only, with a note. The session is read only when the request
  carries a session cookie.
- **Read and rendered once.** For every reader without a pending comment of
  their own or a reply under way, a page of threads is the same: it is kept
  in the cache (``fragments.cached``), its threads as HTML, under the
  versions of the post's thread, the post and the site settings. An
  approved comment reads and renders the page's threads once, not on every
  view.
- **Removed.** A comment that is not shown (trash, spam, someone else's
  pending) but has shown replies leaves a "This comment was removed."
  placeholder, so its replies keep their place. Its name and text are never
  rendered.
"""

import math
from dataclasses import dataclass, field

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import ngettext

from blog.pagecache import fragments
from blog.sitesettings.models import SiteSettings

from ..feeds import PostCommentsFeed
from ..forms import CommentForm
from ..models import Comment
from ..threads import CommentTree, load_comments, ordered_roots, page_url, split_pings
from ..views import OWN_PENDING_SESSION_KEY

register = template.Library()


@register.simple_tag
def comments_feed_url(post):
    """The post's comments feed, or "" when it has none (a page, hidden, protected, unpublished)."""
    if (
        post.kind == post.Kind.POST
        and post.is_published
        and not post.password
        and not post.comments_hidden
    ):
        return PostCommentsFeed.url_for(post)
    return ""


_COUNT_ATTR = "_approved_comment_count"


def _count_label(count):
    if count == 0:
        return "No Comments"
    return ngettext("%(n)d Comment", "%(n)d Comments", count) % {"n": count}


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
    return _count_label(count)


@dataclass
class Discussion:
    """One page of an article's comment threads, and what the section around them needs."""

    # The threads as HTML (comments/_threads.html): kept in the cache, not the comments.
    threads_html: str
    count: int
    open: bool
    number: int = 1
    num_pages: int = 1
    newest_first: bool = False
    reply_to: Comment | None = None
    reply_to_url: str = ""
    cancel_reply_url: str = ""
    page_links: list = field(default_factory=list)
    # Approved pingbacks and trackbacks, listed after the conversation.
    pings: list = field(default_factory=list)
    previous_url: str = ""
    next_url: str = ""

    @property
    def count_label(self):
        return _count_label(self.count)

    @property
    def is_paginated(self):
        return self.num_pages > 1

    @property
    def previous_label(self):
        return "Newer comments" if self.newest_first else "Older comments"

    @property
    def next_label(self):
        return "Older comments" if self.newest_first else "Newer comments"


def _own_pending_ids(request):
    """Ids of this session's comments awaiting moderation; [] without a session cookie."""
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return []
    ids = request.session.get(OWN_PENDING_SESSION_KEY) or []
    if not isinstance(ids, list):
        return []
    return [i for i in ids if isinstance(i, int) and not isinstance(i, bool)][-100:]


def _positive_int(value):
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _with_query(url, query):
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _lay_out(tree, comment, level, max_depth, reply_url):
    """Set ``level``, ``thread``, ``in_reply_to`` and ``reply_url`` for display."""
    comment.level = level
    comment.thread = []
    comment.in_reply_to = None
    shown = not (comment.is_removed or comment.is_pending)
    comment.reply_url = reply_url(comment) if shown and level < max_depth else ""
    if level == max_depth:
        return
    for reply in tree.replies(comment):
        comment.thread.append(reply)
        _lay_out(tree, reply, level + 1, max_depth, reply_url)
        if level + 1 == max_depth:
            comment.thread += _flattened(tree, reply, max_depth)


def _flattened(tree, comment, level):
    """The replies below ``comment``, all shown at ``level`` as WordPress flattens them."""
    flat = tree.descendants(comment)
    for reply in flat:
        reply.level = level
        reply.thread = []
        reply.reply_url = ""
        reply.in_reply_to = tree.by_id[reply.parent_id]
    return flat


def _reply_target(context, request):
    form = context.get("comment_form")
    if form is not None and form.is_bound:
        return _positive_int(form.data.get("parent"))
    return _positive_int(request.GET.get("replytocom")) if request else None


@register.simple_tag(takes_context=True)
def comment_threads(context, post):
    """
    One page of the post's comment threads as a :class:`Discussion`, its
    threads rendered (``threads_html``).
    """
    request = context.get("request")
    own_ids = _own_pending_ids(request)
    wanted = _positive_int(request.GET.get("cpage")) if request else None
    target = _reply_target(context, request)
    if own_ids or target is not None:
        discussion = _discussion(post, own_ids, wanted, target)
    else:
        # Reply links change with the address (``post``), the depth, order and time zone
        # (``settings``), and when comments close by age (``comments_open``).
        name = f"discussion:{post.pk}:{wanted or 1}:{int(post.comments_open)}"
        keys = (f"comments:{post.pk}", f"post:{post.pk}", "settings")
        discussion = fragments.cached(
            name, keys, lambda: _discussion(post, [], wanted, None), scheduled=False
        )
    setattr(post, _COUNT_ATTR, discussion.count)
    return discussion


def _discussion(post, own_ids, wanted, target_id):
    site = SiteSettings.current()
    comments = load_comments(post, own_ids)
    count = sum(c.status == Comment.Status.APPROVED for c in comments)
    comments, pings = split_pings(comments)
    tree = CommentTree(comments, own_ids)

    roots = ordered_roots(tree, site)
    newest_first = site.comment_order == SiteSettings.CommentOrder.NEWEST
    per_page = site.comments_per_page
    num_pages = max(1, math.ceil(len(roots) / per_page))
    number = min(max(wanted or 1, 1), num_pages)

    base = post.get_absolute_url()
    here = page_url(base, number)
    is_open = post.comments_open
    max_depth = site.comment_thread_depth
    threads = roots[(number - 1) * per_page : number * per_page]

    def reply_url(comment):
        return _with_query(here, f"replytocom={comment.pk}") + "#respond" if is_open else ""

    for root in threads:
        _lay_out(tree, root, 1, max_depth, reply_url)
    if max_depth == 1:
        threads = [shown for root in threads for shown in [root, *_flattened(tree, root, 1)]]

    discussion = Discussion(
        threads_html=render_to_string("comments/_threads.html", {"threads": threads}),
        count=count,
        open=is_open,
        number=number,
        num_pages=num_pages,
        newest_first=newest_first,
        pings=pings,
    )
    target = tree.by_id.get(target_id)
    top = tree.root_of(target) if target is not None else None
    if is_open and top is not None and target.status == Comment.Status.APPROVED and top in roots:
        discussion.reply_to = target
        target_page = roots.index(top) // per_page + 1
        discussion.reply_to_url = f"{page_url(base, target_page)}#comment-{target.pk}"
        discussion.cancel_reply_url = f"{here}#respond"
    if num_pages > 1:
        discussion.page_links = [
            (n, f"{page_url(base, n)}#comments") for n in range(1, num_pages + 1)
        ]
        if number > 1:
            discussion.previous_url = f"{page_url(base, number - 1)}#comments"
        if number < num_pages:
            discussion.next_url = f"{page_url(base, number + 1)}#comments"
    return discussion


@register.simple_tag(takes_context=True)
def comment_form(context, post):
    form = context.get("comment_form")
    request = context.get("request")
    if form is not None and form.instance.post_id == post.pk:
        return _render_form(form, post, request)  # Sent back with its errors.
    # WordPress's ?replytocom=N reply links work without JavaScript; the
    # comment replied to must be one the thread shows (and the form accepts).
    discussion = context.get("discussion")
    if discussion is not None:
        reply_to = discussion.reply_to.pk if discussion.reply_to else None
    else:
        reply_to = _positive_int(request.GET.get("replytocom")) if request else None
    user = request.user if request else None

    def render():
        initial = {"parent": reply_to} if reply_to else {}
        return _render_form(CommentForm(post=post, user=user, initial=initial), post, request)

    if reply_to or (user is not None and user.is_authenticated):
        return render()
    # The blank form is the same for every anonymous reader (it carries no token).
    return fragments.cached(f"comment-form:{post.pk}", ("settings",), render, scheduled=False)


def _render_form(form, post, request):
    return render_to_string("comments/_form.html", {"form": form, "post": post, "request": request})
