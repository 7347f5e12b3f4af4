from blog.sitesettings.models import SiteSettings


def site(request):
    current = SiteSettings.current()
    return {"site_title": current.title, "site_tagline": current.tagline}
