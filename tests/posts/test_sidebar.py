import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.urls import reverse

from blog.comments.models import Comment
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests import query_counts
from tests.factories import CategoryFactory, CommentFactory, PostFactory
from tests.helpers import balance_problems, one, page, text_of

pytestmark = pytest.mark.django_db


def sidebar(client):
    html = client.get(reverse("posts:home")).text
    return html[html.index('<aside class="sidebar"') :]


def test_category_widget_counts_published_posts_and_nests_children(client):
    marketing = CategoryFactory(name="Marketing", slug="marketing")
    seo = CategoryFactory(name="SEO", slug="seo", parent=marketing)
    PostFactory.create_batch(2, categories=[seo])
    PostFactory(categories=[seo], status=Post.Status.DRAFT)

    html = sidebar(client)

    assert '<li class="depth-0"><a href="/category/marketing/">Marketing</a>' in html
    assert '<li class="depth-1"><a href="/category/marketing/seo/">SEO</a>' in html
    assert 'SEO</a> <span class="count">(2)</span>' in html


def test_category_widget_hides_categories_with_nothing_published(client):
    CategoryFactory(name="Empty", slug="empty")
    CategoryFactory(name="Only drafts", slug="only-drafts")
    PostFactory(categories=[], status=Post.Status.DRAFT)
    PostFactory(categories=[CategoryFactory(name="Busy", slug="busy")])

    html = sidebar(client)

    assert "Busy" in html
    assert "Empty" not in html
    assert "Only drafts" not in html


def test_recent_posts_widget_lists_published_posts_only(client, tomorrow):
    PostFactory(title="Out already")
    PostFactory(title="Coming soon", published_at=tomorrow)

    html = sidebar(client)

    assert "Out already" in html
    assert "Coming soon" not in html


def test_category_at_a_wrong_path_keeps_its_page(client):
    marketing = CategoryFactory(name="Marketing", slug="marketing")
    seo = CategoryFactory(name="SEO", slug="seo", parent=marketing)
    PostFactory.create_batch(11, categories=[seo])

    response = client.get("/category/seo/page/2/")

    assert response.status_code == 301
    assert response["Location"] == "/category/marketing/seo/page/2/"


def widget(client, title):
    """The sidebar section headed ``title``, from the home page."""
    html = page(client.get(reverse("posts:home")))
    sidebar = one(html, "aside.sidebar")
    (section,) = [
        section
        for section in sidebar.select("section.widget")
        if text_of(one(section, "h2")) == title
    ]
    return section


def test_every_widget_is_a_section_with_a_heading(client):
    post = PostFactory(categories=[CategoryFactory()], tags=["apps"])
    CommentFactory(post=post)

    sidebar = one(page(client.get("/")), "aside.sidebar[aria-label]")

    headings = [text_of(one(section, "h2.widget-title")) for section in sidebar.select("section")]
    assert headings == ["Recent Posts", "Recent Comments", "Archives", "Categories", "Tags"]
    assert balance_problems(str(sidebar)) == []


def test_widgets_are_left_out_when_nothing_is_published(client):
    PostFactory(status=Post.Status.DRAFT, categories=[CategoryFactory()], tags=["apps"])

    assert not one(page(client.get("/")), "aside.sidebar").select("section")


def cloud(client):
    return {
        text_of(link).split(" (")[0]: (link["class"], link["href"], text_of(link))
        for link in widget(client, "Tags").select("a")
    }


def test_tag_cloud_sizes_tags_by_their_published_posts(client, tomorrow):
    for _ in range(5):
        PostFactory(tags=["busy"])
    for _ in range(3):
        PostFactory(tags=["middling"])
    PostFactory(tags=["rare", "busy-ish"])
    PostFactory(tags=["busy-ish"])
    PostFactory(tags=["drafted"], status=Post.Status.DRAFT)
    PostFactory(tags=["rare"], published_at=tomorrow)

    tags = cloud(client)

    assert list(tags) == ["busy", "busy-ish", "middling", "rare"]
    assert tags["busy"] == ("tag-size-5", "/tag/busy/", "busy (5 posts)")
    assert tags["middling"][0] == "tag-size-3"
    assert tags["busy-ish"][0] == "tag-size-2"
    assert tags["rare"] == ("tag-size-1", "/tag/rare/", "rare (1 post)")


def test_tag_cloud_with_equal_counts_is_all_one_size(client):
    PostFactory(tags=["one", "two"])

    assert {size for size, _, _ in cloud(client).values()} == {"tag-size-1"}


def recent_comment_lines(client):
    return [
        (text_of(item), one(item, "a")["href"])
        for item in widget(client, "Recent Comments").select("li")
    ]


def test_recent_comments_link_to_each_comment_newest_first(client, now):
    post = PostFactory(title="Hello world")
    older = CommentFactory(post=post, name="Ann", created_at=now - datetime.timedelta(hours=2))
    newer = CommentFactory(post=post, name="Bob", created_at=now - datetime.timedelta(hours=1))

    assert recent_comment_lines(client) == [
        ("Bob on Hello world", f"/comments/{newer.pk}/"),
        ("Ann on Hello world", f"/comments/{older.pk}/"),
    ]


def test_recent_comments_show_only_comments_readers_can_see(client, tomorrow):
    shown = PostFactory(title="Open post")
    CommentFactory(post=shown, name="Approved")
    for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH):
        CommentFactory(post=shown, name=f"Is {status}", status=status)
    CommentFactory(post=PostFactory(comment_mode=Post.CommentMode.HIDDEN), name="On hidden")
    CommentFactory(post=PostFactory(password="secret"), name="On protected")
    CommentFactory(post=PostFactory(status=Post.Status.DRAFT), name="On draft")
    CommentFactory(post=PostFactory(published_at=tomorrow), name="On scheduled")
    CommentFactory(post=PostFactory(comment_mode=Post.CommentMode.CLOSED), name="On closed")

    names = [line.split(" on ")[0] for line, _ in recent_comment_lines(client)]

    assert sorted(names) == ["Approved", "On closed"]


def test_recent_comments_show_the_five_newest(client, now):
    post = PostFactory()
    for n in range(7):
        when = now - datetime.timedelta(minutes=n)
        CommentFactory(post=post, name=f"Reader {n}", created_at=when)

    names = [line.split(" on ")[0] for line, _ in recent_comment_lines(client)]

    assert names == [f"Reader {n}" for n in range(5)]


def test_monthly_archives_count_published_posts_per_month(client, tomorrow):
    for day in (1, 14, 28):
        PostFactory(published_at=datetime.datetime(2014, 2, day, 12, tzinfo=datetime.UTC))
    PostFactory(published_at=datetime.datetime(2013, 11, 5, tzinfo=datetime.UTC))
    PostFactory(published_at=datetime.datetime(2014, 3, 1, tzinfo=datetime.UTC), status="draft")
    PostFactory(published_at=tomorrow)

    links = widget(client, "Archives").select("li")

    assert [(text_of(li), one(li, "a")["href"]) for li in links] == [
        ("February 2014 (3)", "/2014/02/"),
        ("November 2013 (1)", "/2013/11/"),
    ]


def test_monthly_archives_follow_the_site_time_zone(client):
    settings = SiteSettings.current()
    settings.time_zone = "America/New_York"
    settings.save()
    new_york = zoneinfo.ZoneInfo("America/New_York")
    # March 1st in UTC, February 28th in New York.
    PostFactory(published_at=datetime.datetime(2014, 2, 28, 23, 30, tzinfo=new_york))
    PostFactory(published_at=datetime.datetime(2014, 3, 1, 0, 30, tzinfo=new_york))

    links = widget(client, "Archives").select("li")

    assert [text_of(li) for li in links] == ["March 2014 (1)", "February 2014 (1)"]
    assert client.get(one(links[1], "a")["href"]).status_code == 200


@pytest.mark.parametrize("posts", [3, 30])
def test_sidebar_queries_do_not_grow_with_posts(django_assert_num_queries, posts):
    parent = CategoryFactory()
    child = CategoryFactory(parent=parent)
    for n in range(posts):
        post = PostFactory(
            categories=[parent, child][: 1 + n % 2],
            tags=[f"tag-{n}", "apps"],
            published_at=datetime.datetime(2014, 1 + n % 12, 1, tzinfo=datetime.UTC),
        )
        CommentFactory(post=post)
    sidebar_template = Template('{% include "includes/sidebar.html" %}')

    with django_assert_num_queries(query_counts.SIDEBAR):
        html = sidebar_template.render(Context())

    assert html.count('class="widget-title"') == 5
