"""Errors that carry a user's mistake back to the command line as one line.

Every problem with a user's input (a scenario file, a data file, a command-line
value) is raised as :class:`InputError`. The CLI catches it, prints
``str(error)`` on one line to stderr and exits with status 2, without a
traceback. Programming errors are ordinary exceptions and keep their traceback.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

__all__ = ["InputError", "printable", "EXIT_OK", "EXIT_FAILED", "EXIT_BAD_INPUT", "EXIT_INTERRUPTED"]

EXIT_OK = 0
EXIT_FAILED = 1  # a run that started but where some part failed
EXIT_BAD_INPUT = 2  # the input was rejected before anything ran
EXIT_INTERRUPTED = 130  # Ctrl-C / SIGTERM during a run


#: Unicode categories shown as escapes in messages: controls (newline, ESC), format characters
#: (bidirectional overrides), surrogates (undecodable bytes of a file name), line/paragraph separators
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def printable(text: object) -> str:
    """``text`` with every control, format or undecodable character written as an escape.

    A file name may hold a newline, a terminal escape sequence, a right-to-left
    override or bytes that are not UTF-8 (Python keeps them as lone
    surrogates, which cannot even be printed). In a message each becomes a
    visible escape (``\\n``, ``\\x1b``, ``\\u202e``, ``\\udcff``), so a message is
    one line and shows the name as it really is. Other text (Chinese
    included) is unchanged.
    """
    s = str(text)
    if all(c.isprintable() for c in s):  # fast path; isprintable() is False for every hidden category
        return s
    return "".join(
        c.encode("unicode_escape", "backslashreplace").decode("ascii")
        if unicodedata.category(c) in _HIDDEN_CATEGORIES else c
        for c in s
    )


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
        What is wrong, in plain words, ideally with the value seen: an English
        template whose ``{name}`` placeholders are filled from ``params``. The
        template is the message's identity (like a gettext ``msgid``): the
        command line shows it in another language from that language's
        ``errors.yaml`` (``reports/locale/<lang>/errors.yaml``).
    **params
        The values of the template's placeholders (file names, numbers, keys).

    Every part is one line: whitespace in ``problem`` is collapsed, and control
    characters in any part (a newline in a file name) are shown as escapes
    (:func:`printable`).
    """

    def __init__(self, source: str | Path | None, field: str | None, problem: str, **params: object):
        self.source = printable(source) if source is not None else None
        self.field = printable(field) if field is not None else None
        self.template = " ".join(str(problem).split())
        self.params = params
        text = self.template.format(**params) if params else self.template
        self.problem = printable(" ".join(text.split()))  # always one line
        super().__init__(self._format())

    def _format(self) -> str:
        parts = []
        if self.source:
            parts.append(self.source)
        if self.field:
            parts.append(f"field '{self.field}'")
        prefix = ": ".join(parts)
        return f"{prefix}: {self.problem}" if prefix else self.problem

    def __reduce__(self):
        # rebuilt whole in another process (a worker's error reaches the runner with its template)
        return (_rebuild_input_error, (self.source, self.field, self.template, self.params))


def _rebuild_input_error(source, field, template, params):
    return InputError(source, field, template, **params)
