"""
Small WXR files for the importer's tests, built as strings.

``wxr(items=[...], authors=..., categories=..., ...)`` writes a whole file;
``item(...)`` one ``<item>`` and ``comment(...)`` one ``<wp:comment>``.
Values go in CDATA as WordPress writes them.
"""

from pathlib import Path

THEME_UNIT_TEST = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "wxr"
    / "themeunittestdata.wordpress.xml"
)

NAMESPACE = "http://wordpress.org/export/1.2/"


def cdata(value):
    return f"<![CDATA[{value}]]>"


def author(login="wpwriter", *, wp_id=2, email=None, display="Wendy Writer", first="", last=""):
    email = email if email is not None else f"{login}@old.example.com"
    return f"""
  <wp:author>
    <wp:author_id>{wp_id}</wp:author_id>
    <wp:author_login>{cdata(login)}</wp:author_login>
    <wp:author_email>{cdata(email)}</wp:author_email>
    <wp:author_display_name>{cdata(display)}</wp:author_display_name>
    <wp:author_first_name>{cdata(first)}</wp:author_first_name>
    <wp:author_last_name>{cdata(last)}</wp:author_last_name>
  </wp:author>"""


def category(slug, name=None, *, term_id, parent="", description=""):
    return f"""
  <wp:category>
    <wp:term_id>{term_id}</wp:term_id>
    <wp:category_nicename>{cdata(slug)}</wp:category_nicename>
    <wp:category_parent>{cdata(parent)}</wp:category_parent>
    <wp:cat_name>{cdata(name or slug.title())}</wp:cat_name>
    <wp:category_description>{cdata(description)}</wp:category_description>
  </wp:category>"""


def tag(slug, name=None, *, term_id):
    return f"""
  <wp:tag>
    <wp:term_id>{term_id}</wp:term_id>
    <wp:tag_slug>{cdata(slug)}</wp:tag_slug>
    <wp:tag_name>{cdata(name or slug)}</wp:tag_name>
  </wp:tag>"""


def term(slug, name, *, term_id, taxonomy):
    return f"""
  <wp:term>
    <wp:term_id>{term_id}</wp:term_id>
    <wp:term_taxonomy>{cdata(taxonomy)}</wp:term_taxonomy>
    <wp:term_slug>{cdata(slug)}</wp:term_slug>
    <wp:term_name>{cdata(name)}</wp:term_name>
  </wp:term>"""


def comment(
    wp_id,
    body="A comment.",
    *,
    parent=0,
    approved="1",
    kind="",
    name="Reader",
    email="reader@example.com",
    url="",
    date="2014-02-23 10:00:00",
    user_id=0,
    ip="192.0.2.1",
    agent="",
):
    # WordPress's own export leaves the user agent out; some tools (and ours) write it.
    agent_xml = f"\n      <wp:comment_agent>{cdata(agent)}</wp:comment_agent>" if agent else ""
    return f"""
    <wp:comment>
      <wp:comment_id>{wp_id}</wp:comment_id>
      <wp:comment_author>{cdata(name)}</wp:comment_author>
      <wp:comment_author_email>{cdata(email)}</wp:comment_author_email>
      <wp:comment_author_url>{cdata(url)}</wp:comment_author_url>
      <wp:comment_author_IP>{cdata(ip)}</wp:comment_author_IP>{agent_xml}
      <wp:comment_date>{cdata(date)}</wp:comment_date>
      <wp:comment_date_gmt>{cdata(date)}</wp:comment_date_gmt>
      <wp:comment_content>{cdata(body)}</wp:comment_content>
      <wp:comment_approved>{cdata(approved)}</wp:comment_approved>
      <wp:comment_type>{cdata(kind)}</wp:comment_type>
      <wp:comment_parent>{parent}</wp:comment_parent>
      <wp:comment_user_id>{user_id}</wp:comment_user_id>
    </wp:comment>"""


def item(
    wp_id,
    title="A post",
    *,
    body="<p>Hello.</p>",
    slug=None,
    post_type="post",
    status="publish",
    date="2014-02-22 10:00:00",
    date_gmt=None,
    creator="wpwriter",
    parent=0,
    menu_order=0,
    password="",
    sticky=False,
    comment_status="open",
    excerpt="",
    link=None,
    terms=(),
    meta=(),
    comments=(),
    attachment_url=None,
):
    slug = slug if slug is not None else title.lower().replace(" ", "-")
    date_gmt = date if date_gmt is None else date_gmt
    link = link if link is not None else f"https://old.example.com/{slug}/"
    terms_xml = "".join(
        f'\n    <category domain="{domain}" nicename="{nicename}">{cdata(name)}</category>'
        for domain, nicename, name in terms
    )
    meta_xml = "".join(
        f"""
    <wp:postmeta>
      <wp:meta_key>{cdata(key)}</wp:meta_key>
      <wp:meta_value>{cdata(value)}</wp:meta_value>
    </wp:postmeta>"""
        for key, value in meta
    )
    attachment = (
        f"\n    <wp:attachment_url>{cdata(attachment_url)}</wp:attachment_url>"
        if attachment_url
        else ""
    )
    return f"""
  <item>
    <title>{cdata(title)}</title>
    <link>{link}</link>
    <dc:creator>{cdata(creator)}</dc:creator>
    <guid isPermaLink="false">https://old.example.com/?p={wp_id}</guid>
    <description></description>
    <content:encoded>{cdata(body)}</content:encoded>
    <excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
    <wp:post_id>{wp_id}</wp:post_id>
    <wp:post_date>{cdata(date)}</wp:post_date>
    <wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>
    <wp:comment_status>{cdata(comment_status)}</wp:comment_status>
    <wp:ping_status>{cdata("open")}</wp:ping_status>
    <wp:post_name>{cdata(slug)}</wp:post_name>
    <wp:status>{cdata(status)}</wp:status>
    <wp:post_parent>{parent}</wp:post_parent>
    <wp:menu_order>{menu_order}</wp:menu_order>
    <wp:post_type>{cdata(post_type)}</wp:post_type>
    <wp:post_password>{cdata(password)}</wp:post_password>
    <wp:is_sticky>{1 if sticky else 0}</wp:is_sticky>{attachment}{terms_xml}{meta_xml}{
        "".join(comments)
    }
  </item>"""


def wxr(
    items=(),
    *,
    authors=None,
    categories=(),
    tags=(),
    terms=(),
    site="https://old.example.com",
    namespace=NAMESPACE,
    version="1.2",
):
    authors = [author()] if authors is None else authors
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
  xmlns:excerpt="{namespace}excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="{namespace}">
<channel>
  <title>Old blog</title>
  <link>{site}</link>
  <wp:wxr_version>{version}</wp:wxr_version>
  <wp:base_site_url>{site}</wp:base_site_url>
  <wp:base_blog_url>{site}</wp:base_blog_url>{"".join(authors)}{"".join(categories)}{"".join(tags)}{
        "".join(terms)
    }{"".join(items)}
</channel>
</rss>
"""


def write(tmp_path, text, name="export.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
