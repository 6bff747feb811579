#!/usr/bin/python3
"""Writes the path stage's reference vectors (tests/path/vectors/*.json) with scikit-learn.

    /usr/bin/python3 scripts/make_reference_vectors.py [OUTPUT_DIR]   (default tests/path/vectors)

Needs Debian's python3-sklearn (and python3-numpy, which it pulls in); the tests only read the
committed JSON, so only regenerating needs them. The inputs are made here from fixed seeds, so
the same library versions give the same files; the versions used are written into every file.

Each file holds, for one series of per-pair motions `input` (rows [dx, dy, da]):
  lof             for each n_neighbors k: LocalOutlierFactor(n_neighbors=k, contamination="auto")
                  .fit_predict(input): `labels` (-1 outlier, 1 inlier) and
                  `negative_outlier_factor` (minus the LOF; "auto" flags rows below -1.5)
  moving_average  the trajectory (cumulative sum of input down each column) smoothed by a box of
                  width 2r+1, the ends padded by repeating the first and last row ("edge")
  recipe_replace  every row that lof[0] labels -1 replaced by the mean of the input rows
                  [max(0, i-h), min(n-1, i+h)] (original rows only), h = half_window
"""
import json
import os
import platform
import sys

import numpy as np
import sklearn
from sklearn.neighbors import LocalOutlierFactor

RADII = (30, 5)
HALF_WINDOW = 50


def jolts(rng):
    """Gaussian shake, a slow pan drift, and four sudden jolts (the outliers LOF should find)."""
    n = 200
    rows = np.column_stack([
        rng.normal(0.0, 1.5, n) + 0.2,
        rng.normal(0.0, 1.2, n) - 0.1,
        rng.normal(0.0, 0.004, n),
    ])
    for at, jolt in ((23, (35.0, -21.0, 0.05)), (24, (-34.0, 22.7, -0.04)), (97, (60.0, 1.2, 0.0)),
                     (160, (-5.6, 14.0, -0.02))):
        rows[at] += jolt
    return rows


def small(rng):
    """n = 25, barely above n_neighbors = 20: most neighbourhoods are nearly the whole set; one
    jolt."""
    rows = rng.normal(0.0, 1.0, (25, 3))
    rows[12] += (9.0, -7.0, 2.0)
    return rows


def whole_pixels(rng):
    """A tracker that rounds shifts to whole pixels: integer dx, dy and a small continuous
    rotation, so many distances are nearly equal. (Not exactly equal: with exact ties
    scikit-learn's choice among tied neighbours follows its tree's traversal order, which no
    definition of LOF fixes, and the factors depend on that choice.)"""
    rows = np.zeros((80, 3))
    rows[:, :2] = rng.integers(-2, 3, (80, 2))
    rows[:, 2] = rng.normal(0.0, 0.01, 80)
    rows[[17, 55], :2] = [[14, -9], [-11, 12]]
    return rows


def duplicates(rng):
    """A mostly static camera: most rows exactly zero, a few repeated and a few unique ones (zero
    distances, so scikit-learn's 1e-10 guard decides the factors)."""
    rows = np.zeros((60, 3))
    distinct = rng.normal(0.0, 0.6, (6, 3))
    for i in range(0, 60, 7):
        rows[i] = distinct[(i // 7) % 3]  # three rows that repeat
    rows[[11, 30, 44, 52]] = distinct[3:6].tolist() + [distinct[0] * 2.0]
    return rows


def handheld(rng):
    """Shaped like motion measured on a handheld clip: a slow pan, walking bounce (a periodic
    vertical sway with its harmonic), correlated hand tremor (an AR(1) process), and a few
    tracking glitches where the estimate jumps for one frame."""
    n = 240
    t = np.arange(n)
    tremor = np.zeros((n, 3))
    noise = rng.normal(0.0, 1.0, (n, 3)) * [2.5, 2.5, 0.004]
    for i in range(1, n):
        tremor[i] = 0.7 * tremor[i - 1] + noise[i]
    pan = np.column_stack([0.8 + 0.3 * np.sin(t / 40.0), np.zeros(n), np.zeros(n)])
    bounce = np.column_stack([
        np.zeros(n),
        6.0 * np.sin(2 * np.pi * t / 17.0) + 1.5 * np.sin(4 * np.pi * t / 17.0 + 0.5),
        0.006 * np.sin(2 * np.pi * t / 34.0),
    ])
    rows = pan + bounce + tremor
    for at in (41, 42, 133, 200):
        rows[at] += rng.normal(0.0, 25.0, 3) * [1.0, 1.0, 0.002]
    return rows


SERIES = (
    ("random_with_jolts", "gaussian shake with four injected jolts", jolts, (20, 35)),
    ("small_n25", "n barely above n_neighbors", small, (20, )),
    ("many_duplicates", "mostly identical rows (static camera): distances of zero", duplicates,
     (20, )),
    ("whole_pixels", "integer steps and a small rotation: nearly equal distances",
     whole_pixels, (20, )),
    ("handheld_like", "a slow pan, walking bounce, correlated tremor and four tracking glitches",
     handheld, (20, 5)),
)


def moving_average(trajectory, radius):
    padded = np.pad(trajectory, ((radius, radius), (0, 0)), mode="edge")
    box = np.ones(2 * radius + 1) / (2 * radius + 1)
    return np.column_stack([np.convolve(padded[:, c], box, mode="valid") for c in range(3)])


def recipe_replace(rows, labels, half_window):
    out = rows.copy()
    n = len(rows)
    for i in np.flatnonzero(labels == -1):
        out[i] = rows[max(0, i - half_window):min(n - 1, i + half_window) + 1].mean(axis=0)
    return out


def versions():
    return {
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }


def vectors(name, note, make, neighbours, seed):
    rows = make(np.random.default_rng(seed))
    lof = []
    for k in neighbours:
        model = LocalOutlierFactor(n_neighbors=k, contamination="auto")
        labels = model.fit_predict(rows)
        lof.append({
            "n_neighbors": k,
            "contamination": "auto",
            "negative_outlier_factor": model.negative_outlier_factor_.tolist(),
            "labels": labels.tolist(),
        })
    trajectory = np.cumsum(rows, axis=0)
    first_labels = np.array(lof[0]["labels"])
    return {
        "name": name,
        "note": note,
        "generator": "scripts/make_reference_vectors.py",
        "seed": seed,
        "versions": versions(),
        "input": rows.tolist(),
        "lof": lof,
        "moving_average": [{
            "radius": r,
            "of": "trajectory (cumulative sum of input, per column)",
            "expected": moving_average(trajectory, r).tolist(),
        } for r in RADII],
        "recipe_replace": {
            "half_window": HALF_WINDOW,
            "labels_from": f"lof n_neighbors={neighbours[0]}",
            "expected": recipe_replace(rows, first_labels, HALF_WINDOW).tolist(),
        },
    }


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "path", "vectors"))
    os.makedirs(out_dir, exist_ok=True)
    for seed, (name, note, make, neighbours) in enumerate(SERIES, start=1201):
        path = os.path.join(out_dir, name + ".json")
        v = vectors(name, note, make, neighbours, seed)
        with open(path, "w") as f:
            json.dump(v, f, separators=(",", ":"))
            f.write("\n")
        labels = v["lof"][0]["labels"]
        print(f"{path}: {labels.count(-1)} outliers of {len(labels)}")
    print("versions:", json.dumps(versions()))


if __name__ == "__main__":
    main()
