"""The explorer's charts: bqplot figures whose data are replaced in place on every change.

Each chart is a :class:`bqplot.Figure` (an ipywidget drawn by d3 in the
browser): an update only sends new arrays to marks that already exist, so a
redraw costs the browser a few milliseconds and the kernel almost nothing.
The changed scenario is drawn in colour with solid lines, the starting
scenario beside it in the same colours, dashed. Every title, axis and legend
text comes from the locale files (``explorer.chart.*``, ``label.*``). Years are
ticked at the reports' regular step (:func:`~..charts.axes.year_ticks`); each
bar of the gap chart prints its value, so a gap of zero (no bar) reads 0.0.

The reports' own charts (PNG files, :mod:`.plots`) stay with matplotlib;
these are the interactive view of the same tables.
"""
from __future__ import annotations

import bqplot as bq
import ipywidgets as w
import numpy as np
import pandas as pd

from ...inputs.scenario import SECTORS
from ..charts.axes import year_ticks
from ..words.text import label, t

__all__ = ["CHARTS", "GAP_FORMAT", "ExplorerCharts"]

#: the charts, in display order (also the CSS class ``xiqu-chart-<name>`` of each figure)
CHARTS = ("gdp", "shares", "pulls", "per_capita", "gaps", "fan")
SECTOR_COLOURS = {"primary": "#6a9f3a", "secondary": "#4c72b0", "tertiary": "#dd8452"}
GDP_COLOURS = ["#1f4e79", "#c0504d"]
START_OPACITY = [0.55]
_MARGIN = {"top": 50, "bottom": 40, "left": 70, "right": 20}
#: the d3 format of the gap chart's value labels (percentage points, one decimal: 0.0 for a zero gap)
GAP_FORMAT = ".1f"


def _figure(name: str, marks: list, x_scale, y_scale, *, x_label: str = "", y_format: str = ",.1f",
            margin: dict | None = None, x_format: str = "d", x_ordinal_axis: bool = False) -> bq.Figure:
    # horizontal bars put the ordinal (labels) axis on the left and the values at the bottom
    x_axis = bq.Axis(scale=x_scale, tick_format=None if x_ordinal_axis else x_format, label=x_label,
                     num_ticks=None if x_ordinal_axis else 8, grid_lines="none",
                     side="left" if x_ordinal_axis else "bottom")
    y_axis = bq.Axis(scale=y_scale, side="bottom" if x_ordinal_axis else "left", tick_format=y_format,
                     grid_lines="dashed")
    fig = bq.Figure(marks=marks, axes=[x_axis, y_axis], fig_margin=margin or dict(_MARGIN),
                    legend_location="top-left", legend_style={"stroke-width": 0},
                    layout=w.Layout(width="100%", height="300px", min_width="320px"),
                    title_style={"font-size": "14px"})
    fig.add_class(f"xiqu-chart-{name}")
    fig.add_class("xiqu-chart")
    return fig


def _lines(x_scale, y_scale, colours: list[str], dashed: bool = False, **kw) -> bq.Lines:
    return bq.Lines(x=np.zeros(0), y=np.zeros((len(colours), 0)), scales={"x": x_scale, "y": y_scale},
                    colors=colours, line_style="dashed" if dashed else "solid", stroke_width=2 if not dashed else 1.5,
                    opacities=START_OPACITY * len(colours) if dashed else [1.0] * len(colours), **kw)


class ExplorerCharts:
    """The six charts and how to refill them.

    Attributes
    ----------
    figures : dict of str to bqplot.Figure
        By name (:data:`CHARTS`).
    """

    def __init__(self) -> None:
        self.figures: dict[str, bq.Figure] = {}
        self._marks: dict[str, dict[str, bq.Mark]] = {}
        # GDP: real and nominal, current (solid) and start (dashed)
        sx, sy = bq.LinearScale(), bq.LinearScale()
        m = {"start": _lines(sx, sy, GDP_COLOURS, dashed=True), "current": _lines(sx, sy, GDP_COLOURS, display_legend=True)}
        self._add("gdp", m, sx, sy)
        # sector shares (%)
        sx, sy = bq.LinearScale(), bq.LinearScale(min=0.0, max=100.0)  # shares: the whole 0-100 %
        colours = [SECTOR_COLOURS[s] for s in SECTORS]
        m = {"start": _lines(sx, sy, colours, dashed=True), "current": _lines(sx, sy, colours, display_legend=True)}
        self._add("shares", m, sx, sy)
        # pulls (stacked bars, current) and GDP growth (current and start)
        sx, sy = bq.LinearScale(), bq.LinearScale()
        bars = bq.Bars(x=np.zeros(0), y=np.zeros((3, 0)), scales={"x": sx, "y": sy}, type="stacked",
                       colors=colours, display_legend=True, padding=0.3, stroke="white")
        m = {"bars": bars, "start": _lines(sx, sy, ["#7f7f7f"], dashed=True),
             "current": _lines(sx, sy, ["#000000"], display_legend=True, marker="circle", marker_size=16)}
        self._add("pulls", m, sx, sy)
        # per-capita GDP with the benchmark level
        sx, sy = bq.LinearScale(), bq.LinearScale()
        m = {"benchmark": _lines(sx, sy, ["#7f7f7f"], display_legend=True), "start": _lines(sx, sy, ["#1f4e79"], dashed=True),
             "current": _lines(sx, sy, ["#1f4e79"], display_legend=True)}
        m["benchmark"].line_style = "dotted"
        self._add("per_capita", m, sx, sy, y_format=",.0f")
        # target gaps: horizontal bars, the start wide and grey behind the current one (bqplot draws
        # stacked horizontal bars, not grouped ones)
        sx, sy = bq.OrdinalScale(), bq.LinearScale()
        bars = {key: bq.Bars(x=[], y=np.zeros((1, 0)), scales={"x": sx, "y": sy}, type="stacked",
                             orientation="horizontal", colors=[colour], display_legend=True, padding=padding)
                for key, colour, padding in (("start", "#c8c8c8", 0.1), ("current", "#1f4e79", 0.45))}
        # the current gaps print their values: a zero gap has no bar, its label 0.0 shows it is there
        bars["current"].label_display = True
        bars["current"].label_display_format = GAP_FORMAT
        bars["current"].label_font_style = {"font-size": "11px"}
        self._add("gaps", bars, sx, sy, y_format=".1f",
                  margin={"top": 50, "bottom": 40, "left": 330, "right": 30}, x_ordinal=True)
        # fan: 90 % and 50 % bands, median, central paths of current and start
        sx, sy = bq.LinearScale(), bq.LinearScale()
        band = dict(fill="between", colors=["#1f4e79", "#1f4e79"], stroke_width=0, display_legend=True)
        m = {"band90": bq.Lines(x=np.zeros(0), y=np.zeros((2, 0)), scales={"x": sx, "y": sy}, fill_colors=["#1f4e79"],
                                fill_opacities=[0.18], **band),
             "band50": bq.Lines(x=np.zeros(0), y=np.zeros((2, 0)), scales={"x": sx, "y": sy}, fill_colors=["#1f4e79"],
                                fill_opacities=[0.35], **band),
             "start": _lines(sx, sy, ["#7f7f7f"], dashed=True, display_legend=True),
             "current": _lines(sx, sy, ["#000000"], display_legend=True)}
        self._add("fan", m, sx, sy)

    def _add(self, name: str, marks: dict, sx, sy, y_format: str = ",.1f", margin: dict | None = None,
             x_ordinal: bool = False) -> None:
        if x_ordinal:
            fig = _figure(name, list(marks.values()), sx, sy, y_format=y_format, margin=margin, x_ordinal_axis=True)
            fig.axes[0].tick_style = {"font-size": "11px"}
            fig.legend_location = "bottom-right"
        else:
            fig = _figure(name, list(marks.values()), sx, sy, y_format=y_format, margin=margin)
        self.figures[name] = fig
        self._marks[name] = marks

    # ------------------------------------------------------------------ filling
    def update(self, current, start, lang: str, benchmark=None, fan_paths: int = 0) -> None:
        """Draw ``current`` beside ``start`` (both :class:`~.state.Views`) in ``lang``.

        ``benchmark`` is the region's :class:`~xiqu_analysis.reports.tables.scenario.Benchmark` (or None).
        """
        cur, st = current.projection.table, start.projection.table
        years = cur["year"].to_numpy(float)
        base = int(years[0])
        self._gdp(cur, st, years, lang, base)
        self._shares(cur, st, years, lang)
        self._pulls(cur, st, lang)
        self._per_capita(cur, st, years, lang, benchmark)
        self._gaps(current.gaps, start.gaps, lang)
        self._fan(current, start, lang, base, fan_paths)
        ticks = year_ticks(years.astype(int))
        for name in ("gdp", "shares", "per_capita", "fan"):
            self.figures[name].axes[0].tick_values = np.asarray(ticks, dtype=float)
        self.figures["pulls"].axes[0].tick_values = np.asarray(year_ticks(years[1:].astype(int)), dtype=float)

    def _gdp(self, cur: pd.DataFrame, st: pd.DataFrame, years, lang: str, base: int) -> None:
        m, fig = self._marks["gdp"], self.figures["gdp"]
        cols = ["gdp_real", "gdp_nominal"]
        names = [t(f"explorer.chart.{c}", lang, year=base) for c in cols]
        _set(m["current"], years, [cur[c].to_numpy(float) for c in cols], names)
        _set(m["start"], years, [st[c].to_numpy(float) for c in cols], [_started(n, lang) for n in names])
        fig.title = t("explorer.chart.gdp", lang)

    def _shares(self, cur: pd.DataFrame, st: pd.DataFrame, years, lang: str) -> None:
        m = self._marks["shares"]
        names = [_sector(s, lang) for s in SECTORS]  # the shares of the sectors (not their real value added)
        _set(m["current"], years, [cur[f"{s}_share"].to_numpy(float) * 100.0 for s in SECTORS], names)
        _set(m["start"], years, [st[f"{s}_share"].to_numpy(float) * 100.0 for s in SECTORS], names)
        self.figures["shares"].title = t("explorer.chart.shares", lang)

    def _pulls(self, cur: pd.DataFrame, st: pd.DataFrame, lang: str) -> None:
        m = self._marks["pulls"]
        cur, st = cur.iloc[1:], st.iloc[1:]  # the base year has no growth
        years = cur["year"].to_numpy(float)
        with m["bars"].hold_sync():
            m["bars"].x = years
            m["bars"].y = np.vstack([cur[f"{s}_pull"].to_numpy(float) for s in SECTORS])
            m["bars"].labels = [_sector(s, lang) for s in SECTORS]
        growth = t("explorer.chart.gdp_growth", lang)
        # room above the bars for the legend
        pulls = np.vstack([cur[f"{s}_pull"].to_numpy(float) for s in SECTORS])
        top = max(np.nanmax(np.where(pulls > 0, pulls, 0).sum(axis=0), initial=0.0),
                  np.nanmax(st["gdp_growth"].to_numpy(float), initial=0.0))
        low = min(np.nanmin(np.where(pulls < 0, pulls, 0).sum(axis=0), initial=0.0), 0.0)
        scale = m["bars"].scales["y"]
        scale.min, scale.max = float(low * 1.1), float(top * 1.7 if top > 0 else 1.0)
        _set(m["current"], years, [cur["gdp_growth"].to_numpy(float)], [growth])
        _set(m["start"], years, [st["gdp_growth"].to_numpy(float)], [_started(growth, lang)])
        self.figures["pulls"].title = t("explorer.chart.pulls", lang)

    def _per_capita(self, cur: pd.DataFrame, st: pd.DataFrame, years, lang: str, bench) -> None:
        m = self._marks["per_capita"]
        name = label("gdp_per_capita", lang)
        _set(m["current"], years, [cur["gdp_per_capita"].to_numpy(float)],
             [t("explorer.chart.current_series", lang, name=name)])
        _set(m["start"], years, [st["gdp_per_capita"].to_numpy(float)], [_started(name, lang)])
        if bench is not None:
            _set(m["benchmark"], np.array([years[0], years[-1]]), [np.array([bench.value_yuan] * 2)],
                 [t("explorer.chart.benchmark", lang, benchmark=bench.region.name(lang), year=bench.year)])
        else:
            _set(m["benchmark"], np.zeros(0), [np.zeros(0)], [""])
        self.figures["per_capita"].title = t("explorer.chart.per_capita", lang)

    def _gaps(self, cur: pd.DataFrame, st: pd.DataFrame, lang: str) -> None:
        marks = self._marks["gaps"]
        merged = cur.merge(st, on="label", how="outer", suffixes=("", "_start"), sort=False)
        labels = [str(x) for x in merged["label"]]
        for key, column in (("current", "gap"), ("start", "gap_start")):
            with marks[key].hold_sync():
                marks[key].x = labels
                values = np.round(np.nan_to_num(merged[column].to_numpy(float), nan=0.0), 9) + 0.0  # never -0.0
                marks[key].y = values[np.newaxis, :]
                marks[key].labels = [t(f"explorer.chart.{key}", lang)]
        fig = self.figures["gaps"]
        fig.title = t("explorer.chart.gaps", lang)
        fig.layout.height = f"{max(220, 45 * len(labels) + 110)}px"

    def _fan(self, current, start, lang: str, base: int, n_paths: int) -> None:
        m, fig = self._marks["fan"], self.figures["fan"]
        fan = current.fan
        if fan is None or n_paths <= 0:
            for mark in m.values():
                _set(mark, np.zeros(0), [np.zeros(0)] * (2 if mark in (m["band90"], m["band50"]) else 1), mark.labels)
            fig.title = t("explorer.chart.fan_off", lang)
            return
        years = fan["year"].to_numpy(float)
        _set(m["band90"], years, [fan["p5"].to_numpy(float), fan["p95"].to_numpy(float)],
             [t("explorer.chart.band90", lang), ""])
        _set(m["band50"], years, [fan["p25"].to_numpy(float), fan["p75"].to_numpy(float)],
             [t("explorer.chart.band50", lang), ""])
        cur, st = current.projection.table, start.projection.table
        _set(m["current"], cur["year"].to_numpy(float), [cur["gdp_real"].to_numpy(float)], [t("explorer.chart.current", lang)])
        _set(m["start"], st["year"].to_numpy(float), [st["gdp_real"].to_numpy(float)], [t("explorer.chart.start", lang)])
        fig.title = t("explorer.chart.fan", lang, n=f"{n_paths:,}", year=base)


def _started(name: str, lang: str) -> str:
    """A series' legend entry for the starting scenario: ``地区生产总值（起始情景）``."""
    return t("explorer.chart.start_series", lang, name=name)


def _sector(sector: str, lang: str) -> str:
    text = t(f"sector.{sector}", lang)
    return text[:1].upper() + text[1:]


def _set(mark: bq.Lines, x, ys: list, labels: list[str]) -> None:
    """Replace a line mark's data and legend labels in one message."""
    with mark.hold_sync():
        mark.x = np.asarray(x, dtype=float)
        mark.y = np.vstack(ys) if len(ys) else np.zeros((1, 0))
        mark.labels = list(labels)
