"""
Where an image is used, asked of the apps that use images.

The media app knows nothing of posts; apps that put images on pages register
a *finder* in their ``AppConfig.ready()``::

    from blog.media import usage

    def posts_using(image):
        return [(post.title, post_admin_url(post)) for post in ...]

    usage.register(posts_using)

A finder takes an ``Image`` and returns an iterable of ``(label, url)`` pairs,
one per thing that would break if the image went away. The admin refuses to
delete an image while any finder reports a use.
"""

_finders = []


def register(finder):
    """Add a finder (usable as a decorator); registering twice is harmless."""
    if finder not in _finders:
        _finders.append(finder)
    return finder


def unregister(finder):
    if finder in _finders:
        _finders.remove(finder)


def usages(image):
    """Every ``(label, url)`` that uses the image, from every registered finder."""
    found = []
    for finder in list(_finders):
        found.extend((str(label), str(url)) for label, url in finder(image))
    return found


def describe(found):
    """'Used by: A, B; remove it from those posts first.' for a list of usages."""
    labels = ", ".join(label for label, _url in found)
    return f"Used by: {labels}; remove it from those posts first."
