"""stillwater.dask: one Dask task per segment (a distributed.LocalCluster of two worker
processes, and without a client), byte-identical to the binary's run."""

import pathlib

import pytest

import stillwater
import stillwater.dask
from test_s3 import s3  # noqa: F401 (the S3 test server fixture)

distributed = pytest.importorskip("distributed")


def chunk_files(store):
    """Every array chunk of a local store (not attributes or progress records), by name."""
    root = pathlib.Path(store)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(".") and "_progress" not in p.parts}


@pytest.fixture(scope="module")
def client():
    """Two worker processes of one thread each, as the issue's cluster; no dashboard (Debian
    12 has no bokeh)."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as c:
            yield c


def test_segment_count_is_the_plans(clip):
    assert stillwater.dask.segment_count(clip, segment_frames=20) == 3
    assert stillwater.dask.segment_count(clip, segment_frames=30) == 2


def test_stabilize_on_two_workers_gives_the_binarys_bytes(tmp_path, clip, client,
                                                           reference_run):
    with distributed.get_task_stream(client) as tasks:
        summary = stillwater.dask.stabilize(clip, tmp_path / "out.mp4",
                                            store=tmp_path / "run.zarr", client=client,
                                            segment_frames=20)
    assert summary["analysis"]["frames"] == 60
    assert summary["render"]["frames"] == 60
    assert (tmp_path / "out.mp4").read_bytes() == (reference_run / "out.mp4").read_bytes()
    ours = chunk_files(tmp_path / "run.zarr")
    theirs = chunk_files(reference_run / "run.zarr")
    assert ours.keys() == theirs.keys()
    for name in theirs:
        assert ours[name] == theirs[name], name
    # One task per segment and pass, each run once, under the names the dashboard shows.
    keys = sorted(t["key"] for t in tasks.data)
    expected = sorted([f"stillwater-analyze-segment-{k}" for k in range(3)]
                      + [f"stillwater-render-segment-{k}" for k in range(3)]
                      + ["stillwater-plan", "stillwater-assemble", "stillwater-summary"])
    assert keys == expected


def test_store_and_output_on_s3(tmp_path, clip, reference_run, s3):  # noqa: F811
    # Workers started now, so they inherit the S3 settings the fixture put in the environment
    # (workers read their credentials from their own environment, as the binary does).
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            stillwater.dask.stabilize(clip, "s3://bucket/out.mp4", store="s3://bucket/run.zarr",
                                      client=client, segment_frames=20)
    boto3 = pytest.importorskip("boto3")
    body = boto3.client("s3", endpoint_url=s3).get_object(Bucket="bucket", Key="out.mp4")["Body"]
    assert body.read() == (reference_run / "out.mp4").read_bytes()
    remote = stillwater.open("s3://bucket/run.zarr")
    local = stillwater.open(reference_run / "run.zarr")
    for name in ("motion", "trajectory", "correction"):
        assert getattr(remote, name).tobytes() == getattr(local, name).tobytes(), name


def test_usage_errors(tmp_path, clip):
    with pytest.raises(stillwater.UsageError, match="store"):
        stillwater.dask.stabilize(clip, tmp_path / "out.mp4")
    with pytest.raises(stillwater.UsageError, match="--report"):
        stillwater.dask.stabilize(clip, tmp_path / "out.mp4", store=tmp_path / "r.zarr",
                                  report=tmp_path / "r.html")
    with pytest.raises(stillwater.UsageError, match="--shard"):
        stillwater.dask.analyze(clip, store=tmp_path / "r.zarr", shard="0/2")
    with pytest.raises(stillwater.UsageError, match="--no-such-option"):
        stillwater.dask.analyze(clip, store=tmp_path / "r.zarr", no_such_option=1)


def test_a_failing_task_raises_the_clis_message(tmp_path):
    with pytest.raises(stillwater.Error, match="missing.mp4"):
        stillwater.dask.analyze(str(tmp_path / "missing.mp4"), store=tmp_path / "r.zarr")
