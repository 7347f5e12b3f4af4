from django.http import Http404, HttpResponsePermanentRedirect

from . import redirects


def old_upload(request):
    """
    A file under WordPress's uploads folder (or WordPress.com's ``/files/``):
    301 to the imported file, a size variant to the image's closest rendition.
    """
    url = redirects.url_for_path(request.path_info)
    # Looked up once: the fallback middleware need not try this address again.
    request.old_address_tried = True
    if url is None:
        raise Http404("No imported file had this address.")
    return HttpResponsePermanentRedirect(url)
