from django.conf import settings


def site(request):
    return {"site_title": settings.BLOG_TITLE, "site_tagline": settings.BLOG_TAGLINE}
