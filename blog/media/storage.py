"""
Uploads in an S3-compatible bucket (django-storages) instead of under MEDIA_ROOT.

blog/settings.py reads the bucket from the environment (``AWS_STORAGE_BUCKET_NAME``
and friends, README: Configuration) and asks ``public_origins`` which addresses
the pages' Content-Security-Policy must let images, audio and video load from.
Nothing here imports Django's models: the settings module uses it.
"""

from urllib.parse import urlsplit


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
