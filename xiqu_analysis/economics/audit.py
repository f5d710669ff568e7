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
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Callable, Sequence

import pandas as pd

from ..inputs.figures import Figure, decimals_written, figures_from_frame
from ..inputs.regions import RegionData
from ..units import UNIT_FACTORS, convert, from_base, to_base
from .audit_findings import FINDING_COLUMNS, findings
from .audit_parts import parts_checks
from .growth import annualised_change_pct, average_growth_pct, cumulative_change_pct

__all__ = [
    "AUDIT_COLUMNS",
    "FINDING_COLUMNS",
    "VERDICTS",
    "CHECKS",
    "REASONS",
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
    "sum_of_parts": ("missing_parts", "agrees", "differs"),
    "benchmark": ("prices_differ", "points", "ratio"),
}

#: kinds that measure a level or rate (as opposed to goals and statements over periods)
LEVEL_KINDS = frozenset({"actual", "census", "estimate"})
#: kinds of growth figures the audit recomputes
GROWTH_KINDS = frozenset({"stated_average", "stated_change", "actual", "estimate"})

_CHECK_ORDER = {c: i for i, c in enumerate(CHECKS)}
_TRUST_RANK = {"high": 0, "medium-high": 1, "primary": 2, "medium": 3, "medium-low": 4,
               "low-medium": 5, "low": 6}


def _bounds(fn: Callable[..., float], intervals: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Range of a function monotone in each argument over a box: evaluate at the corners."""
    values = []
    for corner in itertools.product(*intervals):
        try:
            values.append(fn(*corner))
        except (ValueError, ZeroDivisionError):
            continue
    return (min(values), max(values)) if values else (math.nan, math.nan)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class _Indicator:
    name: str
    unit_family: str
    level_of: str | None
    per_capita_of: str | None
    population_like: bool
    per_capita_denominator: bool
    part_of: str | None


def _flag(value, default: bool) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return default
    return bool(value)


def _indicators(df: pd.DataFrame) -> dict[str, _Indicator]:
    out = {}
    for r in df.to_dict("records"):
        population_like = bool(r["population_like"])
        out[r["indicator"]] = _Indicator(
            r["indicator"], r["unit_family"], r["level_of"] or None, r["per_capita_of"] or None, population_like,
            # without the column every population is a standard denominator (the dictionary's older form)
            _flag(r.get("per_capita_denominator"), population_like),
            (r.get("part_of") or None) if isinstance(r.get("part_of"), str) else None,
        )
    return out


def _records(df: pd.DataFrame) -> list[Figure]:
    df = df.copy()
    if "decimals" not in df.columns:
        df["decimals"] = [decimals_written(repr(float(v)).removesuffix(".0")) for v in df["value"]]
    for col in ("period", "note"):
        if col in df.columns:
            df[col] = df[col].fillna("")
    return figures_from_frame(df)


def _interval(f: Figure, unit: str | None = None) -> tuple[float, float]:
    """The figure's rounding interval, in ``unit`` (default its own)."""
    lo, hi = f.value - f.rounding, f.value + f.rounding
    if unit and unit != f.unit:
        lo, hi = convert(lo, f.unit, unit), convert(hi, f.unit, unit)
    return lo, hi


def _base_interval(f: Figure) -> tuple[float, float]:
    return to_base(f.value - f.rounding, f.unit), to_base(f.value + f.rounding, f.unit)


def _overlap(stated: tuple[float, float], recomputed: tuple[float, float]) -> bool | None:
    """True when the intervals overlap, None when the recomputed one is undefined."""
    if any(math.isnan(v) for v in recomputed):
        return None
    return stated[0] <= recomputed[1] and recomputed[0] <= stated[1]


def _row(check: str, reason: str, verdict: str, f: Figure, *, recomputed=math.nan, unit: str | None = None,
         used: Sequence[Figure] = (), stated: float | None = None, stated_range=(math.nan, math.nan),
         recomputed_range=(math.nan, math.nan), n_years=math.nan, implied=(math.nan, math.nan, math.nan),
         missing: str = "", series_break: bool = False, reference: str = "") -> dict:
    stated_v = f.value if stated is None else stated
    diff = stated_v - recomputed if not math.isnan(recomputed) else math.nan
    pct = diff / recomputed * 100.0 if not math.isnan(diff) and recomputed != 0 else math.nan
    return {
        "check": check, "reason": reason, "verdict": verdict, "kind": f.kind, "indicator": f.indicator,
        "reference_indicator": reference, "region": f.region, "year": f.when,
        "stated": float(stated_v), "recomputed": float(recomputed), "difference": float(diff),
        "difference_pct": float(pct), "unit": unit or f.unit,
        "stated_low": float(stated_range[0]), "stated_high": float(stated_range[1]),
        "recomputed_low": float(recomputed_range[0]), "recomputed_high": float(recomputed_range[1]),
        "n_years": float(n_years), "implied_population": float(implied[0]), "implied_low": float(implied[1]),
        "implied_high": float(implied[2]), "missing": missing, "series_break": bool(series_break),
        "figure_id": f.id, "sources": "; ".join(dict.fromkeys([f.id, *(u.id for u in used)])),
    }


def _kind_group(kind: str) -> str:
    return "level" if kind in LEVEL_KINDS else kind


def _price_clash(a: str, b: str) -> bool:
    return {a, b} == {"current", "comparable"}


# --------------------------------------------------------------------------
# the checks
# --------------------------------------------------------------------------
def _growth_checks(figs: list[Figure], ind: dict[str, _Indicator]) -> list[dict]:
    rows = []
    for g in figs:
        spec = ind.get(g.indicator)
        if spec is None or spec.level_of is None or g.kind not in GROWTH_KINDS:
            continue
        first, last = g.years
        n = last - first + 1
        y0 = first - 1
        level = ind[spec.level_of]
        starts = [f for f in figs if f.indicator == level.name and f.year == y0 and f.kind in LEVEL_KINDS]
        ends = [f for f in figs if f.indicator == level.name and f.year == last and f.kind in LEVEL_KINDS]
        measure = "change" if g.kind == "stated_change" else "average" if n > 1 else "one_year"
        if not starts or not ends:
            missing = " ".join(str(y) for y, have in ((y0, starts), (last, ends)) if not have)
            rows.append(_row("growth_from_levels", "missing_levels", "not_checkable", g, unit="%", n_years=n,
                             missing=missing, reference=level.name))
        for s, e in itertools.product(starts, ends):
            if g.kind == "stated_change":
                fn = lambda a, b: cumulative_change_pct(a, b)  # noqa: E731
            else:
                fn = lambda a, b, n=n: average_growth_pct(a, b, n)  # noqa: E731
            sv, ev = to_base(s.value, s.unit), to_base(e.value, e.unit)
            common = dict(unit="%", used=[s, e], n_years=n, reference=level.name,
                          series_break=s.note != e.note and bool(s.note or e.note))
            if sv <= 0 or ev <= 0:
                rows.append(_row("growth_from_levels", "non_positive_levels", "not_checkable", g, **common))
                continue
            rec = fn(sv, ev)
            bounds = _bounds(fn, [_base_interval(s), _base_interval(e)])
            level_bases = {s.price_basis, e.price_basis}
            if g.price_basis == "comparable" and "current" in level_bases:
                reason, verdict = "real_rate_current_levels", "not_comparable"
            elif g.price_basis == "current" and "comparable" in level_bases:
                reason, verdict = "nominal_rate_real_levels", "not_comparable"
            else:
                agrees = _overlap(_interval(g), bounds)
                reason = f"{measure}_{'agrees' if agrees else 'differs'}"
                verdict = "consistent" if agrees else "inconsistent"
            rows.append(_row("growth_from_levels", reason, verdict, g, recomputed=rec, stated_range=_interval(g),
                             recomputed_range=bounds, **common))
        if g.kind == "stated_average" and n >= 1:
            changes = [c for c in figs if c.indicator == g.indicator and c.kind == "stated_change"
                       and c.period == g.period and c.id != g.id]
            for c in changes:
                rec = annualised_change_pct(c.value, n)
                bounds = _bounds(lambda x: annualised_change_pct(x, n), [_interval(c)])
                if _price_clash(g.price_basis, c.price_basis):
                    reason, verdict = "prices_differ", "not_comparable"
                else:
                    agrees = _overlap(_interval(g), bounds)
                    reason, verdict = ("agrees", "consistent") if agrees else ("differs", "inconsistent")
                rows.append(_row("growth_from_stated_change", reason, verdict, g, recomputed=rec, unit="%",
                                 used=[c], stated_range=_interval(g), recomputed_range=bounds, n_years=n,
                                 reference=c.indicator))
    return rows


def _per_capita_checks(figs: list[Figure], ind: dict[str, _Indicator]) -> list[dict]:
    rows = []
    populations = {name for name, spec in ind.items() if spec.population_like}
    for pc in figs:
        spec = ind.get(pc.indicator)
        if spec is None or spec.per_capita_of is None or pc.kind not in LEVEL_KINDS or pc.year is None:
            continue
        aggs = [f for f in figs if f.indicator == spec.per_capita_of and f.year == pc.year and f.kind in LEVEL_KINDS]
        pops = [f for f in figs if f.indicator in populations and f.year == pc.year and f.kind in LEVEL_KINDS]
        if not aggs or not pops:
            missing = " ".join(x for x, have in (("aggregate", aggs), ("population", pops)) if not have)
            rows.append(_row("per_capita", "missing", "not_checkable", pc, missing=missing,
                             reference=spec.per_capita_of))
            continue
        pc_base = _base_interval(pc)
        for agg, pop in itertools.product(aggs, pops):
            a_base, p_base = to_base(agg.value, agg.unit), to_base(pop.value, pop.unit)
            if p_base <= 0 or pc.value <= 0:
                rows.append(_row("per_capita", "non_positive", "not_checkable", pc, used=[agg, pop],
                                 reference=pop.indicator))
                continue
            rec = from_base(a_base / p_base, pc.unit)
            bounds = _bounds(lambda a, p: from_base(a / p, pc.unit), [_base_interval(agg), _base_interval(pop)])
            implied = a_base / to_base(pc.value, pc.unit)
            i_lo, i_hi = _bounds(lambda a, v: a / v, [_base_interval(agg), pc_base])
            if not ind[pop.indicator].per_capita_denominator:
                reason, verdict = "non_standard_denominator", "not_comparable"
            else:
                agrees = _overlap(_interval(pc), bounds)
                reason, verdict = ("agrees", "consistent") if agrees else ("differs", "inconsistent")
            rows.append(_row("per_capita", reason, verdict, pc, recomputed=rec, used=[agg, pop],
                             stated_range=_interval(pc), recomputed_range=bounds,
                             implied=(implied, i_lo, i_hi), reference=pop.indicator))
    return rows


def _finer_unit(a: str, b: str) -> str:
    return a if UNIT_FACTORS[a][1] <= UNIT_FACTORS[b][1] else b


def _reference_order(a: Figure, b: Figure) -> tuple[Figure, Figure]:
    """(stated, reference): the plan's figure is the one audited; otherwise the less trusted one."""
    if (a.trust == "primary") != (b.trust == "primary"):
        return (a, b) if a.trust == "primary" else (b, a)
    if a.kind == "census" and b.kind != "census":
        return b, a
    if b.kind == "census" and a.kind != "census":
        return a, b
    ra, rb = _TRUST_RANK.get(a.trust, 9), _TRUST_RANK.get(b.trust, 9)
    if ra != rb:
        return (a, b) if ra > rb else (b, a)
    return (a, b) if a.id < b.id else (b, a)


def _same_figure_checks(figs: list[Figure]) -> list[dict]:
    rows = []
    for a, b in itertools.combinations(figs, 2):
        if a.indicator != b.indicator or a.when != b.when or a.kind == "target" or b.kind == "target":
            continue
        if _kind_group(a.kind) != _kind_group(b.kind):
            continue
        stated, ref = _reference_order(a, b)
        unit = _finer_unit(stated.unit, ref.unit)
        s_val = convert(stated.value, stated.unit, unit)
        r_val = convert(ref.value, ref.unit, unit)
        common = dict(recomputed=r_val, unit=unit, stated=s_val, used=[ref], reference=ref.indicator,
                      stated_range=_interval(stated, unit), recomputed_range=_interval(ref, unit))
        if _price_clash(stated.price_basis, ref.price_basis):
            rows.append(_row("same_figure_other_source", "prices_differ", "not_comparable", stated, **common))
            continue
        agrees = _overlap(_interval(stated, unit), _interval(ref, unit))
        reason, verdict = ("agrees", "consistent") if agrees else ("differs", "inconsistent")
        rows.append(_row("same_figure_other_source", reason, verdict, stated, **common))
    return rows


def _sum_of_parts_figures(figs: list[Figure], ind: dict[str, _Indicator]) -> list[dict]:
    """Figures of indicators ``part_of`` another (or of ``100``) against the total of the same year."""
    rows = []
    groups: dict[tuple[str, str, str], list[Figure]] = {}
    for f in figs:
        spec = ind.get(f.indicator)
        if spec is None or spec.part_of is None or f.kind not in LEVEL_KINDS:
            continue
        groups.setdefault((spec.part_of, f.when, f.price_basis), []).append(f)
    for (total_name, when, _basis), parts in groups.items():
        members = [name for name, spec in ind.items() if spec.part_of == total_name]
        if len({p.indicator for p in parts}) != len(parts):
            continue  # one part from two sources: the pairs are same_figure_other_source checks
        if total_name == "100":
            totals = [None]
        else:
            totals = [f for f in figs if f.indicator == total_name and f.when == when and f.kind in LEVEL_KINDS]
        for total in totals:
            unit = parts[0].unit if total is None else total.unit
            values = [convert(p.value, p.unit, unit) for p in parts]
            lows = [convert(p.value - p.rounding, p.unit, unit) for p in parts]
            highs = [convert(p.value + p.rounding, p.unit, unit) for p in parts]
            anchor = total if total is not None else parts[0]
            stated = 100.0 if total is None else total.value
            stated_range = (100.0, 100.0) if total is None else _interval(total)
            have = {p.indicator for p in parts}
            missing = " ".join(m for m in members if m not in have)
            common = dict(unit=unit, used=parts, stated=stated, reference=total_name, missing=missing)
            if missing:
                rows.append(_row("sum_of_parts", "missing_parts", "not_checkable", anchor, **common))
                continue
            total_parts, low, high = (float(f"{sum(x):.12g}") for x in (values, lows, highs))  # no binary noise
            agrees = _overlap(stated_range, (low, high))
            reason, verdict = ("agrees", "consistent") if agrees else ("differs", "inconsistent")
            rows.append(_row("sum_of_parts", reason, verdict, anchor, recomputed=total_parts,
                             stated_range=stated_range, recomputed_range=(low, high), **common))
    return rows


def _benchmark_checks(figs: list[Figure], bench: list[Figure]) -> list[dict]:
    rows = []
    for f in figs:
        if f.kind == "target":
            continue
        for b in bench:
            if b.indicator != f.indicator or b.when != f.when or _kind_group(b.kind) != _kind_group(f.kind):
                continue
            unit = _finer_unit(f.unit, b.unit)
            s_val, b_val = convert(f.value, f.unit, unit), convert(b.value, b.unit, unit)
            common = dict(recomputed=b_val, unit=unit, stated=s_val, used=[b], reference=b.indicator)
            if _price_clash(f.price_basis, b.price_basis):
                rows.append(_row("benchmark", "prices_differ", "not_comparable", f, **common))
                continue
            reason = "points" if UNIT_FACTORS[f.unit][0] == "percent" else "ratio"
            rows.append(_row("benchmark", reason, "context", f, **common))
    return rows


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
    ind = _indicators(indicators)
    figs = _records(figures)
    rows = (_growth_checks(figs, ind) + _per_capita_checks(figs, ind) + _same_figure_checks(figs)
            + _sum_of_parts_figures(figs, ind))
    if projects is not None and project_parts is not None and len(project_parts):
        rows += [_row_from_part(r) for r in parts_checks(projects, project_parts, _region_of(figs))]
    if benchmark_figures is not None and len(benchmark_figures):
        rows += _benchmark_checks(figs, _records(benchmark_figures))
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

