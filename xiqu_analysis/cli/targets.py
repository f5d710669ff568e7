"""``xiqu targets SCENARIO.yaml``: the plan's targets against one scenario.

Prints :func:`summary_table` of :func:`xiqu_analysis.economics.targets.analyse_targets`: each target of the
plan in ``data/`` (growth floors of ch.2 §4.2, level targets of the 专栏) with
the scenario's value, the gap and met/missed; the real GDP growth the sector
floors imply; when real GDP doubles; the growth each level target requires.
"""
from __future__ import annotations

import argparse
import math
from typing import Any

import pandas as pd


from ..economics.targets import GROWTH_TOLERANCE_PP, TargetAnalysis
from ..errors import EXIT_OK, InputError
from ..inputs.scenario import SECTORS, load_scenario_with_region
from ..reports.words.locales import languages
from .project import add_format_options, check_output_path, emit, to_csv_text
from ..reports.words.locales import get_locale
from .words import CommandWords, RawDescriptionHelpFormatter, current_language, region_params

_VIEW = ("section", "item", "period", "value", "target", "unit", "gap", "status")


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu targets``."""
    w = CommandWords("targets")
    region = region_params()
    period = "?" if "?" in (region["base_year"], region["plan_end_year"]) else \
        get_locale(w.lang).period(int(region["base_year"]) + 1, int(region["plan_end_year"]))
    p = subparsers.add_parser("targets", help=w("help"), description=w.plain("description", period=period),
                              epilog=w.plain("epilog"), formatter_class=RawDescriptionHelpFormatter)
    p.add_argument("scenario", metavar="SCENARIO.yaml", nargs="*", help=w("opt.scenario"))
    p.add_argument("--solve", action="append", default=[], metavar="TARGET",
                   help=w("opt.solve", form_multiple="'COLUMN xN from YEAR by YEAR'",
                          form_growth="'COLUMN N% from YEAR by YEAR'", form_level="'COLUMN LEVEL [UNIT] by YEAR'",
                          examples="'gdp_real x2 from 2020 by 2035', 'gdp_nominal 150 by 2030', "
                          "'urban_income 60000 元 by 2030'"))
    add_format_options(p, w.plain("format"))
    p.add_argument("--language", choices=languages(), default=None, help=w("opt.language"))
    return p


_LABELS = {"gdp_real": "real GDP", "gdp_nominal": "nominal GDP"}

#: Columns of :func:`summary_table`, in order.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "section", "item", "period", "value", "target", "unit", "gap", "status", "source", "note",
)  # fmt: skip


def summary_table(analysis: TargetAnalysis, long_range_year: int | None) -> pd.DataFrame:
    """Tidy summary for the CLI (``xiqu targets``), columns :data:`SUMMARY_COLUMNS`.

    Sections: ``"target"`` (one row per plan target: value = scenario,
    target, gap, status), ``"implied"`` (GDP growth implied by the sector
    floors), ``"doubling"`` and ``"required"`` (growth needed to reach
    each level target). Units in ``unit``; growth gaps in pp.
    """
    from ..reports.words.codes import target_reason

    rows: list[dict[str, Any]] = []
    for g in analysis.gaps.to_dict("records"):
        label = (analysis.region.label(g["indicator"], "en") if analysis.region is not None else "") or g["indicator"]
        if g["projection_column"]:
            label = f"{label} [{g['projection_column']}]"
        unit = "% a year" if g["target_type"] == "growth" else g["unit"]
        reason = target_reason(g, "en", base_year=analysis.projection.base_year, end_year=analysis.projection.end_year)
        parts = [g["mapping_note"], reason, g["note"]]
        note = "; ".join(x for x in parts if x)
        rows.append(dict(section="target", item=label, period=g["period"] or str(g["year"]), value=g["projected"],
                         target=g["target"], unit=unit, gap=g["gap"], status=g["status"], source=g["source"], note=note))
    for ia in analysis.implied_aggregate:
        floors = " / ".join(f"{s} {ia.floors_pct[s]:g}" for s in SECTORS)
        shares = " / ".join(f"{ia.shares[s]:.3g}" for s in SECTORS)
        src = ", ".join(ia.figure_ids[s] for s in SECTORS)
        rows.append(dict(section="implied", item="real GDP growth implied by the sector floors", period=ia.period,
                         value=ia.average_pct, target=math.nan, unit="% a year", gap=math.nan, status="implied",
                         source=src, note=f"floors {floors} % on shares {shares}; first year {ia.first_year_pct:.2f} %"))
        gap = ia.scenario_average_pct - ia.average_pct
        gap = 0.0 if abs(gap) <= GROWTH_TOLERANCE_PP else gap
        rows.append(dict(section="implied", item="scenario real GDP growth vs implied", period=ia.period,
                         value=ia.scenario_average_pct, target=ia.average_pct, unit="% a year", gap=gap,
                         status="met" if gap >= -GROWTH_TOLERANCE_PP else "missed", source=src,
                         note="the scenario's own average real GDP growth over the period"))
    d = analysis.doubling
    if d is not None:
        end = min(d.by_year, analysis.projection.end_year)
        rows.append(dict(section="doubling", item=f"year {_LABELS.get(d.column, d.column)} reaches 2x its {d.base_year} level",
                         period=f"{d.base_year}-{analysis.projection.end_year}",
                         value=float(d.year) if d.year is not None else math.nan, target=float(d.by_year), unit="year",
                         gap=float(d.year - d.by_year) if d.year is not None else math.nan,
                         status="reached" if d.year is not None else "not reached in projection",
                         source="", note=(f"{d.by_year}: the region's long-range year (region.yaml), not a target of the plan (assumption)"
                                                    if d.by_year == long_range_year else f"{d.by_year}: the scenario's end year")))
        rows.append(dict(section="doubling", item=f"growth to double {_LABELS.get(d.column, d.column)} by {d.by_year}",
                         period=f"{d.base_year + 1}-{d.by_year}", value=d.scenario_average_pct, target=d.required_pct,
                         unit="% a year", gap=d.scenario_average_pct - d.required_pct,
                         status="met" if d.scenario_average_pct >= d.required_pct - GROWTH_TOLERANCE_PP else "missed",
                         source="",
                         note=f"scenario average over {d.base_year + 1}-{end}"))
    for r in analysis.required.to_dict("records"):
        rows.append(dict(section="required", item=f"growth of {r['column']} to reach {r['indicator']} target",
                         period=f"{analysis.projection.base_year + 1}-{r['year']}", value=r["scenario_pct"],
                         target=r["required_pct"], unit=f"% a year ({r['price_basis']})",
                         gap=r["scenario_pct"] - r["required_pct"],
                         status="met" if r["scenario_pct"] >= r["required_pct"] - GROWTH_TOLERANCE_PP else "missed",
                         source=r["id"], note="constant growth from the base year that reaches the target level"))
    out = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    for c in ("value", "target", "gap"):
        out[c] = out[c].astype(float)
    return out


def _fmt(v: object, unit: str) -> str:
    """Two decimals (years as whole numbers), no ``-0.00``, NaN blank."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float):
        if unit == "year":
            return f"{v:.0f}"
        r = round(v, 2) + 0.0
        return f"{r:,.2f}"
    return str(v)


def table_text(analysis, long_range_year: int | None) -> str:
    """Human-readable text of a :class:`TargetAnalysis` (main columns, then numbered notes)."""
    df = summary_table(analysis, long_range_year)
    s = analysis.scenario
    view = df[[c for c in _VIEW if c in df.columns]].copy()
    for c in ("value", "target", "gap"):
        unit = df["unit"].astype(str).tolist()
        view[c] = [_fmt(v, u) for v, u in zip(df[c].tolist(), unit)]
    notes = []
    marks = []
    for i, r in enumerate(df.to_dict("records")):
        text = "; ".join(str(x) for x in (r.get("note"), r.get("source")) if x and not (isinstance(x, float) and math.isnan(x)))
        if text:
            notes.append(f"[{len(notes) + 1}] {text}")
            marks.append(f"[{len(notes)}]")
        else:
            marks.append("")
    view.insert(len(view.columns), "see", marks)
    body = view.to_string(index=False, na_rep="")
    lines = [f"Scenario {s.name}: {s.title}", "Plan targets against the scenario (gap = value - target).", body]
    if notes:
        lines += ["", "Notes and sources:", *notes]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Validate, analyse, print or write. Returns the exit status."""
    output = check_output_path(getattr(args, "output", None))
    if args.solve:
        from .solve import solve_command

        return solve_command(args.scenario, args.solve, args.format, output, args.language or current_language())
    if len(args.scenario) != 1:
        raise InputError("command line", "SCENARIO.yaml",
                         "give one scenario file (got {n_scenario}); several only with --solve",
                         n_scenario=len(args.scenario))
    scenario, region = load_scenario_with_region(args.scenario[0])
    from ..economics.targets import analyse_targets

    analysis = analyse_targets(scenario, region)
    long_range = region.info.long_range_year
    if args.format == "csv":
        text = to_csv_text(summary_table(analysis, long_range))
    else:
        text = table_text(analysis, long_range)
    emit(text, output, f"targets of '{scenario.name}'")
    return EXIT_OK
