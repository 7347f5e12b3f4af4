from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView
from django.views.generic import dates as generic_dates

from blog.categories.models import Category
from blog.sitesettings.models import SiteSettings

from . import counts, neighbours, permissions, preview, protection
from .forms import PostPasswordForm
from .models import CategoryListing, ListCount, Post, PostRedirect


class IdsFirstPaginator(Paginator):
    """
    Reads a page as two steps in one query: the ids of the page's posts (from
    indexes alone, however deep the page) and then only those rows, so page
    500 does not fetch and sort the 4,990 full rows before it
    (``WHERE id IN (SELECT id ... ORDER BY ... LIMIT 10 OFFSET 4990)``).
    """

    def __init__(self, *args, size=None, ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._size = size
        # The list's ids in its order from an index of their own, when the
        # view has one (a category's CategoryListing): a deep page then reads
        # the page's depth of index entries, not every post of the site.
        self._ids = ids

    @cached_property
    def count(self):
        # A list's stored size when the view has one: counting the list reads
        # every entry of its index, which grows with the site.
        return self._size() if self._size is not None else super().count

    def _get_page(self, object_list, number, paginator):
        query = object_list.query
        if query.is_sliced:
            if self._ids is not None:
                ids = self._ids[query.low_mark : query.high_mark]
            else:
                ids = object_list.values("pk")
            object_list = self.object_list.filter(pk__in=ids)
        return super()._get_page(object_list, number, paginator)


class PaginatedPostsMixin:
    """
    Pages of published posts at ``<list>/`` and ``<list>/page/N/``, as
    WordPress pages them: ``/page/1/`` answers 301 to the list, a page past
    the end 404, and the context carries numbered page links and the
    previous/next addresses (for ``rel="prev"``/``"next"``).

    Views name their URL in ``url_name`` (the paged variant is
    ``<url_name>_page``); every other URL argument is kept on each page.
    """

    model = Post
    url_name = "posts:home"
    paginator_class = IdsFirstPaginator
    # Page links shown around the current page and at each end; the rest elided.
    page_links_around, page_links_at_ends = 3, 2

    def get(self, request, *args, **kwargs):
        if kwargs.get("page") in (0, 1):  # /page/0/ would show page 1 again
            return redirect(self.page_url(1), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Summaries show no tags.
        return Post.objects.published().for_listing(tags=False)

    def get_paginate_by(self, queryset):
        return SiteSettings.current().posts_per_page

    # A method giving the list's size from its stored count (ListCount), in
    # the views whose lists have one; None: the paginator counts the list.
    list_size = None

    # Likewise a method giving the list's ids in order from an index of their own.
    list_ids = None

    def get_paginator(self, *args, **kwargs):
        if self.list_size is not None:
            kwargs["size"] = self.list_size
        if self.list_ids is not None:
            kwargs["ids"] = self.list_ids()
        return super().get_paginator(*args, **kwargs)

    def url_kwargs(self):
        return {k: v for k, v in self.kwargs.items() if k != "page"}

    def page_url(self, number):
        if number == 1:
            return reverse(self.url_name, kwargs=self.url_kwargs())
        return reverse(f"{self.url_name}_page", kwargs={**self.url_kwargs(), "page": number})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        if context["is_paginated"]:
            # Numbers around this page and at both ends, "…" between: a list
            # of 10,000 pages does not print 10,000 links.
            elided = page.paginator.get_elided_page_range(
                page.number, on_each_side=self.page_links_around, on_ends=self.page_links_at_ends
            )
            context["page_links"] = [
                (number, None if number == page.paginator.ELLIPSIS else self.page_url(number))
                for number in elided
            ]
            context["previous_page_url"] = (
                self.page_url(page.previous_page_number()) if page.has_previous() else None
            )
            context["next_page_url"] = (
                self.page_url(page.next_page_number()) if page.has_next() else None
            )
        return context


class PostListView(PaginatedPostsMixin, ListView):
    """A paginated list of published posts; subclasses narrow ``get_queryset``."""

    allow_empty = True


class HomeView(PostListView):
    template_name = "posts/home.html"

    def get(self, request, *args, **kwargs):
        if "s" in request.GET:
            # WordPress's search address, from old links and browser shortcuts.
            return redirect(f"{reverse('search:results')}?{urlencode({'q': request.GET['s']})}")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Sticky posts stay at the top, as in WordPress.
        return super().get_queryset().order_by("-sticky", "-published_at", "-pk")

    def list_size(self):
        return ListCount.objects.published(counts.SITE, Post.objects.scheduled())


class CategoryArchiveView(PostListView):
    template_name = "posts/category_archive.html"
    url_name = "posts:category"

    def get(self, request, *args, **kwargs):
        slug = kwargs["path"].rstrip("/").rsplit("/", 1)[-1]
        self.category = get_object_or_404(Category.objects.with_parents(), slug=slug)
        if self.category.path != kwargs["path"]:
            self.kwargs["path"] = self.category.path
            return redirect(self.page_url(kwargs.get("page") or 1), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Posts filed under a child category show on its parents' archives too.
        return super().get_queryset().in_categories(self.category_ids)

    @cached_property
    def category_ids(self):
        # Read once for the posts and for the scheduled ones.
        return Category.objects.descendant_ids(self.category)

    def list_size(self):
        scheduled = Post.objects.scheduled().in_categories(self.category_ids)
        return ListCount.objects.published(counts.category_key(self.category.pk), scheduled)

    def list_ids(self):
        return CategoryListing.objects.published_ids(self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class TagArchiveView(PostListView):
    template_name = "posts/tag_archive.html"
    url_name = "posts:tag"

    def get(self, request, *args, **kwargs):
        # A tag on drafts or scheduled posts only has no archive yet.
        self.tag = get_object_or_404(Post.objects.published().tags(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(tags=self.tag)

    def list_size(self):
        scheduled = Post.objects.scheduled().filter(tags=self.tag)
        return ListCount.objects.published(counts.tag_key(self.tag.pk), scheduled)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorArchiveView(PostListView):
    template_name = "posts/author_archive.html"
    url_name = "posts:author"

    def get(self, request, *args, **kwargs):
        # Only authors with published posts have an archive; any other slug,
        # a login name included, is the same 404 (README: Security).
        self.author = get_object_or_404(Post.objects.published().authors(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class DateArchiveMixin(PaginatedPostsMixin):
    """
    What the date archives share. Their bounds are midnights in the current
    time zone (the site's, activated by its middleware), so a post at 23:30 on
    Feb 28 in the site's zone is in February whatever the date in UTC. An
    archive with no posts, or a date that does not exist, is a 404.
    """

    date_field = "published_at"
    month_format = "%m"
    allow_empty = False
    allow_future = False

    # The URL converters give numbers; Django parses the date from strings.
    def get_year(self):
        return str(super().get_year())

    def get_month(self):
        return str(super().get_month())

    def get_day(self):
        return str(super().get_day())

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # Left lazy: allow_empty=False has already checked there are posts, and
        # the templates do not list the months or days.
        period = date_type or self.get_date_list_period()
        return queryset.datetimes(self.get_date_field(), period, ordering)

    # The pages link to other pages, not to neighbouring periods, which would
    # cost a query (and its prefetches) each.
    def get_next_year(self, date):
        return None

    get_previous_year = get_next_month = get_previous_month = get_next_year
    get_next_day = get_previous_day = get_next_year


class YearArchiveView(DateArchiveMixin, generic_dates.YearArchiveView):
    url_name = "posts:year"
    make_object_list = True


class MonthArchiveView(DateArchiveMixin, generic_dates.MonthArchiveView):
    url_name = "posts:month"


class DayArchiveView(DateArchiveMixin, generic_dates.DayArchiveView):
    url_name = "posts:day"


class PostDetailView(DetailView):
    """
    The article at ``/YYYY/MM/DD/<slug>/``. A wrong date, or an address the
    post had before, answers 301 to the right one.
    """

    model = Post
    context_object_name = "post"

    def get_queryset(self):
        return Post.objects.visible_to(self.request.user).for_listing()

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            moved = PostRedirect.objects.select_related("post").filter(old_path=request.path)
            moved = moved.first()
            if moved and moved.post.is_published:
                return redirect(moved.post, permanent=True)
            raise Http404("No post found at this address.") from None
        if not self.object.is_published and not permissions.can_edit(request.user, self.object):
            raise Http404("No post found at this address.")
        day = timezone.localdate(self.object.published_at or self.object.created_at)
        if (day.year, day.month, day.day) != (kwargs["year"], kwargs["month"], kwargs["day"]):
            return redirect(self.object, permanent=True)
        return self.render_post(PostPasswordForm(post=self.object))

    related_count = 3

    def get_template_names(self):
        # Share links and comment forms lead here for pages too.
        return [self.object.detail_template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.object
        if not post.is_published or post.kind != Post.Kind.POST:
            # Drafts, scheduled posts, previews of them and pages are in no sequence.
            return context
        # Neighbours and related posts show a title, a date and a link.
        shown = ("kind", "title", "slug", "published_at", "created_at")
        published = Post.objects.published().only(*shown)
        if not context.get("locked") and not context.get("is_preview"):
            context["adjacent"], context["related_posts"] = neighbours.neighbours_and_related(
                published, post, self.related_count
            )
            context["permalink"] = self.request.build_absolute_uri(post.get_absolute_url())
        else:
            context["adjacent"] = published.adjacent_to(post)
        return context

    def render_post(self, password_form, status=200):
        post = self.object
        context = self.get_context_data(
            object=post,
            locked=protection.is_locked(self.request, post),
            password_form=password_form,
        )
        response = self.render_to_response(context, status=status)
        if not post.is_published or post.password:
            # Drafts seen by their editors and unlocked bodies are never cached.
            add_never_cache_headers(response)
        return response


class PostUnlockView(PostDetailView):
    """The password form of a protected post: right answer, the body shows."""

    http_method_names = ["post"]

    def get_object(self, queryset=None):
        # Pages take passwords too.
        return get_object_or_404(Post.any_kind.published(), pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = PostPasswordForm(request.POST, post=self.object, request=request)
        if not form.is_valid():
            return self.render_post(form, status=429 if form.is_throttled else 403)
        protection.unlock(request, self.object)
        return redirect(self.object)


class PostPreviewView(PostDetailView):
    """An unpublished post shown through a signed, expiring share link."""

    def get(self, request, *args, **kwargs):
        self.object = preview.post_for_token(kwargs["token"])
        if self.object is None:
            raise Http404("This preview link has expired or was revoked.")
        if self.object.is_published:
            # Readers see it at its permalink now, password form and all. Not
            # permanent, nor kept: the post may be unpublished again.
            response = redirect(self.object)
            add_never_cache_headers(response)
            return response
        response = self.render_to_response(
            self.get_context_data(object=self.object, is_preview=True, locked=False)
        )
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        return response
