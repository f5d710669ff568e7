"""Errors that carry a user's mistake back to the command line as one line.

Every problem with a user's input (a scenario file, a data file, a command-line
value) is raised as :class:`InputError`. The CLI catches it, prints
``str(error)`` on one line to stderr and exits with status 2, without a
traceback. Programming errors are ordinary exceptions and keep their traceback.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

__all__ = ["InputError", "Message", "printable", "EXIT_OK", "EXIT_FAILED", "EXIT_BAD_INPUT", "EXIT_INTERRUPTED"]

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


class Message:
    """A piece of text as an English template and the values of its ``{name}`` placeholders.

    ``str(message)`` is the English text (the template filled, whitespace
    collapsed). The template is the message's identity: the command line and
    the explorer show it in another language from that language's
    ``errors.yaml`` (:mod:`xiqu_analysis.reports.words.messages`). A value may
    itself be a :class:`Message` (a problem inside a problem, a value described
    in words), translated the same way. A template without values is used as
    it is (braces in it are not placeholders).
    """

    __slots__ = ("template", "params")

    def __init__(self, template: str, /, **params: object):
        self.template = " ".join(str(template).split())
        self.params = params

    def __str__(self) -> str:
        text = self.template.format(**self.params) if self.params else self.template
        return " ".join(text.split())

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Message({self.template!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.template, self.params) == (other.template, other.params)

    def __hash__(self) -> int:
        return hash(self.template)

    def __reduce__(self):
        return (_rebuild_message, (self.template, self.params))


def _rebuild_message(template, params):
    return Message(template, **params)


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
        The values of the template's placeholders (file names, numbers, keys);
        a value may be a :class:`Message` (an inner problem: ``problem=exc.message``).

    Every part is one line: whitespace in ``problem`` is collapsed, and control
    characters in any part (a newline in a file name) are shown as escapes
    (:func:`printable`).
    """

    def __init__(self, source: str | Path | None, field: str | None, problem: "str | Message", /, **params: object):
        if isinstance(problem, Message):  # a problem built elsewhere (a pydantic error in words)
            problem, params = problem.template, {**problem.params, **params}
        self.source = printable(source) if source is not None else None
        self.field = printable(field) if field is not None else None
        self.template = " ".join(str(problem).split())
        self.params = params
        text = self.template.format(**params) if params else self.template
        self.problem = printable(" ".join(text.split()))  # always one line
        super().__init__(self._format())

    @property
    def message(self) -> Message:
        """The problem as a :class:`Message` (template and values), to show in another language or
        to pass on inside another error's problem."""
        return Message(self.template, **self.params)

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
