"""stillwater.dask without a Dask client: the graph runs in the calling process, one task
after another (a module of its own: test_dask.py's cluster is the current client while its
tests run, and would be taken instead)."""

import distributed
import pytest

import stillwater
import stillwater.dask


def test_no_client_is_current():
    with pytest.raises(ValueError):
        distributed.get_client()


def test_analyze_then_render_without_a_client(tmp_path, clip, reference_run):
    planned = stillwater.dask.analyze(clip, store=tmp_path / "run.zarr", segment_frames=20)
    assert planned["frames"] == 60 and planned["shard"] is None
    run = stillwater.open(tmp_path / "run.zarr")
    assert run.correction.shape == (60, 4)
    stillwater.dask.render(clip, tmp_path / "out.mp4", store=tmp_path / "run.zarr",
                           segment_frames=20)
    assert (tmp_path / "out.mp4").read_bytes() == (reference_run / "out.mp4").read_bytes()
