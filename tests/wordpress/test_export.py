"""
``manage.py export_wxr``: the site as WordPress's WXR 1.2, checked field by
field by parsing the output as WordPress's importer would.
"""

import datetime
import gc
import io
import weakref
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PILImage

from blog.comments.models import Comment
from blog.media.models import Image
from blog.pages.models import Menu, MenuItem
from blog.posts.models import Post, PostRedirect
from blog.sitesettings.models import SiteSettings
from blog.wordpress import export
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    PageFactory,
    PostFactory,
    RoleUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://blog.example.com"
WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
EXCERPT = "{http://wordpress.org/export/1.2/excerpt/}"
DC = "{http://purl.org/dc/elements/1.1/}"
WHEN = datetime.datetime(2014, 2, 22, 15, 30, 5, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.BLOG_SITE_URL = SITE + "/"
    SiteSettings.objects.create(title="The Journal", tagline="Notes", time_zone="Europe/Berlin")


def exported():
    out = StringIO()
    call_command("export_wxr", stdout=out, stderr=StringIO())
    return out.getvalue()


def parse(xml):
    # Our own output, in a test: nothing hostile to guard against.
    return ET.fromstring(xml)  # noqa: S314


def channel(xml=None):
    return parse(xml or exported()).find("channel")


def items(root, post_type):
    return {
        int(item.findtext(f"{WP}post_id")): item
        for item in root.iter("item")
        if item.findtext(f"{WP}post_type") == post_type
    }


def metas(item):
    return [
        (meta.findtext(f"{WP}meta_key"), meta.findtext(f"{WP}meta_value"))
        for meta in item.findall(f"{WP}postmeta")
    ]


def terms(item, domain):
    return [
        (category.get("nicename"), category.text)
        for category in item.findall("category")
        if category.get("domain") == domain
    ]


def png_image(**kwargs):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return Image.objects.create_from_file(ContentFile(buffer.getvalue(), name="dot.png"), **kwargs)


def test_the_channel_names_the_site_in_wordpress_namespaces():
    xml = exported()
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8" ?>')
    for prefix, uri in [
        ("excerpt", "http://wordpress.org/export/1.2/excerpt/"),
        ("content", "http://purl.org/rss/1.0/modules/content/"),
        ("wfw", "http://wellformedweb.org/CommentAPI/"),
        ("dc", "http://purl.org/dc/elements/1.1/"),
        ("wp", "http://wordpress.org/export/1.2/"),
    ]:
        assert f'xmlns:{prefix}="{uri}"' in xml
    root = parse(xml)
    assert root.tag == "rss" and root.get("version") == "2.0"
    site = root.find("channel")
    assert site.findtext("title") == "The Journal"
    assert site.findtext("description") == "Notes"
    assert site.findtext("link") == SITE
    assert site.findtext("language") == "en-US"
    assert site.findtext("pubDate").endswith("+0000")
    assert site.findtext(f"{WP}wxr_version") == "1.2"
    assert site.findtext(f"{WP}base_site_url") == SITE
    assert site.findtext(f"{WP}base_blog_url") == SITE


def test_a_post_carries_every_field_wordpress_reads():
    author = UserFactory(username="maria", email="maria@example.com", display_name="Maria K")
    parent = CategoryFactory(name="Marketing", slug="marketing", description="All of it")
    child = CategoryFactory(name="Email", slug="email", parent=parent)
    post = PostFactory(
        title="WhatsApp <crashes> & more",
        slug="whatsapp-crashes",
        author=author,
        body="Hello *world*.\n\n[A link](/about/) and [out](https://example.org/x).",
        excerpt="Short & sweet",
        published_at=WHEN,
        sticky=True,
        categories=[child, parent],
        tags=["apps", "Outages"],
    )
    site = channel()
    item = items(site, "post")[post.pk]
    assert item.findtext("title") == "WhatsApp <crashes> & more"
    assert item.findtext("link") == f"{SITE}/2014/02/22/whatsapp-crashes/"
    assert item.findtext("pubDate") == "Sat, 22 Feb 2014 15:30:05 +0000"
    assert item.findtext(f"{DC}creator") == "maria"
    assert item.find("guid").get("isPermaLink") == "false"
    assert item.findtext("guid") == f"{SITE}/?p={post.pk}"
    # Markdown goes out rendered, with this site's addresses made absolute.
    content = item.findtext(f"{CONTENT}encoded")
    assert "<em>world</em>" in content and "*world*" not in content
    assert f'href="{SITE}/about/"' in content
    assert 'href="https://example.org/x"' in content
    assert item.findtext(f"{EXCERPT}encoded") == "Short & sweet"
    assert item.findtext(f"{WP}post_date") == "2014-02-22 16:30:05"  # Berlin
    assert item.findtext(f"{WP}post_date_gmt") == "2014-02-22 15:30:05"
    assert item.findtext(f"{WP}comment_status") == "open"
    assert item.findtext(f"{WP}post_name") == "whatsapp-crashes"
    assert item.findtext(f"{WP}status") == "publish"
    assert item.findtext(f"{WP}post_parent") == "0"
    assert item.findtext(f"{WP}post_type") == "post"
    assert item.findtext(f"{WP}post_password") == ""
    assert item.findtext(f"{WP}is_sticky") == "1"
    assert terms(item, "category") == [("email", "Email"), ("marketing", "Marketing")]
    assert terms(item, "post_tag") == [("apps", "apps"), ("outages", "Outages")]

    authors = {a.findtext(f"{WP}author_login"): a for a in site.findall(f"{WP}author")}
    maria = authors["maria"]
    assert maria.findtext(f"{WP}author_id") == str(author.pk)
    assert maria.findtext(f"{WP}author_email") == "maria@example.com"
    assert maria.findtext(f"{WP}author_display_name") == "Maria K"

    categories = [
        (
            c.findtext(f"{WP}category_nicename"),
            c.findtext(f"{WP}category_parent"),
            c.findtext(f"{WP}cat_name"),
            c.findtext(f"{WP}category_description"),
        )
        for c in site.findall(f"{WP}category")
    ]
    # Parents before children, the parent named by its slug.
    assert categories == [
        ("marketing", "", "Marketing", "All of it"),
        ("email", "marketing", "Email", None),
    ]
    tags = {
        t.findtext(f"{WP}tag_slug"): t.findtext(f"{WP}tag_name") for t in site.findall(f"{WP}tag")
    }
    assert tags == {"apps": "apps", "outages": "Outages"}


def test_an_html_body_goes_out_as_written_with_its_shortcodes():
    post = PostFactory(
        body='[caption id="a1" width="300"]<img src="/media/a.jpg" srcset="/media/a.jpg 1x, '
        '/media/a-2x.jpg 2x"> A cat[/caption]\n\nSecond paragraph',
        body_format=Post.BodyFormat.HTML,
    )
    content = items(channel(), "post")[post.pk].findtext(f"{CONTENT}encoded")
    assert content.startswith('[caption id="a1" width="300"]<img src="')
    assert f'src="{SITE}/media/a.jpg"' in content
    assert f'srcset="{SITE}/media/a.jpg 1x, {SITE}/media/a-2x.jpg 2x"' in content
    assert content.endswith(" A cat[/caption]\n\nSecond paragraph")


@pytest.mark.parametrize(
    ("status", "when", "expected"),
    [
        (Post.Status.PUBLISHED, -1, "publish"),
        (Post.Status.PUBLISHED, +1, "future"),
        (Post.Status.DRAFT, -1, "draft"),
        (Post.Status.PENDING, -1, "pending"),
        (Post.Status.PRIVATE, -1, "private"),
        (Post.Status.TRASH, -1, "trash"),
    ],
)
def test_statuses_map_to_wordpress_names(now, status, when, expected):
    post = PostFactory(status=status, published_at=now + datetime.timedelta(days=when))
    item = items(channel(), "post")[post.pk]
    assert item.findtext(f"{WP}status") == expected
    if expected in ("publish", "future", "private"):
        assert item.findtext("link").startswith(f"{SITE}/{post.published_at:%Y}/")
    else:
        # WordPress links what is not public by its id, as we do.
        assert item.findtext("link") == f"{SITE}/?p={post.pk}"


def test_an_undated_draft_has_wordpress_zero_gmt_date():
    post = PostFactory(status=Post.Status.DRAFT, published_at=None)
    Post.objects.filter(pk=post.pk).update(created_at=WHEN)
    item = items(channel(), "post")[post.pk]
    assert item.findtext(f"{WP}post_date") == "2014-02-22 16:30:05"
    assert item.findtext(f"{WP}post_date_gmt") == "0000-00-00 00:00:00"


def test_password_comment_mode_and_old_slugs():
    post = PostFactory(
        slug="new-name", password="s3cret", comment_mode=Post.CommentMode.HIDDEN, published_at=WHEN
    )
    PostRedirect.objects.create(old_path="/2014/02/22/old-name/", post=post)
    PostRedirect.objects.create(old_path="/2014/02/21/new-name/", post=post)  # date moved only
    item = items(channel(), "post")[post.pk]
    assert item.findtext(f"{WP}post_password") == "s3cret"
    assert item.findtext(f"{WP}comment_status") == "closed"
    assert ("_wp_old_slug", "old-name") in metas(item)
    assert ("_wp_old_slug", "new-name") not in metas(item)


def test_comments_keep_status_kind_author_and_threads():
    reader = UserFactory(username="reader")
    post = PostFactory()
    first = CommentFactory(post=post, name="Ann", body="First!", user=reader, ip="10.0.0.1")
    reply = CommentFactory(post=post, name="Bob", body="A reply", parent=first)
    CommentFactory(post=post, name="Pending", status=Comment.Status.PENDING)
    CommentFactory(post=post, name="Spammer", status=Comment.Status.SPAM)
    CommentFactory(post=post, name="Binned", status=Comment.Status.TRASH)
    CommentFactory(post=post, name="Other blog", kind=Comment.Kind.PINGBACK, email="")
    Comment.objects.filter(pk=first.pk).update(created_at=WHEN)

    site = channel()
    comments = {
        c.findtext(f"{WP}comment_author"): c
        for c in items(site, "post")[post.pk].findall(f"{WP}comment")
    }
    assert {name: c.findtext(f"{WP}comment_approved") for name, c in comments.items()} == {
        "Ann": "1",
        "Bob": "1",
        "Pending": "0",
        "Spammer": "spam",
        "Binned": "trash",
        "Other blog": "1",
    }
    ann, bob = comments["Ann"], comments["Bob"]
    assert ann.findtext(f"{WP}comment_id") == str(first.pk)
    assert ann.findtext(f"{WP}comment_content") == "First!"
    assert ann.findtext(f"{WP}comment_author_email") == first.email
    assert ann.findtext(f"{WP}comment_author_IP") == "10.0.0.1"
    assert ann.findtext(f"{WP}comment_date") == "2014-02-22 16:30:05"
    assert ann.findtext(f"{WP}comment_date_gmt") == "2014-02-22 15:30:05"
    assert ann.findtext(f"{WP}comment_parent") == "0"
    assert ann.findtext(f"{WP}comment_user_id") == str(reader.pk)
    assert bob.findtext(f"{WP}comment_parent") == str(first.pk)
    assert bob.findtext(f"{WP}comment_user_id") == "0"
    assert ann.findtext(f"{WP}comment_type") == "comment"
    assert comments["Other blog"].findtext(f"{WP}comment_type") == "pingback"
    # A commenting user is an author of the file, so user_id can be matched.
    logins = {a.findtext(f"{WP}author_login") for a in site.findall(f"{WP}author")}
    assert "reader" in logins
    assert reply.pk  # (used above through its parent)


def test_pages_keep_their_tree_and_order():
    about = PageFactory(title="About", slug="about", menu_order=3)
    team = PageFactory(title="Team", slug="team", parent=about, menu_order=1)
    CommentFactory(post=team, body="On a page")
    pages = items(channel(), "page")
    assert set(pages) == {about.pk, team.pk}
    assert pages[about.pk].findtext(f"{WP}menu_order") == "3"
    assert pages[team.pk].findtext(f"{WP}post_parent") == str(about.pk)
    assert pages[team.pk].findtext("link") == f"{SITE}/about/team/"
    assert pages[team.pk].findtext(f"{WP}comment_status") == "closed"
    assert [c.findtext(f"{WP}comment_content") for c in pages[team.pk].findall(f"{WP}comment")] == [
        "On a page"
    ]


def test_menus_become_nav_menu_terms_and_items_with_their_metas():
    page = PageFactory(title="About", slug="about")
    post = PostFactory(title="News")
    category = CategoryFactory(name="Apps", slug="apps")
    post.tags.add("phones")
    menu = Menu.objects.create(name="Main Menu")
    top = MenuItem.objects.create(menu=menu, page=page, order=2)
    MenuItem.objects.create(menu=menu, url="https://example.org/", label="Elsewhere", order=5)
    under = MenuItem.objects.create(menu=menu, parent=top, category=category, label="Apps!")
    MenuItem.objects.create(menu=menu, parent=top, post=post, order=1)
    tag_item = MenuItem.objects.create(menu=menu, tag=post.tags.get(), order=0)

    site = channel()
    [term] = site.findall(f"{WP}term")
    assert term.findtext(f"{WP}term_taxonomy") == "nav_menu"
    assert term.findtext(f"{WP}term_slug") == "main-menu"
    assert term.findtext(f"{WP}term_name") == "Main Menu"

    nav = items(site, "nav_menu_item")
    ordered = sorted(nav.values(), key=lambda i: int(i.findtext(f"{WP}menu_order")))
    described = []
    ids = {}
    for item in ordered:
        meta = dict(metas(item))
        assert terms(item, "nav_menu") == [("main-menu", "Main Menu")]
        ids[int(item.findtext(f"{WP}post_id"))] = (
            item.findtext("title") or meta["_menu_item_object"]
        )
        described.append(
            (
                item.findtext("title"),
                meta["_menu_item_type"],
                meta["_menu_item_object"],
                meta["_menu_item_url"],
                ids.get(int(meta["_menu_item_menu_item_parent"])),
            )
        )
    # Depth first, siblings in order: WordPress's menu_order is the position in the menu.
    assert described == [
        ("", "taxonomy", "post_tag", "", None),
        ("", "post_type", "page", "", None),
        ("Apps!", "taxonomy", "category", "", "page"),
        ("", "post_type", "post", "", "page"),
        ("Elsewhere", "custom", "custom", "https://example.org/", None),
    ]
    # Object ids point at what WordPress will know: the page's and post's ids, the terms'.
    object_ids = {
        dict(metas(i))["_menu_item_object"]: dict(metas(i))["_menu_item_object_id"] for i in ordered
    }
    assert object_ids["page"] == str(page.pk)
    assert object_ids["post"] == str(post.pk)
    assert object_ids["category"] == str(category.pk)
    tag_term = {
        t.findtext(f"{WP}tag_slug"): t.findtext(f"{WP}term_id") for t in site.findall(f"{WP}tag")
    }
    assert object_ids["post_tag"] == tag_term["phones"]
    # Items are numbered after every post and page, never clashing with them.
    assert not set(nav) & {page.pk, post.pk}
    assert under.pk and tag_item.pk


def test_images_are_attachments_and_featured_images_point_at_them():
    image = png_image(alt_text="A teal square", caption="Teal")
    post = PostFactory(featured_image=image, body=f"![A teal square]({image.url})")
    site = channel()
    [attachment] = items(site, "attachment").values()
    attachment_id = attachment.findtext(f"{WP}post_id")
    assert attachment.findtext(f"{WP}attachment_url") == SITE + image.url
    assert attachment.findtext(f"{WP}status") == "inherit"
    assert attachment.findtext(f"{EXCERPT}encoded") == "Teal"
    assert dict(metas(attachment)) == {
        "_wp_attached_file": image.file.name,
        "_wp_attachment_image_alt": "A teal square",
    }
    item = items(site, "post")[post.pk]
    assert ("_thumbnail_id", attachment_id) in metas(item)
    # The body shows the image at the address the attachment gives.
    assert f'src="{SITE}{image.url}"' in item.findtext(f"{CONTENT}encoded")
    assert int(attachment_id) != post.pk


def test_text_that_would_break_xml_goes_out_intact():
    post = PostFactory(
        title="Ends ]]> here \x0b",
        body="<p>Code: <code>a[b[0]]></code> and ]]&gt; too</p>",
        body_format=Post.BodyFormat.HTML,
        slug="επίπεδο",
    )
    item = items(channel(), "post")[post.pk]
    assert item.findtext("title") == "Ends ]]> here "
    assert "<code>a[b[0]]&gt;</code>" in item.findtext(f"{CONTENT}encoded") or "a[b[0]]>" in (
        item.findtext(f"{CONTENT}encoded")
    )
    # WordPress stores non-ASCII slugs percent-encoded, in lower case.
    assert item.findtext(f"{WP}post_name") == "%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf"


def test_the_command_writes_a_file_and_reports_counts(tmp_path):
    post = PostFactory()
    CommentFactory(post=post)
    target = tmp_path / "site.xml"
    err = StringIO()
    call_command("export_wxr", output=str(target), stdout=StringIO(), stderr=err)
    assert items(channel(target.read_text(encoding="utf-8")), "post").keys() == {post.pk}
    assert "1 posts" in err.getvalue() and "1 comments" in err.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["site.xml"]  # no temporary file left


def test_the_export_streams_item_by_item_reading_posts_in_chunks(monkeypatch):
    monkeypatch.setattr(export, "CHUNK_SIZE", 2)
    for n in range(5):
        CommentFactory(post=PostFactory(title=f"Streamed {n}"))
    chunks = iter(export.WXRExport())
    with CaptureQueriesContext(connection) as before:
        next(chunks)
    # The head is written before any post is read.
    assert not any('"posts_post"."body"' in q["sql"] for q in before.captured_queries)
    with CaptureQueriesContext(connection) as during:
        rest = list(chunks)
    # One chunk per item at least, and comments read for 2 + 2 + 1 posts: three times.
    assert sum(chunk.lstrip().startswith("<item>") for chunk in rest) == 5
    comment_reads = [
        q for q in during.captured_queries if '"comments_comment"."post_id" IN' in q["sql"]
    ]
    assert len(comment_reads) == 3


def test_administrators_download_the_export_as_a_stream(client):
    post = PostFactory(title="In the download")
    client.force_login(RoleUserFactory(role="Administrator"))
    # Late evening in UTC is already tomorrow in the site's Berlin: the file
    # is named for the site's day, as every date the site shows is.
    with time_machine.travel(datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)):
        response = client.get(reverse("wordpress_export"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="the-journal.wordpress.2026-12-01.xml"'
    )
    assert "no-cache" in response["Cache-Control"]
    xml = b"".join(response.streaming_content).decode()
    assert items(channel(xml), "post")[post.pk].findtext("title") == "In the download"


def test_only_administrators_may_export(client):
    url = reverse("wordpress_export")
    assert client.get(url).status_code == 302  # to the admin's login
    client.force_login(RoleUserFactory(role="Editor"))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 200


def test_the_imports_list_offers_the_export(client):
    client.force_login(RoleUserFactory(role="Administrator"))
    response = client.get(reverse("admin:wordpress_importjob_changelist"))
    assert response.status_code == 200
    assert f'href="{reverse("wordpress_export")}"' in response.content.decode()


def test_the_header_menu_is_the_first_menu_of_the_file():
    page = PageFactory()
    first, header = Menu.objects.create(name="Footer"), Menu.objects.create(name="Header")
    for menu in (first, header):
        MenuItem.objects.create(menu=menu, page=page)
    SiteSettings.objects.filter(pk=1).update(header_menu=header)
    names = [t.findtext(f"{WP}term_name") for t in channel().findall(f"{WP}term")]
    # Importers (ours among them) make the first menu the header menu.
    assert names == ["Header", "Footer"]


def test_permalinks_are_dated_in_the_sites_time_zone():
    # 23:30 in London is already the next day in Berlin, the site's zone.
    late = datetime.datetime(2014, 2, 22, 23, 30, tzinfo=datetime.UTC)
    post = PostFactory(slug="late-news", published_at=late)
    assert items(channel(), "post")[post.pk].findtext("link") == f"{SITE}/2014/02/23/late-news/"


def test_a_site_title_that_xml_comments_cannot_hold_still_parses():
    SiteSettings.objects.filter(pk=1).update(title="Tips -- & <tricks>")
    assert channel().findtext("title") == "Tips -- & <tricks>"


def test_only_root_relative_addresses_are_made_absolute_and_nothing_else_moves():
    html = (
        "Line\x0cfeed\r\nand <a href='/a?x=1&amp;y=2'>a</a>\n"
        '<img src="//cdn.example/x.png" alt="/not-a-url"> <a href="#top">top</a>\n'
        '<video poster="/p.jpg" src="https://other.example/v.mp4"></video> 1 / 2'
    )
    assert export.absolute_urls(html, SITE) == (
        "Line\x0cfeed\r\nand "
        f'<a href="{SITE}/a?x=1&amp;y=2">a</a>\n'
        '<img src="//cdn.example/x.png" alt="/not-a-url"> <a href="#top">top</a>\n'
        f'<video poster="{SITE}/p.jpg" src="https://other.example/v.mp4"></video> 1 / 2'
    )


def test_an_output_in_a_missing_folder_is_refused_plainly(tmp_path):
    with pytest.raises(CommandError, match="No such folder"):
        call_command("export_wxr", output=str(tmp_path / "nowhere" / "site.xml"))


def test_posts_already_written_are_freed_at_once(monkeypatch):
    """Memory stays flat: a written chunk is freed without waiting for the garbage collector."""
    monkeypatch.setattr(export, "CHUNK_SIZE", 2)
    for n in range(6):
        CommentFactory(post=PostFactory(title=f"Freed {n}"))
        PostRedirect.objects.create(
            old_path=f"/old-{n}/", post=Post.objects.get(title=f"Freed {n}")
        )
    written = []
    make_item = export.WXRExport._post

    def recording(self, post):
        written.append(weakref.ref(post))
        return make_item(self, post)

    monkeypatch.setattr(export.WXRExport, "_post", recording)
    gc.disable()
    try:
        alive_after = []
        for chunk in export.WXRExport():
            if chunk.lstrip().startswith("<item>") and len(written) == 5:
                # Writing the third chunk: the first two chunks' posts are gone.
                alive_after = [ref() is not None for ref in written[:4]]
    finally:
        gc.enable()
    assert len(written) == 6
    assert alive_after == [False, False, False, False]


def test_standard_output_gets_utf8_whatever_the_terminal_encoding():
    PostFactory(title="Ελληνικά – a title")
    terminal = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    call_command("export_wxr", stdout=terminal, stderr=StringIO())
    xml = terminal.buffer.getvalue().decode("utf-8")
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8" ?>')
    assert [i.findtext("title") for i in items(channel(xml), "post").values()] == [
        "Ελληνικά – a title"
    ]
