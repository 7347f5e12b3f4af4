"""
RSS 2.0 and Atom feeds of approved comments: the site's at
``/comments/feed/`` and each post's at ``<permalink>feed/``.

Only comments a reader could see on the article are carried: approved, on a
published post that is not password-protected and does not hide its
comments. Conditional GETs follow the latest comment's time, including when
it was approved, and the number of comments the feed covers.
"""

from django.db.models import Count, Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from blog.posts.feeds import ConditionalFeed, ContentAtomFeed, Moved, absolute_urls, latest_of
from blog.posts.models import Post

from .models import Comment

# As many as the post feeds carry.
FEED_ITEMS = 10


class CommentsFeed(ConditionalFeed):
    """The latest approved comments across the site."""

    def comments(self, obj):
        return Comment.objects.shown_on_public_posts()

    def changes(self, obj):
        found = self.comments(obj).aggregate(
            created=Max("created_at"),
            # Approving an old comment puts it in the feed too.
            changed=Max("status_changed_at"),
            count=Count("pk"),
        )
        return {"latest": latest_of(found["created"], found["changed"]), "count": found["count"]}

    def title(self, obj):
        return f"Comments for {self.site.title}"

    def description(self, obj):
        return self.site.tagline

    def link(self, obj):
        return reverse("posts:home")

    def items(self, obj):
        return (
            self.comments(obj)
            .select_related("post")
            .only(
                "pk",
                "name",
                "body_html",
                "created_at",
                "post__kind",
                "post__title",
                "post__slug",
                "post__path",
                "post__published_at",
                "post__created_at",
            )
            .order_by("-created_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, comment):
        return f"Comment on {comment.post.title} by {comment.name}"

    def item_link(self, comment):
        return comment.get_absolute_url()

    def item_description(self, comment):
        return absolute_urls(comment.body_html, self.absolute(comment.get_absolute_url()))

    def item_guid(self, comment):
        return self.tag_uri("comment", comment.pk, comment.created_at)

    item_guid_is_permalink = False

    def item_pubdate(self, comment):
        return comment.created_at

    def item_updateddate(self, comment):
        return comment.created_at

    def item_author_name(self, comment):
        return comment.name


class PostCommentsFeed(CommentsFeed):
    """One post's approved comments, at ``<permalink>feed/``."""

    @staticmethod
    def url_for(post, atom=False):
        name = "comment_feeds:post_feed_atom" if atom else "comment_feeds:post_feed"
        return reverse(name, kwargs=post.permalink_kwargs())

    def get_object(self, request, year, month, day, slug):
        post = Post.objects.published().filter(slug=slug).first()
        if post is None or post.password or post.comments_hidden:
            raise Http404("No comments feed at this address.")
        local = timezone.localdate(post.published_at)
        if (local.year, local.month, local.day) != (year, month, day):
            raise Moved(self.url_for(post, atom=self.feed_type is ContentAtomFeed))
        return post

    def comments(self, post):
        return Comment.objects.approved().filter(post=post)

    def title(self, post):
        return f"Comments on: {post.title}"

    def link(self, post):
        return post.get_absolute_url()
