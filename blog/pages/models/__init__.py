from .menu import Menu, MenuItem
from .page import Page, PageQuerySet

__all__ = ["Menu", "MenuItem", "Page", "PageQuerySet"]
