"""
Run deploy/nginx.conf on this machine without touching /etc/nginx: the tests
(tests/test_deploy.py) and `make bench` (bench/http.py) render it with their own
ports and folders, wrap it in a small main configuration and start nginx on it.

    conf = NginxFront(folder, app="127.0.0.1:8000", static_root=..., media_root=...)
    conf.check()          # nginx -t
    conf.start(); ...; conf.stop()
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

SITE_CONF = Path(__file__).resolve().parent / "nginx.conf"
MODULES = Path("/usr/lib/nginx/modules")
MODULE_FILES = [
    "ngx_http_brotli_filter_module.so",
    "ngx_http_brotli_static_module.so",
    "ngx_http_cache_purge_module.so",
]


def nginx_binary():
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def missing_modules():
    return [name for name in MODULE_FILES if not (MODULES / name).is_file()]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render_site(
    *,
    app,
    http_port,
    https_port,
    purge_port,
    static_root,
    media_root,
    cache_dir,
    cert,
    key,
    server_name="localhost",
):
    """deploy/nginx.conf with the given ports and folders (IPv4 loopback only)."""
    text = SITE_CONF.read_text()
    replacements = [
        ("server 127.0.0.1:8000;", f"server {app};"),
        ("/var/cache/nginx/blog", str(cache_dir)),
        ("    listen 80;\n    listen [::]:80;\n", f"    listen 127.0.0.1:{http_port};\n"),
        (
            "    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n",
            f"    listen 127.0.0.1:{https_port} ssl http2;\n",
        ),
        ("server_name blog.example.com;", f"server_name {server_name};"),
        ("/etc/letsencrypt/live/blog.example.com/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/blog.example.com/privkey.pem", str(key)),
        ("alias /srv/blog/staticfiles/;", f"alias {static_root}/;"),
        ("alias /srv/blog/media/;", f"alias {media_root}/;"),
        ("listen 127.0.0.1:8081;", f"listen 127.0.0.1:{purge_port};"),
    ]
    for old, new in replacements:
        if old not in text:
            raise ValueError(f"deploy/nginx.conf no longer contains {old!r}: update render.py")
        text = text.replace(old, new)
    return text


def self_signed_certificate(folder):
    """A throw-away certificate for 127.0.0.1 (openssl, a few milliseconds)."""
    cert, key = Path(folder) / "cert.pem", Path(folder) / "key.pem"
    command = [shutil.which("openssl") or "/usr/bin/openssl", "req", "-x509", "-newkey", "ec",
               "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
               "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603
    return cert, key


class NginxFront:
    """deploy/nginx.conf in front of `app`, with everything nginx writes inside `folder`."""

    def __init__(
        self, folder, *, app, static_root, media_root, workers=1, extra_http="", purge_port=None
    ):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.http_port, self.https_port = free_port(), free_port()
        # Chosen beforehand when the app must be told it (BLOG_FRONT_PURGE) before nginx starts.
        self.purge_port = purge_port or free_port()
        cert, key = self_signed_certificate(self.folder)
        site = render_site(
            app=app, http_port=self.http_port, https_port=self.https_port,
            purge_port=self.purge_port, static_root=static_root, media_root=media_root,
            cache_dir=self.folder / "cache", cert=cert, key=key,
        )  # fmt: skip
        (self.folder / "site.conf").write_text(site)
        modules = "".join(
            f"load_module {MODULES / name};\n"
            for name in MODULE_FILES
            if (MODULES / name).is_file()
        )
        temp = "".join(
            f"    {kind}_temp_path {self.folder / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # As root, nginx's workers would switch to nobody, who cannot read a private temp folder.
        user = "user root;\n" if os.geteuid() == 0 else ""
        self.conf = self.folder / "nginx.conf"
        self.conf.write_text(
            f"{modules}{user}worker_processes {workers};\ndaemon off;\n"
            f"pid {self.folder / 'nginx.pid'};\nerror_log {self.folder / 'error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n    include /etc/nginx/mime.types;\n"
            "    default_type application/octet-stream;\n"
            "    sendfile on;\n    tcp_nopush on;\n    access_log off;\n"
            f"{temp}    include {self.folder / 'site.conf'};\n{extra_http}\n}}\n"
        )
        self.process = None

    def check(self):
        """`nginx -t` on the rendered configuration: (ok, what nginx printed)."""
        command = [nginx_binary(), "-t", "-q", "-c", str(self.conf)]
        result = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
        return result.returncode == 0, result.stderr

    def start(self):
        command = [nginx_binary(), "-c", str(self.conf)]
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)  # noqa: S603
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.process.stderr.read()
                self.stop()
                raise RuntimeError(f"nginx did not start: {error}")
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError("nginx did not open its port within 10 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.stderr:
            self.process.stderr.close()
