from urllib.parse import urlencode

from django.core.paginator import Paginator

from blog.posts.models import Post
from blog.posts.views import PostListView

from . import backends
from .forms import SearchForm


class SearchView(PostListView):
    """
    Published posts and pages matching ``?q=``, best first, at ``/search/`` and
    ``/search/page/N/``. A bare ``/search/`` shows the form; an empty query
    says what to type (200), a query over the limit says the limit (400).
    """

    template_name = "search/results.html"
    url_name = "search:results"
    # Results come from the GIN index in rank order: the lists' ids-first
    # paging would hide the match from PostgreSQL's planner inside a
    # subquery, and it scanned every search row (0.7 s at 100,000 posts).
    paginator_class = Paginator

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET if "q" in request.GET else None)
        response = super().get(request, *args, **kwargs)
        if self.form.too_long:
            response.status_code = 400
        return response

    @property
    def query(self):
        return self.form.cleaned_data["q"] if self.form.is_valid() else ""

    def get_queryset(self):
        if not self.query:
            return Post.any_kind.none()
        # Pages are found too, as in WordPress.
        return backends.search(Post.any_kind.published().for_listing(tags=False), self.query)

    def page_url(self, number):
        return f"{super().page_url(number)}?{urlencode({'q': self.query})}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            query=self.query,
            # The header's search box keeps what was typed, even when refused.
            search_query=self.request.GET.get("q", ""),
            **kwargs,
        )
