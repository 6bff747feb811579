"""stillwater.stabilize against the binary: output bytes, errors, progress, Ctrl-C."""

import os
import signal

import pytest

import stillwater
from conftest import run_cli


def read(path):
    with open(path, "rb") as f:
        return f.read()


def test_stabilize_gives_the_binarys_bytes_and_summary(tmp_path, binary, clip):
    cli_out = tmp_path / "cli.mp4"
    done = run_cli(binary, "stabilize", clip, "-o", cli_out, "--threads", "1",
                   "--segment-frames", "30", "--max-zoom", "1.3", "--quiet")
    assert done.returncode == 0, done.stderr
    py_out = tmp_path / "py.mp4"
    # Other thread counts than the binary's: the bytes never depend on them.
    summary = stillwater.stabilize(clip, py_out, threads=2, segment_frames=30, max_zoom=1.3)
    assert read(py_out) == read(cli_out)
    assert summary["frames"] == 60
    assert summary["segments"] == 2
    assert summary["jitter_after_px"] < summary["jitter_before_px"]
    assert summary["output"] == str(py_out)


def test_options_change_the_output_as_on_the_command_line(tmp_path, binary, clip):
    cli_out = tmp_path / "cli.mp4"
    done = run_cli(binary, "stabilize", clip, "-o", cli_out, "--smoother", "ma", "--radius", "4",
                   "--crop", "none", "--zoom", "1.1", "--quiet")
    assert done.returncode == 0, done.stderr
    py_out = tmp_path / "py.mp4"
    stillwater.stabilize(clip, py_out, smoother="ma", radius=4, crop="none", zoom=1.1)
    assert read(py_out) == read(cli_out)
    default_out = tmp_path / "default.mp4"
    stillwater.stabilize(clip, default_out)
    assert read(default_out) != read(py_out)


def test_repeated_flags_and_optional_values_become_the_binarys_words(tmp_path, binary, clip):
    cli_out = tmp_path / "cli.mp4"
    done = run_cli(binary, "stabilize", clip, "-o", cli_out, "--ignore", "0,0,10%,10%",
                   "--ignore", "200,150,40,40", "--horizon-lock", "--repeats", "off",
                   "--quiet")
    assert done.returncode == 0, done.stderr
    py_out = tmp_path / "py.mp4"
    stillwater.stabilize(clip, py_out, ignore=["0,0,10%,10%", "200,150,40,40"],
                         horizon_lock=True, repeats=False, tripod=False)
    assert read(py_out) == read(cli_out)
    one_region = tmp_path / "one.mp4"
    stillwater.stabilize(clip, one_region, ignore="0,0,10%,10%", horizon_lock=True,
                         repeats=False)
    assert read(one_region) != read(py_out)


def test_a_bad_option_is_a_usage_error_with_the_binarys_message(tmp_path, binary, clip):
    done = run_cli(binary, "stabilize", clip, "-o", tmp_path / "x.mp4", "--crop", "bogus")
    assert done.returncode == 2
    with pytest.raises(stillwater.UsageError) as caught:
        stillwater.stabilize(clip, tmp_path / "x.mp4", crop="bogus")
    assert "stillwater: " + str(caught.value) == done.stderr.strip()
    assert caught.value.code == 2
    assert isinstance(caught.value, ValueError)
    with pytest.raises(stillwater.UsageError, match="--max-zoom: expected a value in"):
        stillwater.stabilize(clip, tmp_path / "x.mp4", max_zoom=9)
    with pytest.raises(stillwater.UsageError, match="--no-such-option: unknown option"):
        stillwater.stabilize(clip, tmp_path / "x.mp4", no_such_option=1)
    assert not (tmp_path / "x.mp4").exists()


def test_a_missing_input_raises_an_error_naming_it(tmp_path):
    missing = tmp_path / "no such clip.mp4"
    with pytest.raises(stillwater.Error) as caught:
        stillwater.stabilize(missing, tmp_path / "out.mp4")
    assert str(missing) in str(caught.value)
    assert caught.value.code == 1
    assert not isinstance(caught.value, stillwater.UsageError)
    with pytest.raises(stillwater.Error, match="no such clip"):
        stillwater.analyze(missing)


def test_an_existing_output_needs_overwrite(tmp_path, clip):
    out = tmp_path / "out.mp4"
    out.write_bytes(b"keep")
    with pytest.raises(stillwater.Error, match="already exists"):
        stillwater.stabilize(clip, out)
    assert read(out) == b"keep"
    stillwater.stabilize(clip, out, overwrite=True)
    assert read(out) != b"keep"


def test_progress_counts_both_passes(tmp_path, clip):
    calls = []
    stillwater.stabilize(clip, tmp_path / "out.mp4", progress=lambda d, t: calls.append((d, t)))
    assert calls, "progress was never called"
    assert all(total == 120 for _, total in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert calls[-1] == (120, 120)


def test_an_exception_in_progress_stops_the_run(tmp_path, clip):
    def fail(done, total):
        raise LookupError("stop here")

    with pytest.raises(LookupError, match="stop here"):
        stillwater.stabilize(clip, tmp_path / "out.mp4", progress=fail)
    assert os.listdir(tmp_path) == []


def test_ctrl_c_raises_keyboard_interrupt_and_leaves_nothing(tmp_path, clip):
    def interrupt(done, total):
        os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(KeyboardInterrupt):
        stillwater.stabilize(clip, tmp_path / "out.mp4", progress=interrupt)
    assert os.listdir(tmp_path) == []
    # The next call is not stopped by the last one's interrupt.
    assert stillwater.stabilize(clip, tmp_path / "out.mp4")["frames"] == 60
