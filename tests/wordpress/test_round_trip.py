"""
The round trip: WordPress's theme unit test export imported, exported again
with ``export_wxr``, and the export imported into an empty database must give
the same site: content, statuses, dates, threads, taxonomy and menus.

Both states are compared as a canonical dump of plain data, with no database
ids in it (the second import numbers everything anew): posts and pages by
slug or path, comments by their content and their parent's, menus as trees.
"""

import datetime
import importlib.util
import io
import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage
from taggit.models import Tag

from blog import markup
from blog.accounts.models import User
from blog.categories.models import Category
from blog.comments.models import Comment
from blog.media.models import Image
from blog.pages.models import Menu, MenuItem
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests.factories import CategoryFactory, CommentFactory, PageFactory, PostFactory, UserFactory

SITE = "https://new.example.com"
THEME_DATA = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "wxr"
    / "themeunittestdata.wordpress.xml"
)
HAS_IMPORTER = importlib.util.find_spec("blog.wordpress.importer") is not None

pytestmark = pytest.mark.skipif(
    not HAS_IMPORTER, reason="the importer (blog.wordpress.importer) is not there yet"
)
needs_theme_data = pytest.mark.skipif(
    not THEME_DATA.exists(),
    reason=f"WordPress's theme unit test export is not at {THEME_DATA} (../shared is absent)",
)


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
            "featured_image": post.featured_image.alt_text if post.featured_image else None,
            "categories": sorted(post.categories.values_list("slug", flat=True)),
            "tags": sorted(post.tags.values_list("slug", flat=True)),
            "comments": _comments(post),
            # Old slugs keep answering (the paths around them are each site's own).
            "old_slugs": sorted(
                {
                    [part for part in redirect.old_path.split("/") if part][-1]
                    for redirect in post.redirects.all()
                }
                - {post.slug}
            ),
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


def export_and_empty_the_site():
    """The site as our WXR export (bytes); then every row is gone, as on a new site."""
    exported = io.StringIO()
    call_command("export_wxr", stdout=exported, stderr=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    assert not Post.any_kind.exists() and not Comment.objects.exists()
    return exported.getvalue().encode("utf-8")


@needs_theme_data
@pytest.mark.django_db(transaction=True)
def test_importing_our_export_into_an_empty_site_gives_the_same_site(settings):
    from blog.wordpress.importer import import_wxr

    settings.BLOG_SITE_URL = SITE
    import_wxr(THEME_DATA)
    before = canonical_dump()
    # The file is WordPress's: every kind of thing must be there to compare.
    assert before["counts"]["posts"] > 30 and before["counts"]["pages"] > 5
    assert before["counts"]["comments"] > 20 and before["counts"]["menu items"] > 20
    assert any(c[3] for c in before["categories"]), "no category with a parent"
    assert any(c["parent"] for p in before["posts"].values() for c in p["comments"])

    exported = export_and_empty_the_site()
    import_wxr(io.BytesIO(exported))
    after = canonical_dump()

    differences = _differences(before, after)
    assert not differences, "\n".join(differences[:40])


def _whole_seconds(moment):
    return moment.replace(microsecond=0)


def made_here():
    """A site written here: Markdown and HTML posts, a page tree, a thread, menus, an image."""
    now = _whole_seconds(timezone.now())
    author = UserFactory(username="maria", display_name="Maria Keller", first_name="Maria")
    marketing = CategoryFactory(name="Marketing", slug="marketing", description="All of it")
    email = CategoryFactory(name="Email", slug="email", parent=marketing)
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "teal").save(buffer, "PNG")
    image = Image.objects.create_from_file(
        ContentFile(buffer.getvalue(), name="teal.png"), alt_text="A teal square", caption="Teal"
    )
    post = PostFactory(
        title="Markdown with an image",
        author=author,
        body=f"## A heading\n\nSome *text* and a [link](/about/).\n\n![A teal square]({image.url})",
        excerpt="The summary",
        published_at=now - datetime.timedelta(days=3),
        sticky=True,
        featured_image=image,
        categories=[email],
        tags=["apps", "news"],
    )
    PostFactory(
        title="Scheduled in HTML",
        author=author,
        body='[caption width="300"]A caption[/caption]\n\nTwo <em>paragraphs</em>.',
        body_format=Post.BodyFormat.HTML,
        published_at=now + datetime.timedelta(days=2),
        comment_mode=Post.CommentMode.CLOSED,
        categories=[marketing],
    )
    PostFactory(
        title="A protected draft",
        body="Only for friends.",
        status=Post.Status.DRAFT,
        published_at=now - datetime.timedelta(days=1),
        password="s3cret",
    )
    renamed = PostFactory(
        title="Renamed", slug="old-name", body="Moved.", published_at=now - datetime.timedelta(1)
    )
    renamed.slug = "new-name"
    renamed.save()
    about = PageFactory(title="About", slug="about", author=author, menu_order=2, published_at=now)
    team = PageFactory(title="Team", slug="team", parent=about, author=author, published_at=now)
    first = CommentFactory(post=post, name="Ann", body="First!")
    CommentFactory(post=post, name="Bob", body="A reply", parent=first)
    CommentFactory(post=post, name="Pat", body="Waiting", status=Comment.Status.PENDING)
    CommentFactory(post=post, name="Spam", body="Buy now", status=Comment.Status.SPAM)
    CommentFactory(post=post, name="A blog", body="Linked", kind=Comment.Kind.PINGBACK, email="")
    CommentFactory(post=team, name="Cy", body="On a page")
    for n, comment in enumerate(Comment.objects.order_by("pk")):
        Comment.objects.filter(pk=comment.pk).update(created_at=now - datetime.timedelta(hours=n))
    menu = Menu.objects.create(name="Header")
    top = MenuItem.objects.create(menu=menu, page=about, order=1)
    MenuItem.objects.create(menu=menu, parent=top, page=team, order=1)
    MenuItem.objects.create(menu=menu, parent=top, category=email, label="Email tips", order=2)
    MenuItem.objects.create(menu=menu, post=post, order=2)
    MenuItem.objects.create(menu=menu, tag=post.tags.get(slug="apps"), order=3)
    MenuItem.objects.create(menu=menu, url="https://example.org/", label="Elsewhere", order=4)
    footer = Menu.objects.create(name="Footer")
    MenuItem.objects.create(menu=footer, page=about)
    SiteSettings.objects.update_or_create(pk=1, defaults={"header_menu": menu})
    return image


@pytest.mark.django_db(transaction=True)
def test_a_site_made_here_survives_export_and_import_with_its_media(settings, tmp_path):
    from blog.wordpress.importer import import_wxr

    settings.BLOG_SITE_URL = SITE
    made_here()
    before = canonical_dump()
    assert before["posts"][("post", "markdown-with-an-image")]["featured_image"] == "A teal square"
    assert before["posts"][("post", "new-name")]["old_slugs"] == ["old-name"]

    exported = export_and_empty_the_site()
    # The old uploads folder, as a site owner copies it; this site's media starts empty.
    uploads = tmp_path / "uploads"
    shutil.copytree(settings.MEDIA_ROOT, uploads)
    shutil.rmtree(settings.MEDIA_ROOT)
    import_wxr(io.BytesIO(exported), media_dir=uploads)
    after = canonical_dump()

    differences = _differences(before, after)
    assert not differences, "\n".join(differences[:40])
    # The image came in as a library image, and the body shows it from here.
    image = Image.objects.get()
    assert (Path(settings.MEDIA_ROOT) / image.file.name).is_file()
    post = Post.objects.get(slug="markdown-with-an-image")
    assert post.featured_image == image
    assert f'src="{image.url}"' in post.body
    assert f"{SITE}/media/" not in post.body
