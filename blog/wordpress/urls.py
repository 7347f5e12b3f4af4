from django.urls import re_path
from django.views.generic import RedirectView

from . import views

app_name = "wordpress"


def moved(pattern_name):
    return RedirectView.as_view(pattern_name=pattern_name, permanent=True)


# WordPress's own addresses that have a fixed new one, and its upload folders.
# None ends in a slash where pages could (a page path always does), and
# blog/site_paths.py reserves "feed" and "wp-content" from page slugs.
urlpatterns = [
    re_path(r"^feed/(?:rss2|rss|rdf)/?$", moved("posts:feed")),
    re_path(r"^wp-(?:rss2|rss|rdf)\.php$", moved("posts:feed")),
    re_path(r"^wp-atom\.php$", moved("posts:feed_atom")),
    re_path(r"^wp-commentsrss2\.php$", moved("comments:feed")),
    re_path(
        r"^index\.php$",
        RedirectView.as_view(pattern_name="posts:home", permanent=True, query_string=True),
    ),
    re_path(r"^(?:wp-content/uploads|files)/.*[^/]$", views.old_upload, name="upload"),
]
