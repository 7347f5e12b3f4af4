from django.urls import path

import blog.converters  # noqa: F401 (registers yyyy and dd)

from . import feeds, views

app_name = "posts"


def paged(route, view, name):
    """The list at ``route`` and its pages at ``route/page/N/``, as WordPress does."""
    return [
        path(route, view, name=name),
        path(f"{route}page/<int:page>/", view, name=f"{name}_page"),
    ]


def feed_routes(route, feed, name):
    """RSS 2.0 at ``route`` and Atom at ``route/atom/``."""
    return [
        path(route, feed(), name=name),
        path(f"{route}atom/", feed(atom=True), name=f"{name}_atom"),
    ]


urlpatterns = [
    *paged("", views.HomeView.as_view(), "home"),
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/<str:slug>/",
        views.PostDetailView.as_view(),
        name="detail",
    ),
    path("unlock/<int:pk>/", views.PostUnlockView.as_view(), name="unlock"),
    path("preview/<str:token>/", views.PostPreviewView.as_view(), name="preview"),
    # Feeds: the category ones before category/<path:path>/, which would take "feed" as a slug.
    *feed_routes("feed/", feeds.PostFeed, "feed"),
    *feed_routes("category/<path:path>/feed/", feeds.CategoryFeed, "category_feed"),
    *feed_routes("tag/<str:slug>/feed/", feeds.TagFeed, "tag_feed"),
    *feed_routes("author/<str:slug>/feed/", feeds.AuthorFeed, "author_feed"),
    path("category/<path:path>/page/<int:page>/", views.CategoryArchiveView.as_view(),
         name="category_page"),
    path("category/<path:path>/", views.CategoryArchiveView.as_view(), name="category"),
    *paged("tag/<str:slug>/", views.TagArchiveView.as_view(), "tag"),
    *paged("author/<str:slug>/", views.AuthorArchiveView.as_view(), "author"),
    *paged("<yyyy:year>/", views.YearArchiveView.as_view(), "year"),
    *paged("<yyyy:year>/<dd:month>/", views.MonthArchiveView.as_view(), "month"),
    *paged("<yyyy:year>/<dd:month>/<dd:day>/", views.DayArchiveView.as_view(), "day"),
]  # fmt: skip
