from pathlib import Path

import pytest
from django.contrib.auth.models import Permission

from blog.media import usage
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _image_settings(settings):
    """The documented defaults, whatever the environment says."""
    settings.BLOG_IMAGE_MAX_BYTES = 10 * 1024 * 1024
    settings.BLOG_IMAGE_MAX_PIXELS = 40_000_000
    settings.BLOG_IMAGE_MAX_FRAMES = 300
    settings.BLOG_IMAGE_MAX_ANIMATION_PIXELS = 8_000_000
    settings.BLOG_IMAGE_WIDTHS = [480, 800, 1200, 1600]


@pytest.fixture
def stored_files(settings):
    """Lists every file under MEDIA_ROOT, as paths relative to it."""

    def files():
        root = Path(settings.MEDIA_ROOT)
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())

    return files


def staff_with(*codenames, username="staffer"):
    user = UserFactory(username=username, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="media", codename__in=codenames)
    )
    return user


@pytest.fixture
def author(db):
    """What the Author role may do with images: view, add, change (not delete)."""
    return staff_with("view_image", "add_image", "change_image", username="anne-author")


@pytest.fixture
def editor(db):
    return staff_with(
        "view_image", "add_image", "change_image", "delete_image", username="ed-editor"
    )


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def finder():
    """A usage finder the test controls: ``finder.uses[image.pk] = [(label, url)]``."""

    def find(image):
        return find.uses.get(image.pk, [])

    find.uses = {}
    usage.register(find)
    yield find
    usage.unregister(find)
