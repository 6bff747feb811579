"""Frames in and out (python/stillwater/frames.py): frames held in Python (numpy, dask, an
iterable) give the motions of the same frames as a Zarr frames array analysed by the binary,
bit for bit; warp moves a frame as the render does; bad frames raise ValueError."""

import dask.array as da
import numpy as np
import pytest

import stillwater
from conftest import run_cli

# The per-frame arrays the motions decide (the path's follow from them).
MOTION_ARRAYS = ("motion", "motion_scale", "status", "features", "scene_score", "picture_diff",
                 "trajectory", "correction")
OPTIONS = dict(threads=2, segment_frames=20)  # three segments on two workers


@pytest.fixture(scope="module")
def frames(tmp_path_factory, binary, clip):
    """The shaky clip's frames as RGB, (60, 240, 320, 3) uint8, as --store-frames rgb keeps them."""
    store = tmp_path_factory.mktemp("rgb") / "run.zarr"
    done = run_cli(binary, "analyze", clip, "--store", store, "--store-frames", "rgb", "-q")
    assert done.returncode == 0, done.stderr
    rgb = da.from_zarr(str(store / "frames")).compute()
    assert rgb.shape == (60, 240, 320, 3) and rgb.dtype == np.uint8
    return rgb


@pytest.fixture(scope="module")
def from_numpy(frames):
    return stillwater.analyze(frames, **OPTIONS)


def assert_same_motions(run, other):
    assert len(run) == len(other) == 60
    for name in MOTION_ARRAYS:
        ours, theirs = getattr(run, name), getattr(other, name)
        assert ours.dtype == theirs.dtype and ours.shape == theirs.shape, name
        assert ours.tobytes() == theirs.tobytes(), name


def test_numpy_frames_give_the_motions_of_the_same_frames_as_a_zarr_array(
        tmp_path, binary, frames, from_numpy):
    array = tmp_path / "frames.zarr"
    da.from_array(frames, chunks=(7, 240, 320, 3)).to_zarr(str(array))
    store = tmp_path / "cli.zarr"
    done = run_cli(binary, "analyze", array, "--store", store, "--threads", "1", "-q")
    assert done.returncode == 0, done.stderr
    cli = stillwater.open(store)
    assert_same_motions(from_numpy, cli)
    assert (from_numpy.status == 0).sum() == 59  # every pair measured, not equal failures
    np.testing.assert_array_equal(from_numpy.pts, cli.pts)


def test_non_contiguous_numpy_frames_are_the_same_frames(frames, from_numpy):
    fortran = np.asfortranarray(frames)
    assert not fortran.flags.c_contiguous
    assert_same_motions(stillwater.analyze(fortran, **OPTIONS), from_numpy)


def test_a_dask_array_of_several_chunks_is_the_numpy_array(frames, from_numpy):
    lazy = da.from_array(frames, chunks=(9, 120, 320, 3))  # 7 chunk rows, 2 tiles each
    assert lazy.numblocks[0] > 1
    assert_same_motions(stillwater.analyze(lazy, **OPTIONS), from_numpy)


def test_an_iterable_of_frames_is_the_numpy_array(frames, from_numpy):
    generator = (frame for frame in frames)
    assert_same_motions(stillwater.analyze(generator, **OPTIONS), from_numpy)


def test_a_store_of_numpy_frames_refuses_other_frames(tmp_path, frames):
    store = tmp_path / "run.zarr"
    stillwater.analyze(frames, store, **OPTIONS)
    other = frames.copy()
    other[-1, 10, 10, 0] ^= 1
    with pytest.raises(stillwater.Error, match="another input"):
        stillwater.analyze(other, store, **OPTIONS)


def test_a_run_of_frames_cannot_be_rendered(tmp_path, from_numpy):
    with pytest.raises(stillwater.Error, match="memory"):
        from_numpy.render(tmp_path / "out.mp4")


def test_warp_by_zero_is_the_frame_and_a_shift_moves_it(frames):
    frame = frames[30]
    np.testing.assert_array_equal(stillwater.warp(frame, (0, 0, 0, 1)), frame)
    moved = stillwater.warp(frame, (3, -2, 0, 1))
    assert moved.shape == frame.shape and moved.dtype == np.uint8
    # Output (x, y) shows input (x - 3, y + 2): the picture moved 3 right and 2 up.
    np.testing.assert_array_equal(moved[0:-2, 3:], frame[2:, :-3])
    assert (moved[:, :3] == 0).all() and (moved[-2:, :] == 0).all()  # uncovered: black
    # A correction row of the run, strided and not C-contiguous frames alike.
    np.testing.assert_array_equal(stillwater.warp(np.asfortranarray(frame), (3, -2, 0, 1)), moved)


def test_warp_of_a_run_row_is_the_frame_the_output_shows(frames, from_numpy):
    i = 40
    row = from_numpy.correction[i]
    out = stillwater.warp(frames[i], row, border="replicate")
    assert out.shape == frames[i].shape
    assert not np.array_equal(out, frames[i])  # a shaky frame is moved


@pytest.mark.parametrize("bad, message", [
    (np.zeros((4, 24, 32), np.uint8),
     r"numpy array: expected shape \(N, H, W, 3\), got \(4, 24, 32\)"),
    (np.zeros((4, 24, 32, 4), np.uint8), r"expected shape \(N, H, W, 3\), got \(4, 24, 32, 4\)"),
    (np.zeros((4, 24, 32, 3), np.float32), "numpy array: expected dtype uint8, got float32"),
    (da.zeros((4, 24, 32, 3), dtype=np.uint16), "dask array: expected dtype uint8, got uint16"),
    (iter([np.zeros((24, 32, 3), np.uint8), np.zeros((24, 30, 3), np.uint8)]),
     r"frame 1: expected shape \(24, 32, 3\) like the first frame, got \(24, 30, 3\)"),
    (iter([np.zeros((24, 32, 3), np.int64)]), "frame 0: expected dtype uint8, got int64"),
    (iter([np.zeros((24, 32), np.uint8)]), r"frame 0: expected shape \(H, W, 3\), got \(24, 32\)"),
    (iter([]), "expected at least 2 frames, got none"),
])
def test_bad_frames_raise_value_errors_naming_the_problem(bad, message):
    with pytest.raises(ValueError, match=message):
        stillwater.analyze(bad)


def test_bad_warps_raise_value_errors_naming_the_problem():
    frame = np.zeros((24, 32, 3), np.uint8)
    with pytest.raises(ValueError, match=r"expected shape \(H, W, 3\), got \(24, 32\)"):
        stillwater.warp(frame[:, :, 0], (0, 0, 0, 1))
    with pytest.raises(ValueError, match="expected dtype uint8, got float64"):
        stillwater.warp(frame.astype(np.float64), (0, 0, 0, 1))
    with pytest.raises(ValueError, match="expected a row of 4 numbers"):
        stillwater.warp(frame, (3, -2))
    with pytest.raises(ValueError, match="zoom > 0"):
        stillwater.warp(frame, (0, 0, 0, 0))
    with pytest.raises(ValueError, match="expected one of black, replicate, mirror"):
        stillwater.warp(frame, (0, 0, 0, 1), border="wrap")
    with pytest.raises(ValueError, match="fps"):
        stillwater.analyze(np.zeros((4, 24, 32, 3), np.uint8), fps=0)


def _boom(block):
    raise RuntimeError("boom")


def test_a_frame_that_cannot_be_had_fails_the_run_with_one_line():
    lazy = da.zeros((4, 24, 32, 3), dtype=np.uint8, chunks=(2, 24, 32, 3)).map_blocks(
        _boom, dtype=np.uint8)
    with pytest.raises(stillwater.Error, match="frame 0: RuntimeError: boom") as raised:
        stillwater.analyze(lazy)
    assert "\n" not in str(raised.value)


def test_fps_sets_the_frames_time_base(frames):
    run = stillwater.analyze(frames[:10], fps=25)
    np.testing.assert_array_equal(run.pts, np.arange(10))
    assert run.time_s[1] == pytest.approx(0.04)
