"""What a table cell holds, as the words of every language test it: missing, a finite number, a number.

Kept apart from :mod:`.locales` (which re-exports them) so that module stays about languages.
"""
from __future__ import annotations

import math
from typing import Any

__all__ = ["is_missing", "is_finite", "is_number"]


def is_missing(value: Any) -> bool:
    """True for a missing table cell: None, NaN, NaT or pandas' NA (never for text or a list)."""
    if value is None:
        return True
    import pandas as pd  # already loaded wherever there are table cells

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # an array-like cell: not a missing scalar
        return False


def is_finite(value: Any) -> bool:
    """True if ``value`` is a finite number (False for NaN, inf, None and text)."""
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def is_number(x: Any) -> bool:
    """A number of a table cell (int, float or a numpy number; not bool)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) or hasattr(x, "dtype") and \
        getattr(x, "dtype").kind in "iuf"
