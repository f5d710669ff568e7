"""Comparison charts: several scenarios in one figure, readable with many of them.

Each scenario keeps one colour and line style (:func:`series_style`) or colour and hatch
(:func:`bar_style`) that no other scenario of the chart shares (up to 40 lines and 80 bar series),
the legend lists the scenarios below the panels in the order given (the runner orders scenario
files naturally: s2 before s10), and long names wrap onto a second line. Each value axis names its
unit and price basis; a gap of zero is a diamond at zero labelled 0.0; the caption, not a title, says
what a chart shows and that projections rest on assumptions.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .axes import axis_unit, mark_zero_bars, set_year_axis
from .plots import grouped_format, new_figure, table_years
from ..words.locales import get_locale
from ..words.text import label, t

__all__ = ["SERIES_COLOURS", "SERIES_LINESTYLES", "BAR_COLOURS", "BAR_HATCHES", "series_style", "bar_style",
           "comparison_lines", "comparison_gaps"]

#: colours of series that are told apart by colour and line style (tab10); with line styles,
#: 40 series get distinct pairs (16 scenarios need no repeat)
SERIES_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                  "#bcbd22", "#17becf")
SERIES_LINESTYLES = ("-", "--", "-.", ":")
SERIES_MARKERS = ("o", "s", "^", "D")
#: bar colours (tab10) and hatches for series told apart by colour and hatch: ten solid, then hatched
BAR_COLOURS = SERIES_COLOURS
BAR_HATCHES = ("", "//", "..", "xx")


def series_style(i: int) -> dict:
    """Colour, line style and marker of the ``i``-th series of a chart: no two of the first 40 share a
    colour and a line style."""
    n = len(SERIES_COLOURS)
    return {"color": SERIES_COLOURS[i % n], "linestyle": SERIES_LINESTYLES[(i // n) % len(SERIES_LINESTYLES)],
            "marker": SERIES_MARKERS[(i // n) % len(SERIES_MARKERS)]}


def bar_style(i: int) -> dict:
    """Colour and hatch of the ``i``-th bar series: no two of the first 40 share both."""
    n = len(BAR_COLOURS)
    return {"color": BAR_COLOURS[i % n], "hatch": BAR_HATCHES[(i // n) % len(BAR_HATCHES)]}



def _wrap(text: str, width: int) -> str:
    """A long legend entry or axis label on two lines: before its last bracket when it has one
    (``延续2016—2020年趋势`` / ``（各产业年均增长4.9%）``), else at a space, else after ``width`` characters."""
    import textwrap

    if len(text) <= width:
        return text
    for bracket in ("（", " ("):
        cut = text.rfind(bracket)
        if 0 < cut:
            return text[:cut].rstrip() + "\n" + text[cut:].strip()
    if " " in text:
        return "\n".join(textwrap.wrap(text, width))
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def comparison_lines(tables: Mapping[str, pd.DataFrame], columns: Sequence[str], lang: str = "en") -> Figure:
    """One panel per column, one line per scenario (projection tables keyed by the scenario's name for
    the reader), in the order given.

    Every scenario has its own colour and line style (:func:`series_style`; no pair repeats for up
    to 40 scenarios) and one legend below the panels lists them in order, so 16 scenarios stay
    readable. Each panel is titled with its column and its axis names the unit and price basis
    (:func:`~.axes.axis_unit`); the caption says that projections depend on assumptions.
    """
    n = len(columns)
    ncols = 2 if n > 1 else 1
    nrows = int(np.ceil(n / ncols))
    n_series = len(tables)
    legend_rows = int(np.ceil(n_series / 2))
    fig, axes = new_figure(nrows, ncols, figsize=(4.6 * ncols, 3.4 * nrows + 0.6 + 0.32 * legend_rows))
    flat = axes.ravel()
    handles = []
    first = next(iter(tables.values())) if tables else None
    base = int(first["year"].iloc[0]) if first is not None and len(first) else 0
    for ax, col in zip(flat, columns):
        handles = []
        for i, (name, table) in enumerate(tables.items()):
            (line,) = ax.plot(table_years(table), table[col].to_numpy(float), markersize=2.5, linewidth=1.2,
                              label=_wrap(str(name), get_locale(lang).wrap_width("legend")), **series_style(i))
            handles.append(line)
        ax.set_title(label(col, lang), fontsize=10)
        ax.set_ylabel(axis_unit(col, lang, base), fontsize=8)
        if first is not None and np.nanmax(np.abs(first[col].to_numpy(float)), initial=0.0) >= 1000:
            ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter(grouped_format(lang)))
        if first is not None:
            set_year_axis(ax, table_years(first))
        ax.grid(alpha=0.3)
    for ax in flat[n:]:
        ax.set_visible(False)
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncols=2 if n_series > 1 else 1, fontsize=7,
                   frameon=False)
    return fig


def comparison_gaps(gaps: pd.DataFrame, lang: str = "en", value: str = "gap", label_col: str = "label",
                    scenario_col: str = "scenario", unit_label: str | None = None) -> Figure:
    """Grouped horizontal bars: gap to each target (rows) for each scenario (colours and hatches,
    :func:`bar_style`), scenarios in the order given, top to bottom within a group as in the legend.
    A gap that reads zero draws no bar: a diamond at zero in the scenario's colour and ``0.0`` show it."""
    data = gaps.dropna(subset=[value])
    targets = list(dict.fromkeys(data[label_col]))
    scenarios = list(dict.fromkeys(data[scenario_col]))
    n = max(1, len(scenarios))
    group = 0.18 * n + 0.4
    height = max(3.0, group * len(targets) + 1.6 + 0.3 * int(np.ceil(n / 2)))
    fig, axes = new_figure(figsize=(8.5, height))
    ax = axes[0, 0]
    width = 0.8 / n
    base = np.arange(len(targets))[::-1].astype(float)
    for i, sc in enumerate(scenarios):
        sub = data[data[scenario_col] == sc].set_index(label_col)[value]
        vals = np.array([float(sub.get(tg, np.nan)) for tg in targets])
        style = bar_style(i)
        ypos = base + ((n - 1) / 2 - i) * width
        ax.barh(ypos, vals, height=width, color=style["color"], hatch=style["hatch"],
                edgecolor="white" if not style["hatch"] else "#333333", linewidth=0.3,
                label=_wrap(str(sc), get_locale(lang).wrap_width("legend")))
        mark_zero_bars(ax, ypos, vals, lang, colours=[style["color"]] * len(vals))
    ax.set_yticks(base)
    ax.set_yticklabels([_wrap(str(x), get_locale(lang).wrap_width("tick")) for x in targets], fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(unit_label or t("plot.target_gaps.unit", lang))
    ax.grid(axis="x", alpha=0.3)
    handles = [h for h in ax.containers]  # the bars only: the zero markers are no scenario of their own
    fig.legend(handles=handles, labels=[h.get_label() for h in handles], loc="outside lower center",
               ncols=2 if n > 1 else 1, fontsize=7, frameon=False)
    return fig
