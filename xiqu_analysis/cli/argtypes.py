"""argparse value types shared by the sub-commands.

A value that does not parse raises :class:`argparse.ArgumentTypeError`; the
CLI's parser turns it into one line on stderr and exit status 2.
"""
from __future__ import annotations

import argparse
import math
from typing import Callable


def whole_number(minimum: int | None = None, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse ``type`` accepting a base-10 integer in ``[minimum, maximum]``."""

    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        seen = text.strip() if len(text.strip()) <= 40 else text.strip()[:37] + "..."
        if minimum is not None and value < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum:,}, got {seen}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be <= {maximum:,}, got {seen}")
        return value

    return parse


def open_interval(lower: float, upper: float = math.inf, what: str = "a number") -> Callable[[str], float]:
    """An argparse ``type`` accepting a finite float strictly between ``lower`` and ``upper``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {what}: {text!r}") from None
        if not (lower < value < upper) or not math.isfinite(value):
            bounds = f"> {lower:g}" if upper == math.inf else f"strictly between {lower:g} and {upper:g}"
            raise argparse.ArgumentTypeError(f"must be {what} {bounds}, got {text}")
        return value

    return parse
