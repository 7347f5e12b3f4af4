from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.BLOG_TITLE} admin"
admin.site.site_title = settings.BLOG_TITLE
admin.site.site_url = "/"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("comments/", include("blog.comments.urls")),
    path("", include("blog.posts.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
