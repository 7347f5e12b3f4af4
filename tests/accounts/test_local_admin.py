import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from blog.accounts.management.commands import local_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def password_file(tmp_path, monkeypatch, settings):
    settings.DEBUG = True
    path = tmp_path / ".admin-password"
    monkeypatch.setattr(local_admin, "PASSWORD_FILE", path)
    return path


def login_line(capsys):
    call_command("local_admin")
    return capsys.readouterr().out.strip()


def test_creates_a_superuser_and_prints_a_working_login(password_file, capsys):
    line = login_line(capsys)
    assert line.startswith("Admin: http://127.0.0.1:8000/admin/  user: admin  password: ")
    password = line.rsplit(" ", 1)[1]
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(password)


def test_second_run_prints_the_same_login(password_file, capsys):
    assert login_line(capsys) == login_line(capsys)
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_a_fresh_database_gets_the_saved_password_back(password_file, capsys):
    first = login_line(capsys)
    get_user_model().objects.all().delete()
    assert login_line(capsys) == first


def test_a_password_the_developer_set_is_left_alone(password_file, capsys):
    login_line(capsys)
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("my own choice 123")
    admin.save()
    assert "the one you set" in login_line(capsys)
    admin.refresh_from_db()
    assert admin.check_password("my own choice 123")


def test_refuses_outside_development(password_file, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("local_admin")
    assert not password_file.exists()
