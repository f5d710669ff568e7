"""``xiqu region init KEY --name-zh 名称 --name-en NAME --plan PLAN [--bulletin FILE...]``: a new region.

Reads the region's plan (and bulletins) with ``xiqu extract`` and writes
``data/regions/KEY/region.yaml`` (base, plan-end and long-range years found in
the text), ``data/regions/KEY/figures.csv`` (the registry figures, each with its
quote and location) and two starter scenarios in ``data/regions/KEY/scenarios/``
(``KEY_trend`` at the stated past rates, ``KEY_plan_targets`` at the plan's
targets; every rate carried or assumed is named in the scenario's
``assumptions``) (:mod:`xiqu_analysis.inputs.extract.region_init`). The files are
loaded and both scenarios projected before the command ends; then
``xiqu run --region KEY --language zh`` renders the suite.

An input the documents do not give (the base year's GDP, structure, resident
population, urban income or budget revenue) stops the command with one line
naming each and what to supply (exit 2); an existing region is never
overwritten; on any problem nothing is left written.
"""
from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK, InputError
from .words import CommandWords

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu region`` and its sub-command ``init``."""
    w = CommandWords("region")
    p = subparsers.add_parser("region", help=w("help"), description=w.plain("description"), epilog=w.plain("epilog"))
    sub = p.add_subparsers(dest="region_command", metavar="ACTION", parser_class=type(p))
    sub.required = True
    i = sub.add_parser("init", help=w("init.help"), description=w.plain("init.description"))
    i.add_argument("key", metavar="KEY", help=w("init.opt.key"))
    i.add_argument("--name-zh", required=True, metavar="名称", help=w("init.opt.name_zh"))
    i.add_argument("--name-en", required=True, metavar="NAME", help=w("init.opt.name_en"))
    i.add_argument("--plan", required=True, metavar="PLAN", help=w("init.opt.plan"))
    i.add_argument("--bulletin", nargs="*", default=[], metavar="FILE", help=w("init.opt.bulletin"))
    i.add_argument("--code", default="000000", metavar="CODE", help=w("init.opt.code"))
    return p


def _yaml(data: dict) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)


def run(args: argparse.Namespace) -> int:
    """Extract, draft, write, load and project; remove everything on a problem. Returns the exit status."""
    import re
    import shutil

    from .. import config
    from ..fileio import atomic_write_text
    from ..inputs.extract import extract_file
    from ..inputs.extract.region_init import FIGURE_COLUMNS, draft_region
    from ..inputs.extract.rows import to_csv
    from ..inputs.indicators import indicator_registry, load_indicators

    if not re.fullmatch(r"[a-z][a-z0-9_]*", args.key):
        raise InputError("command line", "KEY", "{key!r} is not a region key (a-z, 0-9, _)", key=args.key)
    folder = config.data_dir() / "regions" / args.key
    if folder.exists():
        raise InputError(folder, None, "the region exists already; init writes only a new region")
    rows: list[dict] = []
    for path in [args.plan, *args.bulletin]:
        rows.extend(extract_file(path, region=args.key))
    registry = indicator_registry(load_indicators())
    draft = draft_region(args.key, args.name_zh, args.name_en, args.code, rows, registry)
    left_out = _unprojected_targets(draft, registry)
    if draft.missing:
        raise InputError(args.plan, None, "the documents do not give {missing}: add these to "
                         "data/regions/{key}/figures.csv by hand, or give a bulletin with --bulletin",
                         missing="; ".join(draft.missing), key=args.key)
    try:
        atomic_write_text(folder / "region.yaml", "# Drafted by 'xiqu region init' from the region's documents; "
                          "review every value.\n" + _yaml(draft.region), make_parents=True)
        atomic_write_text(folder / "figures.csv", to_csv(draft.figures, FIGURE_COLUMNS))
        paths = []
        for name, scenario in draft.scenarios.items():
            path = folder / "scenarios" / f"{name}.yaml"
            atomic_write_text(path, _yaml(_words(scenario)), make_parents=True)
            paths.append(path)
        _check(args.key, paths)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    print(f"xiqu region init: data/regions/{args.key}/ written: region.yaml (base {draft.region['base_year']}, "
          f"plan to {draft.region['plan_end_year']}, long range {draft.region['long_range_year']}), "
          f"{len(draft.figures)} figures, {len(paths)} scenarios", file=sys.stderr)
    if left_out:
        print(f"xiqu region init: {len(left_out)} target figure(s) of indicators the starter scenarios do not "
              f"project left out of figures.csv (add them with the indicator's inputs): {', '.join(left_out)}",
              file=sys.stderr)
    for path in paths:
        print(path)
    return EXIT_OK


def _unprojected_targets(draft, registry) -> list[str]:
    """Drop from the draft the targets of indicators whose projection column the starter scenarios lack."""
    from ..economics.columns import COLUMN_UNITS

    keep, out = [], []
    for f in draft.figures:
        spec = registry.get(f["indicator"])
        column = spec.column if spec is not None else None
        if f["kind"] == "target" and column and column not in COLUMN_UNITS:
            out.append(f["id"])
            continue
        keep.append(f)
    draft.figures[:] = keep
    return out


def _words(scenario: dict) -> dict:
    """The scenario with its ``(key, values)`` texts written out in every report language."""
    from ..reports.words.text import LANGUAGES, t

    def text(item):
        key, values = item
        out = {}
        for lang in LANGUAGES:
            vals = {k: (t(f"region_init.{v[0]}", lang) if isinstance(v, tuple) else v) for k, v in values.items()}
            out[lang] = t(f"region_init.{key}", lang, command="xiqu region init", **vals)
        return out

    out = dict(scenario)
    for field in ("title", "description", "reasoning"):
        out[field] = text(scenario[field])
    out["assumptions"] = {k: text(v) for k, v in scenario["assumptions"].items()}
    return out


def _check(key: str, paths) -> None:
    """Load the region and project each scenario (a problem raises InputError)."""
    from ..economics.projection import project
    from ..inputs.regions import load_region
    from ..inputs.scenario import load_scenario_with_region

    load_region(key)
    for path in paths:
        scenario, _ = load_scenario_with_region(path)
        project(scenario)
