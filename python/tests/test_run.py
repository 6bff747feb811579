"""stillwater.analyze, Run, replan, render and open against the binary's stores and outputs."""

import gc
import os
import pathlib

import numpy as np
import pytest

import stillwater
from conftest import run_cli

FRAME_ARRAYS = ("pts", "time_s", "motion", "status", "features", "trajectory", "smoothed",
                "lof", "outlier", "correction")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def chunk_files(store):
    """Every array chunk of a store (not the attributes, which name the paths), by name."""
    root = pathlib.Path(store)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(".") and "_progress" not in p.parts}


@pytest.fixture
def stores(tmp_path, binary, clip):
    """The same clip analysed by Python (2 threads) and by the binary (1 thread)."""
    py_store = tmp_path / "py.zarr"
    run = stillwater.analyze(clip, py_store, threads=2, segment_frames=30)
    cli_store = tmp_path / "cli.zarr"
    done = run_cli(binary, "analyze", clip, "--store", cli_store, "--threads", "1",
                   "--segment-frames", "30", "--quiet")
    assert done.returncode == 0, done.stderr
    return run, cli_store


def test_analyze_gives_the_binarys_store_bit_for_bit(stores):
    run, cli_store = stores
    cli_run = stillwater.open(cli_store)
    for name in FRAME_ARRAYS:
        ours, theirs = getattr(run, name), getattr(cli_run, name)
        assert isinstance(ours, np.ndarray), name
        assert ours.dtype == theirs.dtype and ours.shape == theirs.shape, name
        assert ours.tobytes() == theirs.tobytes(), name
    assert chunk_files(run.store) == chunk_files(cli_store)
    assert run.motion.shape == (60, 3) and run.correction.shape == (60, 4)
    assert run.features.shape == (60, 3) and run.status.shape == (60,)
    assert run.summary["frames"] == 60 and len(run) == 60
    assert np.count_nonzero(run.motion[1:]) > 0


def test_replan_equals_the_binarys_render_replan(tmp_path, binary, clip, stores):
    run, cli_store = stores
    replanned = run.replan(smoother="ma", radius=5)
    assert replanned.correction.tobytes() != run.correction.tobytes()
    cli_out = tmp_path / "cli.mp4"
    done = run_cli(binary, "render", clip, "--store", cli_store, "-o", cli_out, "--replan",
                   "--smoother", "ma", "--radius", "5", "--segment-frames", "30", "--quiet")
    assert done.returncode == 0, done.stderr
    cli_run = stillwater.open(cli_store)
    for name in ("trajectory", "smoothed", "lof", "outlier", "radius", "correction"):
        ours, theirs = getattr(replanned, name), getattr(cli_run, name)
        assert ours.dtype == theirs.dtype and ours.tobytes() == theirs.tobytes(), name
    # The Run it came from is unchanged; rendering the new one re-plans as the binary did.
    assert run.correction.tobytes() == stillwater.open(run.store).correction.tobytes()
    py_out = tmp_path / "py.mp4"
    summary = replanned.render(py_out)
    assert summary["frames"] == 60
    assert read(py_out) == read(cli_out)


def test_render_with_a_users_correction(tmp_path, binary, clip, stores):
    run, cli_store = stores
    cli_out = tmp_path / "cli.mp4"
    done = run_cli(binary, "render", clip, "--store", cli_store, "-o", cli_out, "--quiet")
    assert done.returncode == 0, done.stderr
    default_out = tmp_path / "default.mp4"
    run.render(default_out)
    assert read(default_out) == read(cli_out)
    # The store's own corrections given as an array: the same bytes.
    same_out = tmp_path / "same.mp4"
    run.render(same_out, correction=run.correction.copy())
    assert read(same_out) == read(default_out)
    # No correction at all (zero shifts and angle, zoom 1): another video.
    identity = np.zeros((len(run), 4))
    identity[:, 3] = 1
    identity_out = tmp_path / "identity.mp4"
    run.render(identity_out, correction=identity)
    assert read(identity_out) != read(default_out)
    # The store keeps its corrections.
    assert stillwater.open(run.store).correction.tobytes() == run.correction.tobytes()
    with pytest.raises(stillwater.Error, match="expected 60 corrections, got 3"):
        run.render(tmp_path / "short.mp4", correction=identity[:3])
    with pytest.raises(stillwater.UsageError, match="shape"):
        run.render(tmp_path / "flat.mp4", correction=np.zeros(60))


def test_render_refuses_other_analysis_options(tmp_path, stores):
    run, _ = stores
    with pytest.raises(stillwater.Error, match="analysis_width|analysis"):
        run.render(tmp_path / "out.mp4", analysis_width=320)


def test_a_temporary_store_goes_with_its_runs(clip):
    run = stillwater.analyze(clip)
    store = run.store
    assert os.path.isdir(store)
    replanned = run.replan(radius=3, smoother="ma")
    del run
    gc.collect()
    assert os.path.isdir(store), "removed while a replanned Run still uses it"
    del replanned
    gc.collect()
    assert not os.path.exists(store)


def test_open_a_missing_store_names_it(tmp_path):
    with pytest.raises(stillwater.Error, match="nothing.zarr"):
        stillwater.open(tmp_path / "nothing.zarr")


def test_replan_refuses_other_options(stores):
    run, _ = stores
    with pytest.raises(stillwater.UsageError, match="--crf: unknown option"):
        run.replan(crf=20)
    with pytest.raises(stillwater.UsageError, match="--radius"):
        run.replan(radius=-1)
