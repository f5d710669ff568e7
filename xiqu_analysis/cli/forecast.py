"""``xiqu forecast``: statsmodels forecast of one series of a user-supplied bulletin CSV.

Prints the method used (or the fallback and why), the candidates' scores and
the forecast with its prediction interval. Levels stay at the price basis of
the file (current prices: nominal); growth rates are forecast as rates.
"""
from __future__ import annotations

import argparse
import sys

from .. import config
from .argtypes import open_interval, whole_number
from .words import CommandWords
from ..errors import InputError, Message

_positive_int = whole_number(minimum=1, maximum=50)  # forecast horizon, years
_level = open_interval(0.0, 1.0, what=Message("a probability (0.9 = 90%)"))


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``forecast`` on the ``xiqu`` sub-command parsers."""
    w = CommandWords("forecast")
    p = subparsers.add_parser("forecast", help=w("help"), description=w.plain("description"))
    p.add_argument("bulletin", metavar="BULLETIN.csv", help=w("opt.bulletin"))
    p.add_argument("--indicator", required=True, help=w("opt.indicator"))
    p.add_argument("--region", default=config.DEFAULT_REGION, help=w("opt.region", default=config.DEFAULT_REGION))
    p.add_argument("--horizon", type=_positive_int, default=5, help=w("opt.horizon", default=5))
    p.add_argument("--level", type=_level, default=0.9, help=w("opt.level", default=0.9))
    p.add_argument("--method", default="auto", help=w("opt.method"))
    p.add_argument("--format", choices=("table", "csv"), default="table", help=w("opt.format", default="table"))
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``xiqu forecast``; returns the exit status (0)."""
    from ..economics.forecasting import forecast_series
    from ..reports.words.codes import candidate_note, forecast_note, forecast_reason
    from ..inputs.bulletins import bulletin_series, load_bulletin

    df = load_bulletin(args.bulletin)
    series = bulletin_series(df, args.indicator, args.region, source=args.bulletin)
    try:
        result = forecast_series(series, args.horizon, level=args.level, method=args.method)
    except InputError as exc:  # name the file rather than the in-memory series
        raise InputError(args.bulletin, f"{args.region}/{args.indicator}", exc.message) from None
    table = result.table
    table.insert(0, "indicator", args.indicator)
    table.insert(0, "region", args.region)
    table["unit"] = result.unit
    table["price_basis"] = result.price_basis
    table["method"] = result.method
    table["fallback_reason"] = forecast_reason(result.fallback, result.fallback_detail, "en")
    out = sys.stdout
    if args.format == "csv":
        table.to_csv(out, index=False, float_format="%.6g", lineterminator="\n")
        return 0
    pct = f"{100 * result.level:g}%"
    print(f"{args.region} / {args.indicator}: {result.n_obs} years to {result.last_year} "
          f"(last {result.last_value:,.6g} {result.unit}, {result.kind}, {result.price_basis} prices)", file=out)
    print(f"method: {result.method} (selection: {result.selection})", file=out)
    if result.widened_by > 1.0:
        print(f"interval widened by a factor of {result.widened_by:.2f} (backtest errors larger than the "
              "model's band)", file=out)
    print(f"fallback reason: {forecast_reason(result.fallback, result.fallback_detail, 'en') or 'none'}", file=out)
    if result.scores:
        sc = result.scores_frame()
        sc["note"] = [candidate_note(p, d, "en") for p, d in zip(sc["problem"], sc["detail"])]
        sc = sc.drop(columns=["problem", "detail"])
        print("\ncandidates (backtest_mae: mean absolute error of 1- to h-step forecasts, averaged over steps, "
              "log points for levels, pp for rates; AICc for information only):", file=out)
        print(sc.to_string(index=False, na_rep="-", float_format=lambda v: f"{v:.3f}"), file=out)
    print(f"\nforecast with {pct} prediction interval ({result.unit}):", file=out)
    show = result.table
    print(show.to_string(index=False, float_format=lambda v: f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"), file=out)
    warnings = [*result.warnings, *(forecast_note(n, "en", widened_by=f"{result.widened_by:.2f}")
                                    for n in result.notes if n != "interval_widened")]
    if warnings:
        print("\nwarnings:", file=out)
        for w in warnings:
            print(f"  - {w}", file=out)
    return 0
