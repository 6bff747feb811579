"""Frames in and out of Python: analyze() of frames held in Python (a numpy array, a dask
array, or any iterable of frames) and warp() of one frame by its correction row."""

import os
import shutil
import sys
import tempfile
import threading

import numpy as np

from . import _core
from . import run as _run


def analyze(input, store=None, *, fps=None, progress=None, **options):
    """The analysis pass and the path of ``input``, returned as a Run (see ``stillwater.Run``).

    ``input`` is a video file, a Zarr frames array or ``s3://`` object (as for the binary), or
    RGB frames held in Python, whose motions are then those of the same frames written as a
    Zarr frames array (``stillwater analyze FRAMES.zarr``), bit for bit:

    * a numpy array (N, H, W, 3) uint8, C-contiguous or not;
    * a dask array of that shape and dtype: computed one chunk of frames at a time (each
      analysis worker holds the chunk it reads, so memory is a few chunks, never the video);
    * any other iterable of (H, W, 3) uint8 frames (a generator, a list): their number is
      unknown, so they are first written one by one into a temporary Zarr frames array on
      disk (memory: one frame), which is analysed and then removed.

    ``fps`` (frames in Python only; default 30) sets the frames' time base. Frames from Python
    are analysed only: a Run of them cannot be rendered (there is no video to take the sound
    and timing from); look at its frames with ``warp``. Bad shapes or dtypes raise ValueError
    naming the problem; ``store``, ``progress`` and ``**options`` are as for a file.
    """
    if isinstance(input, (str, bytes, os.PathLike)):
        if fps is not None:
            raise ValueError("fps: only for frames held in Python (a file has its own rate)")
        return _run.analyze(input, store, progress=progress, **options)
    fps = 30.0 if fps is None else float(fps)
    dask_array = sys.modules.get("dask.array")
    if dask_array is not None and isinstance(input, dask_array.Array):
        _check_array(input, "dask array")
        return _analyze_registered(_DaskFrames(input), input.shape, fps, "dask array", store,
                                   progress, options)
    if isinstance(input, np.ndarray):
        _check_array(input, "numpy array")
        return _analyze_registered(input.__getitem__, input.shape, fps, "numpy array", store,
                                   progress, options)
    if hasattr(input, "__iter__"):
        return _analyze_iterable(input, fps, store, progress, options)
    raise TypeError("frames: expected a file name, a numpy or dask array (N, H, W, 3) uint8 or "
                    f"an iterable of frames, got {type(input).__name__}")


def warp(frame, correction_row, *, border="black"):
    """Frame ``frame`` ((H, W, 3) uint8) as the output shows it: warped by its correction row
    (dx, dy, da, zoom, a row of ``Run.correction``) with the render's own warp and border
    (``border``: black, replicate or mirror, as ``--border``). Returns a new (H, W, 3) uint8
    array. E.g. ``stillwater.warp(frames[i], run.correction[i])``."""
    row = np.asarray(correction_row, dtype=np.float64)
    if row.shape != (4,):
        raise ValueError("correction: expected a row of 4 numbers (dx, dy, da, zoom), got shape "
                         f"{row.shape}")
    return _core.warp(frame, row.tolist(), border)


def _check_array(frames, what):
    if frames.ndim != 4 or frames.shape[3] != 3:
        raise ValueError(f"{what}: expected shape (N, H, W, 3), got {tuple(frames.shape)}")
    if frames.dtype != np.uint8:
        raise ValueError(f"{what}: expected dtype uint8, got {frames.dtype}")


def _analyze_registered(read, shape, fps, what, store, progress, options):
    n, height, width = (int(s) for s in shape[:3])
    name = f"{what} ({n}, {height}, {width}, 3)"
    frames = _core.RegisteredFrames(read, n, width, height, fps, name)
    try:
        return _run.analyze(frames.name, store, progress=progress, **options)
    finally:
        frames.close()


class _DaskFrames:
    """read(k) for a dask array: the chunk row along N holding k, computed when the calling
    worker moves into it. One held chunk per worker thread (threads are told apart by their
    ident: each analysis worker reads its segment in order), dropped before the next is
    computed."""

    def __init__(self, array):
        self.array = array
        self.starts = np.cumsum((0,) + tuple(array.chunks[0]))
        self.held = {}  # thread ident -> (first frame, frames of its chunk row)

    def __call__(self, k):
        me = threading.get_ident()
        first, block = self.held.get(me, (0, None))
        if block is None or not first <= k < first + len(block):
            self.held.pop(me, None)
            row = int(np.searchsorted(self.starts, k, side="right")) - 1
            first, stop = int(self.starts[row]), int(self.starts[row + 1])
            block = np.asarray(self.array[first:stop].compute())
            self.held[me] = (first, block)
        return block[k - first]


def _analyze_iterable(frames, fps, store, progress, options):
    directory = tempfile.mkdtemp(prefix="stillwater-frames-")
    try:
        path = os.path.join(directory, "frames.zarr")
        writer, n = None, 0
        for frame in frames:
            if writer is None:
                first = np.asarray(frame)
                if first.ndim != 3 or first.shape[2] != 3:
                    raise ValueError(f"frame 0: expected shape (H, W, 3), got {first.shape}")
                writer = _core.FramesArrayWriter(path, first.shape[1], first.shape[0], fps)
            writer.write(n, np.asarray(frame))
            n += 1
        if writer is None:
            raise ValueError("frames: expected at least 2 frames, got none")
        writer.finish(n)
        return _run.analyze(path, store, progress=progress, **options)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
