"""stillwater in Python: the C++ video stabilizer's commands as functions, and a run store's
per-frame numbers as numpy arrays.

    import stillwater
    run = stillwater.analyze("shaky.mp4")          # -> Run (a temporary store)
    run.trajectory, run.smoothed, run.correction   # numpy arrays, one row per frame
    run.replan(radius=30).render("stable.mp4")

Options are the command line's long options with underscores (``crop="fill"``,
``max_zoom=1.2``, ``tripod=True``, ``ignore=[...]`` for a repeatable one), parsed by the
binary's own option table: the same defaults, checks and messages (see ``stillwater COMMAND
--help``). Every call runs quietly (no progress bar, no summary on stdout: it returns the
summary); warnings still go to stderr. ``progress=callable(done, total)`` is called on the
calling thread about ten times a second; Ctrl-C stops the run (its temporaries are removed)
and raises KeyboardInterrupt. Failures raise stillwater.Error (usage: stillwater.UsageError).
"""

from . import _core
from ._options import to_argv
from .errors import Error, UsageError
from .frames import analyze, warp
from .run import Run, open

__all__ = ["stabilize", "analyze", "open", "warp", "Run", "Error", "UsageError"]


def stabilize(input, output, *, progress=None, **options):
    """``stillwater stabilize INPUT -o OUTPUT`` (one file): the same output bytes as the
    binary. Returns its summary as a dict: frames, segments, analysis_seconds, render_seconds,
    jitter_before_px, jitter_after_px (planned), outliers, invalid_pairs, fill (full frame's
    shares). ``progress(done, total)`` counts the frames of both passes (total = 2 N)."""
    options = dict(options, output=str(output), quiet=True)
    return _core.stabilize(to_argv("stabilize", options, [input]), progress)
