from django.core.cache import cache


def forget_cache(**kwargs):
    """
    After a database restore every cached page, site setting, menu and
    page-cache version describes the database as it was before: empty the cache
    (Redis is shared by every server; a local-memory cache in development is
    the restoring process's own, so restart the server there).
    """
    cache.clear()
