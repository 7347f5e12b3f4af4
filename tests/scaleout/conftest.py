import sys

import pytest

from tests.scaleout.processes import free_port, running


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """A local S3-compatible server (moto's), for the module: its address."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    with running((command, f"{endpoint}/moto-api/", log, {})):
        yield endpoint
