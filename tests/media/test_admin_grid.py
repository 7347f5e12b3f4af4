"""
The media library where authors work: the grid's drop zone, and the featured
image picked from thumbnails in the post and page forms.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from blog.media import widgets
from blog.posts.models import Post
from tests.factories import PostFactory, RoleUserFactory, StaffFactory
from tests.helpers import one, page
from tests.media.factories import ImageFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:media_image_changelist")


def picker_values(response):
    return [radio["value"] for radio in page(response).select(".image-picker input[type=radio]")]


def test_the_grid_offers_a_drop_zone_to_those_who_may_upload(author_client, author):
    ImageFactory(uploaded_by=author)
    response = author_client.get(CHANGELIST)
    zone = one(page(response), ".media-dropzone")
    assert zone["data-upload-url"] == reverse("admin:media_image_upload")
    # Hidden until the script shows it; "Add image" is the way without it.
    assert zone.has_attr("hidden")
    assert "media-grid-view" in one(page(response), "body")["class"]
    assert one(zone, "input[name=csrfmiddlewaretoken]")


def test_no_drop_zone_for_those_who_may_only_look(client):
    viewer = StaffFactory(username="viewer", is_superuser=False)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_image"))
    client.force_login(viewer)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert page(response).select(".media-dropzone") == []


def test_the_post_form_picks_the_featured_image_from_thumbnails(client):
    ann = RoleUserFactory(username="ann", role="Author")
    client.force_login(ann)
    images = [ImageFactory(alt_text=f"Picture {n}") for n in range(3)]
    post = PostFactory(author=ann, featured_image=images[0])
    response = client.get(reverse("admin:posts_post_change", args=[post.pk]))
    soup = page(response)
    assert soup.select("select[name=featured_image]") == []
    # "None", then the chosen one first (checked), then the newest others.
    assert picker_values(response) == ["", str(images[0].pk), str(images[2].pk), str(images[1].pk)]
    chosen = one(soup, f".image-picker input[value='{images[0].pk}']")
    assert chosen.has_attr("checked")
    label = one(soup, f"label[for='{chosen['id']}']")
    assert label.select_one("img")["src"] == images[0].thumbnail().url
    assert "Picture 0" in label.get_text()
    picker = one(soup, ".image-picker")
    assert picker["data-library-url"] == reverse("admin:media_image_library")
    assert picker["data-upload-url"] == reverse("admin:media_image_upload")


def test_the_picker_shows_the_newest_few_and_the_chosen_one_however_old(client, monkeypatch):
    monkeypatch.setattr(widgets, "SHOWN", 2)
    client.force_login(StaffFactory(username="boss"))
    oldest, *_, newest = [ImageFactory(alt_text=f"Picture {n}") for n in range(4)]
    post = PostFactory(featured_image=oldest)
    values = picker_values(client.get(reverse("admin:posts_post_change", args=[post.pk])))
    assert values[:2] == ["", str(oldest.pk)]
    assert len(values) == 4
    assert values[2] == str(newest.pk)


def test_choosing_a_featured_image_saves_it_and_none_clears_it(client):
    boss = StaffFactory(username="boss")
    client.force_login(boss)
    image = ImageFactory()
    post = PostFactory(author=boss, status=Post.Status.DRAFT, published_at=None)
    url = reverse("admin:posts_post_change", args=[post.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        title=post.title,
        slug=post.slug,
        body=post.body,
        author=boss.pk,
        categories=[],
        tags="",
        featured_image=str(image.pk),
        _save_draft="Save draft",
    )
    data.pop("published_at", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    post.refresh_from_db()
    assert post.featured_image == image
    data["featured_image"] = ""
    client.post(url, data)
    post.refresh_from_db()
    assert post.featured_image is None


def test_a_contributor_sees_no_library_in_the_picker(client):
    writer = RoleUserFactory(username="writer", role="Contributor")
    client.force_login(writer)
    ImageFactory.create_batch(2)
    post = PostFactory(author=writer, status=Post.Status.DRAFT, published_at=None)
    response = client.get(reverse("admin:posts_post_change", args=[post.pk]))
    assert picker_values(response) == [""]
    picker = one(page(response), ".image-picker")
    assert picker["data-library-url"] == ""
    assert "for Authors and up" in picker.get_text()


def test_the_page_form_has_the_picker_too(client):
    client.force_login(StaffFactory(username="boss"))
    ImageFactory()
    response = client.get(reverse("admin:pages_page_add"))
    assert len(picker_values(response)) == 2
