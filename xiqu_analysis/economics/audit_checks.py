"""The audit's checks, one function per family; rows of codes and numbers, no words.

Each family (:mod:`.audit` documents the families, their verdicts and the
tolerance) takes a region's figures as records (:func:`figure_records`) and,
where it needs them, the registry's links (:func:`xiqu_analysis.inputs.indicators.indicator_registry`), and
returns one dict per check with the columns of
:data:`~xiqu_analysis.economics.audit.AUDIT_COLUMNS` except ``check_id`` and
``finding``. The tolerance of every check is the rounding of the figures
involved, carried through the formula at the corners of their intervals.
"""
from __future__ import annotations

import itertools
import math
from typing import Callable, Sequence

import pandas as pd

from ..inputs.figures import Figure, decimals_written, figures_from_frame
from ..inputs.indicators import IndicatorSpec
from ..units import UNIT_FACTORS, convert, from_base, to_base
from .growth import annualised_change_pct, average_growth_pct, cumulative_change_pct

__all__ = [
    "GROWTH_KINDS",
    "LEVEL_KINDS",
    "benchmark_checks",
    "figure_records",
    "growth_checks",
    "per_capita_checks",
    "same_figure_checks",
    "sum_of_parts_checks",
]

#: kinds that measure a level or rate (as opposed to goals and statements over periods)
LEVEL_KINDS = frozenset({"actual", "census", "estimate"})
#: kinds of growth figures the audit recomputes
GROWTH_KINDS = frozenset({"stated_average", "stated_change", "actual", "estimate"})

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
def figure_records(df: pd.DataFrame) -> list[Figure]:
    """A frame of figures as records (``decimals`` read from the values when the frame has none)."""
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
def growth_checks(figs: list[Figure], ind: dict[str, IndicatorSpec]) -> list[dict]:
    """``growth_from_levels`` and ``growth_from_stated_change``: every growth figure recomputed."""
    rows = []
    for g in figs:
        spec = ind.get(g.indicator)
        if spec is None or spec.level_of is None or g.kind not in GROWTH_KINDS:
            continue
        first, last = g.years
        n = last - first + 1
        y0 = first - 1
        level = ind[spec.level_of]
        starts = [f for f in figs if f.indicator == level.key and f.year == y0 and f.kind in LEVEL_KINDS]
        ends = [f for f in figs if f.indicator == level.key and f.year == last and f.kind in LEVEL_KINDS]
        measure = "change" if g.kind == "stated_change" else "average" if n > 1 else "one_year"
        if not starts or not ends:
            missing = " ".join(str(y) for y, have in ((y0, starts), (last, ends)) if not have)
            rows.append(_row("growth_from_levels", "missing_levels", "not_checkable", g, unit="%", n_years=n,
                             missing=missing, reference=level.key))
        for s, e in itertools.product(starts, ends):
            if g.kind == "stated_change":
                fn = lambda a, b: cumulative_change_pct(a, b)  # noqa: E731
            else:
                fn = lambda a, b, n=n: average_growth_pct(a, b, n)  # noqa: E731
            sv, ev = to_base(s.value, s.unit), to_base(e.value, e.unit)
            common = dict(unit="%", used=[s, e], n_years=n, reference=level.key,
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


def per_capita_checks(figs: list[Figure], ind: dict[str, IndicatorSpec]) -> list[dict]:
    """``per_capita``: every per-capita figure against its aggregate over each population of its year."""
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


def same_figure_checks(figs: list[Figure]) -> list[dict]:
    """``same_figure_other_source``: one indicator and year from two sources of the region."""
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


def sum_of_parts_checks(figs: list[Figure], ind: dict[str, IndicatorSpec]) -> list[dict]:
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


def benchmark_checks(figs: list[Figure], bench: list[Figure]) -> list[dict]:
    """``benchmark``: the region's figures beside the benchmark region's (context, not a test)."""
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
