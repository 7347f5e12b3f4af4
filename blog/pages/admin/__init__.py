"""The pages admin (page.py) and the menus admin (menu.py)."""

from . import menu, page  # noqa: F401
