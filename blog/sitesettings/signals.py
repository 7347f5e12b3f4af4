from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CACHE_KEY, SiteSettings


@receiver([post_save, post_delete], sender=SiteSettings)
def forget_cached_settings(**kwargs):
    cache.delete(CACHE_KEY)
