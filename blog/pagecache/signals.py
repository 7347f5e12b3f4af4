"""
What each change bumps (see ``versions.py`` and the keys in ``deps.py``).
Connected in ``PageCacheConfig.ready()``; each bump happens at once and again
on commit.

- A post or page: only when it is, or was, published (scheduled counts: the
  pages it will show on are made fresh now and, being rendered after the
  save, expire at its time). Its own key, the lists it is on (all posts, its
  categories and their parents, its tags, its author), the articles that may
  list it as related, its new neighbours (its old ones show its title, so
  ``post:<id>`` reaches them), the sidebar, and the next publish time.
- A comment: only when it is, or was, approved: its post's thread and the sidebar.
  Every status change saves the comment (``blog.comments.status.change_status``).
- A category, tag, image, author, or the site settings: their own key (and
  the sidebar for categories, tags and settings).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from taggit.models import Tag

from blog.categories.models import Category
from blog.comments.models import Comment
from blog.media.models import Image
from blog.posts.models import Post, TaggedPost
from blog.sitesettings.models import SiteSettings

from . import deps, versions

SIDEBAR = "sidebar"


def _remember(instance, fields):
    return tuple(instance.__dict__.get(f) for f in fields)


# Posts and pages.

_POST_FIELDS = ("status", "author_id")


def post_loaded(sender, instance, **kwargs):
    if isinstance(instance, Post):
        instance._pagecache_was = _remember(instance, _POST_FIELDS)


def _category_keys(category_ids):
    keys = set()
    rows = Category.objects.filter(pk__in=category_ids).values_list(
        "pk", "parent_id", "parent__parent_id"
    )
    for row in rows:
        for pk in row:
            if pk:
                keys |= {f"list:category:{pk}", f"related:category:{pk}"}
    return keys


def _post_keys(post, created=False):
    keys = {f"post:{post.pk}", "list:posts", SIDEBAR}
    if post.kind == Post.Kind.PAGE:
        keys.add("pages")
    if post.author_id:
        keys.add(f"list:author:{post.author_id}")
    if created:
        return keys  # filed and tagged after the row exists, which bumps those lists then
    keys |= _category_keys(
        Post.categories.through.objects.filter(post_id=post.pk).values("category_id")
    )
    for tag_id in TaggedPost.objects.filter(content_object_id=post.pk).values_list(
        "tag_id", flat=True
    ):
        keys |= {f"list:tag:{tag_id}", f"related:tag:{tag_id}"}
    return keys


def post_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or not isinstance(instance, Post) or versions.held():
        return
    was = getattr(instance, "_pagecache_was", (None, None))
    published = Post.Status.PUBLISHED
    was_public = not created and was[0] in (published, None)
    if not (instance.status == published or was_public):
        instance._pagecache_was = _remember(instance, _POST_FIELDS)
        return
    keys = _post_keys(instance, created)
    if was[1] and was[1] != instance.author_id:
        keys.add(f"list:author:{was[1]}")
    if instance.status == published and instance.kind == Post.Kind.POST:
        for neighbour in Post.objects.published().only("pk").adjacent_to(instance):
            if neighbour is not None:
                keys.add(f"adjacent:{neighbour.pk}")
    versions.bump(keys, using=kwargs.get("using"))
    _forget_next_publish(kwargs.get("using"))
    instance._pagecache_was = _remember(instance, _POST_FIELDS)


def post_deleting(sender, instance, **kwargs):
    if versions.held():
        return
    if isinstance(instance, Post) and instance.status == Post.Status.PUBLISHED:
        versions.bump(_post_keys(instance), using=kwargs.get("using"))
        _forget_next_publish(kwargs.get("using"))


def _forget_next_publish(using):
    from django.db import transaction

    deps.forget_next_publish()
    transaction.on_commit(deps.forget_next_publish, using=using)


def post_categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if versions.held() or action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # category.posts.add(...)
        keys = _category_keys([instance.pk]) | {f"post:{pk}" for pk in pk_set or ()}
    else:
        if instance.status != Post.Status.PUBLISHED:
            return
        ids = pk_set
        if action == "pre_clear":
            ids = list(instance.categories.values_list("pk", flat=True))
        keys = _category_keys(ids or ()) | {f"post:{instance.pk}"}
    versions.bump(keys | {SIDEBAR}, using=kwargs.get("using"))


def post_tagged(sender, instance, raw=False, **kwargs):
    if raw:
        return
    keys = {
        f"post:{instance.content_object_id}",
        f"list:tag:{instance.tag_id}",
        f"related:tag:{instance.tag_id}",
        SIDEBAR,
    }
    versions.bump(keys, using=kwargs.get("using"))


# Comments.


def comment_loaded(sender, instance, **kwargs):
    instance._pagecache_status = instance.__dict__.get("status")


def comment_changed(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    approved = Comment.Status.APPROVED
    was = None if created else getattr(instance, "_pagecache_status", None)
    if instance.status == approved or was == approved or (was is None and not created):
        versions.bump({f"comments:{instance.post_id}", SIDEBAR}, using=kwargs.get("using"))
    instance._pagecache_status = instance.status


# Everything else a page shows.


def category_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    below = Category.objects.filter(Q(parent=instance.pk) | Q(parent__parent=instance.pk))
    keys = {f"category:{pk}" for pk in [instance.pk, *below.values_list("pk", flat=True)]}
    versions.bump(keys | {f"list:category:{instance.pk}", SIDEBAR}, using=kwargs.get("using"))


def tag_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        versions.bump({f"tag:{instance.pk}", SIDEBAR}, using=kwargs.get("using"))


def image_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # Pages showing it in a body: those posts' keys (their srcsets are in the body).
    url = instance.file.url if instance.file else None
    keys = {f"media:{instance.pk}"}
    if url:
        keys |= {
            f"post:{pk}"
            for pk in Post.any_kind.filter(body__contains=url).values_list("pk", flat=True)
        }
    versions.bump(keys, using=kwargs.get("using"))


def author_changed(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        versions.bump({f"author:{instance.pk}"}, using=kwargs.get("using"))


def settings_changed(sender, raw=False, **kwargs):
    if not raw:
        versions.bump({"settings", SIDEBAR}, using=kwargs.get("using"))


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete

    uid = "pagecache"
    for model in [m for m in _models() if issubclass(m, Post)]:
        post_init.connect(post_loaded, sender=model, dispatch_uid=f"{uid}.init.{model.__name__}")
        post_save.connect(post_saved, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        pre_delete.connect(post_deleting, sender=model, dispatch_uid=f"{uid}.del.{model.__name__}")
    m2m_changed.connect(
        post_categories_changed, sender=Post.categories.through, dispatch_uid=f"{uid}.cats"
    )
    post_save.connect(post_tagged, sender=TaggedPost, dispatch_uid=f"{uid}.tagged")
    post_delete.connect(post_tagged, sender=TaggedPost, dispatch_uid=f"{uid}.untagged")
    post_init.connect(comment_loaded, sender=Comment, dispatch_uid=f"{uid}.comment.init")
    post_save.connect(comment_changed, sender=Comment, dispatch_uid=f"{uid}.comment.save")
    post_delete.connect(comment_changed, sender=Comment, dispatch_uid=f"{uid}.comment.del")
    for model, receiver in (
        (Category, category_changed),
        (Tag, tag_changed),
        (Image, image_changed),
        (get_user_model(), author_changed),
        (SiteSettings, settings_changed),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}.{model.__name__}.save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}.{model.__name__}.del")


def _models():
    from django.apps import apps

    return apps.get_models()
