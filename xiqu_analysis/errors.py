"""Errors that carry a user's mistake back to the command line as one line.

Every problem with a user's input (a scenario file, a data file, a command-line
value) is raised as :class:`InputError`. The CLI catches it, prints
``str(error)`` on one line to stderr and exits with status 2, without a
traceback. Programming errors are ordinary exceptions and keep their traceback.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["InputError", "EXIT_OK", "EXIT_FAILED", "EXIT_BAD_INPUT", "EXIT_INTERRUPTED"]

EXIT_OK = 0
EXIT_FAILED = 1  # a run that started but where some part failed
EXIT_BAD_INPUT = 2  # the input was rejected before anything ran
EXIT_INTERRUPTED = 130  # Ctrl-C / SIGTERM during a run


class InputError(ValueError):
    """A user's input is invalid.

    Parameters
    ----------
    source : str or Path or None
        The file (or ``"command line"``) the bad value came from.
    field : str or None
        The field, column or option, dotted for nested keys
        (``"sector_shares.primary"``), with ``row N`` for tables.
    problem : str
        What is wrong, in plain words, ideally with the value seen.
    """

    def __init__(self, source: str | Path | None, field: str | None, problem: str):
        self.source = str(source) if source is not None else None
        self.field = field
        self.problem = " ".join(str(problem).split())  # always one line
        super().__init__(self._format())

    def _format(self) -> str:
        parts = []
        if self.source:
            parts.append(self.source)
        if self.field:
            parts.append(f"field '{self.field}'")
        prefix = ": ".join(parts)
        return f"{prefix}: {self.problem}" if prefix else self.problem
