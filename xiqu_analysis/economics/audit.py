"""Source audit: recompute what the figures under ``data/`` imply about each other.

The audit is a general mechanism driven by ``data/indicators.csv``; no figure
has a case of its own. It returns **codes and numbers**: for every check its
``check``, ``reason`` (which case of the check, e.g. ``average_differs``),
``verdict``, the figures involved (``figure_id`` and ``sources``, ids) and the
values (stated, recomputed, their rounding intervals, years, implied
population). The reports (:mod:`xiqu_analysis.reports.sections.data_audit`) turn each
row into a sentence in the reader's language. Families of checks:

``growth_from_levels`` / ``growth_from_stated_change``
    Every growth figure (an indicator with ``level_of``) of kind
    ``stated_average``, ``stated_change``, ``actual`` or ``estimate`` is
    recomputed from the levels of its ``level_of`` indicator at the start
    (first growth year - 1) and end of its period, from any source of the
    same region: an average annual rate ``(end/start)**(1/n) - 1`` (``n``
    growth years) or, for a ``stated_change``, the cumulative change
    ``end/start - 1``. A ``stated_average`` is also recomputed from a
    ``stated_change`` of the same indicator and period:
    ``(1 + c)**(1/n) - 1``. Missing endpoints give ``not_checkable``. A rate
    at comparable (real) prices recomputed from current-price levels gives
    ``not_comparable``: the ratio of current-price levels contains price
    change, which the real rate leaves out.
``per_capita``
    Every per-capita figure (``per_capita_of``) against its aggregate of the
    same year divided by each population figure (``population_like``) of that
    year, stated or census; the population the per-capita figure implies
    (aggregate / per-capita) is reported too. A population that is not the
    standard denominator of per-capita figures (``per_capita_denominator``
    false in the data dictionary, e.g. the registered (hukou) population) gives
    ``not_comparable``: the figure was never meant to divide by it.
``same_figure_other_source`` / ``benchmark``
    The same indicator and year from two sources of the region (the plan's
    resident population against the census count), and the region's figure
    against the benchmark region's (``region.yaml``: ``benchmark_region``),
    which is ``context`` (a ratio), not a test.
``sum_of_parts``
    Wherever the data state a total and its parts: the figures of indicators
    that are ``part_of`` another (sector value added of GDP; sector shares of
    100) against the total of the same year, and the plan's projects whose
    parts are listed in ``project_parts.csv`` (the 31 subsidence projects in
    three groups, the zones of a park) against the project's stated
    investment, area or capacity.

Verdicts: ``consistent``, ``inconsistent``, ``not_checkable``,
``not_comparable``, ``context``. :func:`findings` groups the inconsistent
checks into findings: one per inconsistency, listing the checks that support
it (one wrong per-capita figure fails against every population, but it is
one finding).

Tolerance
---------
A published figure is rounded: 8.24 stands for anything in [8.235, 8.245),
12.5 万人 for [12.45, 12.55) 万人. The tolerance of a check is this rounding,
half a unit in the last digit written in ``figures.csv`` (``decimals``), of
the stated figure *and* of the figures it is recomputed from: the inputs'
intervals are carried through the (monotone) formula by evaluating it at the
interval corners, giving an interval of recomputed values. The check is
``consistent`` when the stated figure's interval and the recomputed interval
overlap, ``inconsistent`` otherwise. No other slack is allowed: a figure that
fails is one no rounding of the published digits can explain. (A figure
written with fewer digits than its precision, such as "about 1200", is
treated as exact to its last digit; its note says so.)

The checks of each family are in :mod:`.audit_checks`; this module runs them,
orders and numbers the rows and marks the findings.
"""
from __future__ import annotations

import math

import pandas as pd

from ..inputs.figures import Figure
from ..inputs.regions import RegionData
from ..inputs.indicators import indicator_registry
from .audit_checks import (
    GROWTH_KINDS,
    LEVEL_KINDS,
    benchmark_checks,
    figure_records,
    growth_checks,
    per_capita_checks,
    same_figure_checks,
    sum_of_parts_checks,
)
from .audit_findings import FINDING_COLUMNS, findings
from .audit_parts import parts_checks

__all__ = [
    "AUDIT_COLUMNS",
    "FINDING_COLUMNS",
    "VERDICTS",
    "CHECKS",
    "REASONS",
    "GROWTH_KINDS",
    "LEVEL_KINDS",
    "audit_frames",
    "audit_region",
    "findings",
    "summarise",
]

AUDIT_COLUMNS = [
    "check_id", "check", "reason", "verdict", "finding", "kind", "indicator", "reference_indicator", "region",
    "year", "stated", "recomputed", "difference", "difference_pct", "unit", "stated_low", "stated_high",
    "recomputed_low", "recomputed_high", "n_years", "implied_population", "implied_low", "implied_high",
    "missing", "series_break", "figure_id", "sources",
]
"""Columns of the table of :func:`audit_frames` and :func:`audit_region`.

``check_id`` numbers the rows from 1; ``check`` and ``reason`` are codes
(:data:`REASONS`); ``finding`` is the number of the finding an inconsistent
check supports (:func:`findings`), empty otherwise. ``stated``,
``recomputed`` and ``difference`` (stated - recomputed) are in ``unit``
(``%``: per cent, the difference in percentage points); ``difference_pct``
is the difference in per cent of ``recomputed``; ``*_low``/``*_high`` are
the rounding intervals; ``n_years`` the growth years of a rate;
``implied_population`` (persons, with its interval) is set for per-capita
checks only; ``missing`` names what a ``not_checkable`` check lacks (years,
or ``aggregate``/``population``); ``series_break`` is true when the two levels
of a growth check carry different notes. ``figure_id`` is the figure (or
project) checked, ``sources`` every figure or project id used, the checked
one first, separated by ``"; "``; ``indicator`` is the checked figure's
indicator (for a project: the measure, ``total_investment``, ``area`` or
``capacity``) and ``reference_indicator`` the one it is recomputed from."""

VERDICTS = ("consistent", "inconsistent", "not_checkable", "not_comparable", "context")
CHECKS = ("growth_from_levels", "growth_from_stated_change", "per_capita", "same_figure_other_source",
          "sum_of_parts", "benchmark")
#: the reason codes of each check: the case of the check a row is, which the reports explain in words
REASONS: dict[str, tuple[str, ...]] = {
    "growth_from_levels": ("missing_levels", "non_positive_levels", "real_rate_current_levels",
                           "nominal_rate_real_levels", "average_agrees", "average_differs", "change_agrees",
                           "change_differs", "one_year_agrees", "one_year_differs"),
    "growth_from_stated_change": ("prices_differ", "agrees", "differs"),
    "per_capita": ("missing", "non_positive", "non_standard_denominator", "agrees", "differs"),
    "same_figure_other_source": ("prices_differ", "agrees", "differs"),
    "sum_of_parts": ("missing_parts", "may_overlap", "agrees", "differs"),
    "benchmark": ("prices_differ", "points", "ratio"),
}

_CHECK_ORDER = {c: i for i, c in enumerate(CHECKS)}


# --------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------
def audit_frames(figures: pd.DataFrame, indicators: pd.DataFrame,
                 benchmark_figures: pd.DataFrame | None = None,
                 benchmark_region: str | None = None, *,
                 projects: pd.DataFrame | None = None,
                 project_parts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Audit a region's figures (pure: frames in, frame out).

    Parameters
    ----------
    figures : DataFrame
        One region's figures, columns as :func:`xiqu_analysis.inputs.figures.load_figures`
        (``decimals`` is inferred from the values when absent).
    indicators : DataFrame
        The data dictionary (:func:`xiqu_analysis.inputs.indicators.load_indicators`).
    benchmark_figures : DataFrame, optional
        The benchmark region's figures, for ``benchmark`` (context) rows.
    benchmark_region : str, optional
        Its key (kept for callers; the rows name the benchmark's figure ids).
    projects, project_parts : DataFrame, optional
        The region's projects and their listed parts, for ``sum_of_parts`` rows.

    Returns
    -------
    DataFrame
        Columns :data:`AUDIT_COLUMNS`, one row per check, ordered by check,
        indicator and year, numbered by ``check_id``; ``finding`` set on the
        inconsistent rows (:func:`findings`).
    """
    ind = indicator_registry(indicators)
    figs = figure_records(figures)
    rows = (growth_checks(figs, ind) + per_capita_checks(figs, ind) + same_figure_checks(figs)
            + sum_of_parts_checks(figs, ind))
    if projects is not None and project_parts is not None and len(project_parts):
        rows += [_row_from_part(r) for r in parts_checks(projects, project_parts, _region_of(figs))]
    if benchmark_figures is not None and len(benchmark_figures):
        rows += benchmark_checks(figs, figure_records(benchmark_figures))
    out = pd.DataFrame(rows, columns=[c for c in AUDIT_COLUMNS if c not in ("check_id", "finding")])
    if out.empty:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    out["_order"] = out["check"].map(_CHECK_ORDER)
    out = out.sort_values(["_order", "indicator", "year", "figure_id"], kind="stable").drop(columns="_order")
    out = out.reset_index(drop=True)
    out.insert(0, "check_id", range(1, len(out) + 1))
    found = findings(out.assign(finding=pd.NA))
    number = {int(c): int(f.finding) for f in found.itertuples() for c in f.check_ids.split("; ")}
    out.insert(4, "finding", pd.array([number.get(int(c)) for c in out["check_id"]], dtype="Int64"))
    return out[AUDIT_COLUMNS]


def _region_of(figs: list[Figure]) -> str:
    return figs[0].region if figs else ""


def _row_from_part(r: dict) -> dict:
    """A project sum-of-parts result (:func:`.audit_parts.parts_checks`) as an audit row."""
    return {**{c: r.get(c, math.nan) for c in AUDIT_COLUMNS if c not in ("check_id", "finding")},
            "missing": r.get("missing", ""), "series_break": False}


def audit_region(region: RegionData) -> pd.DataFrame:
    """Audit a region's figures and projects, with its benchmark region's figures as context.

    Parameters
    ----------
    region : RegionData
        From :func:`xiqu_analysis.inputs.regions.load_region`.

    Returns
    -------
    DataFrame
        Columns :data:`AUDIT_COLUMNS` (see the module docstring for checks,
        verdicts and the tolerance).
    """
    bench = region.benchmark
    return audit_frames(region.figures, region.indicators, bench.figures if bench is not None else None,
                        bench.key if bench is not None else None, projects=region.projects,
                        project_parts=region.project_parts)


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """Number of checks per verdict (all verdicts listed, zeros included)."""
    counts = table["verdict"].value_counts()
    return pd.DataFrame({"verdict": list(VERDICTS), "checks": [int(counts.get(v, 0)) for v in VERDICTS]})

