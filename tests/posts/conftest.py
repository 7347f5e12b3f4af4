import pytest
from django.contrib.auth.models import Permission

from tests.factories import CategoryFactory, StaffFactory, UserFactory


@pytest.fixture
def boss():
    """A superuser who reviews and restores."""
    return StaffFactory(username="boss", display_name="The Boss")


@pytest.fixture
def boss_client(client, boss):
    client.force_login(boss)
    return client


@pytest.fixture
def onlooker():
    """Staff who may look at posts, their own included, but not change them."""
    user = UserFactory(username="onlooker", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_post"))
    return user


@pytest.fixture
def onlooker_client(client, onlooker):
    client.force_login(onlooker)
    return client


@pytest.fixture
def categories():
    """Marketing > SEO > Local: a three-level tree, for archives and feeds of child categories."""
    marketing = CategoryFactory(name="Marketing", slug="marketing")
    seo = CategoryFactory(name="SEO", slug="seo", parent=marketing)
    local = CategoryFactory(name="Local", slug="local", parent=seo)
    return marketing, seo, local
