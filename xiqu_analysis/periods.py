"""Periods of growth years: ``"2021-2025"`` means the growth from 2020 to 2025.

One home for reading and writing periods, used by the data files
(``figures.csv``), scenarios (growth given by period) and the economics
(average growth over a period). A period ``"A-B"`` holds the *growth years*
A..B inclusive: its average growth compares the level of year ``A - 1`` with
the level of year ``B``, over ``B - A + 1`` annual steps.
"""
from __future__ import annotations

import re
from typing import Any

from .errors import Message

__all__ = ["YEAR_MIN", "YEAR_MAX", "parse_period", "period_text", "years_label", "check_period_text", "steps",
           "PeriodError"]

#: years a data file or scenario may name
YEAR_MIN, YEAR_MAX = 1900, 2100

_PERIOD_RE = re.compile(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?")
_STRICT_RE = re.compile(r"(\d{4})-(\d{4})")


class PeriodError(ValueError):
    """A key that is not a period; ``message`` is its problem as a template and values."""

    def __init__(self, template: str, **params: object):
        self.message = Message(template, **params)
        super().__init__(str(self.message))


def parse_period(key: Any) -> tuple[int, int]:
    """Parse a period into inclusive growth years.

    Parameters
    ----------
    key : str or int
        ``"2021-2025"`` (growth years 2021..2025, i.e. from the 2020 level to
        the 2025 level), ``"2021"`` or the integer ``2021`` (one year).

    Returns
    -------
    tuple of int
        ``(first, last)`` growth year, ``first <= last``.

    Raises
    ------
    ValueError
        When the key is not of that form (bool keys, ``"2021/2025"``,
        ``"2025-2021"``).

    Examples
    --------
    >>> parse_period("2021-2025")
    (2021, 2025)
    >>> parse_period(2030)
    (2030, 2030)
    """
    if isinstance(key, bool):
        raise PeriodError("period key {key!r} is a boolean, not 'YYYY-YYYY'", key=key)
    if isinstance(key, int):
        if 1000 <= key <= 9999:
            return key, key
        raise PeriodError("period key {key} is not a four-digit year or 'YYYY-YYYY'", key=key)
    if not isinstance(key, str):
        raise PeriodError("period key {key!r} is not 'YYYY-YYYY'", key=key)
    m = _PERIOD_RE.fullmatch(key)
    if not m:
        raise PeriodError("period key '{key}' is not 'YYYY-YYYY' (e.g. '2021-2025') or a single year", key=key)
    first = int(m.group(1))
    last = int(m.group(2)) if m.group(2) else first
    if last < first:
        raise PeriodError("period '{key}' ends before it starts", key=key)
    return first, last


def period_text(first: int, last: int) -> str:
    """The canonical text of a period: ``period_text(2021, 2025) == "2021-2025"``."""
    return f"{first}-{last}"


def years_label(first: int, last: int) -> str:
    """``"2025"`` for one year, ``"2025-2027"`` for several (for messages)."""
    return str(first) if first == last else period_text(first, last)


def steps(period: Any) -> int:
    """Number of annual growth steps of a period (``"2021-2025"`` -> 5)."""
    first, last = parse_period(period)
    return last - first + 1


def check_period_text(text: str) -> Message | None:
    """Why ``text`` is not a strict ``YYYY-YYYY`` period of a data file, or None.

    Data files write periods in full (``2016-2020``), within
    :data:`YEAR_MIN`..:data:`YEAR_MAX`.
    """
    m = _STRICT_RE.fullmatch(text)
    if not m:
        return Message("period must be YYYY-YYYY (e.g. 2016-2020), got {text!r}", text=text)
    a, b = int(m.group(1)), int(m.group(2))
    if not (YEAR_MIN <= a <= YEAR_MAX and YEAR_MIN <= b <= YEAR_MAX):
        return Message("period {text!r} outside {first}-{last}", text=text, first=YEAR_MIN, last=YEAR_MAX)
    if a > b:
        return Message("period {text!r} ends before it starts", text=text)
    return None
