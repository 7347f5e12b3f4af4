import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory, category_tree


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
    return category_tree()
