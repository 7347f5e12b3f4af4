"""
The round trip: WordPress's theme unit test export imported, exported again
with ``export_wxr``, and the export imported into an empty database must give
the same site: content, statuses, dates, threads, taxonomy and menus.

Both states are compared as a canonical dump of plain data, with no database
ids in it (the second import numbers everything anew): posts and pages by
slug or path, comments by their content and their parent's, menus as trees.
"""

import importlib.util
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from taggit.models import Tag

from blog import markup
from blog.accounts.models import User
from blog.categories.models import Category
from blog.comments.models import Comment
from blog.pages.models import Menu, MenuItem
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings

THEME_DATA = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "wxr"
    / "themeunittestdata.wordpress.xml"
)
HAS_IMPORTER = importlib.util.find_spec("blog.wordpress.importer") is not None

pytestmark = [
    pytest.mark.skipif(
        not THEME_DATA.exists(),
        reason=f"WordPress's theme unit test export is not at {THEME_DATA} (../shared is absent)",
    ),
    pytest.mark.skipif(
        not HAS_IMPORTER, reason="the importer (blog.wordpress.importer) is not there yet"
    ),
]


def _comment_key(comment):
    return (comment.created_at.isoformat(), comment.name, comment.body)


def _comments(post):
    comments = list(post.comments.select_related("user", "parent").order_by("created_at", "pk"))
    return sorted(
        (
            {
                "kind": c.kind,
                "status": c.status,
                "name": c.name,
                "email": c.email,
                "url": c.url,
                "ip": c.ip,
                "user": c.user.username if c.user else None,
                "body": c.body,
                "created_at": c.created_at.isoformat(),
                # The thread, by the content of the comment answered.
                "parent": _comment_key(c.parent) if c.parent else None,
            }
            for c in comments
        ),
        key=lambda c: (c["created_at"], c["name"], c["body"]),
    )


def _post_key(post):
    return (post.kind, post.path if post.kind == Post.Kind.PAGE else post.slug)


def _menu_tree(items, parent=None):
    def target(item):
        if item.page_id:
            return ("page", item.page.path)
        if item.post_id:
            return ("post", item.post.slug)
        if item.category_id:
            return ("category", item.category.slug)
        if item.tag_id:
            return ("tag", item.tag.slug)
        return ("url", item.url)

    # Siblings in the order the menu shows them; the numbers themselves may differ.
    return [
        (item.label, target(item), _menu_tree(items, item.pk))
        for item in sorted(items, key=lambda i: (i.order, i.pk))
        if item.parent_id == parent
    ]


def canonical_dump():
    """The site as plain data a reader or an editor would notice, without ids."""
    posts = {}
    for post in Post.any_kind.select_related("author", "parent", "featured_image").order_by("pk"):
        posts[_post_key(post)] = {
            "title": post.title,
            "slug": post.slug,
            "status": post.status,
            "published_at": post.published_at.isoformat() if post.published_at else None,
            "author": post.author.username,
            "text": markup.plain_text(post.body_html),
            "excerpt": post.excerpt,
            "sticky": post.sticky,
            "password": post.password,
            "comment_mode": post.comment_mode,
            "parent": post.parent.path if post.parent else None,
            "menu_order": post.menu_order,
            "featured_image": post.featured_image.file.name if post.featured_image else None,
            "categories": sorted(post.categories.values_list("slug", flat=True)),
            "tags": sorted(post.tags.values_list("slug", flat=True)),
            "comments": _comments(post),
        }
    categories = sorted(
        (c.slug, c.name, c.description, c.parent.slug if c.parent else None)
        for c in Category.objects.select_related("parent")
    )
    items = MenuItem.objects.select_related("page", "post", "category", "tag")
    header = SiteSettings.objects.filter(pk=1).first()
    return {
        "authors": sorted(
            (u.username, u.email, u.display_name, u.first_name, u.last_name)
            for u in User.objects.filter(posts__isnull=False).distinct()
        ),
        "categories": categories,
        "tags": sorted(Tag.objects.values_list("slug", "name")),
        "posts": posts,
        "menus": {
            menu.name: _menu_tree(list(items.filter(menu=menu))) for menu in Menu.objects.all()
        },
        "header_menu": header.header_menu.name if header and header.header_menu else None,
        "counts": {
            "posts": Post.objects.count(),
            "pages": Post.any_kind.filter(kind=Post.Kind.PAGE).count(),
            "comments": Comment.objects.count(),
            "menu items": MenuItem.objects.count(),
        },
    }


def _differences(first, second, where=""):
    """Readable differences between two dumps, for the failure message."""
    if isinstance(first, dict) and isinstance(second, dict):
        found = []
        for key in sorted(set(first) | set(second), key=str):
            if key not in second:
                found.append(f"{where}/{key}: only before the round trip")
            elif key not in first:
                found.append(f"{where}/{key}: only after the round trip")
            else:
                found += _differences(first[key], second[key], f"{where}/{key}")
        return found
    return [] if first == second else [f"{where}: {first!r} != {second!r}"]


@pytest.mark.django_db(transaction=True)
def test_importing_our_export_into_an_empty_site_gives_the_same_site(settings):
    from blog.wordpress.importer import import_wxr

    settings.BLOG_SITE_URL = "https://new.example.com"
    import_wxr(THEME_DATA)
    before = canonical_dump()
    # The file is WordPress's: every kind of thing must be there to compare.
    assert before["counts"]["posts"] > 30 and before["counts"]["pages"] > 5
    assert before["counts"]["comments"] > 20 and before["counts"]["menu items"] > 20
    assert any(c[3] for c in before["categories"]), "no category with a parent"
    assert any(c["parent"] for p in before["posts"].values() for c in p["comments"])

    exported = io.StringIO()
    call_command("export_wxr", stdout=exported, stderr=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    assert not Post.any_kind.exists() and not Comment.objects.exists()

    import_wxr(io.BytesIO(exported.getvalue().encode("utf-8")))
    after = canonical_dump()

    differences = _differences(before, after)
    assert not differences, "\n".join(differences[:40])
