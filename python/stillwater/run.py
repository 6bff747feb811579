"""stillwater.Run: a run store's per-frame arrays as numpy arrays, a path re-planned in memory,
and rendering from it."""

import json
import shutil
import tempfile
import weakref

from . import _core
from ._options import to_argv

# The arrays a Run has as attributes (None when the store has none, e.g. an older store).
ARRAYS = ("pts", "time_s", "keyframe", "motion", "motion_scale", "features", "status", "valid",
          "scene_score", "picture_diff", "trajectory", "smoothed", "lof", "outlier", "repeat",
          "radius", "cut", "limited", "correction")
# The ones the path stage makes (replan replaces them).
PATH_ARRAYS = ("trajectory", "smoothed", "lof", "outlier", "repeat", "radius", "cut", "limited",
               "correction")


class Run:
    """One run: its store's arrays (``pts``, ``time_s``, ``motion`` (N, 3), ``status``,
    ``features`` (N, 3), ``trajectory`` and ``smoothed`` (N, 3), ``lof``, ``outlier``,
    ``correction`` (N, 4): dx, dy, da, zoom, ... as docs/store-format.md describes them),
    ``attrs`` (the store's description), ``input`` (the analysed video), ``store`` and
    ``summary`` (what analyze returned, or None)."""

    def __init__(self, store, *, input=None, options=None, s3_endpoint=None, summary=None):
        self.store = str(store)
        self._s3_endpoint = s3_endpoint or ""
        arrays, attrs = _core.read_store(self.store, self._s3_endpoint)
        self.attrs = json.loads(attrs)
        self.input = str(input) if input is not None else self.attrs["input"]["path"]
        # The analysis and exec options the run was made with; render passes them again, since
        # the analysis options identify the store.
        self.options = dict(options or {})
        self.path_options = None  # set by replan: render then plans this path again
        self.summary = summary
        self._keep = None  # what must outlive this Run (a temporary store's finalizer)
        for name in ARRAYS:
            setattr(self, name, arrays.get(name))

    def __repr__(self):
        return f"<stillwater.Run {self.store!r}: {len(self)} frames of {self.input!r}>"

    def __len__(self):
        return 0 if self.pts is None else len(self.pts)

    def replan(self, **path_options):
        """A new Run whose path arrays (trajectory, smoothed, lof, outlier, radius, cut,
        repeat, limited, correction) are recomputed in memory from the stored motions with the
        path options (``radius=30``, ``smoother="ma"``, ``crop="fill"``, ...; the others at
        their defaults), exactly as ``stillwater render --replan`` plans them. The store is not
        changed until the new run is rendered (as ``render --replan``, which writes its path)."""
        words = to_argv_path(path_options)
        arrays = _core.replan(self.store, words, self._s3_endpoint)
        other = object.__new__(Run)
        other.__dict__.update(self.__dict__)
        for name in PATH_ARRAYS:
            setattr(other, name, arrays[name])
        other.path_options = dict(path_options)
        return other

    def render(self, output, correction=None, *, progress=None, **options):
        """Renders ``output`` (``stillwater render``; render options such as ``crf=18``,
        ``encoder="libx265"``, ``overwrite=True``). The corrections are, in order: ``correction``
        when given (an (N, 4) array of dx, dy, da, zoom, e.g. computed in numpy; the store is
        not changed), else this Run's re-planned path (after replan), else the store's array.
        Returns the summary: frames, segments, resumed_segments, seconds, fill."""
        merged = dict(self.options, store=self.store, output=str(output), quiet=True)
        if self._s3_endpoint:
            merged.setdefault("s3_endpoint", self._s3_endpoint)
        if correction is None and self.path_options is not None:
            merged.update(self.path_options, replan=True)
        merged.update(options)
        return _core.render(to_argv("render", merged, [self.input]), correction, progress)


def to_argv_path(path_options):
    words = to_argv("path", path_options)
    return words[: words.index("--")]


def analyze(input, store=None, *, progress=None, **options):
    """``stillwater analyze INPUT --store STORE``: the analysis pass and the path, returned as
    a Run. Without ``store``, the store is a temporary directory that is removed when the Run
    (and every Run replan made from it) is garbage collected, or at the interpreter's exit."""
    temporary = None
    if store is None:
        temporary = tempfile.mkdtemp(prefix="stillwater-")
        store = temporary + "/run.zarr"
    try:
        merged = dict(options, store=str(store), quiet=True)
        summary = _core.analyze(to_argv("analyze", merged, [input]), progress)
    except BaseException:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
        raise
    # What render needs again: the analysis and exec options (not the path options, which
    # render refuses without replan, nor the ones about this call's own files).
    path = {name[2:].replace("-", "_") for name, *_ in _core.options("path")}
    kept = {k: v for k, v in options.items()
            if k not in path and k not in ("overwrite", "trace", "verbose")}
    run = Run(store, input=input, options=kept, s3_endpoint=options.get("s3_endpoint"),
              summary=summary)
    if temporary:
        # Shared by the Runs replan derives from this one (they copy _keep): the directory goes
        # when the last of them does.
        run._keep = _Temporary(temporary)
    return run


class _Temporary:
    def __init__(self, path):
        self.path = path
        weakref.finalize(self, shutil.rmtree, path, True)


def open(store, *, s3_endpoint=None):
    """The run store at ``store`` (a directory, or ``s3://BUCKET/PREFIX`` with the S3 settings
    from the environment as the binary takes them, or ``s3_endpoint``) as a Run. Its ``input``
    is the path the store recorded; pass the analysis options it was made with to render."""
    return Run(store, s3_endpoint=s3_endpoint)
