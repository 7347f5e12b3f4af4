from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone


class ListCountManager(models.Manager):
    def published(self, key, scheduled):
        """
        How many published posts the list ``key`` holds, in one query that
        reads no more rows at 100,000 posts than at 100: its stored count less
        ``scheduled`` (the list's posts published for a time still to come,
        few, found by the ``published_at`` indexes). A list with no row has
        never had a published post.
        """
        future = (
            scheduled.order_by()
            .annotate(n=models.Func("pk", function="COUNT", output_field=models.IntegerField()))
            .values("n")
        )
        rows = (
            self.filter(key=key)
            .annotate(future=Coalesce(models.Subquery(future), 0))
            .values_list("posts", "future")
        )
        for stored, future in rows[:1]:
            return max(stored - future, 0)
        return 0


class ListCount(models.Model):
    """
    How many posts of a list have the status published, their time come or
    not: the site's (``"site"``, the home page), each category's with the
    categories below it (``"category:<id>"``, each post once) and each tag's
    (``"tag:<id>"``). Paginators read it instead of counting the list, which
    grows with the site (``ListCount.objects.published``).

    Kept exact in the same transaction as each change by the receivers in
    ``blog/posts/counts.py`` (publish, unpublish, trash, delete, categories
    and tags of a post, a category moved or deleted, a tag deleted); writes
    that send no signals (bulk inserts, ``QuerySet.update``, raw SQL) are
    followed by ``manage.py recount_posts``.
    """

    key = models.CharField(max_length=40, unique=True)
    posts = models.IntegerField(default=0)

    objects = ListCountManager()

    def __str__(self):
        return f"{self.key}: {self.posts}"


class CategoryListingQuerySet(models.QuerySet):
    def published_ids(self, category):
        """The ids of the posts on ``category``'s archive, newest first, as lists order them."""
        return (
            self.filter(category=category, published_at__lte=timezone.now())
            .order_by("-published_at", "-post_id")
            .values("post_id")
        )


class CategoryListing(models.Model):
    """
    A published post on a category's archive, with its time: one row for each
    category it shows under (those it is filed in and every one above them),
    each post once. A deep page of a category reads its ids from the index
    (category, published_at, post) alone, OFFSET over at most the page's
    depth, instead of sorting every post of the site that is in the category.

    Kept by the receivers in ``blog/posts/counts.py`` beside ``ListCount``.
    """

    category = models.ForeignKey(
        "categories.Category", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField()

    objects = CategoryListingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "post"], name="category_listing_unique")
        ]
        indexes = [
            models.Index(fields=["category", "-published_at", "-post"], name="category_listing_idx")
        ]

    def __str__(self):
        return f"{self.post_id} in {self.category_id}"
