from django.db import models
from django.db.models.functions import Coalesce


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
