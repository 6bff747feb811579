"""zarr-python / Dask side of the store compatibility tests (run by zarr_compat_test.cpp).

Usage (always with /usr/bin/python3, which has Debian's zarr 2.13, numcodecs and dask):
  zarr_compat.py write DIR   create DIR/theirs.zarr from DIR/specs.json with zarr-python
  zarr_compat.py check DIR   read DIR/ours.zarr (written by stillwater) and print a JSON report

specs.json lists arrays as {name, kind, codec, shape, chunks, dtype, fill, separator}
(separator null: not given). The codec
is a label; the numcodecs objects are built here, independently of the C++ JSON, so that a
difference in our compressor JSON shows up as a .zarray mismatch.
"""
import json
import pathlib
import sys

import dask.array as da
import numcodecs
import numpy as np
import zarr

CODECS = {
    "blosc_lz4": lambda: numcodecs.Blosc(cname="lz4"),
    "blosc_zstd": lambda: numcodecs.Blosc(cname="zstd", shuffle=2),
    "blosc_zlib": lambda: numcodecs.Blosc(cname="zlib"),
    "blosc_lz4hc_noshuffle": lambda: numcodecs.Blosc(cname="lz4hc", shuffle=0),
    "blosc_blosclz": lambda: numcodecs.Blosc(cname="blosclz"),
    "zstd": lambda: numcodecs.Zstd(level=3),
    "none": lambda: None,
}


def values(kind, shape, dtype):
    """The test pattern of each kind; zarr_compat_test.cpp computes the same formulas."""
    n = int(np.prod(shape))
    k = np.arange(n, dtype=np.int64)
    if kind == "rows":
        v = k * 0.25 - 5
    elif kind == "i8":
        v = (k * k - 500) * 1000003
    elif kind == "u1":
        v = (k * 7) % 256
    elif kind == "b1":
        v = k % 3 == 0
    elif kind == "frames":
        v = (k * 13 + k // 360) % 256
    elif kind == "i4":
        v = k * -77 + 1000
    elif kind == "f4":
        v = k * 0.5 - 2
    elif kind == "slash":
        v = k * 3 - 7
    elif kind == "nan_fill":
        v = np.where(k < 6, k.astype(np.float64), np.nan)
    else:
        raise ValueError(kind)
    return v.astype(dtype).reshape(shape)


def write(root):
    specs = json.loads((root / "specs.json").read_text())
    group = zarr.open_group(str(root / "theirs.zarr"), mode="w")
    for s in specs:
        fill = {"NaN": np.nan, None: 0}.get(s["fill"], s["fill"])
        # Like dask.array.to_zarr, pass dimension_separator only when the spec names one.
        extra = {"dimension_separator": s["separator"]} if s["separator"] else {}
        a = group.create(s["name"], shape=s["shape"], chunks=s["chunks"], dtype=s["dtype"],
                         compressor=CODECS[s["codec"]](), fill_value=fill, **extra)
        v = values(s["kind"], tuple(s["shape"]), s["dtype"])
        if s["kind"] == "nan_fill":
            a[0:6] = v[0:6]  # leave the other chunks unwritten: they must read as NaN
        else:
            a[...] = v
    frames = values("frames", (7, 12, 10, 3), "u1")
    da.from_array(frames, chunks=(2, 12, 10, 3)).to_zarr(str(root / "theirs.zarr"),
                                                        component="dask_frames")
    group.create("filtered", shape=(10,), chunks=(4,), dtype="<i8",
                 filters=[numcodecs.Delta(dtype="<i8")])[...] = np.arange(10)
    group.attrs["written_by"] = "zarr-python " + zarr.__version__


def check(root):
    path = str(root / "ours.zarr")
    group = zarr.open_group(path, mode="r")
    report = {"attrs": group.attrs.asdict(), "arrays": {}}
    for name, a in group.arrays():
        data = a[...]
        expected = np.fromfile(root / "expected" / (name + ".bin"), dtype=a.dtype).reshape(a.shape)
        entry = {
            "equal": bool(np.array_equal(data, expected, equal_nan=a.dtype.kind == "f")),
            "shape": list(a.shape),
            "dtype": a.dtype.str,
            "compressor": a.compressor.get_config() if a.compressor else None,
            "sum": float(np.nansum(data, dtype=np.float64)) if a.dtype.kind == "f"
            else int(data.sum(dtype=np.int64)),
        }
        if name.startswith("frames"):
            entry["dask_sum"] = int(da.from_zarr(path, component=name).sum(dtype="u8").compute())
        report["arrays"][name] = entry
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    {"write": write, "check": check}[sys.argv[1]](pathlib.Path(sys.argv[2]))
