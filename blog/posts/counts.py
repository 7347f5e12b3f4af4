"""
The stored sizes of the lists (``ListCount``): the site's, each category's
and each tag's published posts, kept exact by the receivers below in the
same transaction as the change, so a paginator reads a size instead of
counting a list that grows with the site.

A post counts while it is a post (not a page) with the status published; a
scheduled post counts too and is subtracted when the list is read (few rows,
by index), so its time coming needs no job. The receivers follow:

- a post saved (published, unpublished, trashed, restored): ±1 on its lists;
- a post deleted: -1 on its lists, read before its filings go;
- categories or tags of a post added, removed, set or cleared (either side
  of the relation): each post's lists before and after, the difference;
- a category moved under another parent or deleted: the categories above
  its old and new places recounted (rare, and a move changes many posts);
- a category or tag deleted: its row goes.

Beside the counts, ``CategoryListing`` (each published post once on every
category archive it shows on, with its time, so deep pages read ids by index)
follows the same changes and a post's new publish time (``sync_listings``).

Writes that send no signals (``bulk_create``, ``QuerySet.update``, raw SQL,
``loaddata``) are followed by ``recount()`` (``manage.py recount_posts``);
``deferred()`` holds the receivers during such work and recounts at its end.
"""

import collections
import contextlib
import contextvars

from django.db import models, transaction

from blog.categories.models import with_ancestors

SITE = "site"
PUBLISHED = "published"
POST = "post"

_held = contextvars.ContextVar("posts_counts_held", default=False)


def category_key(pk):
    return f"category:{pk}"


def tag_key(pk):
    return f"tag:{pk}"


def _models():
    from blog.categories.models import Category

    from .models import ListCount, Post, TaggedPost

    return Post, Post.categories.through, TaggedPost, Category, ListCount


def _listings():
    from .models import CategoryListing

    return CategoryListing


@contextlib.contextmanager
def deferred(using=None):
    """
    For work that writes many posts or filings without signals (an import):
    the receivers do nothing meanwhile, and every count is worked out again
    at the end, inside the same transaction.
    """
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)
    recount(using=using)


def compute(post_model, filed_model, tagged_model, category_model, using=None):
    """
    Every list's count worked out from the rows, ``{key: posts}``. Takes the
    models as arguments so the migration can pass its historical ones.
    """
    posts = post_model._default_manager.db_manager(using).filter(kind=POST, status=PUBLISHED)
    counts = {SITE: posts.count()}
    tagged = (
        tagged_model._default_manager.db_manager(using)
        .filter(content_object_id__in=posts.values("pk"))
        .values("tag_id")
        .annotate(n=models.Count("content_object_id", distinct=True))
        .values_list("tag_id", "n")
    )
    counts.update((tag_key(tag_id), n) for tag_id, n in tagged)
    per_category = collections.Counter(
        category_id
        for category_id, _, _ in listing_rows(post_model, filed_model, category_model, using)
    )
    counts.update((category_key(pk), n) for pk, n in per_category.items())
    return counts


def listing_rows(post_model, filed_model, category_model, using=None):
    """
    ``(category_id, post_id, published_at)`` for every published post on every
    category archive it shows on (``CategoryListing``'s rows), worked out from
    the filings; historical models welcome, as in ``compute``.
    """
    posts = post_model._default_manager.db_manager(using).filter(kind=POST, status=PUBLISHED)
    parent_of = dict(category_model._default_manager.db_manager(using).values_list("pk", "parent"))
    filings = collections.defaultdict(set)
    rows = filed_model._default_manager.db_manager(using).filter(post_id__in=posts.values("pk"))
    for post_id, category_id in rows.values_list("post_id", "category_id").iterator():
        filings[post_id].add(category_id)
    times = posts.filter(pk__in=list(filings)) if len(filings) < 1000 else posts
    times = dict(times.values_list("pk", "published_at").iterator())
    for post_id, categories in filings.items():
        for category_id in sorted(with_ancestors(categories, parent_of)):
            yield category_id, post_id, times[post_id]


def recount(using=None):
    """Replace every stored count and category listing with ones worked out from the rows."""
    Post, Filed, TaggedPost, Category, ListCount = _models()
    CategoryListing = _listings()
    with transaction.atomic(using=using):
        counts = compute(Post, Filed, TaggedPost, Category, using=using)
        ListCount.objects.using(using).all().delete()
        ListCount.objects.using(using).bulk_create(
            ListCount(key=key, posts=n) for key, n in sorted(counts.items()) if n
        )
        CategoryListing.objects.using(using).all().delete()
        CategoryListing.objects.using(using).bulk_create(
            (
                CategoryListing(category_id=c, post_id=p, published_at=at)
                for c, p, at in listing_rows(Post, Filed, Category, using=using)
            ),
            batch_size=5000,
        )
    return counts


def sync_listings(post_ids, using=None, lists=None):
    """
    Put the category listings of ``post_ids`` in step with their rows;
    ``lists`` is their ``lists_of`` when the caller has just read it.
    """
    Post = _models()[0]
    listings = _listings().objects.db_manager(using)
    listings.filter(post_id__in=post_ids).delete()
    if lists is None:
        lists = lists_of(post_ids, using=using)
    if not lists:
        return
    times = dict(Post.objects.using(using).filter(pk__in=lists).values_list("pk", "published_at"))
    listings.bulk_create(
        _listings()(category_id=int(key.split(":")[1]), post_id=pk, published_at=times[pk])
        for pk, keys in lists.items()
        for key in sorted(keys)
        if key.startswith("category:")
    )


def lists_of(post_ids, published_only=True, using=None):
    """
    ``{post_id: {key, ...}}``: the lists each of ``post_ids`` counts in (posts
    only; with ``published_only``, published ones only), in three queries.
    """
    Post, Filed, TaggedPost, Category, _ = _models()
    posts = Post.objects.db_manager(using).filter(pk__in=post_ids)
    if published_only:
        posts = posts.filter(status=PUBLISHED)
    found = {pk: {SITE} for pk in posts.values_list("pk", flat=True)}
    if not found:
        return {}
    filed = collections.defaultdict(set)
    rows = Filed.objects.db_manager(using).filter(post_id__in=found)
    for post_id, category_id in rows.values_list("post_id", "category_id"):
        filed[post_id].add(category_id)
    parent_of = Category.objects.db_manager(using).parents() if filed else {}
    for post_id, categories in filed.items():
        found[post_id].update(category_key(pk) for pk in with_ancestors(categories, parent_of))
    rows = TaggedPost.objects.db_manager(using).filter(content_object_id__in=found)
    for post_id, tag_id in rows.values_list("content_object_id", "tag_id"):
        found[post_id].add(tag_key(tag_id))
    return found


def change(before, after, using=None):
    """Apply the difference between two ``lists_of`` results to the stored counts."""
    delta = collections.Counter()
    for keys in after.values():
        delta.update(keys)
    for keys in before.values():
        delta.subtract(keys)
    by_amount = collections.defaultdict(list)
    for key, amount in delta.items():
        if amount:
            by_amount[amount].append(key)
    if not by_amount:
        return
    *_, ListCount = _models()
    counts = ListCount.objects.db_manager(using)
    counts.bulk_create(
        [ListCount(key=key) for key in sorted({k for keys in by_amount.values() for k in keys})],
        ignore_conflicts=True,
    )
    for amount, keys in sorted(by_amount.items()):
        # F(): concurrent changes add up instead of one overwriting the other.
        counts.filter(key__in=keys).update(posts=models.F("posts") + amount)


def recount_categories(ids, using=None):
    """Count again the categories ``ids`` (and nothing else) from the rows."""
    Post, _, _, Category, ListCount = _models()
    posts = Post.objects.db_manager(using).filter(status=PUBLISHED)
    for pk in sorted(ids):
        n = posts.in_category(Category(pk=pk)).count()
        ListCount.objects.db_manager(using).update_or_create(
            key=category_key(pk), defaults={"posts": n}
        )


def _counts(instance):
    return instance.kind == POST and instance.status == PUBLISHED


# -- receivers (connected in PostsConfig.ready) ---------------------------------


def post_pre_save(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    instance._stored_before = None
    if raw or _held.get():
        return
    if update_fields is not None and not {"status", "published_at"} & set(update_fields):
        return  # a save of other fields leaves the lists as they are
    Post, *_ = _models()
    stored = Post.any_kind.using(using).filter(pk=instance.pk) if instance.pk else None
    row = stored.values_list("kind", "status", "published_at").first() if stored else None
    counted = bool(row) and row[:2] == (POST, PUBLISHED)
    instance._stored_before = (counted, row[2] if row else None)


def post_post_save(sender, instance, created=False, raw=False, using=None, **kwargs):
    before = instance.__dict__.pop("_stored_before", None)
    if before is None:
        return
    was_counted, was_at = before
    counted = _counts(instance)
    if created:
        # Categories and tags are filed after the row exists: a new post is on
        # the site's list alone, and on no category archive yet.
        if counted:
            change({}, {instance.pk: {SITE}}, using=using)
        return
    lists = None
    if was_counted != counted:
        lists = lists_of([instance.pk], published_only=False, using=using)
        change(*((lists, {}) if was_counted else ({}, lists)), using=using)
    if was_counted != counted or (counted and was_at != instance.published_at):
        # Published, its lists are the ones just read; otherwise it is listed nowhere.
        sync_listings([instance.pk], using=using, lists=(lists if counted else {}))


def post_pre_delete(sender, instance, using=None, **kwargs):
    # Before the collector deletes the post's filings and taggings (and,
    # by cascade, its category listings).
    if _held.get() or not _counts(instance):
        return
    change(lists_of([instance.pk], using=using), {}, using=using)


_M2M_ACTIONS = {f"{when}_{what}" for when in ("pre", "post") for what in ("add", "remove", "clear")}


def filings_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    """``m2m_changed`` of a post's categories or tags, from either side."""
    if _held.get() or action not in _M2M_ACTIONS:
        return
    if action.startswith("pre_"):
        if not reverse:
            post_ids = [instance.pk] if _counts(instance) else []
        elif pk_set is not None:
            post_ids = sorted(pk_set)
        else:  # category.posts.clear() (taggit sends no reverse signals): its posts now
            rows = sender.objects.using(using).filter(category_id=instance.pk)
            post_ids = list(rows.values_list("post_id", flat=True))
        instance._counts_before = (post_ids, lists_of(post_ids, using=using) if post_ids else {})
        return
    post_ids, before = instance.__dict__.pop("_counts_before", ([], {}))
    if post_ids:
        after = lists_of(post_ids, using=using)
        change(before, after, using=using)
        if sender is not _models()[2]:  # categories, not tags
            sync_listings(post_ids, using=using, lists=after)


def _filed_below(category_pk, using):
    """The ids of the posts filed in the category ``category_pk`` or any below it."""
    Post, Filed, _, Category, _ = _models()
    below = Category.objects.using(using).descendant_ids(Category(pk=category_pk))
    rows = Filed.objects.using(using).filter(category_id__in=below)
    return sorted(set(rows.values_list("post_id", flat=True)))


_UNSET = object()


def category_pre_save(sender, instance, raw=False, using=None, **kwargs):
    instance._parent_before = _UNSET
    if raw or _held.get() or instance.pk is None:
        return
    stored = sender.objects.using(using).filter(pk=instance.pk).values_list("parent", flat=True)
    instance._parent_before = stored.first()


def category_post_save(sender, instance, created, raw=False, using=None, **kwargs):
    before = instance.__dict__.pop("_parent_before", _UNSET)
    if created or before is _UNSET or before == instance.parent_id:
        return
    # The categories above the old place lose the moved posts, those above
    # the new place gain them (the tree was read afresh: categories forget it).
    above = sender.objects.using(using).with_ancestor_ids([before, instance.parent_id])
    recount_categories(above, using=using)
    sync_listings(_filed_below(instance.pk, using), using=using)


def category_pre_delete(sender, instance, using=None, **kwargs):
    instance._filed_before = None if _held.get() else _filed_below(instance.pk, using)


def category_post_delete(sender, instance, using=None, **kwargs):
    *_, ListCount = _models()
    ListCount.objects.using(using).filter(key=category_key(instance.pk)).delete()
    filed = instance.__dict__.pop("_filed_before", None)
    if filed is None:
        return
    if instance.parent_id is not None:
        above = sender.objects.using(using).with_ancestor_ids([instance.parent_id])
        recount_categories(above, using=using)
    sync_listings(filed, using=using)


def tag_post_delete(sender, instance, using=None, **kwargs):
    *_, ListCount = _models()
    ListCount.objects.using(using).filter(key=tag_key(instance.pk)).delete()
