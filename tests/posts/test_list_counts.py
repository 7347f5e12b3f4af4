"""
Lists read their size from stored counts (blog/posts/counts.py): the pages a
reader can reach stay exact through every change that moves a post in or out
of a list, and a scheduled post joins them at its time with no save.
"""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from blog.categories.models import Category
from blog.posts import counts
from blog.posts.models import CategoryListing, ListCount, Post, TaggedPost
from blog.sitesettings.models import SiteSettings
from tests.factories import CategoryFactory, PostFactory
from tests.helpers import page, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_per_page():
    """One post a page: the last page's number is the list's size."""
    settings = SiteSettings.current()
    settings.posts_per_page = 1
    settings.save()


def last_page(client, url):
    """The number of the last page a reader can open at ``url`` (0: an empty list)."""
    response = client.get(url)
    assert response.status_code == 200
    found = response.context["paginator"].count
    numbers = [text_of(li) for li in page(response).select("nav.pagination li")]
    if found > 1:
        assert numbers[-1] == str(found)
        assert client.get(f"{url}page/{found}/").status_code == 200
    assert client.get(f"{url}page/{max(found + 1, 2)}/").status_code == 404
    return found


def stored():
    return dict(ListCount.objects.exclude(posts=0).values_list("key", "posts"))


def assert_exact():
    """Every stored count and category listing is what the rows give."""
    worked_out = counts.compute(Post, Post.categories.through, TaggedPost, Category)
    assert stored() == {key: n for key, n in worked_out.items() if n}
    listed = CategoryListing.objects.values_list("category_id", "post_id", "published_at")
    rows = counts.listing_rows(Post, Post.categories.through, Category)
    assert sorted(listed) == sorted(rows)


@pytest.fixture
def tree():
    news = CategoryFactory(name="News", slug="news")
    tech = CategoryFactory(name="Tech", slug="tech", parent=news)
    other = CategoryFactory(name="Other", slug="other")
    return news, tech, other


def test_publishing_unpublishing_trashing_and_restoring_change_the_home_pages(client):
    PostFactory.create_batch(3)
    draft = PostFactory(status=Post.Status.DRAFT, published_at=None)
    assert last_page(client, "/") == 3

    draft.status = Post.Status.PUBLISHED
    draft.save()
    assert last_page(client, "/") == 4

    draft.trash()
    assert last_page(client, "/") == 3

    draft.restore()
    assert last_page(client, "/") == 4

    draft.status = Post.Status.PENDING
    draft.save()
    assert last_page(client, "/") == 3
    assert_exact()


def test_a_scheduled_post_joins_the_lists_at_its_time_without_a_save(client, tree):
    news, tech, _ = tree
    PostFactory(categories=[tech], tags=["apps"])
    soon = timezone.now() + datetime.timedelta(hours=1)
    PostFactory(published_at=soon, categories=[tech], tags=["apps"])

    assert last_page(client, "/") == 1
    assert last_page(client, "/category/news/") == 1
    assert last_page(client, "/tag/apps/") == 1

    with time_machine.travel(soon + datetime.timedelta(seconds=1)):
        assert last_page(client, "/") == 2
        assert last_page(client, "/category/news/tech/") == 2
        assert last_page(client, "/tag/apps/") == 2
    assert_exact()


def test_deleting_posts_one_or_many_leaves_their_lists(client, tree):
    _, tech, other = tree
    first, second, third = (PostFactory(categories=[tech], tags=["apps"]) for _ in range(3))
    PostFactory(categories=[other])

    first.delete()
    assert last_page(client, "/category/news/") == 2
    Post.objects.filter(pk__in=[second.pk, third.pk]).delete()

    assert last_page(client, "/") == 1
    assert client.get("/category/news/").context["paginator"].count == 0
    # A tag with no published post has no archive.
    assert client.get("/tag/apps/").status_code == 404
    assert_exact()


def test_a_post_moved_between_categories_moves_between_their_archives(client, tree):
    news, tech, other = tree
    post = PostFactory(categories=[tech])
    PostFactory(categories=[news, tech])  # once on News, though filed twice

    assert last_page(client, "/category/news/") == 2
    assert last_page(client, "/category/other/") == 0

    post.categories.set([other])
    assert last_page(client, "/category/news/") == 1
    assert last_page(client, "/category/news/tech/") == 1
    assert last_page(client, "/category/other/") == 1

    post.categories.add(news)
    assert last_page(client, "/category/news/") == 2
    post.categories.clear()
    assert last_page(client, "/category/news/") == 1
    assert last_page(client, "/category/other/") == 0

    other.posts.add(post)  # from the category's side
    assert last_page(client, "/category/other/") == 1
    other.posts.clear()
    assert last_page(client, "/category/other/") == 0
    assert_exact()


def test_tags_added_removed_and_cleared_change_the_tag_archives(client):
    post = PostFactory(tags=["apps", "outage"])
    PostFactory(tags=["apps"])
    assert last_page(client, "/tag/apps/") == 2

    post.tags.remove("apps")
    assert last_page(client, "/tag/apps/") == 1
    post.tags.set(["apps", "mobile"])
    assert last_page(client, "/tag/apps/") == 2
    assert last_page(client, "/tag/mobile/") == 1
    assert client.get("/tag/outage/").status_code == 404
    post.tags.clear()
    assert last_page(client, "/tag/apps/") == 1
    assert_exact()


def test_drafts_filed_and_tagged_count_nowhere_until_published(client, tree):
    _, tech, _ = tree
    draft = PostFactory(status=Post.Status.DRAFT, published_at=None)
    draft.categories.set([tech])
    draft.tags.set(["apps"])
    assert last_page(client, "/category/news/") == 0

    draft.status = Post.Status.PUBLISHED
    draft.save()

    assert last_page(client, "/category/news/") == 1
    assert last_page(client, "/tag/apps/") == 1
    assert_exact()


def test_a_category_moved_or_deleted_changes_the_archives_above_it(client, tree):
    news, tech, other = tree
    PostFactory(categories=[tech])
    PostFactory(categories=[news])
    assert last_page(client, "/category/news/") == 2

    tech.parent = other
    tech.save()
    assert last_page(client, "/category/news/") == 1
    assert last_page(client, "/category/other/") == 1

    tech.delete()
    assert last_page(client, "/category/other/") == 0
    assert_exact()


def test_a_deleted_tag_takes_its_count_with_it(client):
    PostFactory(tags=["apps"])
    tag = Post.objects.get().tags.get()

    tag.delete()

    assert_exact()
    assert counts.tag_key(tag.pk) not in set(ListCount.objects.values_list("key", flat=True))


def test_pages_count_in_no_list(client):
    from tests.factories import PageFactory

    PageFactory()
    PostFactory()

    assert last_page(client, "/") == 1
    assert_exact()


def test_recount_puts_right_what_bulk_writes_left_wrong(client, tree):
    _, tech, _ = tree
    post = PostFactory(categories=[tech])
    Post.objects.filter(pk=post.pk).update(status=Post.Status.DRAFT)  # no signals
    assert client.get("/category/news/").context["paginator"].count == 1

    out = io.StringIO()
    call_command("recount_posts", stdout=out)

    assert "Counted 0 published post(s)" in out.getvalue()
    assert client.get("/category/news/").context["paginator"].count == 0
    assert_exact()


def test_held_counts_are_worked_out_once_at_the_end(client, tree):
    _, tech, _ = tree
    with counts.deferred():
        post = PostFactory()
        Post.categories.through.objects.create(post=post, category=tech)
        assert stored() == {}

    news = tech.parent_id
    assert stored() == {"site": 1, counts.category_key(tech.pk): 1, counts.category_key(news): 1}


def test_an_import_leaves_every_list_counted(client, tmp_path):
    from blog.wordpress.importer import import_wxr
    from tests.wordpress import wxr_builder as wxr

    text = wxr.wxr(
        [
            wxr.item(
                n,
                f"Imported {n}",
                date=f"2014-02-{10 + n} 10:00:00",
                terms=[("category", "news", "News"), ("post_tag", "apps", "Apps")],
            )
            for n in range(1, 4)
        ],
        categories=[wxr.category("news", "News", term_id=1)],
        tags=[wxr.tag("apps", "Apps", term_id=2)],
    )

    import_wxr(wxr.write(tmp_path, text))

    assert last_page(client, "/category/news/") == 3
    assert last_page(client, "/tag/apps/") == 3
    assert last_page(client, "/") == 3
    assert_exact()


def test_a_new_publish_time_moves_the_post_on_its_category_pages(client, tree):
    news, tech, _ = tree
    now = timezone.now()
    old, middle, new = (
        PostFactory(
            title=title, published_at=now - datetime.timedelta(days=days), categories=[tech]
        )
        for title, days in (("Old", 3), ("Middle", 2), ("New", 1))
    )

    old.published_at = now - datetime.timedelta(hours=1)
    old.save()

    shown = [
        text_of(page(client.get(url)).select_one(".post-summary .entry-title"))
        for url in ("/category/news/", "/category/news/page/2/", "/category/news/page/3/")
    ]
    assert shown == ["Old", "New", "Middle"]
    assert_exact()
