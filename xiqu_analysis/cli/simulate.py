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
from .words import CommandWords, RawDescriptionHelpFormatter, benchmark_name, region_params

DEFAULT_PATHS = 10_000

def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu simulate``."""
    from ..inputs.scenario import DEFAULT_SEED

    w = CommandWords("simulate")
    p = subparsers.add_parser("simulate", help=w("help"), description=w.plain("description"),
                              epilog=w.plain("epilog", **region_params(), benchmark=benchmark_name()),
                              formatter_class=RawDescriptionHelpFormatter)
    p.add_argument("scenario", metavar="SCENARIO.yaml", help=w("opt.scenario"))
    p.add_argument("--paths", type=whole_number(1, MAX_PATHS), default=DEFAULT_PATHS, metavar="N",
                   help=w("opt.paths", max=f"{MAX_PATHS:,}", default=f"{DEFAULT_PATHS:,}"))
    p.add_argument("--seed", type=whole_number(0, MAX_SEED), default=None, metavar="S",
                   help=w("opt.seed", seed=DEFAULT_SEED))
    add_format_options(p, w.plain("format"))
    return p


def _check_args(args: argparse.Namespace) -> None:
    if args.paths <= 0:
        raise InputError("command line", "--paths", "number of paths must be > 0, got {paths}", paths=args.paths)
    if args.seed is not None and args.seed < 0:
        raise InputError("command line", "--seed", "seed must be >= 0, got {seed}", seed=args.seed)


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
