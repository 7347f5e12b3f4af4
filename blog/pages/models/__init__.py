from .page import Page, PageQuerySet

__all__ = ["Page", "PageQuerySet"]
