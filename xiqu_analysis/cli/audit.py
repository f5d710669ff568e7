"""``xiqu audit``: recompute what the sourced figures imply about each other.

Runs :func:`xiqu_analysis.economics.audit.audit_region` on the region's data (``data/``, or
``XIQU_DATA_DIR``) and prints one row per check with its verdict, the findings
(one per inconsistency) and each check explained in English (the words of the
data-audit report, :mod:`xiqu_analysis.reports.sections.data_audit`). With
``--scenario FILE`` it also sets each scenario against the figures observed
after its base year (:func:`xiqu_analysis.economics.observed.scenario_vs_data`)
and flags large gaps. The audit reports findings; finding an inconsistency or
a gap is not a failure, so the exit status is 0 whenever the audit ran (2 for
bad input, e.g. a broken data file).
"""
from __future__ import annotations

import argparse
import math
import sys
import textwrap

import pandas as pd

from .. import config
from ..economics.audit import AUDIT_COLUMNS, audit_region, findings, summarise
from ..inputs.regions import RegionData, load_region
from ..errors import EXIT_OK
from ..fileio import atomic_write_text
from ..reports.words.text import t
from .project import check_output_path
from .words import CommandWords, RawDescriptionHelpFormatter

#: columns of the terminal table (CSV has all of AUDIT_COLUMNS)
TABLE_VIEW = ("check", "indicator", "year", "stated", "recomputed", "difference", "unit", "verdict")


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu audit``."""
    w = CommandWords("audit")
    p = subparsers.add_parser("audit", help=w("help"), description=w.plain("description"), epilog=w.plain("epilog"),
                              formatter_class=RawDescriptionHelpFormatter)
    p.add_argument("--region", default=config.DEFAULT_REGION, help=w("opt.region", default=config.DEFAULT_REGION))
    p.add_argument("--format", choices=("table", "csv"), default="table", help=w("opt.format"))
    p.add_argument("--scenario", metavar="FILE", action="append", default=[], help=w("opt.scenario"))
    p.add_argument("--output", metavar="FILE", help=w("opt.output"))
    return p


def _fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:,.1f}"
    return f"{x:.4g}" if abs(x) < 1 else f"{x:.2f}"


def render_table(table: pd.DataFrame, region: RegionData | str) -> str:
    """Terminal text: a numbered table of checks, the findings, then each check's explanation and sources."""
    from ..reports.sections.data_audit import cite, explain, finding_text

    if isinstance(region, str):
        region = load_region(region)
    if table.empty:
        return t("audit_cli.none", "en", region=region.key) + "\n"
    view = pd.DataFrame({c: table[c] for c in TABLE_VIEW})
    for c in ("stated", "recomputed", "difference"):
        view[c] = [_fmt(v) for v in table[c]]
    view.index = list(table["check_id"])
    counts = ", ".join(f"{r.checks} {r.verdict}" for r in summarise(table).itertuples() if r.checks)
    found = findings(table)
    lines = [t("audit_cli.title", "en", region=region.key, n=len(table), counts=counts, n_findings=len(found)), "",
             view.to_string(), ""]
    wrap = textwrap.TextWrapper(width=100, subsequent_indent="     ")
    if len(found):
        lines.append(t("audit_cli.findings", "en"))
        lines += [wrap.fill(f"  {finding_text(f, table, region, 'en')}") for f in found.to_dict("records")]
        lines.append("")
    lines.append(t("audit_cli.explanations", "en"))
    for row in table.to_dict("records"):
        lines.append(wrap.fill(f"{row['check_id']:>3}. [{row['verdict']}] {explain(row, region, 'en')}"))
        lines.append(wrap.fill(f"     {t('audit_cli.sources', 'en')}: {cite(row['sources'], region, 'en')}"))
    return "\n".join(lines) + "\n"


def render_csv(table: pd.DataFrame, region: RegionData | None = None) -> str:
    """CSV text: every column of :data:`~xiqu_analysis.economics.audit.AUDIT_COLUMNS` (numbers to 6 decimals),
    then ``explanation`` in English when the region is given."""
    out = table.reindex(columns=AUDIT_COLUMNS)
    if region is not None:
        from ..reports.sections.data_audit import explain

        out["explanation"] = [explain(r, region, "en") for r in table.to_dict("records")]
    return out.to_csv(index=False, float_format="%.6f", lineterminator="\n")


def render_scenario_check(check: pd.DataFrame, scenario, fmt: str) -> str:
    """A scenario against the data observed after its base year, as text or CSV."""
    if fmt == "csv":
        return check.to_csv(index=False, float_format="%.6f", lineterminator="\n")
    if check.empty:
        return t("audit_cli.scenario_none", "en", name=scenario.name, base_year=scenario.base_year) + "\n"
    view = pd.DataFrame({
        "figure": check["figure_id"], "year": check["year"], "observed": [_fmt(v) for v in check["observed"]],
        "projected": [_fmt(v) for v in check["projected"]], "gap": [_fmt(v) for v in check["gap"]],
        "gap %": [_fmt(v) for v in check["gap_pct"]], "unit": check["unit"],
        "verdict": [("LARGE GAP" if v == "large_gap" else v) for v in check["verdict"]],
        "trust": check["trust"]})
    title = t("audit_cli.scenario_title", "en", name=scenario.name, base_year=scenario.base_year)
    return "\n".join([title, view.to_string(index=False)]) + "\n"


def run(args: argparse.Namespace) -> int:
    """Run the audit and print or write it; returns the exit status."""
    from ..economics.observed import scenario_vs_data
    from ..economics.projection import project
    from ..inputs.scenario import load_scenario_with_region

    out_path = check_output_path(args.output)
    regions: dict[str, RegionData] = {}
    scenarios = [load_scenario_with_region(path, regions) for path in args.scenario]  # bad input: before any output
    region = regions.get(args.region) or load_region(args.region)
    table = audit_region(region)
    text = render_csv(table, region) if args.format == "csv" else render_table(table, region)
    for scenario, its_region in scenarios:
        check = scenario_vs_data(project(scenario), its_region)
        text += "\n" + render_scenario_check(check, scenario, args.format)
    if out_path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        atomic_write_text(out_path, text)
    return EXIT_OK
