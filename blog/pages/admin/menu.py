"""
Menus in the admin, for Editors and Administrators: a menu's items in a
table (label, target, parent, order), its tree read-only above them, and a
"Use as header menu" box, so Editors, who cannot open the site settings,
choose the header menu too.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, format_html_join

from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings

from ..models import Menu, MenuItem

TARGET_SELECT = ("page", "post", "category__parent__parent", "tag")


def choose_header_menu(menu, use):
    """Make ``menu`` the header menu, or stop it being one; returns whether anything changed."""
    with transaction.atomic():
        site = SiteSettings.objects.select_for_update().get_or_create(pk=1)[0]
        if use and site.header_menu_id != menu.pk:
            site.header_menu = menu
        elif not use and site.header_menu_id == menu.pk:
            site.header_menu = None
        else:
            return False
        site.save(update_fields=["header_menu"])
    return True


class MenuItemFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "parent" in form.fields:
            # Only items of this menu, and only once it is saved.
            parents = MenuItem.objects.none()
            if self.instance.pk is not None:
                parents = MenuItem.objects.filter(menu=self.instance).select_related(*TARGET_SELECT)
            form.fields["parent"].queryset = parents

    def clean(self):
        """Items moved in one go must not end up under each other (A under B under A)."""
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        parents = dict(MenuItem.objects.filter(menu=self.instance).values_list("pk", "parent_id"))
        for form in self.forms:
            if form.instance.pk is None or not hasattr(form, "cleaned_data"):
                continue
            parent = form.cleaned_data.get("parent")
            parents[form.instance.pk] = parent.pk if parent else None
        for start in parents:
            node, seen = parents[start], {start}
            while node is not None:
                if node in seen:
                    raise ValidationError(
                        "These parents would put items under their own sub-items. "
                        "Choose parents higher up the menu."
                    )
                seen.add(node)
                node = parents.get(node)


class MenuItemInline(admin.TabularInline):
    model = MenuItem
    formset = MenuItemFormSet
    fk_name = "menu"
    fields = ("label", "page", "post", "category", "tag", "url", "parent", "order")
    autocomplete_fields = ("page", "post", "category", "tag")
    extra = 1
    verbose_name_plural = "items (each links to one page, post, category, tag or custom URL)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*TARGET_SELECT)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # No add/change/view icons beside each target: the table fits the page.
        for name in ("can_add_related", "can_change_related", "can_view_related"):
            if field is not None and hasattr(field.widget, name):
                setattr(field.widget, name, False)
        return field


class MenuAdminForm(forms.ModelForm):
    use_as_header = forms.BooleanField(
        label="Use as header menu",
        required=False,
        help_text="Show this menu in the site's header. Unticked on the header menu, "
        "the header lists the published top-level pages.",
    )

    class Meta:
        model = Menu
        fields = ["name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            current = SiteSettings.current().header_menu_id
            self.fields["use_as_header"].initial = current == self.instance.pk


@admin.register(Menu)
class MenuAdmin(admin.ModelAdmin):
    form = MenuAdminForm
    inlines = [MenuItemInline]
    fields = ("name", "use_as_header", "tree")
    readonly_fields = ("tree",)
    list_display = ("name", "item_count", "is_header_menu")
    search_fields = ("name",)
    actions = ("use_as_header_menu",)

    class Media:
        css = {"all": ["css/admin/menus.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description="items", ordering="item_count")
    def item_count(self, menu):
        return menu.item_count

    @admin.display(description="header menu", boolean=True)
    def is_header_menu(self, menu):
        return menu.pk == SiteSettings.current().header_menu_id

    @admin.display(description="as the header shows it")
    def tree(self, menu):
        if menu.pk is None:
            return "Save the menu to see its tree."
        items = list(
            MenuItem.objects.filter(menu=menu)
            .select_related(*TARGET_SELECT)
            .order_by("order", "pk")
        )
        if not items:
            return "No items yet: add them below."
        children = {}
        for item in items:
            children.setdefault(item.parent_id, []).append(item)
        return _tree_html(children, None, set())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "use_as_header" in form.changed_data or not change:
            choose_header_menu(obj, form.cleaned_data.get("use_as_header", False))

    @admin.action(description="Use as header menu", permissions=["change"])
    def use_as_header_menu(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose one menu for the header.", messages.WARNING)
            return
        menu = queryset.get()
        choose_header_menu(menu, True)
        self.message_user(request, f"The header now shows the menu “{menu}”.", messages.SUCCESS)


def _tree_html(children, parent_id, seen):
    rows = []
    for item in children.get(parent_id, []):
        if item.pk in seen:  # a loop saved past clean() must not hang the page
            continue
        seen.add(item.pk)
        rows.append((item.display_label, _describe(item), _tree_html(children, item.pk, seen)))
    if not rows:
        return ""
    return format_html(
        '<ul class="menu-tree">{}</ul>',
        format_html_join("", "<li><strong>{}</strong> <small>{}</small>{}</li>", rows),
    )


def _describe(item):
    """What an item links to, for the tree: "page /about/", "hidden: draft"..."""
    target = item.target
    if target is None:
        return f"→ {item.url}"
    kind = "page" if getattr(target, "kind", "") == "page" else target._meta.verbose_name
    where = f"{kind} {item.get_target_url()}"
    if isinstance(target, Post) and not target.is_published:
        state = "scheduled" if target.is_scheduled else target.get_status_display().lower()
        return f"→ {where} (hidden: {state})"
    return f"→ {where}"
