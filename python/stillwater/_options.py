"""Keyword arguments -> the command line's words, so the binary's option table parses them
(same defaults, checks and messages): ``max_zoom=1.2`` is ``--max-zoom=1.2``, ``tripod=True``
is ``--tripod`` (``False`` or ``None``: left out; ``horizon_lock=True`` is the option
without its value, ``horizon_lock=2`` with it), a list or tuple repeats the option
(``ignore=["0,0,10%,10%", ...]``), and ``True``/``False`` for an on/off option is on/off."""

from . import _core


def _option_table(command):
    return {row[0]: row[1:] for row in _core.options(command)}


def to_argv(command, options, positional=()):
    """The words for ``stillwater COMMAND`` (after its name): options first, then ``--`` and
    the positional arguments, so a file name starting with ``-`` is not read as an option."""
    table = _option_table(command)
    words = []
    for key, value in options.items():
        name = "--" + key.replace("_", "-")
        if value is None:
            continue
        takes_value, choices, optional = table.get(name, (True, [], False))
        if not takes_value or optional:  # a flag; an unknown name is left for the table
            if value is True:
                words.append(name)
            elif value is not False:
                words.append(f"{name}={_text(value, choices)}")
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            words.append(f"{name}={_text(v, choices)}")
    return words + ["--"] + [str(p) for p in positional]


def _text(value, choices):
    if isinstance(value, bool):
        if "on" in choices or not choices:
            return "on" if value else "off"
    return str(value)
