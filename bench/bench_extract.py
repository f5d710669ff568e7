"""Benchmark: ``xiqu extract`` against the development set's truth rows.

The development set (ten documents in several formats with their truth rows,
``not_rows.csv`` and a README of conventions) is read, when present beside
the repository, from the folder ``shared/extract-dev`` beside the repository (next to its root folder)
root, or from ``$XIQU_EXTRACT_DEV``. When it is absent the benchmark says so
and exits 0. Nothing of it is copied into the repository.

For every document of ``texts/`` (every format), the extractor's proposals
are matched to ``truth/<name>.csv`` on (indicator, region, year or period,
value with the sign stripped), as the set's README suggests; sign, unit, kind
and price basis are counted separately. Precision and recall are reported per
document and in total, on the rows with the set's named indicators and on all
rows. Every quote is checked to be verbatim in its source (white space
ignored for PDF, Word and web pages). A proposal that matches a
``not_rows.csv`` context counts as a false positive (as any unmatched one).
It also times the extraction of each file.

The set names a few figures ``other:`` that the registry names
(森林覆盖率, 研发经费投入强度, 单位地区生产总值能耗降低, 居民消费价格): those
proposals are scored under the set's names (:data:`SET_NAMES`).

Usage::

    .venv/bin/python bench/bench_extract.py [--dev DIR] [--show DOC] [--json]

Results go to ``bench/results/bench_extract-<UTC time>.json`` (git-ignored).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(ROOT))

#: the set's indicators that are not the registry's (the registry key -> the set's name)
SET_NAMES = {"forest_cover": "other:forest_coverage", "rd_intensity": "other:rd_intensity",
             "energy_intensity_reduction": "other:energy_intensity_reduction", "cpi_inflation": "other:cpi_change",
             "urban_resident_population": "other:urban_population"}
#: the set's named indicators (its README)
NAMED = {"gdp", "gdp_growth", "primary_va", "secondary_va", "tertiary_va", "primary_va_growth",
         "secondary_va_growth", "tertiary_va_growth", "primary_share", "secondary_share", "tertiary_share",
         "gdp_per_capita", "gdp_per_capita_growth", "general_budget_revenue", "general_budget_revenue_growth",
         "tax_revenue", "general_budget_expenditure", "urban_disposable_income", "urban_disposable_income_growth",
         "rural_disposable_income", "rural_disposable_income_growth", "disposable_income",
         "disposable_income_growth", "resident_population", "registered_population", "urbanisation_rate",
         "retail_sales", "retail_sales_growth", "fixed_investment_growth", "industrial_va_growth", "industrial_va"}


def set_name(indicator: str) -> str:
    """The set's name of an indicator (the registry's forest_cover is its other:forest_coverage)."""
    if indicator in SET_NAMES:
        return SET_NAMES[indicator]
    for key, name in SET_NAMES.items():
        if indicator.startswith(f"other:{key}_"):
            return name + indicator[len(f"other:{key}"):]
    return indicator


def dev_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    env = os.environ.get("XIQU_EXTRACT_DEV")
    if env:
        return Path(env)
    return ROOT.parent / "shared" / "extract-dev"


def _key(r: dict) -> tuple:
    return (r["indicator"], r["region"], r["year"] or "", r["period"] or "", r["value"].lstrip("-").strip())


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def score(props: list[dict], truth: list[dict]) -> dict:
    """Matches of proposals to truth rows (each truth row used once)."""
    by_key: dict[tuple, list[dict]] = {}
    for t in truth:
        by_key.setdefault(_key(t), []).append(t)
    tp = 0
    tp_named = 0
    fp_named = 0
    fp = []
    mismatched: list[tuple] = []
    details = Counter()
    for p in props:
        p = dict(p)
        p["indicator"] = set_name(p["indicator"])
        named = p["indicator"] in NAMED
        cands = by_key.get(_key(p))
        if cands:
            t = cands.pop(0)
            tp += 1
            tp_named += named
            for col in ("unit", "kind", "price_basis"):
                details[f"{col}_ok"] += p[col] == t[col]
                if p[col] != t[col]:
                    mismatched.append((col, p[col], t[col], p["indicator"]))
            details["sign_ok"] += p["value"].startswith("-") == t["value"].startswith("-")
            pq, tq = _squash(p["quote"]), _squash(t["quote"])
            details["quote_exact"] += pq == tq
            details["quote_overlap"] += tq in pq or pq in tq
        else:
            fp.append(p)
            fp_named += named
    missed = [t for ts in by_key.values() for t in ts]
    n_named_truth = sum(t["indicator"] in NAMED for t in truth)
    return {"tp": tp, "fp": len(fp), "fn": len(missed), "tp_named": tp_named, "fp_named": fp_named,
            "fn_named": sum(t["indicator"] in NAMED for t in missed), "truth": len(truth),
            "truth_named": n_named_truth, "details": dict(details), "false": fp, "missed": missed,
            "mismatched": mismatched}


def _pr(tp, fp, fn) -> tuple[float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r


def plan_check() -> dict | None:
    """The seed plan's text against data/regions/xiqu/figures.csv: which figures quoted from the plan are proposed.

    The plan's text is not part of the repository: the check runs when ``$XIQU_PLAN_TEXT`` names it.
    """
    path = Path(os.environ.get("XIQU_PLAN_TEXT") or "")
    if not os.environ.get("XIQU_PLAN_TEXT") or not path.is_file():
        print("seed plan: XIQU_PLAN_TEXT does not name the plan's text; not checked")
        return None
    from xiqu_analysis.inputs.extract import extract_file

    props = extract_file(path, region="xiqu")
    got = {_key(p) for p in props}
    with (ROOT / "data" / "regions" / "xiqu" / "figures.csv").open(encoding="utf-8", newline="") as fh:
        figures = [r for r in csv.DictReader(fh) if r["source"].startswith("plan")]
    missed = [r for r in figures if _key(r) not in got]
    print(f"seed plan: {len(figures) - len(missed)} of the {len(figures)} figures of data/regions/xiqu/figures.csv "
          f"quoted from the plan are proposed ({len(props)} proposals in all)")
    for r in missed:
        print(f"   not proposed: {r['indicator']} {r['year'] or r['period']} {r['value']} {r['unit']} ({r['kind']}) | "
              f"{r['quote'][:50]}")
    return {"figures": len(figures), "proposed": len(figures) - len(missed), "proposals": len(props),
            "missed": [r["id"] for r in missed]}


def pdf_speed(dev: Path, pages: int = 30) -> dict | None:
    """Seconds to extract a ``pages``-page PDF bulletin (the set's PDF repeated) on one core."""
    try:
        import pypdf
    except ImportError:
        print("pdf speed: pypdf is not installed; not measured")
        return None
    import tempfile

    from xiqu_analysis.inputs.extract import extract_document
    from xiqu_analysis.inputs.extract.readers import read_document

    source = next((dev / "texts").glob("*.pdf"), None)
    if source is None:
        return None
    reader = pypdf.PdfReader(str(source))
    writer = pypdf.PdfWriter()
    while len(writer.pages) < pages:
        for page in reader.pages:
            if len(writer.pages) < pages:
                writer.add_page(page)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.pdf"
        with path.open("wb") as fh:
            writer.write(fh)
        t0 = time.process_time()
        figs = extract_document(read_document(path))
        cpu = time.process_time() - t0
    print(f"pdf speed: a {pages}-page PDF ({source.name} repeated) in {cpu:.2f} s of CPU, {len(figs)} figures")
    return {"pages": pages, "cpu_seconds": cpu, "figures": len(figs)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", default=None, help="the development set's folder")
    ap.add_argument("--show", default=None, help="print false and missed rows of documents whose name has this")
    ap.add_argument("--json", action="store_true", help="also write the results as JSON under bench/results/")
    args = ap.parse_args(argv)
    dev = dev_dir(args.dev)
    if not (dev / "texts").is_dir() or not (dev / "truth").is_dir():
        print(f"bench_extract: the development set is not present ({dev}); nothing to measure")
        return 0
    from xiqu_analysis.inputs.extract import extract_document
    from xiqu_analysis.inputs.extract.readers import read_document

    results = []
    totals = Counter()
    print(f"{'document':44} {'named P':>8} {'named R':>8} {'all P':>7} {'all R':>7} {'quotes':>7} {'s':>6}")
    for path in sorted((dev / "texts").iterdir()):
        if path.suffix not in (".txt", ".html", ".pdf", ".docx"):
            continue
        truth_file = dev / "truth" / f"{path.stem}.csv"
        if not truth_file.is_file():
            continue
        with truth_file.open(encoding="utf-8", newline="") as fh:
            truth = list(csv.DictReader(fh))
        region = Counter(t["region"] for t in truth).most_common(1)[0][0]
        t0 = time.perf_counter()
        doc = read_document(path)
        figs = extract_document(doc, region=region)
        secs = time.perf_counter() - t0
        props = [{"indicator": f.indicator, "region": f.region, "year": "" if f.year is None else str(f.year),
                  "period": f.period or "", "value": f.value, "unit": f.unit, "price_basis": f.price_basis,
                  "kind": f.kind, "quote": f.quote} for f in figs]
        source = _squash(doc.full_text()) if path.suffix != ".txt" else path.read_text(encoding="utf-8-sig")
        bad_quotes = [p["quote"] for p in props if (_squash(p["quote"]) not in source if path.suffix != ".txt"
                                                    else p["quote"] not in source)]
        s = score(props, truth)
        pn, rn = _pr(s["tp_named"], s["fp_named"], s["fn_named"])
        pa, ra = _pr(s["tp"], s["fp"], s["fn"])
        print(f"{path.name:44} {pn:8.1%} {rn:8.1%} {pa:7.1%} {ra:7.1%} {len(props) - len(bad_quotes):3}/"
              f"{len(props):<3} {secs:6.2f}")
        for k in ("tp", "fp", "fn", "tp_named", "fp_named", "fn_named"):
            totals[k] += s[k]
        for k, v in s["details"].items():
            totals[k] += v
        totals["quotes_bad"] += len(bad_quotes)
        totals["rows"] += len(props)
        results.append({"file": path.name, "named_precision": pn, "named_recall": rn, "precision": pa,
                        "recall": ra, "proposals": len(props), "quotes_not_verbatim": len(bad_quotes),
                        "seconds": secs, **{k: s[k] for k in ("tp", "fp", "fn", "tp_named", "fp_named",
                                                              "fn_named")}, "details": s["details"]})
        if args.show and args.show in path.name:
            for p in s["false"]:
                print("   FALSE ", p["indicator"], p["region"], p["year"] or p["period"], p["value"], p["unit"],
                      p["kind"], "|", p["quote"][-50:].replace("\n", "/"))
            for t in s["missed"]:
                print("   MISSED", t["indicator"], t["region"], t["year"] or t["period"], t["value"], t["unit"],
                      t["kind"], "|", t["quote"][-50:].replace("\n", "/"))
            for q in bad_quotes:
                print("   QUOTE ", q)
            for col, got, want, ind in s["mismatched"]:
                print(f"   {col.upper():8}", ind, got, "instead of", want)
    pn, rn = _pr(totals["tp_named"], totals["fp_named"], totals["fn_named"])
    pa, ra = _pr(totals["tp"], totals["fp"], totals["fn"])
    print(f"{'total':44} {pn:8.1%} {rn:8.1%} {pa:7.1%} {ra:7.1%} {totals['rows'] - totals['quotes_bad']:3}/"
          f"{totals['rows']:<3}")
    if totals["tp"]:
        print("of the matched rows: " + ", ".join(
            f"{col} {totals[col + '_ok'] / totals['tp']:.1%}" for col in ("sign", "unit", "kind", "price_basis"))
            + " as in the truth rows; quotes equal to the truth's "
            f"{totals['quote_exact'] / totals['tp']:.1%}, containing or inside it "
            f"{totals['quote_overlap'] / totals['tp']:.1%}")
    plan = plan_check()
    speed = pdf_speed(dev)
    if args.json:
        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        out = RESULTS / f"bench_extract-{stamp}.json"
        out.write_text(json.dumps({"documents": results, "totals": dict(totals), "seed_plan": plan,
                                   "pdf_speed": speed}, indent=1, ensure_ascii=False),
                       encoding="utf-8")
        print(f"results: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
