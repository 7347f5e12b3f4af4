from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import TemplateView

from blog.comments import urls as comment_urls
from blog.pages.sitemaps import PageSitemap
from blog.posts.sitemaps import SITEMAPS
from blog.wordpress.admin_export import export_view as wordpress_export

admin.site.site_header = f"{settings.BLOG_TITLE} admin"
admin.site.site_title = settings.BLOG_TITLE
admin.site.site_url = "/"


def favicon(request):
    # Browsers ask for /favicon.ico whatever a page links; send them to the real one.
    return redirect(static("img/favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
    ),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {**SITEMAPS, "pages": PageSitemap}, "template_name": "posts/sitemap.xml"},
        name="sitemap",
    ),
    # Ahead of the admin's URLs, which would answer for anything under admin/.
    path("admin/wordpress/export/", wordpress_export, name="wordpress_export"),
    path("admin/", admin.site.urls),
    path("comments/", include("blog.comments.urls")),
    path("", include(comment_urls.permalink_patterns)),
    path("search/", include("blog.search.urls")),
    path("", include("blog.posts.urls")),
    path("", include("blog.wordpress.urls")),
]

if settings.DEBUG:
    # Aliased: the name ``static`` above is the static files URL helper that favicon() uses.
    from django.conf.urls.static import static as serve_from

    urlpatterns += serve_from(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Last: a page answers at its full path only where nothing else does.
urlpatterns += [path("", include("blog.pages.urls"))]

# The database unreachable answers a themed 503 instead of a 500 (blog/unavailable.py).
handler500 = "blog.unavailable.server_error"
