"""The pages admin (page.py) and the menus admin (menu.py)."""

from . import page  # noqa: F401
