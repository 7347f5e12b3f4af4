from django.db import models


class PostRedirect(models.Model):
    """An address a published post used to answer at; it now answers 301 to the post."""

    old_path = models.CharField(max_length=400, unique=True)
    post = models.ForeignKey("posts.Post", related_name="redirects", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "old address"
        verbose_name_plural = "old addresses"

    def __str__(self):
        return f"{self.old_path} → {self.post}"
