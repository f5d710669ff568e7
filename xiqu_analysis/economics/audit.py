"""Source audit: recompute what the figures under ``data/`` imply about each other.

The audit is a general mechanism driven by ``data/indicators.csv``; no figure
has a case of its own. Three families of checks:

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
    (aggregate / per-capita) is reported too.
``same_figure_other_source`` / ``benchmark``
    The same indicator and year from two sources of the region (the plan's
    resident population against the census count), and the region's figure
    against the benchmark region's (``region.yaml``: ``benchmark_region``),
    which is ``context`` (a ratio), not a test.

Verdicts: ``consistent``, ``inconsistent``, ``not_checkable``,
``not_comparable``, ``context``.

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
from typing import Callable, Iterable, Sequence

import pandas as pd

from ..inputs.figures import Figure, decimals_written, figures_from_frame
from ..inputs.regions import RegionData
from ..units import UNIT_FACTORS, convert, from_base, to_base
from .growth import annualised_change_pct, average_growth_pct, cumulative_change_pct

__all__ = [
    "AUDIT_COLUMNS",
    "VERDICTS",
    "LEVEL_KINDS",
    "audit_frames",
    "audit_region",
    "summarise",
]

AUDIT_COLUMNS = [
    "check", "kind", "indicator", "region", "year", "stated", "recomputed", "difference",
    "difference_pct", "unit", "verdict", "explanation", "sources", "figure_id", "implied_population",
]
"""Columns of the table of :func:`audit_frames` and :func:`audit_region`. ``stated``, ``recomputed`` and
``difference`` (stated - recomputed) are in ``unit`` (``%``: per cent, and the
difference in percentage points); ``difference_pct`` is the difference in per
cent of ``recomputed``; ``implied_population`` (persons) is set for
per-capita checks only."""

VERDICTS = ("consistent", "inconsistent", "not_checkable", "not_comparable", "context")

#: kinds that measure a level or rate (as opposed to goals and statements over periods)
LEVEL_KINDS = frozenset({"actual", "census", "estimate"})
#: kinds of growth figures the audit recomputes
GROWTH_KINDS = frozenset({"stated_average", "stated_change", "actual", "estimate"})

_CHECK_ORDER = {"growth_from_levels": 0, "growth_from_stated_change": 1, "per_capita": 2,
                "same_figure_other_source": 3, "benchmark": 4}
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
    label_en: str
    unit_family: str
    level_of: str | None
    per_capita_of: str | None
    population_like: bool


def _indicators(df: pd.DataFrame) -> dict[str, _Indicator]:
    return {
        r["indicator"]: _Indicator(
            r["indicator"], r["label_en"], r["unit_family"], r["level_of"] or None,
            r["per_capita_of"] or None, bool(r["population_like"]),
        )
        for r in df.to_dict("records")
    }


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


def _cite(figs: Iterable[Figure]) -> str:
    return "; ".join(f"{f.id} ({f.source}, trust {f.trust})" for f in figs)


def _num(x: float, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def _fig(f: Figure) -> str:
    sep = "" if f.unit == "%" else " "
    return f"{f.value:,.{max(f.decimals, 0)}f}{sep}{f.unit}"


def _verdict(stated: tuple[float, float], recomputed: tuple[float, float]) -> str:
    if any(math.isnan(v) for v in recomputed):
        return "not_checkable"
    return "consistent" if stated[0] <= recomputed[1] and recomputed[0] <= stated[1] else "inconsistent"


def _row(check: str, f: Figure, *, recomputed=math.nan, unit: str | None = None, verdict: str,
         explanation: str, used: Sequence[Figure] = (), stated: float | None = None,
         implied_population: float = math.nan) -> dict:
    stated_v = f.value if stated is None else stated
    diff = stated_v - recomputed if not math.isnan(recomputed) else math.nan
    pct = diff / recomputed * 100.0 if not math.isnan(diff) and recomputed != 0 else math.nan
    return {
        "check": check, "kind": f.kind, "indicator": f.indicator, "region": f.region, "year": f.when,
        "stated": float(stated_v), "recomputed": float(recomputed), "difference": float(diff),
        "difference_pct": float(pct), "unit": unit or f.unit, "verdict": verdict,
        "explanation": " ".join(explanation.split()), "sources": _cite([f, *used]),
        "figure_id": f.id, "implied_population": float(implied_population),
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
        what = "cumulative change" if g.kind == "stated_change" else "average annual growth" if n > 1 else "growth"
        if not starts or not ends:
            missing = " and ".join(str(y) for y, have in ((y0, starts), (last, ends)) if not have)
            rows.append(_row(
                "growth_from_levels", g, unit="%", verdict="not_checkable",
                explanation=f"The stated {what} of {g.value:g}% ({g.when}) needs {level.label_en} ({level.name}) "
                f"levels for {y0} and {last}; region {g.region} has none for {missing}.",
            ))
        for s, e in itertools.product(starts, ends):
            if g.kind == "stated_change":
                fn = lambda a, b: cumulative_change_pct(a, b)  # noqa: E731
            else:
                fn = lambda a, b, n=n: average_growth_pct(a, b, n)  # noqa: E731
            sv, ev = to_base(s.value, s.unit), to_base(e.value, e.unit)
            if sv <= 0 or ev <= 0:
                rows.append(_row("growth_from_levels", g, unit="%", verdict="not_checkable", used=[s, e],
                                 explanation=f"A growth rate needs positive levels; {s.id} is {_fig(s)} and "
                                 f"{e.id} is {_fig(e)}."))
                continue
            rec = fn(sv, ev)
            lo, hi = _bounds(fn, [_base_interval(s), _base_interval(e)])
            level_bases = {s.price_basis, e.price_basis}
            if g.price_basis == "comparable" and "current" in level_bases:
                verdict = "not_comparable"
                why = (f"The stated rate is at comparable (real) prices but the levels {_fig(s)} ({s.year}) and "
                       f"{_fig(e)} ({e.year}) are at current prices: their {what} of {_num(rec)}% includes price "
                       f"change (the deflator), so it cannot test the real rate. The gap of "
                       f"{_num(g.value - rec)} points is not a finding.")
            elif g.price_basis == "current" and "comparable" in level_bases:
                verdict = "not_comparable"
                why = (f"The stated rate is nominal but a level is at comparable prices; {what} from the levels "
                       f"{_num(rec)}%.")
            else:
                verdict = _verdict(_interval(g), (lo, hi))
                if g.kind == "stated_change":
                    formula = f"{_fig(e)} / {_fig(s)} - 1 = {_num(rec)}%"
                else:
                    formula = (f"({_fig(e)} / {_fig(s)})^(1/{n}) - 1 = {_num(rec)}% a year"
                               if n > 1 else f"{_fig(e)} / {_fig(s)} - 1 = {_num(rec)}%")
                tol = (f"rounding allows {_num(g.value - g.rounding, 3)}-{_num(g.value + g.rounding, 3)} stated "
                       f"against {_num(lo, 3)}-{_num(hi, 3)} recomputed")
                if verdict == "consistent":
                    why = f"{formula}, matching the stated {g.value:g}% ({tol})."
                else:
                    why = (f"{formula}, not the stated {g.value:g}%: {_num(g.value - rec)} points "
                           f"{'above' if g.value > rec else 'below'} ({tol}).")
            if s.note != e.note and (s.note or e.note):
                why += (f" The two levels carry different notes ({s.year}: {s.note or 'none'}; {e.year}: "
                        f"{e.note or 'none'}): check that they belong to one series.")
            rows.append(_row("growth_from_levels", g, recomputed=rec, unit="%", verdict=verdict,
                             explanation=why, used=[s, e]))
        if g.kind == "stated_average" and n >= 1:
            changes = [c for c in figs if c.indicator == g.indicator and c.kind == "stated_change"
                       and c.period == g.period and c.id != g.id]
            for c in changes:
                rec = annualised_change_pct(c.value, n)
                lo, hi = _bounds(lambda x: annualised_change_pct(x, n), [_interval(c)])
                if _price_clash(g.price_basis, c.price_basis):
                    verdict = "not_comparable"
                    why = (f"The average is at {g.price_basis} prices, the change {c.value:g}% at "
                           f"{c.price_basis} prices; (1 + {c.value:g}%)^(1/{n}) - 1 = {_num(rec)}% a year "
                           "mixes the two.")
                else:
                    verdict = _verdict(_interval(g), (lo, hi))
                    formula = f"(1 + {c.value:g}%)^(1/{n}) - 1 = {_num(rec)}% a year"
                    tol = (f"rounding allows {_num(g.value - g.rounding, 3)}-{_num(g.value + g.rounding, 3)} stated "
                           f"against {_num(lo, 3)}-{_num(hi, 3)} recomputed")
                    if verdict == "consistent":
                        why = f"A change of {c.value:g}% over {g.period} is {formula}, matching the stated {g.value:g}% ({tol})."
                    else:
                        why = (f"A change of {c.value:g}% over {g.period} ({n} years) is {formula}, not the stated "
                               f"average of {g.value:g}%: {_num(g.value - rec)} points "
                               f"{'above' if g.value > rec else 'below'} ({tol}).")
                rows.append(_row("growth_from_stated_change", g, recomputed=rec, unit="%", verdict=verdict,
                                 explanation=why, used=[c]))
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
            need = " and ".join(x for x, have in ((f"{spec.per_capita_of} for {pc.year}", aggs),
                                                  (f"a population figure for {pc.year}", pops)) if not have)
            rows.append(_row("per_capita", pc, verdict="not_checkable",
                             explanation=f"Recomputing {pc.indicator} needs {need}; region {pc.region} has none."))
            continue
        pc_base = _base_interval(pc)
        for agg, pop in itertools.product(aggs, pops):
            a_base, p_base = to_base(agg.value, agg.unit), to_base(pop.value, pop.unit)
            if p_base <= 0 or pc.value <= 0:
                rows.append(_row("per_capita", pc, verdict="not_checkable", used=[agg, pop],
                                 explanation=f"Population {_fig(pop)} and per-capita {_fig(pc)} must be positive."))
                continue
            rec = from_base(a_base / p_base, pc.unit)
            lo, hi = _bounds(lambda a, p: from_base(a / p, pc.unit), [_base_interval(agg), _base_interval(pop)])
            implied = a_base / to_base(pc.value, pc.unit)
            i_lo, i_hi = _bounds(lambda a, v: a / v, [_base_interval(agg), pc_base])
            verdict = _verdict(_interval(pc), (lo, hi))
            p_persons = p_base
            rel = (implied / p_persons - 1.0) * 100.0
            why = (f"{_fig(agg)} / {ind[pop.indicator].label_en} {p_persons:,.0f} persons ({pop.id}) = "
                   f"{_num(rec, 0)} {pc.unit}, stated {_fig(pc)}. The stated figure implies a population of "
                   f"{implied:,.0f} persons (rounding: {i_lo:,.0f}-{i_hi:,.0f}), "
                   f"{abs(rel):.1f}% {'above' if rel > 0 else 'below'} this one. Official per-capita figures "
                   "usually divide by the year's average resident population.")
            rows.append(_row("per_capita", pc, recomputed=rec, verdict=verdict, explanation=why,
                             used=[agg, pop], implied_population=implied))
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


def _same_figure_checks(figs: list[Figure], ind: dict[str, _Indicator]) -> list[dict]:
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
        if _price_clash(stated.price_basis, ref.price_basis):
            verdict = "not_comparable"
            why = (f"{stated.id} is at {stated.price_basis} prices, {ref.id} at {ref.price_basis} prices.")
        else:
            verdict = _verdict(_interval(stated, unit), _interval(ref, unit))
            diff = s_val - r_val
            why = (f"{stated.id} says {_fig(stated)}, {ref.id} says {_fig(ref)} "
                   f"(trust {ref.trust}): {'the same within rounding' if verdict == 'consistent' else 'a difference of'}"
                   + ("" if verdict == "consistent" else
                      f" {_num(diff, 4 if abs(diff) < 1 else 2)} {unit} ({diff / r_val * 100:+.1f}%), more than "
                      "the rounding of either figure explains") + ".")
            if stated.note:
                why += f" Note on {stated.id}: {stated.note}."
        rows.append(_row("same_figure_other_source", stated, recomputed=r_val, unit=unit, stated=s_val,
                         verdict=verdict, explanation=why, used=[ref]))
    return rows


def _benchmark_checks(figs: list[Figure], bench: list[Figure], bench_region: str,
                      ind: dict[str, _Indicator]) -> list[dict]:
    rows = []
    for f in figs:
        if f.kind == "target":
            continue
        for b in bench:
            if b.indicator != f.indicator or b.when != f.when or _kind_group(b.kind) != _kind_group(f.kind):
                continue
            unit = _finer_unit(f.unit, b.unit)
            s_val, b_val = convert(f.value, f.unit, unit), convert(b.value, b.unit, unit)
            if _price_clash(f.price_basis, b.price_basis):
                rows.append(_row("benchmark", f, recomputed=b_val, unit=unit, stated=s_val,
                                 verdict="not_comparable", used=[b],
                                 explanation=f"{f.id} is at {f.price_basis} prices, {b.id} at {b.price_basis} prices."))
                continue
            label = ind[f.indicator].label_en
            if UNIT_FACTORS[f.unit][0] == "percent":
                why = (f"{label} {f.when}: {f.region} {_fig(f)}, {bench_region} {_fig(b)} "
                       f"({s_val - b_val:+.2f} points).")
            else:
                why = (f"{label} {f.when}: {f.region} {_fig(f)} is {s_val / b_val * 100:.1f}% of "
                       f"{bench_region}'s {_fig(b)} (ratio {s_val / b_val:.3f}).")
            why += " Context, not a test."
            rows.append(_row("benchmark", f, recomputed=b_val, unit=unit, stated=s_val, verdict="context",
                             explanation=why, used=[b]))
    return rows


# --------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------
def audit_frames(figures: pd.DataFrame, indicators: pd.DataFrame,
                 benchmark_figures: pd.DataFrame | None = None,
                 benchmark_region: str | None = None) -> pd.DataFrame:
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
        Its key, for the explanations.

    Returns
    -------
    DataFrame
        Columns :data:`AUDIT_COLUMNS`, one row per check, ordered by check,
        indicator and year.
    """
    ind = _indicators(indicators)
    figs = _records(figures)
    rows = _growth_checks(figs, ind) + _per_capita_checks(figs, ind) + _same_figure_checks(figs, ind)
    if benchmark_figures is not None and len(benchmark_figures):
        bench = _records(benchmark_figures)
        rows += _benchmark_checks(figs, bench, benchmark_region or bench[0].region, ind)
    out = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    if out.empty:
        return out
    out["_order"] = out["check"].map(_CHECK_ORDER)
    out = out.sort_values(["_order", "indicator", "year", "figure_id"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


def audit_region(region: RegionData) -> pd.DataFrame:
    """Audit a region's figures, with its benchmark region's figures as context.

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
                        bench.key if bench is not None else None)


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """Number of checks per verdict (all verdicts listed, zeros included)."""
    counts = table["verdict"].value_counts()
    return pd.DataFrame({"verdict": list(VERDICTS), "checks": [int(counts.get(v, 0)) for v in VERDICTS]})
