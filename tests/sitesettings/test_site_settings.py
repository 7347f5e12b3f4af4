"""The site settings an Administrator edits in the admin, and how the site follows them."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.accounts.roles import ADMINISTRATOR, AUTHOR, CONTRIBUTOR, EDITOR
from blog.comments.models import Comment
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests.comments.helpers import signed_token
from tests.factories import PostFactory, RoleUserFactory, StaffFactory
from tests.helpers import form_data, meta_lines, one, page, text_of

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("admin:sitesettings_sitesettings_change", args=[1])
SETTINGS_LIST = reverse("admin:sitesettings_sitesettings_changelist")
HOME = reverse("posts:home")
POST_ADD = reverse("admin:posts_post_add")
UTC = datetime.UTC
VALID_COMMENT = {"name": "Ann", "email": "ann@example.com", "body": "Late to the party."}


@pytest.fixture
def real_cache(settings):
    """A working local-memory cache instead of the suite's DummyCache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sitesettings-tests",
        }
    }
    cache.clear()
    yield cache
    cache.clear()


def configure(**values):
    """Save settings as the admin would (the save signal forgets the cached copy)."""
    current = SiteSettings.objects.filter(pk=1).first() or SiteSettings()
    for name, value in values.items():
        setattr(current, name, value)
    current.save()


def submit_settings(client, **changes):
    """Follow the admin index's link to the settings, change fields, press Save."""
    response = client.get(SETTINGS_LIST, follow=True)
    assert response.redirect_chain == [(SETTINGS_URL, 302)]
    assert response.status_code == 200
    data = {**form_data(response, "form#sitesettings_form"), **changes, "_save": "Save"}
    return client.post(SETTINGS_URL, data)


def settings_queries(captured):
    return [q["sql"] for q in captured.captured_queries if "sitesettings" in q["sql"].lower()]


# Who may change them.


@pytest.mark.parametrize("who", ["administrator", "superuser"])
def test_administrators_and_superusers_change_the_settings(client, who):
    user = (
        RoleUserFactory(username="root", role=ADMINISTRATOR)
        if who == "administrator"
        else StaffFactory(username="root")
    )
    client.force_login(user)

    assert client.get(SETTINGS_LIST)["Location"] == SETTINGS_URL
    response = submit_settings(client, title="Renamed", posts_per_page="5")

    assert response.status_code == 302
    current = SiteSettings.objects.get()
    assert (current.title, current.posts_per_page) == ("Renamed", 5)


@pytest.mark.parametrize("role", [EDITOR, AUTHOR, CONTRIBUTOR])
def test_other_roles_get_403(client, role):
    client.force_login(RoleUserFactory(username="someone", role=role))
    SiteSettings.objects.get_or_create(pk=1)

    assert client.get(SETTINGS_URL).status_code == 403
    response = client.post(
        SETTINGS_URL,
        {
            "title": "Hijacked",
            "tagline": "",
            "time_zone": "",
            "posts_per_page": "1",
            "default_comment_mode": "closed",
            "close_comments_after_days": "1",
            "_save": "Save",
        },
    )

    assert response.status_code == 403
    assert SiteSettings.objects.get().title != "Hijacked"
    admin_index = page(client.get(reverse("admin:index")))
    assert admin_index.select(f'a[href="{SETTINGS_LIST}"]') == []


def test_there_is_nothing_to_add_or_delete(client):
    client.force_login(RoleUserFactory(username="root", role=ADMINISTRATOR))
    SiteSettings.objects.get_or_create(pk=1)

    assert client.get(reverse("admin:sitesettings_sitesettings_add")).status_code == 403
    delete = reverse("admin:sitesettings_sitesettings_delete", args=[1])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert SiteSettings.objects.count() == 1


def test_settings_are_validated(client):
    client.force_login(RoleUserFactory(username="root", role=ADMINISTRATOR))

    response = submit_settings(client, posts_per_page="0", time_zone="Mars/Olympus")

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"posts_per_page", "time_zone"}
    current = SiteSettings.objects.get()
    assert (current.posts_per_page, current.time_zone) == (10, "")


# The site follows them.


def test_title_and_tagline_change_on_the_site_at_once(client, real_cache):
    client.force_login(RoleUserFactory(username="root", role=ADMINISTRATOR))
    before = page(client.get(HOME))
    assert text_of(one(before, ".site-title")) == "Online Marketing Journal"

    submit_settings(client, title="The New Name", tagline="Fresh words")

    tree = page(client.get(HOME))
    assert text_of(one(tree, ".site-title")) == "The New Name"
    assert text_of(one(tree, ".site-tagline")) == "Fresh words"
    assert text_of(one(tree, "title")) == "The New Name"
    assert "The New Name" in text_of(one(tree, ".site-footer"))


def test_posts_per_page_changes_pagination(client):
    now = timezone.now()
    for n in range(5):
        PostFactory(title=f"Post {n}", published_at=now - datetime.timedelta(hours=n + 1))
    configure(posts_per_page=2)

    first = page(client.get(HOME))

    assert [text_of(h) for h in first.select("article.post-summary h2")] == ["Post 0", "Post 1"]
    assert [text_of(li) for li in first.select("nav.pagination li")] == ["1", "2", "3"]
    third = page(client.get(reverse("posts:home_page", kwargs={"page": 3})))
    assert [text_of(h) for h in third.select("article.post-summary h2")] == ["Post 4"]
    assert client.get(reverse("posts:home_page", kwargs={"page": 4})).status_code == 404

    configure(posts_per_page=10)
    assert len(page(client.get(HOME)).select("article.post-summary")) == 5


def test_time_zone_changes_the_shown_date_and_the_permalink(client):
    PostFactory(
        title="Late night",
        slug="late-night",
        published_at=datetime.datetime(2024, 3, 10, 23, 30, tzinfo=UTC),
    )

    utc_home = page(client.get(HOME))
    assert text_of(one(utc_home, "p.post-meta time")) == "Mar 10, 2024"
    assert one(utc_home, "h2.entry-title a").attrs["href"] == "/2024/03/10/late-night/"

    configure(time_zone="Asia/Tokyo")

    tokyo_home = page(client.get(HOME))
    assert text_of(one(tokyo_home, "p.post-meta time")) == "Mar 11, 2024"
    assert one(tokyo_home, "h2.entry-title a").attrs["href"] == "/2024/03/11/late-night/"
    article = client.get("/2024/03/11/late-night/")
    assert article.status_code == 200
    assert meta_lines(article)[0].startswith("Mar 11, 2024 // ")
    old = client.get("/2024/03/10/late-night/")
    assert (old.status_code, old["Location"]) == (301, "/2024/03/11/late-night/")


def test_default_comment_mode_is_the_initial_value_of_a_new_post(client):
    configure(default_comment_mode="closed")
    client.force_login(RoleUserFactory(username="ed", role=EDITOR))

    response = client.get(POST_ADD)

    select = one(page(response), 'select[name="comment_mode"]')
    assert [o.attrs["value"] for o in select.select("option[selected]")] == ["closed"]
    data = {**form_data(response, "form#post_form"), "title": "New", "body": "x", "_save": "Save"}
    assert client.post(POST_ADD, data).status_code == 302
    assert Post.objects.get().comment_mode == Post.CommentMode.CLOSED


def test_default_comment_mode_applies_to_contributors_new_posts(client):
    """Contributors cannot choose the comment mode; their posts still get the site default."""
    configure(default_comment_mode="closed")
    client.force_login(RoleUserFactory(username="cont", role=CONTRIBUTOR))

    response = client.get(POST_ADD)
    assert "comment_mode" not in response.context["adminform"].form.fields
    data = {**form_data(response, "form#post_form"), "title": "New", "body": "x", "_save": "Save"}
    assert client.post(POST_ADD, data).status_code == 302

    assert Post.objects.get().comment_mode == Post.CommentMode.CLOSED


def test_default_comment_mode_open(client):
    configure(default_comment_mode="open")
    client.force_login(RoleUserFactory(username="ed", role=EDITOR))

    select = one(page(client.get(POST_ADD)), 'select[name="comment_mode"]')

    assert [o.attrs["value"] for o in select.select("option[selected]")] == ["open"]


def post_comment(client, post):
    data = {**VALID_COMMENT, "token": signed_token(post)}
    return client.post(reverse("comments:post", kwargs={"post_id": post.pk}), data)


def test_comments_close_on_posts_older_than_the_limit_at_request_time(client):
    start = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    configure(close_comments_after_days=30)
    with time_machine.travel(start, tick=False):
        old = PostFactory(title="Old news", published_at=start - datetime.timedelta(days=31))
        recent = PostFactory(title="Recent news", published_at=start - datetime.timedelta(days=29))

        assert meta_lines(client.get(old.get_absolute_url()))[0].endswith(
            " // Comments Off on Old news"
        )
        assert page(client.get(old.get_absolute_url())).select("form.comment-form") == []
        assert post_comment(client, old).status_code == 403
        assert meta_lines(client.get(recent.get_absolute_url()))[0].endswith(" // No Comments")
        assert post_comment(client, recent).status_code == 302

    # Two days later the recent one is past the limit too, with nothing run in between.
    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        assert meta_lines(client.get(recent.get_absolute_url()))[0].endswith(
            " // Comments Off on Recent news"
        )
        assert post_comment(client, recent).status_code == 403

    assert list(Comment.objects.values_list("post__title", flat=True)) == ["Recent news"]
    recent.refresh_from_db()
    assert recent.comment_mode == Post.CommentMode.OPEN  # nothing was stored


def test_zero_days_never_closes_comments(client):
    configure(close_comments_after_days=0)
    post = PostFactory(title="Ancient", published_at=timezone.now() - datetime.timedelta(days=3650))

    assert meta_lines(client.get(post.get_absolute_url()))[0].endswith(" // No Comments")
    assert post_comment(client, post).status_code == 302


def test_the_age_limit_shows_on_lists_too(client):
    configure(close_comments_after_days=30)
    PostFactory(title="Old news", published_at=timezone.now() - datetime.timedelta(days=31))

    assert meta_lines(client.get(HOME))[0].endswith(" // Comments Off on Old news")


# Read once per request at most.


def test_a_page_reads_the_settings_once_with_a_cold_cache(client, real_cache):
    configure(close_comments_after_days=30, posts_per_page=5)
    for _ in range(5):
        PostFactory()
    cache.clear()

    with CaptureQueriesContext(connection) as captured:
        assert client.get(HOME).status_code == 200

    assert len(settings_queries(captured)) == 1


def test_a_page_reads_the_settings_once_with_no_cache_at_all(client):
    configure(close_comments_after_days=30)
    post = PostFactory()
    for _ in range(3):
        PostFactory()

    for url in (HOME, post.get_absolute_url()):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert len(settings_queries(captured)) == 1, url


def test_a_page_reads_no_settings_from_the_database_with_a_warm_cache(client, real_cache):
    configure(close_comments_after_days=30, tagline="Cached")
    post = PostFactory()
    client.get(HOME)  # fills the cache

    for url in (HOME, post.get_absolute_url()):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert "Cached" in response.text
        assert settings_queries(captured) == [], url


def test_saving_the_settings_forgets_the_cached_copy(real_cache):
    configure(title="First")
    assert SiteSettings.current().title == "First"

    configure(title="Second")

    assert SiteSettings.current().title == "Second"


def test_defaults_apply_before_anything_is_saved(client, settings):
    settings.BLOG_TITLE = "From the environment"

    assert text_of(one(page(client.get(HOME)), ".site-title")) == "From the environment"
    assert not SiteSettings.objects.exists()


def test_the_settings_form_opens_directly_before_anything_was_saved(client):
    SiteSettings.objects.all().delete()
    client.force_login(StaffFactory())

    response = client.get(reverse("admin:sitesettings_sitesettings_change", args=[1]))

    assert response.status_code == 200
    assert SiteSettings.objects.filter(pk=1).exists()
