from django.http import Http404, HttpResponsePermanentRedirect

from . import redirects


class OldAddressMiddleware:
    """
    WordPress's old addresses answer with one 301 to the new one.

    - Query-string forms at the site root (``/?p=123``, ``/?cat=4``,
      ``/?feed=rss2``…) are answered on the way in, before any later
      middleware (a page cache among them) or view: the home page would
      otherwise answer them, and a cache could serve its copy of ``/``.
      An unknown id is a 404. Other requests cost a look at the path and
      the query string, never a query.
    - Any other address is tried when nothing answered it: after pages and
      before the 404, as ``django.contrib.redirects``' fallback middleware
      does. A view's Http404 is caught before the 404 page is rendered; an
      address no URL pattern takes is tried on the way out (its 404, or
      CommonMiddleware's redirect to the same path with a slash added, which
      would only lead to a 404).

    Listed right after SecurityMiddleware (see blog/settings.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if redirects.wants_query_redirect(request):
            url = redirects.url_for_query(request.GET)
            if url is None:
                raise Http404("Nothing was imported with that id.")
            return HttpResponsePermanentRedirect(url)
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and not getattr(request, "old_address_tried", False)
            and self._not_found(request, response)
        ):
            url = redirects.url_for_path(request.path_info, request.META.get("QUERY_STRING", ""))
            if url is not None:
                return HttpResponsePermanentRedirect(url)
        return response

    def process_exception(self, request, exception):
        """
        A view's 404 (the pages' catch-all, an article's): looked up before
        the 404 page is rendered, so a hit costs only the lookup.
        """
        if (
            not isinstance(exception, Http404)
            or request.method not in ("GET", "HEAD")
            or getattr(request, "old_address_tried", False)
        ):
            return None
        request.old_address_tried = True
        url = redirects.url_for_path(request.path_info, request.META.get("QUERY_STRING", ""))
        return None if url is None else HttpResponsePermanentRedirect(url)

    @staticmethod
    def _not_found(request, response):
        if response.status_code == 404:
            return True
        # CommonMiddleware's APPEND_SLASH answers a path with no slash by
        # adding one when the pages' catch-all pattern would take it.
        return (
            response.status_code == 301
            and not request.path_info.endswith("/")
            and response.get("Location") == request.get_full_path(force_append_slash=True)
        )
