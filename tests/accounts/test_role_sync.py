import pytest
from django.contrib.auth.models import Group, Permission

from blog.accounts.roles import ADMINISTRATOR

pytestmark = pytest.mark.django_db


def test_administrators_hold_every_permission_of_every_app_after_migrate():
    # Apps without models at the end of INSTALLED_APPS get no post_migrate
    # signal: the roles must still be synced after the last app that does.
    administrator = Group.objects.get(name=ADMINISTRATOR)

    assert administrator.permissions.count() == Permission.objects.count()
    assert administrator.permissions.filter(content_type__app_label="axes").exists()
