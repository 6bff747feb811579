"""zarr-python / Dask side of the frames-array tests (run by frame_array_test.cpp).

Usage (always with /usr/bin/python3, which has Debian's zarr 2.13, numcodecs and dask):
  frame_array_compat.py write DIR   write frames arrays with dask.array.to_zarr, plus arrays of
                                    the wrong layout, and the luma we expect stillwater to read
  frame_array_compat.py check DIR   read DIR/ours.zarr (written by stillwater) and print a
                                    JSON report

The expected luma is computed here with numpy from the pixels numpy generated, with the
integer formula documented in src/store/frame_color.hpp, independently of the C++ code.
"""
import json
import pathlib
import sys

import dask.array as da
import numcodecs
import numpy as np
import zarr

# name -> (shape, dask chunks, compressor, fps attribute or None, component in a group or None)
CLIPS = {
    "c1": ((7, 12, 10, 3), (1, 12, 10, 3), None, None, None),
    "c4": ((11, 9, 14, 3), (4, 9, 14, 3), None, 30000 / 1001, None),
    "tiled": ((8, 12, 16, 3), (3, 5, 7, 3), numcodecs.Zstd(level=3), 25, "clip"),
    "split_rgb": ((5, 6, 4, 3), (2, 6, 4, 2), numcodecs.Blosc(cname="zstd", shuffle=2), None, None),
}


def luma(rgb):
    """BT.601 limited-range luma in swscale's 15-bit fixed point (see frame_color.hpp)."""
    r, g, b = (rgb[..., i].astype(np.int64) for i in range(3))
    return ((8414 * r + 16519 * g + 3208 * b + (16 << 15) + (1 << 14)) >> 15).astype(np.uint8)


def write(root):
    rng = np.random.default_rng(20251125)
    (root / "expected").mkdir(exist_ok=True)
    for name, (shape, chunks, compressor, fps, component) in CLIPS.items():
        frames = rng.integers(0, 256, size=shape, dtype=np.uint8)
        kwargs = {} if compressor is None else {"compressor": compressor}
        url = str(root / (name + ".zarr"))
        da.from_array(frames, chunks=chunks).to_zarr(url, component=component, **kwargs)
        if fps is not None:
            zarr.open_array(url, path=component or "", mode="r+").attrs["fps"] = fps
        (root / "expected" / (name + ".luma")).write_bytes(luma(frames).tobytes())

    wrong = zarr.open_group(str(root / "wrong.zarr"), mode="w")
    wrong.zeros("three_d", shape=(5, 12, 10), chunks=(1, 12, 10), dtype="u1")
    wrong.zeros("float", shape=(5, 12, 10, 3), chunks=(1, 12, 10, 3), dtype="<f4")
    wrong.zeros("four", shape=(5, 12, 10, 4), chunks=(1, 12, 10, 4), dtype="u1")
    wrong.zeros("fortran", shape=(5, 12, 10, 3), chunks=(1, 12, 10, 3), dtype="u1", order="F")
    wrong.zeros("half", shape=(5, 12, 10, 3), chunks=(1, 12, 10, 3), dtype="<f2")


def check(root):
    report = {}
    for name in ("luma", "rgb"):
        array = zarr.open_array(str(root / "ours.zarr"), path=name, mode="r")
        values = array[...]
        expected = np.frombuffer((root / "expected" / (name + ".bin")).read_bytes(), np.uint8)
        report[name] = {
            "shape": list(array.shape),
            "chunks": list(array.chunks),
            "dtype": array.dtype.str,
            "compressor": array.compressor.get_config() if array.compressor else None,
            "attrs": dict(array.attrs),
            "equal": values.size == expected.size
            and bool(np.array_equal(values.reshape(-1), expected)),
            "sum": int(values.sum(dtype=np.int64)),
            "dask_sum": int(da.from_zarr(str(root / "ours.zarr"), component=name).sum().compute()),
            "nchunks_initialized": array.nchunks_initialized,
        }
    print(json.dumps(report))


if __name__ == "__main__":
    command, directory = sys.argv[1], pathlib.Path(sys.argv[2])
    {"write": write, "check": check}[command](directory)
