"""Dotted input paths of a scenario and its growth periods: canonical form, coverage, expansion.

Helpers of :class:`~xiqu_analysis.inputs.scenario.model.Scenario`: a path such as
``real_growth_pct.secondary.2021-2025`` names one input (periods are written
``YYYY-YYYY``); periods must cover the growth years exactly once; a growth
input given by periods expands to one value per year.
"""
from __future__ import annotations

import difflib
from typing import Any

import numpy as np

from ...errors import Message
from ...periods import parse_period, period_text, years_label
from ..validation import field_problem
from .fields import is_growth_field

__all__ = ["short", "is_period_of", "canonical_path", "unknown_path_message", "check_coverage", "expand",
           "input_years", "figure_covers"]


def short(value: Any) -> str:
    """A changed value in a few characters, for the with_changes note."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {short(v)}" for k, v in value.items()) + "}"
    return str(value)


def is_period_of(parts: list[str], data: dict) -> bool:
    """True when ``parts`` names a new period key of a growth input (rejected later if it breaks coverage)."""
    parent = ".".join(parts[:-1])
    if not is_growth_field(parent):
        return False
    try:
        parse_period(parts[-1])
    except ValueError:
        return False
    return True


def canonical_path(path: str) -> str:
    """Strip spaces; write a trailing period component as ``YYYY-YYYY``."""
    parts = [p.strip() for p in str(path).split(".")]
    if len(parts) >= 2 and is_growth_field(".".join(parts[:-1])):
        try:
            parts[-1] = period_text(*parse_period(parts[-1]))
        except ValueError:
            pass
    return ".".join(parts)


def unknown_path_message(key: str, leaves: set[str], groups: set[str], sources: bool = False) -> Message:
    candidates = sorted(p for p in leaves if not (sources and p.startswith("uncertainty.")))
    if not sources:
        candidates += sorted(groups)
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    what = Message("a numeric input (e.g. 'gdp_base', 'real_growth_pct.secondary.2021-2025')") if sources else \
        Message("an input or group of inputs")
    if close:
        return Message("'{key}' is not {what} of this scenario (did you mean '{close}'?)", key=key, what=what,
                       close=close[0])
    return Message("'{key}' is not {what} of this scenario", key=key, what=what)


def check_coverage(path: str, spec: dict[str, float], first: int, last: int) -> None:
    """Periods must cover growth years ``first..last`` exactly once (keys are sorted)."""
    if not spec:
        raise field_problem(path, "no periods given: need periods covering {first}-{last}", first=first, last=last)
    expected = first
    for key in spec:
        a, b = parse_period(key)
        if a < first or b > last:
            raise field_problem(
                f"{path}.{key}",
                "period {key} falls outside the growth years {first}-{last} (base_year+1 to end_year)", key=key,
                first=first, last=last,
            )
        if a < expected:
            raise field_problem(f"{path}.{key}", "period {key} overlaps the previous period (which ends {end})",
                                key=key, end=expected - 1)
        if a > expected:
            raise field_problem(
                f"{path}.{key}", "gap: no growth rate for {years_label} before period {key}",
                years_label=years_label(expected, a - 1), key=key,
            )
        expected = b + 1
    if expected <= last:
        raise field_problem(path, "gap: no growth rate for {years_label} (periods must reach end_year {last})",
                            years_label=years_label(expected, last), last=last)


def expand(spec: float | dict[str, float], base_year: int, end_year: int) -> np.ndarray:
    """Growth spec -> values for years base+1..end (validated coverage assumed)."""
    n = end_year - base_year
    if not isinstance(spec, dict):
        return np.full(n, float(spec))
    out = np.empty(n)
    for key, value in spec.items():
        a, b = parse_period(key)
        out[a - base_year - 1 : b - base_year] = value
    return out


def input_years(path: str, growth_fields, base_year: int, end_year: int) -> tuple[int, int] | None:
    """First and last growth year a growth input applies to (None for a level or a ratio).

    ``real_growth_pct.primary`` given as one number covers base+1..end;
    ``real_growth_pct.primary.2021-2025`` covers 2021..2025;
    ``population.base_year_growth_pct`` covers the base year itself.
    """
    path = canonical_path(path)
    if path == "population.base_year_growth_pct":
        return base_year, base_year
    for field_ in growth_fields:
        if path == field_:
            return base_year + 1, end_year
        if path.startswith(field_ + "."):
            try:
                return parse_period(path[len(field_) + 1:])
            except ValueError:
                return None
    return None


def figure_covers(years: tuple[int, int] | None, figure_id: str) -> bool:
    """False when a growth input of ``years`` cites a figure of other years (a past rate carried forward).

    The figure's year or period is read from its id
    (``<region>.<indicator>.<year or period>[.<qualifier>]``, checked by the
    figures loader); a level input (``years`` None) is always covered.
    """
    if years is None:
        return True
    parts = figure_id.split(".")
    if len(parts) < 3:
        return True
    try:
        return parse_period(parts[2]) == years
    except ValueError:
        return True
