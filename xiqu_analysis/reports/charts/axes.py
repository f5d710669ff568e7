"""What every chart's axes share: regular year ticks, units with their price basis, zero values shown.

* :func:`year_ticks` / :func:`set_year_axis` -- whole years at one regular step (1, 2, 5, 10 ...),
  the first and the last year both ticks whenever a step divides the span (2020, 2025, 2030, 2035),
  every year a minor tick; never a jump such as 2032 -> 2035;
* :func:`axis_unit` -- the unit of a projection column with the price basis the column has
  (:func:`~xiqu_analysis.economics.columns.column_price_basis`, which reads the registry for a
  scenario's further indicators): ``亿元，2020年不变价`` for real GDP, ``元，现价`` for per-capita GDP
  at current prices; a growth rate is ``%/年``;
* :func:`mark_zero_bars` -- a horizontal bar of zero length draws nothing: a small diamond at zero
  in the bar's colour and the label ``0.0`` show that the value is there and is zero.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import matplotlib.ticker
import numpy as np

from ...economics.columns import column_price_basis, column_unit
from ..words.locales import get_locale
from ..words.text import t, unit_name

__all__ = ["YEAR_STEPS", "MAX_YEAR_TICKS", "year_ticks", "set_year_axis", "axis_unit", "ZERO_MARKER",
           "zero_text", "is_zero", "mark_zero_bars"]

#: the steps year ticks may take, smallest first
YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)
#: at most this many labelled year ticks on one axis
MAX_YEAR_TICKS = 9
#: the marker of a zero-length bar: a small diamond on the zero line, in the bar's colour
ZERO_MARKER = "D"


def year_ticks(years: Iterable[int], max_ticks: int = MAX_YEAR_TICKS) -> list[int]:
    """Labelled year ticks at one regular step: the smallest step that divides the span (first and last
    year both ticks) with at most ``max_ticks`` ticks; when none does, the round years of the smallest
    step that fits (2020, 2022, ... 2032 for 2020-2033)."""
    ys = sorted({int(y) for y in years})
    if not ys:
        return []
    first, last = ys[0], ys[-1]
    span = last - first
    if span == 0:
        return [first]
    for step in YEAR_STEPS:
        if span % step == 0 and span // step + 1 <= max_ticks:
            return list(range(first, last + 1, step))
    ticks: list[int] = []
    for step in YEAR_STEPS:
        start = -(-first // step) * step  # the first multiple of step from the first year
        ticks = list(range(start, last + 1, step))
        if len(ticks) <= max_ticks:
            break
    return ticks


def set_year_axis(ax, years: Iterable[int]) -> None:
    """Year ticks of :func:`year_ticks` as plain integers (2029, never 2,029), every year a minor tick,
    limits half a year around the years."""
    ys = sorted({int(y) for y in years})
    if not ys:
        return
    ticks = year_ticks(ys)
    ax.xaxis.set_major_locator(matplotlib.ticker.FixedLocator(ticks))
    ax.xaxis.set_major_formatter(matplotlib.ticker.FixedFormatter([str(y) for y in ticks]))
    ax.xaxis.set_minor_locator(matplotlib.ticker.FixedLocator([y for y in range(ys[0], ys[-1] + 1) if y not in ticks]))
    ax.tick_params(axis="x", which="minor", length=2)
    ax.set_xlim(ys[0] - 0.5, ys[-1] + 0.5)


def axis_unit(column: str, lang: str, base_year: int, scenario=None) -> str:
    """The value-axis label of one projection column: its unit and price basis in ``lang``.

    Levels name their basis (``亿元，2020年不变价``, ``yuan, current prices``); a growth rate is
    ``%/年``, a pull in percentage points, a share ``% of GDP (current prices)``; persons and other
    units as the locale names them.
    """
    unit = column_unit(column, scenario)
    basis = column_price_basis(column, scenario)
    if unit == "ratio":
        return t("plot.unit_share_pct", lang)
    if unit == "pp":
        return t("plot.unit_pp", lang)
    if basis == "comparable" or unit == "%":
        return t("plot.unit_pct", lang)
    name = unit_name(unit, lang, base_year)
    if basis in ("constant", "current"):
        return t("plot.unit_basis", lang, unit=name, basis=t(f"basis.{basis}", lang, year=int(base_year)))
    return name


def is_zero(value: float, decimals: int = 1) -> bool:
    """True when ``value`` reads 0 at ``decimals`` decimals (a bar too short to see)."""
    return bool(np.isfinite(value)) and round(float(value), decimals) == 0


def zero_text(lang: str, decimals: int = 1) -> str:
    """``0.0`` in the language's marks."""
    return get_locale(lang).number(0.0, decimals)


def mark_zero_bars(ax, positions: Sequence[float], values: Sequence[float], lang: str, *,
                   colours: Sequence | None = None, decimals: int = 1, fontsize: float = 7) -> int:
    """A marker at zero and the label ``0.0`` for every horizontal bar whose value reads zero.

    ``positions`` are the bars' y positions; ``colours`` (one per bar, default black) colour the
    marker like the bar it stands for. Returns the number of bars marked.
    """
    n = 0
    for i, (y, v) in enumerate(zip(positions, values)):
        if not is_zero(v, decimals):
            continue
        colour = colours[i] if colours is not None else "black"
        ax.plot([0.0], [y], linestyle="none", marker=ZERO_MARKER, markersize=6, markeredgewidth=0.8,
                markeredgecolor="#333333", color=colour, zorder=4, clip_on=False)
        ax.annotate(zero_text(lang, decimals), (0.0, y), xytext=(8, 0), textcoords="offset points",
                    ha="left", va="center", fontsize=fontsize)
        n += 1
    return n
