"""
The query budget of public pages, in one place.

Every page reads the site settings once (cached in production, not in
tests) and renders the sidebar; pages add their own queries on top. Tests
assert exact numbers built from these, so a widget that adds a query changes
one constant here and every page's test follows.
"""

SITE_SETTINGS = 1
# Recent posts, category tree.
SIDEBAR = 2
# Post with author, its categories with parents, its tags, approved comments.
ARTICLE = SITE_SETTINGS + 4 + SIDEBAR
# Paginator count, page of posts with authors, categories with parents, tags,
# comment counts.
LIST = SITE_SETTINGS + 5 + SIDEBAR
# Archives also look up their category, tag or author.
ARCHIVE = LIST + 1
