"""Shared fixtures: the built binaries (from ctest's environment, or next to the build tree's
package) and synthetic clips made with the project's make_shaky_clip."""

import os
import pathlib
import subprocess

import pytest

import stillwater

_BUILD = pathlib.Path(stillwater.__file__).resolve().parents[2]


def _tool(variable, relative):
    path = os.environ.get(variable) or str(_BUILD / relative)
    if not os.path.exists(path):
        pytest.fail(f"{path} is missing (build it, or set {variable})")
    return path


@pytest.fixture(scope="session")
def binary():
    """The stillwater binary."""
    return _tool("SW_BINARY", "src/cli/stillwater")


@pytest.fixture(scope="session")
def make_clip():
    """make_clip(path, *options): a synthetic shaky clip (tools/make_shaky_clip)."""
    tool = _tool("SW_MAKE_CLIP", "tools/make_shaky_clip")

    def make(path, *options):
        subprocess.run([tool, str(path), *options], check=True, capture_output=True)
        return str(path)

    return make


@pytest.fixture(scope="session")
def clip(tmp_path_factory, make_clip):
    """60 frames of 320x240 with shake, two segments of 30 frames where asked."""
    return make_clip(tmp_path_factory.mktemp("clip") / "shaky.mp4", "--frames", "60", "--seed", "7")


@pytest.fixture(scope="session")
def reference_run(tmp_path_factory, binary, clip):
    """The binary's single-process `stabilize --store` of `clip` in 3 segments of 20 frames:
    what the Dask graphs must reproduce byte for byte."""
    root = tmp_path_factory.mktemp("reference")
    done = run_cli(binary, "stabilize", clip, "-o", root / "out.mp4", "--store",
                   root / "run.zarr", "--segment-frames", "20", "--threads", "2", "--quiet")
    assert done.returncode == 0, done.stderr
    return root


def run_cli(binary, *words):
    """Runs the binary; returns the CompletedProcess (never raises on exit codes)."""
    return subprocess.run([binary, *map(str, words)], capture_output=True, text=True)
