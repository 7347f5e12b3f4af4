from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PagesConfig(AppConfig):
    name = "blog.pages"
    label = "pages"
    verbose_name = "Pages and menus"

    def ready(self):
        from taggit.models import Tag

        from blog.categories.models import Category
        from blog.posts.models import post_models
        from blog.sitesettings.models import SiteSettings

        from .menus import forget_header_menu_choice, forget_menus
        from .models import Menu, MenuItem

        # Whatever a menu shows (titles, slugs, status, the header menu
        # choice) changes with these; pages are a proxy of Post, which
        # signals name as their sender, so each model connects on its own.
        watched = [Menu, MenuItem, *post_models(), Category, Tag, SiteSettings]
        for model in watched:
            name = f"{model._meta.label}"
            for signal, kind in ((post_save, "saved"), (post_delete, "deleted")):
                signal.connect(forget_menus, sender=model, dispatch_uid=f"menus.{kind}.{name}")
        post_delete.connect(
            forget_header_menu_choice, sender=Menu, dispatch_uid="menus.deleted.header_choice"
        )
