"""Servers the scale-out tests start as subprocesses on free loopback ports, and stop."""

import contextlib
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
def running(args, *, ready_url, log_path, env=None, cwd=None, timeout=30):
    """
    Run ``args`` until the block ends, once ``ready_url`` answers at all; output
    goes to ``log_path``, shown when the server dies or never answers.
    """
    with open(log_path, "wb") as log:
        # Our own test servers, started from the venv with fixed arguments.
        process = subprocess.Popen(  # noqa: S603
            args, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd
        )
        try:
            _wait_until_answering(process, ready_url, log_path, timeout)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_answering(process, url, log_path, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited:\n{tail(log_path)}")
        try:
            requests.get(url, timeout=2, allow_redirects=False)
        except requests.ConnectionError:
            time.sleep(0.1)
        else:
            return
    raise RuntimeError(f"{url} did not answer within {timeout} s:\n{tail(log_path)}")


def tail(log_path, lines=40):
    with open(log_path, encoding="utf-8", errors="replace") as log:
        return "".join(log.readlines()[-lines:])
