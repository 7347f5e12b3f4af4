"""An import changes thousands of rows: the page cache is made fresh once, at the end."""

import pytest

from blog.pagecache import signals, versions
from blog.wordpress.importer import import_wxr
from tests.factories import PostFactory
from tests.wordpress.wxr_builder import item, write, wxr

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def test_no_row_is_worked_out_while_held_and_every_page_is_fresh_after(client, monkeypatch):
    post = PostFactory(title="Already here")
    client.get(post.get_absolute_url())
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    assert client.get(post.get_absolute_url())["X-Cache"] == "hit"

    worked_out = []
    real_keys = signals._post_keys
    monkeypatch.setattr(signals, "_post_keys", lambda p: worked_out.append(p) or real_keys(p))
    with versions.bulk_change():
        PostFactory.create_batch(3)
        assert worked_out == []
        # Pages still serve what they had until the change is over.
        assert client.get(post.get_absolute_url())["X-Cache"] == "hit"

    assert client.get(post.get_absolute_url())["X-Cache"] == "miss"
    assert client.get("/")["X-Cache"] == "miss"


def test_an_import_makes_the_home_page_fresh(client, tmp_path):
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    import_wxr(write(tmp_path, wxr([item(101, "Moved in from WordPress")])))
    response = client.get("/")
    assert response["X-Cache"] == "miss"
    assert "Moved in from WordPress" in response.text
