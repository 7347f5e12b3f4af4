"""Servers the scale-out tests start as subprocesses on free loopback ports, and stop."""

import contextlib
import signal
import socket
import subprocess
import time

import redis
import requests


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on (the OS's pick)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running(*servers, timeout=30):
    """
    Run each ``(args, ready, log_path, popen_options)`` server, started together,
    until the block ends, once each answers: ``ready`` is a URL that answers at all,
    or a function that raises ``ConnectionError`` until the server is up. A server's
    output goes to its ``log_path``, shown when it dies or never answers.
    """
    with contextlib.ExitStack() as stack:
        started = []
        stack.callback(lambda: _stop([process for process, _ready, _log in started]))
        for args, ready_url, log_path, options in servers:
            log = stack.enter_context(open(log_path, "wb"))
            # Our own test servers, started from the venv with fixed arguments.
            process = subprocess.Popen(  # noqa: S603
                args, stdout=log, stderr=subprocess.STDOUT, **options
            )
            started.append((process, ready_url, log_path))
        deadline = time.monotonic() + timeout
        for process, ready_url, log_path in started:
            _wait_until_answering(process, ready_url, log_path, deadline)
        yield [process for process, _url, _log in started]


def _stop(processes):
    # SIGINT: a quick shutdown for gunicorn, moto and redis-server alike; all at once.
    for process in processes:
        process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(process, ready, log_path, deadline):
    if isinstance(ready, str):
        url = ready

        def ready():
            requests.get(url, timeout=2, allow_redirects=False)

    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:4]} exited:\n{tail(log_path)}")
        try:
            ready()
        except (requests.ConnectionError, redis.ConnectionError):
            time.sleep(0.1)
        else:
            return
    raise RuntimeError(f"{process.args[:4]} did not answer in time:\n{tail(log_path)}")


def tail(log_path, lines=40):
    with open(log_path, encoding="utf-8", errors="replace") as log:
        return "".join(log.readlines()[-lines:])
