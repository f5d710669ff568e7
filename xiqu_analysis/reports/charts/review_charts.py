"""Charts of the annual review that compare like with like.

* :func:`growth_figure` -- one panel per plan floor (and real GDP): the
  cumulative real growth since the base year as an index (base = 100): the
  actual dots (chained actual real rates), the plan's floor path (dashed) and
  each scenario's projected line from the base year. Real against real.
* :func:`review_figure` -- a level at current prices (nominal GDP by default):
  the actual dots, each scenario's projected line from the base year (solid)
  and its path re-based on the latest actual (dashed, same colour). Current
  prices against current prices.

Both have a unit on the value axis and a legend, and no title of their own
(the caption says what they show); scenario names arrive as readable labels in
``names``. The floor path is drawn above the scenarios, dashed with open
markers, so a scenario that grows exactly at the floors (plan_targets) does not
hide it. They return a matplotlib Figure, or None when there is nothing to draw.
"""
from __future__ import annotations

from typing import Mapping

from ...economics.review import Review
from ..words.text import label, t

__all__ = ["growth_figure", "review_figure"]

_ACTUAL = dict(color="black", marker="o", linestyle="none", markersize=5, zorder=5)
#: the floor path: dashed, open squares, above the scenario lines (zorder) that may run exactly along it
_FLOOR = dict(color="#333333", linestyle=(0, (4, 3)), linewidth=1.4, marker="s", markersize=5,
              markerfacecolor="white", markeredgewidth=1.2, zorder=4)
#: a scenario's projected line: wide and a little transparent, so a floor drawn on it stays visible
_PROJECTED = dict(linewidth=3.0, alpha=0.75, zorder=2)


def _colours(names) -> dict[str, str]:
    from matplotlib import colormaps

    cmap = colormaps["tab10"]
    return {n: cmap(i % 10) for i, n in enumerate(names)}


def growth_figure(review: Review, lang: str = "en", names: Mapping[str, str] | None = None):
    """Actual cumulative real growth, the plan's floor path and each scenario, one panel per column."""
    from . import plots

    paths = review.index_paths
    if paths.empty or not (paths["series"] == "actual").any() and not (paths["series"] == "scenario").any():
        return None
    columns = list(dict.fromkeys(paths["column"]))
    ncols = 2 if len(columns) > 1 else 1
    nrows = (len(columns) + ncols - 1) // ncols
    fig, axes = plots.new_figure(nrows, ncols, figsize=(8.0, 3.2 * nrows + 0.6))
    scenarios = list(dict.fromkeys(paths.loc[paths["series"] == "scenario", "scenario"]))
    colours = _colours(scenarios)
    names = names or {}
    for i, col in enumerate(columns):
        ax = axes[i // ncols][i % ncols]
        sel = paths[paths["column"] == col]
        for name in scenarios:
            s = sel[(sel["series"] == "scenario") & (sel["scenario"] == name)]
            if not s.empty:
                ax.plot(s["year"], s["index"], color=colours[name],
                        label=t("review.fig_projected", lang, scenario=names.get(name, name)), **_PROJECTED)
        floor = sel[sel["series"] == "floor"]
        if not floor.empty:
            ax.plot(floor["year"], floor["index"], label=t("review.fig_floor", lang), **_FLOOR)
        actual = sel[sel["series"] == "actual"]
        if not actual.empty:
            ax.plot(actual["year"], actual["index"], label=t("review.fig_actual", lang), **_ACTUAL)
        ax.set_title(label(col, lang), fontsize=10)
        ax.set_ylabel(t("review.fig_index_label", lang, base=review.base_year))
        plots.set_year_axis(ax, sorted(set(sel["year"].astype(int))))
        ax.grid(alpha=0.3)
    for j in range(len(columns), nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    handles, labels = axes[0][0].get_legend_handles_labels()
    for row in axes:
        for ax in row:
            for h, lab in zip(*ax.get_legend_handles_labels()):
                if lab not in labels:
                    handles.append(h)
                    labels.append(lab)
    fig.legend(handles, labels, loc="outside lower center", ncols=min(3, len(labels)), fontsize="small")
    return fig


def review_figure(review: Review, column: str = "gdp_nominal", lang: str = "en",
                  names: Mapping[str, str] | None = None):
    """The actual level of ``column`` against each scenario's projection from the base year and its re-based path."""
    from . import plots

    lp = review.level_paths[review.level_paths["column"] == column]
    rb = review.rebased[review.rebased["column"] == column]
    dots = review.levels[review.levels["column"] == column].drop_duplicates("year").sort_values("year")
    if lp.empty and dots.empty:
        return None
    fig, axes = plots.new_figure()
    ax = axes[0][0]
    names = names or {}
    scenarios = list(dict.fromkeys(lp["scenario"]))
    colours = _colours(scenarios)
    for name in scenarios:
        s = lp[lp["scenario"] == name]
        ax.plot(s["year"], s["projected"], color=colours[name], linewidth=1.5,
                label=t("review.fig_projected", lang, scenario=names.get(name, name)))
        r = rb[rb["scenario"] == name]
        if not r.empty:
            ax.plot(r["year"], r["rebased"], color=colours[name], linestyle="--", linewidth=1.5,
                    label=t("review.fig_rebased", lang, scenario=names.get(name, name)))
    ax.plot(dots["year"], dots["value"], label=t("review.fig_actual", lang), **_ACTUAL)
    unit = str(lp["unit"].iloc[0]) if not lp.empty else str(dots["unit"].iloc[0])
    ax.set_xlabel(t("review.fig_year", lang))
    ax.set_ylabel(t("review.fig_ylabel", lang, column=label(column, lang), unit=unit))
    years = sorted(set(lp["year"].astype(int)) | set(dots["year"].astype(int)))
    plots.set_year_axis(ax, years)
    ax.grid(alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()  # below the axes: long scenario titles cover no line
    fig.legend(handles, labels, loc="outside lower center", ncols=2 if len(scenarios) > 2 else 1, fontsize="small")
    return fig
