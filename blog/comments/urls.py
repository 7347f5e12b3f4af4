from django.urls import path

import blog.converters  # noqa: F401 (registers yyyy and dd)

from . import feeds, moderation_links, views

app_name = "comments"

urlpatterns = [
    path("post/<int:post_id>/", views.post_comment, name="post"),
    path("token/<int:post_id>/", views.form_token, name="token"),
    path("<int:pk>/", views.comment_link, name="link"),
    path("feed/", feeds.CommentsFeed(), name="feed"),
    path("feed/atom/", feeds.CommentsFeed(atom=True), name="feed_atom"),
    # Signed links from comment emails (blog/comments/moderation_links.py).
    path("moderate/<str:token>/", moderation_links.moderate, name="moderate"),
    path("unsubscribe/<str:token>/", moderation_links.unsubscribe, name="unsubscribe"),
]

# A post's comments feed hangs off its permalink, as in WordPress; blog/urls.py
# mounts these at the root.
permalink_patterns = (
    [
        path(
            "<yyyy:year>/<dd:month>/<dd:day>/<str:slug>/feed/",
            feeds.PostCommentsFeed(),
            name="post_feed",
        ),
        path(
            "<yyyy:year>/<dd:month>/<dd:day>/<str:slug>/feed/atom/",
            feeds.PostCommentsFeed(atom=True),
            name="post_feed_atom",
        ),
    ],  # fmt: skip
    "comment_feeds",
)
