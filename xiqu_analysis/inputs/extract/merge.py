"""Accepted proposals into an actuals file (``xiqu actuals merge``).

A proposals file (``xiqu extract -o``) holds one row per figure with a
``status``; a reviewer sets ``accepted`` on the rows to keep. :func:`merge_actuals`
adds the accepted rows that an actuals file can hold (annual figures of
registry indicators, actual or preliminary) to the actuals CSV
(data/bulletins/README.md), each with its quote and location as its source,
in the unit of the series already in the file (else the registry's unit).

A row already in the file with the same value is left alone (merging twice
changes nothing); a different value for the same region, indicator and year,
in the file or among the accepted rows, is refused with one line naming both
sources, and nothing is written.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ...errors import InputError
from ...units import UNIT_FACTORS
from ..bulletins import BULLETIN_COLUMNS, load_bulletin
from ..indicators import indicator_registry, load_indicators
from .rows import actuals_rows

__all__ = ["merge_actuals", "read_proposals"]

_REQUIRED = ("indicator", "region", "year", "period", "value", "unit", "price_basis", "kind", "quote",
             "value_std", "unit_std", "status")


def read_proposals(path: str | Path) -> list[dict]:
    """The rows of a proposals CSV. Raises InputError when it is not one."""
    p = Path(path)
    if not p.is_file():
        raise InputError(p, None, "no such file")
    with p.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in _REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(p, None, "not a proposals file of 'xiqu extract': missing column(s) {items}",
                             items=', '.join(missing))
        rows = list(reader)
    for i, r in enumerate(rows, start=2):
        if r["status"] not in ("proposed", "accepted", "rejected"):
            raise InputError(p, f"row {i}, column status", "{status!r} is not proposed, accepted or rejected",
                             status=r['status'])
    return rows


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def merge_actuals(proposals: str | Path, into: str | Path, data_dir: str | Path | None = None) -> tuple[str, int]:
    """The merged actuals CSV text and the number of rows added. Raises InputError on a conflict."""
    rows = [r for r in read_proposals(proposals) if r["status"] == "accepted"]
    registry = indicator_registry(load_indicators(data_dir))
    for r in rows:
        r.setdefault("source", Path(proposals).name)
        r.setdefault("location", "")
    new = actuals_rows(rows, registry, all_values=True)
    into = Path(into)
    existing: list[dict] = []
    header_text = ""
    if into.exists():
        load_bulletin(into, data_dir=data_dir)  # a valid actuals file to begin with
        text = into.read_text(encoding="utf-8-sig")
        lines = text.splitlines()
        header_text = "".join(ln + "\n" for ln in lines if ln.startswith("#"))
        body = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
        existing = list(csv.DictReader(io.StringIO("\n".join(body))))
    units = {(r["region"], r["indicator"]): r["unit"] for r in existing}
    have = {(r["region"], r["indicator"], str(r["year"])): r for r in existing}
    added = []
    for r in new:
        key = (r["region"], r["indicator"], str(r["year"]))
        unit = units.get(key[:2], r["unit"])
        value = float(r["value"])
        if unit != r["unit"] and unit in UNIT_FACTORS and r["unit"] in UNIT_FACTORS:
            value = value * UNIT_FACTORS[r["unit"]][1] / UNIT_FACTORS[unit][1]
        row = {**r, "unit": unit, "value": f"{value:.10g}"}
        old = have.get(key)
        if old is not None:
            old_value = float(str(old["value"]).replace(",", ""))
            old_unit = old["unit"]
            if old_unit in UNIT_FACTORS and unit in UNIT_FACTORS and old_unit != unit:
                old_value = old_value * UNIT_FACTORS[old_unit][1] / UNIT_FACTORS[unit][1]
            if _same(old_value, value):
                continue
            raise InputError(into, f"{key[0]}/{key[1]}/{key[2]}",
                             "conflicting values: {value} {unit} from {source!r} and {value2} {unit2} from "
                             "{source2!r}; settle which is "
                             "right first", value=old['value'], unit=old['unit'], source=old['source'],
                             value2=row['value'],
                             unit2=unit, source2=row['source'])
        have[key] = row
        units.setdefault(key[:2], unit)
        added.append(row)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(BULLETIN_COLUMNS), extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in existing + added:
        w.writerow(r)
    return header_text + buf.getvalue(), len(added)
