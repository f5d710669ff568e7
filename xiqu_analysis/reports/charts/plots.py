"""Matplotlib figures of the reports (Agg backend, CJK font from mplfonts).

Importing this module selects the non-interactive Agg backend and registers
the Noto Sans CJK SC font shipped by the ``mplfonts`` package, first in
``font.sans-serif`` with DejaVu Sans as fallback, so Chinese labels render
without "Glyph missing" warnings.

Every function takes plain tables (the projection table of
:func:`xiqu_analysis.economics.projection.project`, the tidy percentiles of
:func:`xiqu_analysis.economics.uncertainty.simulate`, ...) and returns a
:class:`matplotlib.figure.Figure` built with the object API (no global
pyplot state). Each axis states its unit and, for a level, its price basis
(:func:`~.axes.axis_unit`); years are ticked at one regular step. Series that
depend on an assumption of the scenario are drawn dashed; the caption says so
once (:func:`assumed_note`, :func:`with_note`), not each legend entry, and no
figure repeats its caption as a title. :func:`save_png` writes PNGs without
timestamps or version strings, so identical inputs give identical bytes.
"""
from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.font_manager as _fm  # noqa: E402
import matplotlib.ticker  # noqa: E402,F401
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ...fileio import atomic_write_bytes  # noqa: E402
from ...inputs.scenario import SECTORS  # noqa: E402
from .axes import axis_unit, is_zero, mark_zero_bars, set_year_axis  # noqa: E402
from ..words.locales import get_locale  # noqa: E402
from ..words.text import label, t  # noqa: E402

__all__ = [
    "CJK_FAMILY",
    "register_cjk_font",
    "save_png",
    "png_bytes",
    "gdp_paths",
    "sector_structure",
    "contributions",
    "per_capita_vs_benchmark",
    "income_and_revenue",
    "target_gaps",
    "fan_chart",
    "tornado",
    # shared by the chart modules
    "new_figure",
    "grouped_format",
    "table_years",
    "set_year_axis",
    "axis_unit",
    "assumed_note",
    "with_note",
]

CJK_FAMILY = "Noto Sans CJK SC"
SECTOR_COLOURS = {"primary": "#6a9f3a", "secondary": "#4c72b0", "tertiary": "#dd8452"}
FIGSIZE = (8.0, 4.5)
DPI = 100


def _mplfonts_font_path() -> Path | None:
    try:
        import mplfonts
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    path = Path(mplfonts.__file__).resolve().parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return path if path.exists() else None


def register_cjk_font() -> str | None:
    """Register mplfonts' Noto Sans CJK SC and put it first in ``font.sans-serif``.

    Returns the font file registered, or None if mplfonts is missing (then
    Chinese labels fall back to DejaVu Sans and matplotlib warns).
    """
    path = _mplfonts_font_path()
    if path is None:
        return None
    if not any(getattr(f, "fname", None) == str(path) for f in _fm.fontManager.ttflist):
        _fm.fontManager.addfont(str(path))
    families = [CJK_FAMILY, "DejaVu Sans"]
    rest = [f for f in matplotlib.rcParams["font.sans-serif"] if f not in families]
    matplotlib.rcParams["font.sans-serif"] = families + rest
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK font lacks U+2212
    matplotlib.rcParams["svg.hashsalt"] = "xiqu"
    return str(path)


register_cjk_font()


# --------------------------------------------------------------------------- output
_PNG_METADATA = {"Software": None}


def save_png(fig: Figure, path: str | os.PathLike, dpi: int = DPI) -> Path:
    """Write ``fig`` as PNG to ``path`` atomically (temp file + rename), without timestamps.

    Identical figures give byte-identical files.
    """
    return atomic_write_bytes(path, png_bytes(fig, dpi), make_parents=True)


def png_bytes(fig: Figure, dpi: int = DPI, fonts: Sequence[str] = ()) -> bytes:
    """The PNG bytes of ``fig`` (as :func:`save_png` writes them); ``fonts``: the sans-serif families
    to draw its text in, first choice first (a report language's ``fonts.figure``), before the others."""
    buf = io.BytesIO()
    families = list(fonts) + [f for f in matplotlib.rcParams["font.sans-serif"] if f not in fonts]
    with matplotlib.rc_context({"font.sans-serif": families}):
        fig.savefig(buf, format="png", dpi=dpi, metadata=_PNG_METADATA)
    return buf.getvalue()


# --------------------------------------------------------------------------- helpers
def new_figure(nrows: int = 1, ncols: int = 1, figsize=FIGSIZE):
    """A figure of the reports' size and resolution (constrained layout) and its axes, always 2-D."""
    fig = Figure(figsize=figsize, dpi=DPI, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes


def grouped_format(lang: str, decimals: int = 0) -> str:
    """Axis number format: thousands separators in English, none in Chinese (as the bulletins write)."""
    return get_locale(lang).axis_format(decimals)


def _sector_name(sector: str, lang: str) -> str:
    text = t(f"sector.{sector}", lang)
    return text[:1].upper() + text[1:]


def _is_assumed(column: str, assumed_columns: Iterable[str] | None) -> bool:
    return assumed_columns is not None and column in set(assumed_columns)


def _series_label(column: str, lang: str, assumed_columns, text: str | None = None) -> str:
    """A series' legend entry: its name only (the caption says which series rest on assumptions)."""
    return text if text is not None else label(column, lang)


def _style(column: str, assumed_columns) -> dict:
    return {"linestyle": "--"} if _is_assumed(column, assumed_columns) else {"linestyle": "-"}


#: the projection columns each scenario chart draws (their assumptions decide its caption's note)
CHART_COLUMNS = {
    "gdp_paths": ("gdp_real", "gdp_nominal"),
    "sector_structure": tuple(f"{s}_share" for s in SECTORS),
    "contributions": ("gdp_growth", *(f"{s}_pull" for s in SECTORS)),
    "income_revenue": ("urban_income", "fiscal_revenue"),
}


def assumed_note(columns: Iterable[str], assumed_columns: Iterable[str] | None, lang: str,
                 key: str = "plot.note_assumed") -> str:
    """The caption's one note that the dashed series rest on assumptions of the scenario (``key``),
    when any of ``columns`` does; ``""`` otherwise."""
    assumed = set(assumed_columns or ())
    return t(key, lang) if any(c in assumed for c in columns) else ""


def with_note(caption: str, note: str, lang: str) -> str:
    """A caption followed by a note (``""``: the caption alone), joined as the language joins sentences."""
    return get_locale(lang).join_sentences([p for p in (caption, note) if p])


def table_years(table: pd.DataFrame) -> np.ndarray:
    """The ``year`` column of a table as ints (the x values of a chart)."""
    return table["year"].to_numpy(dtype=int)


# --------------------------------------------------------------------------- scenario figures
def gdp_paths(table: pd.DataFrame, lang: str = "en", assumed_columns: Sequence[str] | None = None,
              title: str | None = None) -> Figure:
    """Real GDP (亿元, constant base-year prices) and nominal GDP (亿元, current prices) by year.

    Parameters
    ----------
    table : DataFrame
        Projection table with ``year``, ``gdp_real``, ``gdp_nominal``.
    lang : str
    assumed_columns : sequence of str, optional
        Columns that depend on an assumption (drawn dashed, labelled).
    """
    fig, axes = new_figure()
    ax = axes[0, 0]
    years = table_years(table)
    base_year = int(years[0])
    for col, colour in (("gdp_real", "#1f4e79"), ("gdp_nominal", "#c0504d")):
        text = t(f"plot.gdp_paths.{col}", lang, year=base_year)
        ax.plot(years, table[col].to_numpy(float), color=colour, marker="o", markersize=3,
                label=_series_label(col, lang, assumed_columns, text), **_style(col, assumed_columns))
    ax.set_ylabel(t("plot.unit_yi", lang))  # two price bases on one axis: each series names its own
    if title:
        ax.set_title(title)
    set_year_axis(ax, years)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def sector_structure(table: pd.DataFrame, lang: str = "en", assumed_columns: Sequence[str] | None = None) -> Figure:
    """Nominal sector shares of GDP (per cent, stacked) by year.

    Uses ``primary_share``, ``secondary_share``, ``tertiary_share`` (0-1).
    """
    fig, axes = new_figure()
    ax = axes[0, 0]
    years = table_years(table)
    shares = np.vstack([table[f"{s}_share"].to_numpy(float) * 100.0 for s in SECTORS])
    labels = [_series_label(f"{s}_share", lang, assumed_columns, _sector_name(s, lang)) for s in SECTORS]
    ax.stackplot(years, shares, labels=labels, colors=[SECTOR_COLOURS[s] for s in SECTORS], alpha=0.85)
    ax.set_ylim(0, 100)
    ax.set_ylabel(t("plot.unit_share_pct", lang))
    set_year_axis(ax, years)
    ax.legend(loc="upper left", fontsize=8, bbox_to_anchor=(1.0, 1.0))
    return fig


def contributions(table: pd.DataFrame, lang: str = "en", assumed_columns: Sequence[str] | None = None) -> Figure:
    """Sector pulls on real GDP growth (拉动, percentage points, stacked bars) with GDP growth (%, line).

    Uses ``primary_pull``.. and ``gdp_growth``; the base year (no growth) is left out.
    """
    fig, axes = new_figure()
    ax = axes[0, 0]
    data = table.dropna(subset=["gdp_growth"])
    years = table_years(data)
    pos = np.zeros(len(years))
    neg = np.zeros(len(years))
    for s in SECTORS:
        v = data[f"{s}_pull"].to_numpy(float)
        bottom = np.where(v >= 0, pos, neg)
        ax.bar(years, v, bottom=bottom, color=SECTOR_COLOURS[s], width=0.7,
               label=_series_label(f"{s}_pull", lang, assumed_columns, _sector_name(s, lang)))
        pos = pos + np.where(v >= 0, v, 0)
        neg = neg + np.where(v < 0, v, 0)
    ax.plot(years, data["gdp_growth"].to_numpy(float), color="black", marker="o", markersize=3,
            label=_series_label("gdp_growth", lang, assumed_columns, t("plot.contributions.gdp_growth", lang)),
            **_style("gdp_growth", assumed_columns))
    ax.axhline(0, color="#444444", linewidth=0.6)
    ax.set_ylabel(t("plot.unit_pp", lang))
    set_year_axis(ax, years)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="upper left", fontsize=8, bbox_to_anchor=(1.0, 1.0))
    return fig


def per_capita_vs_benchmark(table: pd.DataFrame, benchmark_yuan: float, benchmark_year: int,
                            lang: str = "en", assumed_columns: Sequence[str] | None = None,
                            benchmark_label: str | None = None, reported: Mapping[int, float] | None = None, *,
                            region_name: str = "", benchmark_name: str = "", column: str = "gdp_per_capita",
                            series_label: str | None = None) -> Figure:
    """Per-capita GDP (yuan) against the benchmark region's level.

    Parameters
    ----------
    table : DataFrame
        Projection table with ``year`` and ``gdp_per_capita`` (yuan).
    benchmark_yuan : float
        The benchmark region's per-capita GDP in ``benchmark_year`` (yuan, current prices).
    benchmark_year : int
    benchmark_label : str, optional
        Legend text for the benchmark (defaults to the locale's text).
    reported : mapping year -> yuan, optional
        Per-capita GDP as the source reports it (drawn as points).
    region_name, benchmark_name : str
        Names of the region and its benchmark in ``lang`` (``region.yaml``).
    column : str
        The table's per-capita column: ``gdp_per_capita`` (current prices) or
        ``gdp_per_capita_real`` (constant base-year prices, the prices of a
        base-year benchmark: like with like).
    series_label : str, optional
        Legend text of the region's line (defaults to the locale's text).
    """
    fig, axes = new_figure()
    ax = axes[0, 0]
    years = table_years(table)
    ax.plot(years, table[column].to_numpy(float), color="#1f4e79", marker="o", markersize=3,
            label=_series_label(column, lang, assumed_columns,
                                series_label or t("plot.per_capita.region", lang, region=region_name)),
            **_style(column, assumed_columns))
    ax.axhline(benchmark_yuan, color="#7f7f7f", linestyle=":", linewidth=1.5,
               label=benchmark_label or t("plot.per_capita.benchmark", lang, year=benchmark_year,
                                                        benchmark=benchmark_name))
    ax.plot([benchmark_year], [benchmark_yuan], marker="s", color="#7f7f7f")
    if reported:
        ry = sorted(reported)
        ax.plot(ry, [reported[y] for y in ry], linestyle="none", marker="D", color="#c0504d",
                label=t("plot.per_capita.reported", lang))
    ax.set_ylabel(axis_unit(column, lang, int(years[0])))  # the price basis of the column drawn
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter(grouped_format(lang)))
    set_year_axis(ax, years)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def income_and_revenue(table: pd.DataFrame, lang: str = "en", assumed_columns: Sequence[str] | None = None) -> Figure:
    """Urban per-capita disposable income (yuan, current) and general public budget revenue (亿元, current).

    Two panels side by side, from ``urban_income`` and ``fiscal_revenue``.
    """
    fig, axes = new_figure(1, 2, figsize=(9.0, 4.0))
    years = table_years(table)
    specs = (("urban_income", "#4c72b0"), ("fiscal_revenue", "#55a868"))
    for ax, (col, colour) in zip(axes[0], specs):
        ax.plot(years, table[col].to_numpy(float), color=colour, marker="o", markersize=3,
                label=_series_label(col, lang, assumed_columns), **_style(col, assumed_columns))
        ax.set_ylabel(axis_unit(col, lang, int(years[0])))
        ax.set_title(label(col, lang), fontsize=10)
        ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter(grouped_format(lang, 0 if col == "urban_income" else 2)))
        set_year_axis(ax, years)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=8)
    return fig


def target_gaps(gaps: pd.DataFrame, lang: str = "en", value: str = "gap", label_col: str = "label",
                unit_label: str | None = None) -> Figure:
    """Horizontal bars: projected value minus plan target for each target.

    Parameters
    ----------
    gaps : DataFrame
        One row per target with a text column ``label_col`` and a numeric
        column ``value`` (projected minus target, in the unit the caller
        states with ``unit_label``; positive = target met).
    """
    data = gaps.dropna(subset=[value]).reset_index(drop=True)
    height = max(2.5, 0.45 * len(data) + 1.2)
    fig, axes = new_figure(figsize=(8.0, height))
    ax = axes[0, 0]
    v = data[value].to_numpy(float)
    colours = np.where(v >= 0, "#55a868", "#c44e52")
    ypos = np.arange(len(data))[::-1]
    ax.barh(ypos, v, color=colours)
    loc = get_locale(lang)
    for y, x in zip(ypos, v):  # print the value (a gap that reads zero: a marker at zero and 0.0, below)
        if not is_zero(x):
            ax.annotate(loc.number(x, 1, sign=True), (x, y), xytext=(4 if x >= 0 else -4, 0),
                        textcoords="offset points", ha="left" if x >= 0 else "right", va="center", fontsize=8)
    mark_zero_bars(ax, ypos, v, lang, colours=list(colours), fontsize=8)
    ax.margins(x=0.15)
    ax.set_yticks(ypos)
    ax.set_yticklabels([str(x) for x in data[label_col]], fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(unit_label or t("plot.target_gaps.unit", lang))
    ax.grid(axis="x", alpha=0.3)
    return fig


def fan_chart(percentiles: pd.DataFrame, indicator: str, lang: str = "en", deterministic: pd.DataFrame | None = None,
              target: tuple[int, float] | tuple[int, float, str] | None = None, unit_key: str | None = None) -> Figure:
    """Fan chart (5-95 and 25-75 per cent bands, median) of one simulated indicator.

    Parameters
    ----------
    percentiles : DataFrame
        Tidy percentiles (``year``, ``indicator``, ``p5`` .. ``p95``).
    indicator : str
        ``gdp_real``, ``gdp_nominal``, ``gdp_per_capita`` or ``fiscal_revenue``.
    deterministic : DataFrame, optional
        Projection table: its ``indicator`` column is drawn as the central path.
    target : (year, value) or (year, value, label), optional
        A target level drawn as a marker (label defaults to "Plan target (year)").
    unit_key : str, optional
        Locale key of the y-axis unit (default: the indicator's unit and price basis, :func:`~.axes.axis_unit`).
    """
    data = percentiles[percentiles["indicator"] == indicator].sort_values("year")
    if data.empty:
        raise ValueError(f"no percentiles for indicator {indicator!r}")
    fig, axes = new_figure()
    ax = axes[0, 0]
    years = data["year"].to_numpy(int)
    colour = "#1f4e79"
    ax.fill_between(years, data["p5"].to_numpy(float), data["p95"].to_numpy(float), color=colour, alpha=0.18,
                    label=t("plot.fan.band90", lang), linewidth=0)
    if "p25" in data and "p75" in data:
        ax.fill_between(years, data["p25"].to_numpy(float), data["p75"].to_numpy(float), color=colour, alpha=0.35,
                        label=t("plot.fan.band50", lang), linewidth=0)
    ax.plot(years, data["p50"].to_numpy(float), color=colour, label=t("plot.fan.median", lang))
    if deterministic is not None and indicator in deterministic:
        ax.plot(deterministic["year"].to_numpy(int), deterministic[indicator].to_numpy(float), color="black",
                linestyle="--", linewidth=1, label=t("plot.fan.central", lang))
    if target is not None:
        ax.plot([target[0]], [target[1]], marker="*", markersize=12, color="#c44e52", linestyle="none",
                label=target[2] if len(target) > 2 else t("plot.fan.target", lang, year=target[0]))
    ax.set_ylabel(t(unit_key, lang, year=int(years[0])) if unit_key else axis_unit(indicator, lang, int(years[0])))
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter(grouped_format(lang, 0 if indicator == "gdp_per_capita" else 1)))
    set_year_axis(ax, years)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def tornado(table: pd.DataFrame, lang: str = "en", base_col: str = "base", low_col: str = "low",
            high_col: str = "high", label_col: str = "label", title: str | None = None,
            unit_label: str | None = None, max_rows: int = 12) -> Figure:
    """Tornado chart: the output when each input is moved down (``low``) and up (``high``).

    Parameters
    ----------
    table : DataFrame
        One row per input: ``label_col`` (text), ``base_col``, ``low_col``,
        ``high_col`` (the output, same unit). Rows are sorted by swing, widest on top.
    """
    data = table.copy()
    data["_swing"] = (data[high_col] - data[low_col]).abs()
    data = data.sort_values("_swing", ascending=True, kind="mergesort").tail(max_rows)
    height = max(2.5, 0.4 * len(data) + 1.4)
    fig, axes = new_figure(figsize=(8.0, height))
    ax = axes[0, 0]
    base = float(data[base_col].iloc[0]) if len(data) else 0.0
    ypos = np.arange(len(data))
    low = data[low_col].to_numpy(float) - base
    high = data[high_col].to_numpy(float) - base
    ax.barh(ypos, low, left=base, color="#c44e52", label=t("plot.tornado.low", lang))
    ax.barh(ypos, high, left=base, color="#4c72b0", label=t("plot.tornado.high", lang))
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_yticks(ypos)
    ax.set_yticklabels([str(x) for x in data[label_col]], fontsize=8)
    ax.set_xlabel(unit_label or "")
    if title:
        ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    return fig
