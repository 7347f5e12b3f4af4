"""Servers the scale-out tests start as subprocesses on free loopback ports, and stop."""

import contextlib
import signal
import socket
import subprocess
import time

import requests


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on (the OS's pick)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running(*servers, timeout=30):
    """
    Run each ``(args, ready_url, log_path, popen_options)`` server, started together,
    until the block ends, once every ``ready_url`` answers at all. A server's output
    goes to its ``log_path``, shown when it dies or never answers.
    """
    with contextlib.ExitStack() as stack:
        started = []
        for args, ready_url, log_path, options in servers:
            log = stack.enter_context(open(log_path, "wb"))
            # Our own test servers, started from the venv with fixed arguments.
            process = subprocess.Popen(  # noqa: S603
                args, stdout=log, stderr=subprocess.STDOUT, **options
            )
            stack.callback(_stop, process)
            started.append((process, ready_url, log_path))
        deadline = time.monotonic() + timeout
        for process, ready_url, log_path in started:
            _wait_until_answering(process, ready_url, log_path, deadline)
        yield [process for process, _url, _log in started]


def _stop(process):
    # SIGINT: a quick shutdown for gunicorn and moto alike.
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_until_answering(process, url, log_path, deadline):
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:4]} exited:\n{tail(log_path)}")
        try:
            requests.get(url, timeout=2, allow_redirects=False)
        except requests.ConnectionError:
            time.sleep(0.1)
        else:
            return
    raise RuntimeError(f"{url} did not answer in time:\n{tail(log_path)}")


def tail(log_path, lines=40):
    with open(log_path, encoding="utf-8", errors="replace") as log:
        return "".join(log.readlines()[-lines:])
