"""
Uploads in an S3-compatible bucket (django-storages) instead of under MEDIA_ROOT.

blog/settings.py reads the bucket from the environment (``AWS_STORAGE_BUCKET_NAME``
and friends, README: Configuration) and asks ``public_origins`` which addresses
the pages' Content-Security-Policy must let images, audio and video load from.
Nothing here imports Django's models: the settings module uses it.
"""

import re
from urllib.parse import unquote, urlsplit


def public_origins(options):
    """
    The origins (``scheme://host[:port]``) of the public addresses django-storages'
    ``S3Storage(**options)`` gives its files, with ``querystring_auth`` off:

    - a custom domain (a CDN or the bucket's own domain) when one is set;
    - against another provider's endpoint, its host (path-style addresses, which
      botocore uses there unless ``addressing_style`` is ``virtual``: then the
      bucket's own subdomain of it);
    - against AWS itself, the bucket's subdomain, and the path-style host
      botocore falls back to for bucket names that cannot be a subdomain.
    """
    bucket = options["bucket_name"]
    if options.get("custom_domain"):
        host = options["custom_domain"].split("/", 1)[0]
        return [f"{options.get('url_protocol') or 'https:'}//{host}"]
    style = options.get("addressing_style")
    if options.get("endpoint_url"):
        endpoint = urlsplit(options["endpoint_url"])
        host = f"{bucket}.{endpoint.netloc}" if style == "virtual" else endpoint.netloc
        return [f"{endpoint.scheme}://{host}"]
    region = options.get("region_name")
    hosts = [f"{bucket}.s3.amazonaws.com", "s3.amazonaws.com"]
    if region:
        hosts += [f"{bucket}.s3.{region}.amazonaws.com", f"s3.{region}.amazonaws.com"]
    return [f"https://{host}" for host in hosts]


# Spaces, control characters and backslashes (which browsers read as ``/``).
_UNSAFE = re.compile(r"[\x00-\x20\\]")


def storage_root_url():
    """
    The address the default storage gives its root folder: ``/media/`` on disk, the
    bucket's ``https://…/`` on S3 (which has no address for ``""`` itself).
    """
    from django.core.files.storage import default_storage

    return default_storage.url("images/").removesuffix("images/")


def is_stored_file_url(value):
    """
    Whether ``value`` is the address of a file in the site's own media storage kept
    on another host (a bucket): audio and video players may load it as they load
    ``/media/`` files. Never true for a local storage, whose paths are the site's own.
    """
    root = storage_root_url()
    if not value or not root.startswith(("https://", "http://")) or not value.startswith(root):
        return False
    path = value[len(root) :]
    # Nothing climbing out of the folder, escaped or not (browsers resolve ``%2e%2e``).
    decoded = unquote(path)
    if _UNSAFE.search(path) or _UNSAFE.search(decoded):
        return False
    return ".." not in re.split(r"[/?#]", decoded)
