"""
The query budget of public pages, in one place.

Every page reads the site settings once (cached in production, not in
tests) and renders the sidebar; pages add their own queries on top. Tests
assert exact numbers built from these, so a widget that adds a query changes
one constant here and every page's test follows.
"""

SITE_SETTINGS = 1
# The header menu on every HTML page: the chosen menu's items with their
# targets, or else the published top-level pages, in one query however many
# (blog/pages/menus.py; cached in production, not in tests).
HEADER_MENU = 1
# Recent posts, recent comments with their posts, monthly archives, category
# tree with counts, tag cloud: one query each; and, to cache the rendered
# sidebar no longer than until the next scheduled post, that post's time
# (blog/pagecache/fragments.py). With the cache warm the sidebar costs none.
SIDEBAR = 5 + 1
# The previous and next published posts, in one query; shown on every
# published article, locked or not.
ADJACENT_POSTS = 1
# Up to three related posts; not on locked posts or previews. Read in the
# adjacent posts' query (PostQuerySet.neighbours_and_related): no query of their own.
RELATED_POSTS = 0
# Post with author, its categories with parents, its tags, approved comments,
# plus the adjacent and related posts.
ARTICLE = SITE_SETTINGS + HEADER_MENU + 4 + ADJACENT_POSTS + RELATED_POSTS + SIDEBAR
# Paginator count, page of posts with authors, categories with parents,
# comment counts (summaries show no tags, so none are read).
LIST = SITE_SETTINGS + HEADER_MENU + 4 + SIDEBAR
# Archives also look up their category, tag or author; date archives instead
# check that the period has posts (an empty one is a 404).
ARCHIVE = LIST + 1
# A category's archive also reads the ids of the categories below it.
CATEGORY_ARCHIVE = ARCHIVE + 1
# Post feeds have no sidebar: the aggregate behind Last-Modified and the ETag,
# the latest posts with authors and featured images, their categories, their
# tags. Bodies carry their responsive images as stored on save: no query.
FEED = SITE_SETTINGS + 4
# Category, tag and author feeds also look up their archive's object; a
# category's also reads the ids of the categories below it.
ARCHIVE_FEED = FEED + 1
CATEGORY_FEED = ARCHIVE_FEED + 1
# The aggregate behind Last-Modified and the ETag, the latest approved
# comments with their posts; a post's comments feed also looks up the post.
COMMENTS_FEED = SITE_SETTINGS + 2
POST_COMMENTS_FEED = COMMENTS_FEED + 1
# sitemap.xml: the home page's latest date, the posts (count and page), all
# categories with their latest dates, tags with theirs, authors with theirs,
# the published pages.
SITEMAP = SITE_SETTINGS + 7
# A page: the page with its author and featured image, its comments, the
# header menu and the sidebar; a subpage also reads its ancestors for the
# breadcrumbs (one query at any depth).
PAGE = SITE_SETTINGS + 2 + HEADER_MENU + SIDEBAR
SUBPAGE = PAGE + 1

# With the page cache bypassed and the shared fragments warm (site settings,
# header menu and sidebar read from the cache), only a page's own queries remain.
FRAGMENTS = SITE_SETTINGS + HEADER_MENU + SIDEBAR
# An article's or a page's page of comment threads is kept too, rendered
# (blog/comments/templatetags/comment_tags.py), for readers without a pending
# comment of their own.
COMMENT_THREADS = 1
WARM_ARTICLE = ARTICLE - FRAGMENTS - COMMENT_THREADS
WARM_LIST = LIST - FRAGMENTS
WARM_ARCHIVE = ARCHIVE - FRAGMENTS
# A category's archive reads the category tree from the cache too.
WARM_CATEGORY_ARCHIVE = CATEGORY_ARCHIVE - FRAGMENTS - 1
WARM_PAGE = PAGE - FRAGMENTS - COMMENT_THREADS
WARM_SUBPAGE = SUBPAGE - FRAGMENTS - COMMENT_THREADS
