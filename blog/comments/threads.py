"""
A post's comments as the article lays them out: which show, how they
thread, and which page of top-level threads (``?cpage=N``) each is on.
Shared by the article's template tags and the comment link view.
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q

from blog.sitesettings.models import SiteSettings

from .models import Comment

# Only what the thread shows: never the email, IP or user agent.
_SHOWN_FIELDS = (
    "pk",
    "post_id",
    "parent_id",
    "kind",
    "name",
    "url",
    "body_html",
    "status",
    "created_at",
)


def page_url(base, number):
    return base if number == 1 else f"{base}?cpage={number}"


def load_comments(post, own_ids=()):
    """Every comment the article may show, in one query, oldest first."""
    shown = Q(status=Comment.Status.APPROVED) | Exists(
        # Possibly a removed comment whose replies keep it as a placeholder.
        Comment.objects.filter(parent=OuterRef("pk"))
    )
    if own_ids:
        shown |= Q(pk__in=own_ids, status=Comment.Status.PENDING)
    return list(Comment.objects.filter(post=post).filter(shown).only(*_SHOWN_FIELDS))


def split_pings(comments):
    """
    ``(conversation, pings)``: pingbacks and trackbacks are listed apart from
    the conversation, after it, as WordPress themes do; only approved ones
    show, never threaded or replied to.
    """
    conversation, pings = [], []
    for comment in comments:
        if comment.kind == Comment.Kind.COMMENT:
            conversation.append(comment)
        elif comment.status == Comment.Status.APPROVED:
            url = comment.url or ""
            comment.link = url if url.lower().startswith(("http://", "https://")) else ""
            pings.append(comment)
    return conversation, pings


class CommentTree:
    """
    A post's comments as threads: ``roots`` (top-level comments that show,
    or that a shown reply keeps as a "removed" placeholder) and their replies.
    """

    def __init__(self, comments, own_ids=()):
        own = set(own_ids)
        self.by_id = {c.pk: c for c in comments}
        self.children = defaultdict(list)
        roots = []
        for comment in comments:
            parent = self.by_id.get(comment.parent_id)
            (self.children[parent.pk] if parent else roots).append(comment)
            comment.is_pending = comment.status == Comment.Status.PENDING and comment.pk in own
            comment.is_removed = not (
                comment.status == Comment.Status.APPROVED or comment.is_pending
            )
        # A comment stays if it is shown or has a shown reply somewhere below it.
        # Walked without recursion: a thread may be deeper than Python's stack.
        order, seen, stack = [], set(), roots[::-1]
        while stack:
            comment = stack.pop()
            if comment.pk in seen:
                continue
            seen.add(comment.pk)
            order.append(comment)
            stack.extend(reversed(self.children[comment.pk]))
        self.kept = set()
        for comment in reversed(order):
            if not comment.is_removed or any(c.pk in self.kept for c in self.children[comment.pk]):
                self.kept.add(comment.pk)
        self.roots = [c for c in roots if c.pk in self.kept]
        for comment in comments:
            if comment.is_removed:
                # Nothing of a removed comment reaches the page.
                comment.name = comment.url = comment.body_html = ""

    def replies(self, comment):
        return [c for c in self.children[comment.pk] if c.pk in self.kept]

    def descendants(self, comment):
        """Every reply below ``comment``, depth first, each after the one it answers."""
        found, seen, stack = [], {comment.pk}, self.replies(comment)[::-1]
        while stack:
            reply = stack.pop()
            if reply.pk in seen:
                continue
            seen.add(reply.pk)
            found.append(reply)
            stack.extend(reversed(self.replies(reply)))
        return found

    def root_of(self, comment):
        seen = set()
        while comment.parent_id in self.by_id and comment.pk not in seen:
            seen.add(comment.pk)
            comment = self.by_id[comment.parent_id]
        return comment


def ordered_roots(tree, site):
    """Top-level threads in the order the pages show them."""
    newest_first = site.comment_order == SiteSettings.CommentOrder.NEWEST
    return tree.roots[::-1] if newest_first else tree.roots


def comment_url(comment, own_ids=()):
    """
    Where ``comment`` shows: its post's address on the page of threads that
    holds it, with its anchor. Reads the post's comments in one query.
    """
    post, site = comment.post, SiteSettings.current()
    tree = CommentTree(split_pings(load_comments(post, own_ids))[0], own_ids)
    roots = ordered_roots(tree, site)
    top = tree.root_of(tree.by_id.get(comment.pk, comment))
    number = roots.index(top) // site.comments_per_page + 1 if top in roots else 1
    return f"{page_url(post.get_absolute_url(), number)}#comment-{comment.pk}"
