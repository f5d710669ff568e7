"""``xiqu simulate SCENARIO.yaml``: Monte Carlo percentiles and target probabilities.

The same scenario, ``--paths`` and ``--seed`` give byte-identical output
(numbers are rounded with :func:`xiqu_analysis.cli.project.format_number`).
"""
from __future__ import annotations

import argparse

import pandas as pd

from ..errors import EXIT_OK, InputError
from ..economics.uncertainty import MAX_PATHS
from ..inputs.scenario import MAX_SEED, load_scenario_with_region
from .argtypes import whole_number
from .project import add_format_options, check_output_path, emit, to_csv_text

DEFAULT_PATHS = 10_000

HELP_EPILOG = """\
model (xiqu_analysis.economics.uncertainty): each sector's annual real growth gets a shock
  e(t) = ar1 * e(t-1) + u(t), u ~ N(0, Sigma) correlated across sectors, stationary start;
  the GDP deflator an iid shock. Parameters: the scenario's `uncertainty` section, else the
  documented defaults (sd 2.5/3.5/2.0 pp, ar1 0.3, correlation 0.5, deflator sd 1.0 pp),
  which are assumptions anchored on Panzhihua city's real growth record (sd about 1.9 pp).

output: csv columns year, indicator, unit, p5, p10, p25, p50, p75, p90, p95
  indicators: gdp_real (亿元, constant base-year prices), gdp_nominal (亿元, current),
  gdp_per_capita (元, current), fiscal_revenue (亿元, current); 1 亿 = 1e8 yuan.
  The table format also lists the probability of meeting each plan growth floor and of real
  GDP doubling from the base year by the region's long-range year (2020 by 2035 for Xiqu;
  an analytic benchmark, not a plan target).

exit codes: 0 success; 2 bad input (one line on stderr: file, field, problem; nothing ran)."""


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu simulate``."""
    p = subparsers.add_parser(
        "simulate",
        help="Monte Carlo percentiles of GDP, per-capita GDP and revenue; probability of meeting targets",
        description="Simulate SCENARIO.yaml under correlated, persistent growth shocks and print "
        "percentiles (p5..p95) per year and indicator.",
        epilog=HELP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("scenario", metavar="SCENARIO.yaml", help="scenario file, e.g. scenarios/plan_targets.yaml")
    p.add_argument(
        "--paths",
        type=whole_number(1, MAX_PATHS),
        default=DEFAULT_PATHS,
        metavar="N",
        help=f"number of simulated paths, 1 to {MAX_PATHS:,} (default {DEFAULT_PATHS:,})",
    )
    p.add_argument(
        "--seed",
        type=whole_number(0, MAX_SEED),
        default=None,
        metavar="S",
        help="random seed >= 0 (default: the scenario's uncertainty.seed, 20210801 unless set)",
    )
    add_format_options(p, "table: percentiles rounded and target probabilities, for reading; csv: percentiles, 6 decimals")
    return p


def _check_args(args: argparse.Namespace) -> None:
    if args.paths <= 0:
        raise InputError("command line", "--paths", f"number of paths must be > 0, got {args.paths}")
    if args.seed is not None and args.seed < 0:
        raise InputError("command line", "--seed", f"seed must be >= 0, got {args.seed}")


def _fmt(value: float, unit: str) -> str:
    return f"{value:,.0f}" if unit in ("元", "yuan") else f"{value:,.2f}"


def table_text(result, region=None) -> str:
    """Human-readable report of a :class:`~xiqu_analysis.economics.uncertainty.SimulationResult`."""
    from ..economics.uncertainty import PERCENTILE_COLUMNS

    s = result.scenario
    spec = result.spec
    lines = [
        f"Scenario {s.name}: {s.title}",
        f"Monte Carlo: {result.n_paths:,} paths, seed {result.seed}; shocks: sd "
        + "/".join(f"{v:g}" for v in spec.sd_pct)
        + f" pp (primary/secondary/tertiary), ar1 {spec.ar1:g}, correlation {spec.correlation:g}, "
        f"deflator sd {spec.deflator_sd_pct:g} pp (assumptions).",
        "亿元 = 1e8 yuan; gdp_real at constant base-year prices, other levels at current prices.",
    ]
    for indicator, rows in result.percentiles.groupby("indicator", sort=False):
        unit = rows["unit"].iloc[0]
        view = pd.DataFrame({"year": rows["year"].astype(int).astype(str)})
        for col in PERCENTILE_COLUMNS:
            view[col] = [_fmt(v, unit) for v in rows[col]]
        lines += ["", f"{indicator} [{unit}]", view.to_string(index=False)]
    from ..reports.words.codes import probability_note

    lines += ["", "Probability of meeting targets (share of paths):"]
    for row in result.probabilities.to_dict("records"):
        p = "n/a" if pd.isna(row["probability"]) else f"{row['probability']:.3f}"
        lines.append(f"  {row['target']}: {p}  ({probability_note(row, 'en', region)})")
    lines.append("The shock parameters are assumptions; their derivation: the docstring of "
                 "xiqu_analysis.economics.uncertainty.")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Validate, simulate, print or write. Returns the exit status."""
    _check_args(args)
    output = check_output_path(args.output)
    scenario, region = load_scenario_with_region(args.scenario)
    from ..economics.projection import check_projection
    from ..economics.uncertainty import simulate

    check_projection(scenario)  # a scenario that cannot be projected is bad input (exit 2), as for `project`
    result = simulate(scenario, region, n_paths=args.paths, random_state=args.seed)
    text = to_csv_text(result.percentiles) if args.format == "csv" else table_text(result, region)
    emit(text, output, f"simulation of '{scenario.name}' ({result.n_paths:,} paths, seed {result.seed})")
    return EXIT_OK
