"""
gunicorn's settings for production: `gunicorn` run from the project folder reads this file.

    gunicorn                      # blog.wsgi on 127.0.0.1:8000, behind nginx (deploy/nginx.conf)

Every value can be changed from the environment (GUNICORN_BIND, GUNICORN_WORKERS, ...) or
on the command line (`gunicorn --bind 0.0.0.0:8000`), which wins over this file.
"""

import multiprocessing
import os

wsgi_app = "blog.wsgi:application"

# nginx talks to the app over this address (deploy/nginx.conf's upstream).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: each handles one request at a time, and a page is CPU work plus a few
# short queries, so about two per core keep the cores busy while one waits on the
# database. Capped so that a large machine does not open hundreds of database
# connections (each worker keeps one for CONN_MAX_AGE seconds).
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 12)))
worker_class = "sync"

# nginx buffers slow clients, so a request should never take long: a worker stuck for
# 30 s is killed and replaced. Keep-alive only matters between nginx and gunicorn.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then (with jitter, so they do not all restart together) to
# bound any slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10_000))
max_requests_jitter = max_requests // 10

# nginx writes the access log; gunicorn's is off unless asked for ("-" is stderr).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Trust X-Forwarded-* only from the proxy on this machine (comma-separated list).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn's control socket (one path per user) would clash between two servers on
# one machine (a second site, or `make bench`); nothing here uses it.
control_socket_disable = True

# Load the app once in the master, then fork: faster start, shared memory pages.
preload_app = True
