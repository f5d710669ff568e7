"""``xiqu extract FILE...``: figures out of bulletins, work reports, plans and releases.

Reads each FILE (.txt, .html, .pdf, .docx; a folder: every such file in it)
and writes one proposed row per figure (:mod:`xiqu_analysis.inputs.extract`):

``--format proposals`` (default)
    indicator, region, year, period, value, unit, price_basis, kind, quote,
    value_std, unit_std, location, confidence, status (``proposed``), source;
    with ``-o OUT.csv`` also the review page ``OUT.review.html`` (or ``--review FILE``):
    each figure beside its sentence, grouped by indicator, duplicates and
    conflicting values flagged;
``--format actuals``
    what ``xiqu run --actuals`` reads (data/bulletins/README.md): annual
    registry figures, actual or preliminary, in the registry's unit;
``--format figures``
    the columns of data/regions/<r>/figures.csv (data/README.md).

Every file is read before anything is written: a file that cannot be read
(unknown type, empty, a PDF without a text layer or with a password, a web
page without article text) stops the command with one line naming the file
and the problem (exit 2) and nothing is written.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..reports.words.locales import languages
from ..errors import EXIT_OK, InputError
from .words import CommandWords

__all__ = ["add_parser", "run"]

FORMATS = ("proposals", "actuals", "figures")


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``xiqu extract``."""
    w = CommandWords("extract")
    p = subparsers.add_parser("extract", help=w("help"), description=w.plain("description"), epilog=w.plain("epilog"))
    p.add_argument("files", nargs="+", metavar="FILE", help=w("opt.files"))
    p.add_argument("--region", default=None, metavar="KEY", help=w("opt.region"))
    p.add_argument("--year", type=int, default=None, metavar="Y", help=w("opt.year"))
    p.add_argument("--format", choices=FORMATS, default="proposals", help=w("opt.format"))
    p.add_argument("-o", "--output", default=None, metavar="OUT", help=w("opt.output"))
    p.add_argument("--review", default=None, metavar="FILE", help=w("opt.review"))
    p.add_argument("--language", choices=languages(), default="en", help=w("opt.language"))
    return p


def _files(args_files: list[str]) -> list[Path]:
    from ..inputs.extract.readers import SUFFIXES

    out: list[Path] = []
    for f in args_files:
        p = Path(f)
        if p.is_dir():
            found = sorted(x for x in p.iterdir() if x.is_file() and x.suffix.lower() in SUFFIXES)
            if not found:
                raise InputError(p, None, "no document ({items}) in this folder", items=', '.join(SUFFIXES))
            out.extend(found)
        elif not p.exists():
            raise InputError(p, None, "no such file")
        else:
            out.append(p)
    return out


def run(args: argparse.Namespace) -> int:
    """Read every file, then write the rows. Returns the exit status."""
    from ..inputs.extract import extract_file
    from ..inputs.extract.rows import (ACTUALS_COLUMNS, FIGURES_COLUMNS, PROPOSAL_COLUMNS, actuals_rows,
                                       figures_rows, to_csv)
    from ..inputs.indicators import indicator_registry, load_indicators
    from .project import check_output_path

    if args.region is not None:
        import re

        if not re.fullmatch(r"[a-z][a-z0-9_]*", args.region):
            raise InputError("command line", "--region", "{region!r} is not a region key ([a-z][a-z0-9_]*)",
                             region=args.region)
    out = check_output_path(args.output) if args.output else None
    review = None
    if args.format == "proposals":
        if args.review:
            review = check_output_path(args.review)
        elif out is not None:
            review = out.with_name(f"{out.stem}.review.html")
    rows: list[dict] = []
    files = _files(args.files)
    for path in files:
        rows.extend(extract_file(path, region=args.region, year=args.year))
    registry = indicator_registry(load_indicators())
    if args.format == "actuals":
        text = to_csv(actuals_rows(rows, registry), ACTUALS_COLUMNS)
    elif args.format == "figures":
        text = to_csv(figures_rows(rows, registry), FIGURES_COLUMNS)
    else:
        text = to_csv(rows, PROPOSAL_COLUMNS)
    if review is not None:
        from ..fileio import atomic_write_text
        from ..reports.sections.extract_review import review_page

        atomic_write_text(review, review_page(rows, registry, args.language))
    if out is None:
        sys.stdout.write(text)
    else:
        from ..fileio import atomic_write_text

        atomic_write_text(out, text)
        print(f"xiqu extract: {len(rows)} figures from {len(files)} document(s) -> {out}"
              + (f" (review page {review})" if review is not None else ""), file=sys.stderr)
    return EXIT_OK


#: the least confidence of a figure ``xiqu run --actuals-from`` uses without review
ACTUALS_FROM_CONFIDENCE = 0.8


def actuals_from(files: list[str], region: str, out_root, language: str = "en"):
    """``xiqu run --actuals-from``: extract ``files`` and write, under ``out_root/extracted/<digest>/``,
    the proposals (with their review page) and the actuals CSV of the confident figures.

    Used figures: registry indicators of ``region``, annual, actual or preliminary, with confidence
    at least :data:`ACTUALS_FROM_CONFIDENCE`. Returns the folder, the actuals path and whether the
    folder is new. The folder's name is a digest of the rows, so the same documents give the same
    file (and the run can reuse its reports).
    """
    import hashlib
    from pathlib import Path

    from ..fileio import atomic_write_text
    from ..inputs.extract import extract_file
    from ..inputs.extract.rows import ACTUALS_COLUMNS, PROPOSAL_COLUMNS, actuals_rows, to_csv
    from ..inputs.indicators import indicator_registry, load_indicators
    from ..reports.sections.extract_review import review_page

    rows: list[dict] = []
    for path in _files(files):
        rows.extend(extract_file(path, region=region))
    registry = indicator_registry(load_indicators())
    used = [r for r in rows if r["region"] == region and float(r["confidence"]) >= ACTUALS_FROM_CONFIDENCE]
    proposals = to_csv(rows, PROPOSAL_COLUMNS)
    actuals = to_csv(actuals_rows(used, registry), ACTUALS_COLUMNS)
    folder = Path(out_root) / "extracted" / hashlib.sha256((proposals + actuals).encode("utf-8")).hexdigest()[:12]
    fresh = not folder.exists()
    atomic_write_text(folder / "proposals.csv", proposals, make_parents=True)
    atomic_write_text(folder / "proposals.review.html", review_page(rows, registry, language))
    atomic_write_text(folder / "actuals.csv", actuals)
    return folder, folder / "actuals.csv", fresh
