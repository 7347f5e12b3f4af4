"""
Author archives do not tell who has an account: they live at a public slug
made from the display name, and only authors with published posts have one.
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db.models import F

from blog.accounts.models import User
from blog.accounts.roles import ADMINISTRATOR, CONTRIBUTOR
from blog.posts.models import Post
from tests.factories import PostFactory, RoleUserFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_slug_is_made_from_the_display_name_not_the_login_name():
    user = UserFactory(username="jdoe77", display_name="Jane Doe")

    assert user.slug == "jane-doe"


def test_slugs_are_unique_and_never_spell_the_login_name():
    first = UserFactory(username="first", display_name="Jane Doe")
    second = UserFactory(username="second", display_name="Jane Doe")
    maria = UserFactory(username="maria", display_name="Maria")
    nameless = UserFactory(username="sam", display_name="")

    assert (first.slug, second.slug) == ("jane-doe", "jane-doe-2")
    assert maria.slug == "maria-2"
    assert nameless.slug == "author"


def test_many_nameless_authors_get_the_next_free_slug_in_two_queries(
    django_assert_max_num_queries,
):
    # A site whose users were imported without display names: author, author-2…
    users = [UserFactory(username=f"reader{n}", display_name="") for n in range(14)]
    assert [u.slug for u in users[:3]] == ["author", "author-2", "author-3"]
    User.objects.filter(slug="author-7").update(slug="by-hand")

    gap = User(username="gap", display_name="")
    with django_assert_max_num_queries(3):  # the likely slugs, then all alike; the insert
        gap.save()
    last = User(username="last", display_name="")
    with django_assert_max_num_queries(3):
        last.save()

    assert (gap.slug, last.slug) == ("author-7", "author-15")


def test_a_slug_set_by_hand_is_kept_when_the_display_name_changes():
    user = UserFactory(username="jdoe", display_name="Jane Doe")
    user.slug = "jane"
    user.save()
    user.display_name = "Jane Roe"
    user.save()

    user.refresh_from_db()
    assert user.slug == "jane"


def test_the_data_migration_gives_existing_users_slugs():
    UserFactory(username="jane", display_name="Jane Doe")
    UserFactory(username="other", display_name="Jane Doe")
    User.objects.update(slug=F("username"))  # as if the column were new
    migration = importlib.import_module("blog.accounts.migrations.0003_author_slug")

    migration.fill_slugs(django_apps, None)

    assert sorted(User.objects.values_list("slug", flat=True)) == ["jane-doe", "jane-doe-2"]


def test_the_slug_is_editable_on_the_users_admin_page(client):
    admin = StaffFactory(username="boss")
    writer = UserFactory(username="jdoe", display_name="Jane Doe")
    client.force_login(admin)
    url = f"/admin/accounts/user/{writer.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in {**form.initial, "password": ""}.items()
        if value is not None and name not in ("groups", "user_permissions", "password")
    }
    data["date_joined_0"], data["date_joined_1"] = "2024-01-01", "10:00:00"

    refused = client.post(url, {**data, "slug": "jdoe"})
    accepted = client.post(url, {**data, "slug": "jane"})

    assert "may not be the login name" in refused.text
    assert 'value="jdoe"' in refused.text  # what was typed is kept
    assert accepted.status_code == 302
    writer.refresh_from_db()
    assert writer.slug == "jane"
    assert writer.get_absolute_url() == "/author/jane/"


def test_author_with_published_posts_has_an_archive_and_feed(client):
    author = UserFactory(username="jdoe", display_name="Jane Doe")
    PostFactory(author=author, title="Hello")

    assert client.get("/author/jane-doe/").status_code == 200
    assert client.get("/author/jane-doe/feed/").status_code == 200
    assert client.get("/author/jane-doe/feed/atom/").status_code == 200


@pytest.fixture
def accounts():
    """Accounts that exist but have nothing public, and one that has."""
    public = UserFactory(username="writer", display_name="Public Writer")
    PostFactory(author=public)
    admin = RoleUserFactory(username="siteadmin", display_name="Site Admin", role=ADMINISTRATOR)
    contributor = RoleUserFactory(username="contrib", display_name="Con Trib", role=CONTRIBUTOR)
    PostFactory(author=contributor, status=Post.Status.DRAFT, published_at=None)
    PostFactory(author=contributor, status=Post.Status.PENDING)
    PostFactory(author=contributor, status=Post.Status.PRIVATE)
    return {"public": public, "admin": admin, "contributor": contributor}


@pytest.mark.parametrize(
    "path",
    [
        "/author/{slug}/",
        "/author/{slug}/page/2/",
        "/author/{slug}/feed/",
        "/author/{slug}/feed/atom/",
    ],
)
def test_accounts_without_published_posts_are_the_same_404_as_unknown_names(client, accounts, path):
    unknown = client.get(path.format(slug="no-such-person"))
    probes = [
        accounts["admin"].slug,  # an Administrator with no posts
        "siteadmin",  # their login name
        accounts["contributor"].slug,  # drafts, pending and private posts only
        "contrib",
        "writer",  # the login name of an author who does have an archive
    ]

    assert unknown.status_code == 404
    for probe in probes:
        response = client.get(path.format(slug=probe))
        assert (response.status_code, response.content) == (404, unknown.content), probe


def test_sitemap_lists_authors_at_their_slugs_only(client, accounts):
    sitemap = client.get("/sitemap.xml").text

    assert "/author/public-writer/" in sitemap
    for hidden in ("/author/writer/", "/author/site-admin/", "/author/con-trib/", "siteadmin"):
        assert hidden not in sitemap
