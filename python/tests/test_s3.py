"""stillwater.open and analyze on an s3:// store, against the project's S3 test server
(tests/s3/sigv4_server.py, which checks every request's signature)."""

import pathlib
import subprocess
import sys

import numpy as np
import pytest

import stillwater
from conftest import run_cli

SERVER = pathlib.Path(__file__).resolve().parents[2] / "tests" / "s3" / "sigv4_server.py"
KEY, SECRET = "AKIDPYTHONTEST", "python-test-secret"


@pytest.fixture
def s3(monkeypatch):
    """The endpoint of a fresh server with a bucket "bucket"; the S3 settings in the
    environment, as the binary and the module take them."""
    boto3 = pytest.importorskip("boto3")
    server = subprocess.Popen([sys.executable, str(SERVER), "0", KEY, SECRET],
                              stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        endpoint = "http://" + line.strip().split()[-1]
        boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=KEY,
                     aws_secret_access_key=SECRET, region_name="us-east-1").create_bucket(
                         Bucket="bucket")
        for name, value in {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET,
                            "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint}.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
        yield endpoint
    finally:
        server.kill()
        server.wait()


def test_open_an_s3_store_written_by_the_binary(tmp_path, binary, clip, s3):
    done = run_cli(binary, "analyze", clip, "--store", "s3://bucket/cli.zarr", "--quiet")
    assert done.returncode == 0, done.stderr
    remote = stillwater.open("s3://bucket/cli.zarr")
    local = stillwater.analyze(clip, tmp_path / "local.zarr")
    for name in ("pts", "motion", "status", "features", "trajectory", "correction"):
        assert getattr(remote, name).tobytes() == getattr(local, name).tobytes(), name
    # Python's own analysis into S3 as well, and a re-plan read from there.
    run = stillwater.analyze(clip, "s3://bucket/py.zarr")
    assert run.correction.tobytes() == local.correction.tobytes()
    assert np.array_equal(run.replan(smoother="ma", radius=4).correction,
                          local.replan(smoother="ma", radius=4).correction)
