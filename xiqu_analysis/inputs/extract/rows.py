"""Proposed rows: figures with the registry's unit, deduplicated, and the three output formats.

``proposals`` (:data:`PROPOSAL_COLUMNS`): one row per figure in the
conventions of the indicator, region, year or period, value as written,
unit as written, price basis, kind and verbatim quote, then ``value_std`` and
``unit_std`` (in the registry's unit: 万元 -> 亿元), ``location``,
``confidence`` and ``status`` (``proposed``; a reviewer sets ``accepted``).

``actuals`` writes what ``xiqu run --actuals`` reads (data/bulletins/README.md:
annual registry rows, actual or preliminary, in the registry's unit);
``figures`` the columns of data/regions/<r>/figures.csv (data/README.md).
"""
from __future__ import annotations

import csv
import io
from dataclasses import asdict

from ...units import UNIT_FACTORS
from .grammar import Figure

__all__ = ["PROPOSAL_COLUMNS", "ACTUALS_COLUMNS", "FIGURES_COLUMNS", "proposal_rows", "dedupe", "to_csv",
           "actuals_rows", "figures_rows"]

PROPOSAL_COLUMNS = ("indicator", "region", "year", "period", "value", "unit", "price_basis", "kind", "quote",
                    "value_std", "unit_std", "location", "confidence", "status", "source")
ACTUALS_COLUMNS = ("region", "indicator", "year", "value", "unit", "price_basis", "source")
FIGURES_COLUMNS = ("id", "indicator", "region", "year", "period", "value", "unit", "price_basis", "kind", "source",
                   "quote", "trust", "note")


def dedupe(figures: list[Figure]) -> list[Figure]:
    """A fact stated twice (prose, then a table) is kept once: its first statement."""
    seen: set = set()
    out = []
    for f in figures:
        key = (f.indicator, f.region, f.year, f.period, f.value.lstrip("-"), f.kind)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def _std(value: str, unit: str, target: str | None) -> tuple[str, str]:
    unit = {"亿": "亿元"}.get(unit, unit)
    if not target or unit == target or unit not in UNIT_FACTORS or target not in UNIT_FACTORS:
        return value, unit
    b1, f1 = UNIT_FACTORS[unit]
    b2, f2 = UNIT_FACTORS[target]
    if b1 != b2:
        return value, unit
    v = float(value) * f1 / f2
    return f"{v:.10g}", target


def proposal_rows(figures: list[Figure], registry: dict, source: str) -> list[dict]:
    """Rows of :data:`PROPOSAL_COLUMNS` for ``figures``."""
    rows = []
    for f in figures:
        spec = registry.get(f.indicator)
        target = spec.unit if spec is not None else None
        vstd, ustd = _std(f.value, f.unit, target if f.unit not in ("%", "‰", "个百分点", "") else None)
        d = asdict(f)
        rows.append({
            "indicator": f.indicator, "region": f.region, "year": "" if f.year is None else str(f.year),
            "period": f.period or "", "value": f.value, "unit": f.unit, "price_basis": f.price_basis,
            "kind": f.kind, "quote": f.quote, "value_std": vstd, "unit_std": ustd, "location": f.location,
            "confidence": f"{d['confidence']:.2f}", "status": "proposed", "source": source,
            "context": f.context,
        })
    return rows


def to_csv(rows: list[dict], columns) -> str:
    """CSV text of ``rows`` with ``columns``."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    return buf.getvalue()


def actuals_rows(rows: list[dict], registry: dict, *, all_values: bool = False) -> list[dict]:
    """Rows for ``xiqu run --actuals``: annual registry figures, actual or preliminary, in the registry's unit.

    A second figure for the same region, indicator and year is left out (the first is kept), unless
    ``all_values`` (``xiqu actuals merge`` then refuses conflicting values).
    """
    out = []
    seen = set()
    for r in rows:
        spec = registry.get(r["indicator"])
        if spec is None or not r["year"] or r["period"] or r["kind"] not in ("actual", "preliminary"):
            continue
        if r["unit_std"] not in UNIT_FACTORS:
            continue
        key = (r["region"], r["indicator"], r["year"])
        if key in seen and not all_values:
            continue
        seen.add(key)
        basis = r["price_basis"] if r["price_basis"] in ("current", "comparable") else "not_applicable"
        out.append({"region": r["region"], "indicator": r["indicator"], "year": r["year"],
                    "value": r["value_std"], "unit": r["unit_std"], "price_basis": basis,
                    "source": f"{r['source']} {r['location']}: {r['quote']}".replace("\n", " ")})
    return out


def figures_rows(rows: list[dict], registry: dict) -> list[dict]:
    """Rows for data/regions/<r>/figures.csv: registry figures with quote and citation."""
    out = []
    seen = set()
    for r in rows:
        if r["indicator"] not in registry:
            continue
        when = r["year"] or r["period"]
        rid = f"{r['region']}.{r['indicator']}.{when}"
        if r["kind"] == "target":
            rid += ".target"
        if rid in seen:
            continue
        seen.add(rid)
        basis = r["price_basis"] if r["price_basis"] in ("current", "comparable") else "not_applicable"
        out.append({"id": rid, "indicator": r["indicator"], "region": r["region"], "year": r["year"],
                    "period": r["period"], "value": r["value"], "unit": r["unit"], "price_basis": basis,
                    "kind": r["kind"], "source": f"{r['source']} {r['location']}",
                    "quote": r["quote"].replace("\n", " ").replace("\t", " "), "trust": "primary",
                    "note": "extracted; review before use"})
    return out
