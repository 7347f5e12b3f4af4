from django.urls import path

from . import moderation_links, views

app_name = "comments"

urlpatterns = [
    path("post/<int:post_id>/", views.post_comment, name="post"),
    # Signed links from comment emails (blog/comments/moderation_links.py).
    path("moderate/<str:token>/", moderation_links.moderate, name="moderate"),
    path("unsubscribe/<str:token>/", moderation_links.unsubscribe, name="unsubscribe"),
]
