"""stillwater's exceptions: what the binary prints as its one error line, as Python exceptions."""


class Error(RuntimeError):
    """A run failed (bad input, I/O error, ...). ``str(e)`` is the binary's one-line message
    (without the ``stillwater:`` prefix); ``e.code`` its exit code (1; 130 interrupted)."""

    def __init__(self, message, code=1):
        super().__init__(message)
        self.message = message
        self.code = code


class UsageError(Error, ValueError):
    """What the binary calls a bad command line (exit code 2): an unknown option, a value out
    of range or not among the choices, a missing argument. Also a ValueError."""

    def __init__(self, message, code=2):
        super().__init__(message, code)
