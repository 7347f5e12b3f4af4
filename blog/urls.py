from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

admin.site.site_header = f"{settings.BLOG_TITLE} admin"
admin.site.site_title = settings.BLOG_TITLE
admin.site.site_url = "/"


def favicon(request):
    # Browsers ask for /favicon.ico whatever a page links; send them to the real one.
    return redirect(static("img/favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("comments/", include("blog.comments.urls")),
    path("search/", include("blog.search.urls")),
    path("", include("blog.posts.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
