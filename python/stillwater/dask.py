"""stillwater on Dask: every segment of the plan is one Dask task.

    from distributed import Client
    import stillwater.dask
    client = Client("scheduler:8786")            # or a LocalCluster
    stillwater.dask.stabilize("s3://in/clip.mp4", "s3://out/clip.mp4",
                              store="s3://runs/clip.zarr", client=client)

The graph is the command line's job array (``--shard``, docs/cluster.md) with one shard per
segment: the analysis tasks each measure one segment and stage it in the store, one task
plans the path (``analyze`` without a shard: it also measures any segment still missing),
the render tasks each encode one segment's piece into the store, and one task assembles the
output with its audio. Every task is the C++ segment job, so the output and the store's
arrays are byte-identical to ``stillwater stabilize`` with the same ``segment_frames``.

The tasks meet in the store only, so ``store`` is required and, like ``input`` and
``output``, must be readable (and the store writable) at the same name on every worker: a
shared file system, or ``s3://`` (S3 settings from each worker's environment, or
``s3_endpoint``). Their keys (``stillwater-analyze-segment-K``, ``stillwater-plan``,
``stillwater-render-segment-K``, ``stillwater-assemble``) name them on the dashboard.

``client``: a ``distributed.Client``; None takes the current one (``distributed.get_client``)
and, when there is none, runs the tasks one after another in this process. Each task runs
``threads`` workers (default 1: Dask's worker threads are the parallelism; a segment's own
work is sequential). A task that fails raises its ``stillwater.Error`` here; run the same call
again to resume from what the store holds.
"""

import dask

from . import _core
from ._options import to_argv
from .errors import UsageError

__all__ = ["stabilize", "analyze", "render", "segment_count"]

# stabilize's options that write one more file from the whole run: not in a task graph.
_WHOLE_RUN_ONLY = ("report", "path_csv", "metrics")


def _names(command):
    return {row[0][2:].replace("-", "_") for row in _core.options(command)}


def _split(command, options, exclude=()):
    """The options `command` takes (the others are left for another command)."""
    taken = _names(command) - set(exclude)
    return {k: v for k, v in options.items() if k in taken}


def _check_known(options, *commands):
    known = set().union(*(_names(c) for c in commands))
    for key in options:
        if key not in known:
            raise UsageError(f"stillwater: --{key.replace('_', '-')}: unknown option", 2)
        if key in _WHOLE_RUN_ONLY:
            raise UsageError(
                f"stillwater: --{key.replace('_', '-')}: not in a Dask run: write it from the "
                "store afterwards (stillwater.open(store) / `stillwater report`)", 2)
        if key == "shard":
            raise UsageError("stillwater: --shard: the Dask graph makes its own shards", 2)


def segment_count(input, **options):
    """How many segments the plan of ``input`` has (``segment_frames``, default 240): the
    number of analysis and render tasks. Opens and scans the input (demux only)."""
    return _core.segment_count(to_argv("analyze", _split("analyze", options), [input]))


def _quiet(options, threads):
    merged = dict(options, quiet=True)
    merged.setdefault("threads", threads)
    return merged


def _analyze_task(input, options, shard=None, *after):
    words = dict(options, shard=shard) if shard else options
    return _core.analyze(to_argv("analyze", words, [input]), None)


def _render_task(input, output, options, shard=None, *after):
    words = dict(options, output=output)
    if shard:
        words["shard"] = shard
    return _core.render(to_argv("render", words, [input]), None, None)


def _analysis_graph(input, store, options, threads):
    opts = _quiet(dict(_split("analyze", options), store=str(store)), threads)
    n = segment_count(input, **opts)
    segments = [
        dask.delayed(_analyze_task, pure=False)(
            input, opts, f"{k}/{n}", dask_key_name=f"stillwater-analyze-segment-{k}")
        for k in range(n)
    ]
    return dask.delayed(_analyze_task, pure=False)(input, opts, None, *segments,
                                                   dask_key_name="stillwater-plan")


def _render_graph(input, output, store, options, threads, after):
    path = _names("path")
    opts = _quiet(dict(_split("render", options, exclude=path | {"output"}), store=str(store)),
                  threads)
    n = segment_count(input, **opts)
    pieces = [
        dask.delayed(_render_task, pure=False)(
            input, str(output), dict(opts, overwrite=None, compare=None), f"{k}/{n}", *after,
            dask_key_name=f"stillwater-render-segment-{k}")
        for k in range(n)
    ]
    return dask.delayed(_render_task, pure=False)(input, str(output), opts, None, *pieces,
                                                  dask_key_name="stillwater-assemble")


def _compute(graph, client):
    if client is None:
        try:
            from distributed import get_client
            client = get_client()
        except (ImportError, ValueError):
            return dask.compute(graph, scheduler="sync")[0]
    return client.compute(graph).result()


def _require_store(store):
    if store is None:
        raise UsageError("stillwater: missing store=: the tasks meet in a run store every "
                         "worker can reach (a shared directory or s3://)", 2)


def analyze(input, store=None, *, client=None, threads=1, **options):
    """``stillwater analyze INPUT --store STORE`` as a Dask graph (one task per segment, then
    the path); returns the path task's summary (a dict, as ``stillwater.analyze`` gives it).
    Open the result with ``stillwater.open(store)``."""
    _require_store(store)
    _check_known(options, "analyze")
    return _compute(_analysis_graph(str(input), store, options, threads), client)


def render(input, output, store=None, *, client=None, threads=1, **options):
    """``stillwater render INPUT --store STORE -o OUTPUT`` as a Dask graph (one task per
    segment's piece, then the assembly) from the store's corrections; returns the assembly's
    summary."""
    _require_store(store)
    _check_known(options, "render")
    return _compute(_render_graph(str(input), output, store, options, threads, ()), client)


def stabilize(input, output, store=None, *, client=None, threads=1, **options):
    """``stillwater stabilize INPUT -o OUTPUT --store STORE`` as one Dask graph: the analysis
    tasks, the path, the render tasks, the assembly. Returns ``{"analysis": ..., "render":
    ...}``, the summaries of the path and assembly tasks."""
    _require_store(store)
    _check_known(options, "analyze", "render")
    planned = _analysis_graph(str(input), store, options, threads)
    assembled = _render_graph(str(input), output, store, options, threads, (planned,))
    analysis, rendered = _compute(dask.delayed(lambda a, r: (a, r), pure=False)(
        planned, assembled, dask_key_name="stillwater-summary"), client)
    return {"analysis": analysis, "render": rendered}
