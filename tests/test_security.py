"""
Refusals and headers every address shares (blog/security.py): a NUL or control
character in a path or query is a clean 400 however the address is routed (on
PostgreSQL such a lookup would raise instead of answering), every response
carries Permissions-Policy, and a login lands in the admin.
"""

import pytest
from django.test import Client

from blog.security import REFUSAL
from tests.factories import PostFactory, StaffFactory

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/tag/%00/",
    "/tag/%00/feed/",
    "/tag/%00/feed/atom/",
    "/tag/%00/page/2/",
    "/author/%00/",
    "/author/%00/feed/",
    "/category/%00/",
    "/category/%00/feed/",
    "/category/news/%00/",
    "/2014/02/22/%00/",
    "/2014/02/22/%00/comments/",
    "/%00/",
    "/about/%00/",
    "/preview/%00/",
    "/search/?q=%00",
    "/search/?q=seo%00",
    "/search/feed/?q=%00",
    "/?s=%00",
    "/?p=%00",
    "/?page_id=%00",
    "/?%00=1",
    "/tag/apps/?utm_source=%01",
    "/tag/a%1fb/",
    "/tag/a%7fb/",
    "/tag/a%0ab/",
    "/wp-content/uploads/%00.jpg",
    "/static/%00.css",
    "/media/%00.jpg",
    "/feed/?x=%EF%BF%BF",
]

ADMIN = [
    "/admin/posts/post/?q=%00",
    "/admin/accounts/user/?q=%00",
    "/admin/comments/comment/?q=%00",
    "/admin/media/image/?q=%00",
    "/admin/media/image/library/?q=%00",
    "/admin/autocomplete/?term=%00&app_label=posts&model_name=post&field_name=categories",
    "/admin/posts/post/%00/change/",
    "/admin/login/?next=/%00/",
]


@pytest.fixture
def published():
    # Something real behind the addresses, so a lookup would reach the database.
    return PostFactory(title="Twenty-second", tags=["apps"])


def assert_refused(response):
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == REFUSAL
    assert "Permissions-Policy" in response


@pytest.mark.parametrize("address", PUBLIC)
def test_a_nul_or_control_character_in_a_public_address_is_a_clean_400(published, address):
    assert_refused(Client(raise_request_exception=True).get(address))


@pytest.mark.parametrize("address", ADMIN)
def test_a_nul_in_an_admin_address_or_search_is_a_clean_400(published, address):
    client = Client(raise_request_exception=True)
    client.force_login(StaffFactory(username="boss"))

    assert_refused(client.get(address))


def test_posting_to_an_address_with_a_nul_is_refused_too(published):
    response = Client(raise_request_exception=True).post(
        "/2014/02/22/%00/comments/", {"body": "hi"}
    )

    assert_refused(response)


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/tag/caf%C3%A9/", 404),  # any letter is fine, it just names no tag
        ("/tag/%FF/", 404),  # not UTF-8: kept percent-encoded, a tag it cannot be
        ("/search/?q=caf%C3%A9", 200),
        ("/search/?q=two%0D%0Alines%09tabbed", 200),  # a textarea sent by GET
        ("/search/?q=%25%30%30", 200),  # the text "%00", typed
        ("/tag/apps/", 200),
    ],
)
def test_ordinary_text_still_answers(published, address, status):
    response = Client(raise_request_exception=True).get(address)

    assert response.status_code == status


@pytest.mark.parametrize("address", ["/", "/tag/apps/feed/", "/no-such-page/", "/robots.txt"])
def test_every_response_says_which_browser_features_it_may_use(published, address):
    response = Client().get(address)

    policy = response["Permissions-Policy"]
    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy
    assert "fullscreen=(self)" in policy


def test_pages_from_the_page_cache_carry_the_policy_too(published, page_cache):
    reader = Client()
    reader.get("/tag/apps/")

    hit = reader.get("/tag/apps/")

    assert hit["X-Cache"] == "hit"
    assert "camera=()" in hit["Permissions-Policy"]


def test_admin_pages_carry_the_policy_too(published):
    client = Client()
    client.force_login(StaffFactory(username="boss"))

    assert "camera=()" in client.get("/admin/")["Permissions-Policy"]


@pytest.mark.parametrize(
    "next_address",
    ["", "?next=https://evil.example/", "?next=//evil.example/", "?next=/admin/posts/post/"],
)
def test_a_login_lands_in_the_admin_or_where_it_was_going_on_this_site(next_address):
    StaffFactory(username="boss")
    client = Client()

    response = client.post(
        f"/admin/login/{next_address}",
        {"username": "boss", "password": "correct horse battery staple"},
    )

    assert response.status_code == 302
    expected = "/admin/posts/post/" if "posts" in next_address else "/admin/"
    assert response["Location"] == expected
    assert client.get(response["Location"]).status_code == 200
