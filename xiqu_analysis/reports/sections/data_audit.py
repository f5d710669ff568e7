"""The sections of ``notebooks/data_audit``: a region's figures checked against each other, explained.

The audit (:mod:`xiqu_analysis.economics.audit`) returns codes and numbers;
this module writes every explanation from the locale files
(``audit_explain.<check>.<reason>``), in the report's language. ``xiqu audit``
uses the same words (:func:`explain`, :func:`finding_text`) in English.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from ...economics.audit import CHECKS, VERDICTS, audit_region, findings
from ...inputs.regions import RegionData, load_region
from ...units import convert_area
from ..formats.artifacts import Report
from ..words.narrative import Narrative, NarrativeBuilder
from ..parameters import Resolved, from_namespace, resolve
from .project_pipeline import section_pipeline
from ..words.citations import cite as source_citation
from ..words.locales import get_locale
from ..words.text import esc, has_key, t
from .end_notes import NOTES_WITHOUT_TAGS, end_notes

__all__ = ["AUDIT_CHECKS", "AuditRun", "start", "section_audit", "section_projects", "audit_narrative",
           "audit_findings_narrative", "explain", "finding_text", "cite", "explained_table", "findings_table"]

#: audit check names explained in the report (keys of ``audit_check.<name>`` in the locale)
AUDIT_CHECKS = CHECKS


def _audit_text(prefix: str, name: str, lang: str) -> str:
    """Explanation of an audit check or verdict; a name the locale does not know yet is shown as is."""
    key = f"{prefix}.{name}"
    return t(key, lang) if has_key(key, "en") else t("audit_check_unknown", lang, name=name)


# --------------------------------------------------------------------------- numbers in words
def _finite(x: Any) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _num(x: float, decimals: int = 2, lang: str = "en") -> str:
    """A number grouped as the language groups (41,794 in English; 41794 in Chinese, as the bulletins write)."""
    if _finite(x) and abs(x) >= 1000 and decimals == 2:
        decimals = 0
    return get_locale(lang).number(x, decimals)


def _with_unit(text: str, unit: str, lang: str = "en") -> str:
    """A number and its unit: a space between them in English (41,794 元), none in Chinese (41794元) or for %."""
    return get_locale(lang).with_unit(text, unit)


def _fig(f, lang: str = "en") -> str:
    """A figure as published: its digits and unit (41,794 元, 8.24%, 13.7 万人)."""
    return _with_unit(get_locale(lang).number(f.value, max(f.decimals, 0)), f.unit, lang)


def _value(x: float, unit: str, decimals: int = 2, lang: str = "en") -> str:
    return _with_unit(_num(x, decimals, lang), unit, lang)


def _range(lo: float, hi: float, decimals: int | None = None, lang: str = "en") -> str:
    if decimals is None:
        decimals = 3 if _finite(hi) and abs(hi) < 100 else 1
    return f"{_num(lo, decimals, lang)}-{_num(hi, decimals, lang)}"


def _g(x: float, unit: str, lang: str = "en") -> str:
    """A sum as it adds up, no more digits than it has (1,007.5 亩; 31 个; 2.9945 万亩)."""
    return _with_unit(get_locale(lang).significant(x, 10), unit, lang)


def _points(x: float, lang: str) -> str:
    return get_locale(lang).pp(abs(x), 2, signed=False)


def _direction(x: float, lang: str) -> str:
    return t("audit_word.above" if x > 0 else "audit_word.below", lang)


def _trust(level: str, lang: str) -> str:
    key = f"audit_word.trust_level.{level}"
    return t(key, lang) if has_key(key, "en") else level


def _when(value: Any, lang: str) -> str:
    """A year or period as the reader writes it (2016-2020 / 2016—2020年)."""
    return get_locale(lang).when(value)


def _ref(fid: str, region: RegionData, lang: str) -> str:
    """A figure (or project) the reader can find: its id in English; in Chinese its indicator, year and
    qualifier (常住人口（2020年，普查）) or the project's name, never a code."""
    if not get_locale(lang).figure_references_in_words:
        return str(fid)
    f = _lookup(region, str(fid))
    if f is None:
        p = _project(region, str(fid))
        return str(p["name"]) if p else str(fid)
    qualifier = str(fid).split(".")[3] if str(fid).count(".") >= 3 else ""
    when = _when(f.period or f.year, lang)
    word = t(f"audit_word.qualifier.{qualifier}", lang) if qualifier and has_key(
        f"audit_word.qualifier.{qualifier}", "en") else ""
    inner = t("unit.list_separator", lang).join(x for x in (when, word) if x)
    return t("audit_word.figure_ref", lang, label=region.label(f.indicator, lang), inner=inner) if inner \
        else region.label(f.indicator, lang)


def _lookup(region: RegionData, fid: str):
    """The figure record of ``fid`` (region or benchmark), or None for a project id."""
    return region.figure(fid) if region.has_figure(fid) else None


def _project(region: RegionData, pid: str) -> dict | None:
    rows = region.projects[region.projects["id"] == pid]
    if len(rows):
        return rows.iloc[0].to_dict()
    parts = region.project_parts
    rows = parts[parts["id"] == pid]
    return rows.iloc[0].to_dict() if len(rows) else None


def cite(sources: str, region: RegionData, lang: str = "en") -> str:
    """The ids of an audit row's ``sources`` with their source and trust (projects: their source)."""
    out = []
    for fid in str(sources).split("; "):
        f = _lookup(region, fid)
        if f is not None:
            # the source by its name in the reader's language (reports.words.citations), as every report cites it
            out.append(t("audit_word.cite", lang, id=_ref(fid, region, lang),
                         source=source_citation(region, f, lang, quote=False),
                         trust=_trust(f.trust, lang)))
        else:
            p = _project(region, fid)
            out.append(f"{_ref(fid, region, lang)} ({p['source']})" if p else fid)
    return "; ".join(out)


def _row_values(row: Mapping[str, Any], region: RegionData, lang: str) -> dict[str, Any]:
    """Every placeholder an explanation of ``row`` may use, formatted for ``lang``."""
    unit = str(row["unit"])
    pct = unit == "%"
    dec = 2 if pct else 0 if abs(float(row["stated"] or 0)) >= 1000 else 2
    ids = str(row["sources"]).split("; ")
    checked = _lookup(region, str(row["figure_id"]))
    used = [_lookup(region, i) for i in ids[1:]]
    stated = _fig(checked, lang) if checked is not None and checked.unit == unit else _value(row["stated"], unit, dec, lang)
    diff = float(row["difference"]) if _finite(row["difference"]) else math.nan
    values: dict[str, Any] = {
        "stated": stated, "when": _when(row["year"], lang), "figure": _ref(row["figure_id"], region, lang),
        "indicator": region.label(str(row["indicator"]), lang),
        "level": region.label(str(row["reference_indicator"]), lang),
        "recomputed": _value(row["recomputed"], unit, 2 if pct else dec, lang),
        "diff": _points(diff, lang) if pct else _value(abs(diff), unit, 4 if abs(diff) < 1 else dec, lang),
        "diff_pct": f"{row['difference_pct']:+.1f}%" if _finite(row["difference_pct"]) else get_locale(lang).na,
        "direction": _direction(diff, lang), "n": int(row["n_years"]) if _finite(row["n_years"]) else "",
        "stated_range": _range(row["stated_low"], row["stated_high"], lang=lang),
        "recomputed_range": _range(row["recomputed_low"], row["recomputed_high"], lang=lang),
        "region_name": region.info.name(lang), "note": "",
    }
    first, last = (str(row["year"]).split("-") + [str(row["year"])])[:2] if row["year"] else ("", "")
    missing = str(row["missing"] or "")
    if row["check"] == "growth_from_levels":
        start_year = int(first) - 1 if first.isdigit() else ""
        what = "change" if row["kind"] == "stated_change" else "average" if first != last else "one_year"
        values["what"] = t(f"audit_word.what.{what}", lang)
        values.update(start_year=start_year, end_year=last,
                      missing=t("audit_word.and", lang).join(missing.split()))
        if len(used) == 2 and used[0] is not None and used[1] is not None:
            s, e = used
            values.update(start=_fig(s, lang), end=_fig(e, lang), start_year=s.year, end_year=e.year,
                          start_note=s.note or t("audit_explain.no_note", lang),
                          end_note=e.note or t("audit_explain.no_note", lang))
    elif row["check"] == "growth_from_stated_change" and used and used[0] is not None:
        values["change"] = _fig(used[0], lang)
    elif row["check"] == "per_capita":
        values["missing"] = t("audit_word.and", lang).join(t(f"audit_word.{m}", lang) for m in missing.split())
        if len(used) == 2 and used[0] is not None and used[1] is not None:
            agg, pop = used
            persons = pop.value_in("人")
            implied = float(row["implied_population"])
            loc = get_locale(lang)
            values.update(aggregate=_fig(agg, lang), population=t("unit.persons", lang, value=loc.number(persons, 0)),
                          population_label=region.label(pop.indicator, lang), other_id=_ref(pop.id, region, lang),
                          implied=t("unit.persons", lang, value=loc.number(implied, 0)) if _finite(implied) else loc.na,
                          implied_range=_range(row["implied_low"], row["implied_high"], 0, lang),
                          rel=f"{abs(implied / persons - 1) * 100:.1f}%" if _finite(implied) else loc.na,
                          rel_direction=_direction(implied - persons, lang))
    elif row["check"] in ("same_figure_other_source", "benchmark") and used and used[0] is not None:
        other = used[0]
        values.update(other_id=_ref(other.id, region, lang), other=_fig(other, lang) if other.unit == unit else _value(row["recomputed"], unit, 2, lang),
                      trust=t("audit_word.trust", lang, trust=_trust(other.trust, lang)))
        if checked is not None and checked.unit != unit:
            values["stated"] = _fig(checked, lang)
        # the data's notes are in English: a Chinese report leaves them to the sources
        if row["check"] == "same_figure_other_source" and checked is not None and checked.note and get_locale(lang).english_data:
            values["note"] = t("audit_word.note", lang, id=checked.id, note=checked.note.rstrip("."))
        if row["check"] == "benchmark":
            bench = region.benchmark
            ratio = float(row["stated"]) / float(row["recomputed"]) if row["recomputed"] else math.nan
            values.update(benchmark=bench.info.name(lang) if bench is not None else other.region,
                          ratio=f"{ratio:.3f}", ratio_pct=f"{ratio * 100:.1f}%",
                          points=_points(float(row["stated"]) - float(row["recomputed"]), lang))
    elif row["check"] == "sum_of_parts":
        values.update(_parts_values(row, region, lang, ids, checked, used))
    return values


def _parts_values(row, region, lang, ids, checked, used) -> dict[str, Any]:
    sep = t("audit_word.list_sep", lang)
    extra: dict[str, str] = {}
    if checked is not None:  # figures that are parts of a figure (sector value added of GDP)
        parts = [_fig(u, lang) for u in used if u is not None]
        subject = region.label(checked.indicator, lang)
    elif row["kind"] != "project":  # shares of 100
        parts = [_fig(u, lang) for u in used if u is not None]
        subject = sep.join(region.label(u.indicator, lang) for u in used if u is not None)
    else:
        project = _project(region, ids[0]) or {"name": ids[0]}
        measure = str(row["indicator"])
        unit_col = {"total_investment": "investment_unit", "area": "area_unit", "capacity": "capacity_unit"}[measure]
        parts, overlap, without, with_all = [], [], 0.0, 0.0
        for pid in ids[1:]:
            p = _project(region, pid) or {}
            if _finite(p.get(measure)):
                parts.append(get_locale(lang).join_words(p["name"], _with_unit(f"{p[measure]:g}", p[unit_col], lang)))
                value = convert_area(p[measure], p[unit_col], str(row["unit"]))
                with_all += value
                if bool(p.get("may_overlap")):
                    overlap.append(p["name"])
                else:
                    without += value
        subject = t("audit_finding.project_subject", lang, project=project["name"],
                    measure=t(f"audit_word.measure.{measure}", lang))
        if overlap:  # the sums without and with the parts that may lie inside another
            extra = {"overlap": sep.join(overlap), "without": _g(float(f"{without:.12g}"), str(row["unit"]), lang),
                     "with_all": _g(float(f"{with_all:.12g}"), str(row["unit"]), lang)}
    unit = str(row["unit"])
    gap = float(row["recomputed"]) - float(row["stated"]) if _finite(row["recomputed"]) else math.nan
    return {"subject": subject, "parts": sep.join(parts), "n_parts": len(parts),
            "stated": _g(row["stated"], unit, lang), "recomputed": _g(row["recomputed"], unit, lang),
            "diff": _g(abs(gap), unit, lang), "direction": _direction(gap, lang),  # the parts above or below the total
            "when_paren": t("audit_word.when_paren", lang, when=_when(row["year"], lang)) if row["year"] else "",
            "missing": str(row["missing"] or ""), **extra}


def explain(row: Mapping[str, Any], region: RegionData, lang: str = "en") -> str:
    """One audit row in words (``audit_explain.<check>.<reason>`` of the locale, in ``lang``)."""
    key = f"audit_explain.{row['check']}.{row['reason']}"
    if not has_key(key, "en"):
        return t("audit_check_unknown", lang, name=f"{row['check']}.{row['reason']}")
    values = _row_values(row, region, lang)
    text = t(key, lang, **values)
    if bool(row.get("series_break")) and "start_note" in values:
        text += t("audit_explain.series_break", lang, **values)
    return get_locale(lang).tidy(text)


def finding_text(finding: Mapping[str, Any], audit: pd.DataFrame, region: RegionData, lang: str = "en") -> str:
    """One finding in words: the figures in question and the checks that support it."""
    first = audit[audit["check_id"] == int(str(finding["check_ids"]).split("; ")[0])].iloc[0]
    if first["kind"] == "project":
        project = _project(region, str(first["figure_id"])) or {"name": first["figure_id"]}
        subject = t("audit_finding.project_subject", lang, project=project["name"],
                    measure=t(f"audit_word.measure.{first['indicator']}", lang))
    else:
        subject = t("audit_finding.subject", lang, label=region.label(str(finding["indicator"]), lang),
                    year=_when(finding["year"], lang)).strip()
    checks = t("audit_finding.checks_label", lang, ids=str(finding["check_ids"]).replace("; ", ", "))
    return t("audit_finding.item", lang, n=int(finding["finding"]), subject=subject,
             figures=t("unit.list_separator", lang).join(_ref(f, region, lang) for f in str(finding["figure_ids"]).split("; ")),
             n_checks=int(finding["n_checks"]),
             checks=checks)


def explained_table(audit: pd.DataFrame, region: RegionData, lang: str = "en") -> pd.DataFrame:
    """The audit table with ``explanation`` and cited ``sources`` in words (the CSV keeps every number)."""
    out = audit.copy()
    records = audit.to_dict("records")
    out["explanation"] = [explain(r, region, lang) for r in records]
    out["sources"] = [cite(r["sources"], region, lang) for r in records]
    return out


def findings_table(audit: pd.DataFrame, region: RegionData, lang: str = "en") -> pd.DataFrame:
    """:func:`~xiqu_analysis.economics.audit.findings` with each finding in words."""
    found = findings(audit)
    found["explanation"] = pd.Series([finding_text(f, audit, region, lang) for f in found.to_dict("records")],
                                     index=found.index, dtype=object)
    return found


# --------------------------------------------------------------------------- the report
@dataclass
class AuditRun:
    """A region's audit: its data, the checks' table and the report."""

    params: Resolved
    report: Report
    region: RegionData
    audit: pd.DataFrame

    @property
    def lang(self) -> str:
        """Report language."""
        return self.params.language

    def finish(self):
        """The notes every report ends with (附注: prices and rounding), then the workbook, the text and
        the final ``artifacts.json``."""
        end_notes(self.report, self.lang, self.region.info.base_year, NOTES_WITHOUT_TAGS)
        return self.report.finish()


def open_run(params: Resolved) -> AuditRun:
    """Load the region (and its benchmark) once, audit it, open the report."""
    region = load_region(params.parameters.region)
    rep = Report(params.output_dir, params.language, notebook="data_audit", parameters=params.as_dict())
    # a workbook in words names each project by its name (the CSV files keep the ids)
    rep.name_codes({str(i): str(n) for frame in (region.projects, region.project_parts)
                    for i, n in zip(frame["id"], frame["name"])})
    return AuditRun(params, rep, region, audit_region(region))


def start(namespace: Mapping[str, Any]) -> AuditRun:
    """Check the notebook's parameters (its ``globals()``), load the region, run the audit, open the report."""
    return open_run(resolve(from_namespace("data_audit", namespace)))


def section_audit(run: AuditRun) -> None:
    """The audit explained: checks, verdict counts, findings (one per inconsistency), full table."""
    rep, audit, lang = run.report, run.audit, run.lang
    region = run.region.info.name(lang)
    checks_seen = list(dict.fromkeys([*AUDIT_CHECKS, *audit["check"].astype(str)]))
    verdicts_seen = list(dict.fromkeys([*VERDICTS, *audit["verdict"].astype(str)]))
    rep.heading(t("heading.audit", lang, region=region), level=1)
    found = findings_table(audit, run.region, lang)
    rep.markdown(audit_narrative(audit, lang, region=region, n_findings=len(found)))
    rep.heading(t("heading.audit_checks", lang))
    checks = pd.DataFrame({t("label.check", lang): [_audit_name("audit_check_name", c, lang) for c in checks_seen],
                           t("label.meaning", lang): [_audit_text("audit_check", c, lang) for c in checks_seen],
                           t("label.count", lang): [int((audit["check"] == c).sum()) for c in checks_seen]})
    rep.table(checks, "audit_checks", t("caption.audit_checks", lang))
    verdicts = pd.DataFrame({t("label.verdict", lang): [_audit_name("audit_verdict_name", v, lang) for v in verdicts_seen],
                             t("label.meaning", lang): [_audit_text("audit_verdict", v, lang) for v in verdicts_seen],
                             t("label.count", lang): [int((audit["verdict"] == v).sum()) for v in verdicts_seen]})
    rep.heading(t("heading.audit_verdicts", lang))
    rep.table(verdicts, "audit_verdicts", t("caption.audit_verdicts", lang))
    rep.heading(t("audit_heading.findings", lang))
    table = explained_table(audit, run.region, lang)
    rep.markdown(audit_findings_narrative(found, table, lang))
    rep.table(found, "audit_findings", t("audit_caption.findings", lang),
              show=_shown(found.assign(figure_ids=[t("unit.list_separator", lang).join(
                  _ref(f, run.region, lang) for f in str(ids).split("; ")) for ids in found["figure_ids"]]),
                  ["finding", "figure_ids", "check_ids", "explanation"], run.region, lang))
    shown = ["check_id", "check", "verdict", "finding", "indicator", "year", "stated", "recomputed", "difference",
             "unit", "explanation", "sources"]
    rep.table(table, "audit", t("caption.audit_all", lang), show=_shown(table, shown, run.region, lang))


def _audit_name(prefix: str, code: str, lang: str) -> str:
    key = f"{prefix}.{code}"
    return t(key, lang) if has_key(key, "en") else code


def _shown(frame: pd.DataFrame, columns: list[str], region: RegionData, lang: str) -> pd.DataFrame:
    """Audit rows as a reader sees them: check and verdict names, indicator labels, years, headers in ``lang``."""
    out = frame[columns].copy()
    if "check" in out:
        out["check"] = [_audit_name("audit_check_name", c, lang) for c in out["check"]]
    if "verdict" in out:
        out["verdict"] = [_audit_name("audit_verdict_name", v, lang) for v in out["verdict"]]
    if "indicator" in out:
        out["indicator"] = [region.label(str(i), lang) for i in out["indicator"]]
    if "year" in out:
        out["year"] = [_when(y, lang) for y in out["year"]]
    if "unit" in out:
        out["unit"] = [t("unit_name.persons", lang) if u == "persons" else u for u in out["unit"]]
    return out.rename(columns=lambda c: t(f"audit_column.{c}", lang) if has_key(f"audit_column.{c}", "en") else c)


def section_projects(run: AuditRun) -> None:
    """The plan's project pipeline (:mod:`.project_pipeline`): investment by 专栏 and theme, against GDP."""
    section_pipeline(run)


def audit_narrative(audit, lang: str = "en", *, region: str, n_findings: int | None = None) -> Narrative:
    """What the audit does, how many checks gave each verdict and how many findings they make."""
    b = NarrativeBuilder(lang)
    b.add("narrative.audit_intro", region=esc(region))
    counts = audit["verdict"].value_counts()

    def name(v: str) -> str:
        key = f"audit_verdict_name.{v}"
        return t(key, lang) if has_key(key, "en") else esc(v)

    items = [t("narrative.audit_count_item", lang, verdict=name(str(v)), count=int(n)) for v, n in counts.items()]
    n_findings = len(findings(audit)) if n_findings is None else n_findings
    b.add("audit_narrative.counts", n=len(audit), counts=t("audit_word.list_sep", lang).join(items) if items else "-",
          n_bad=int((audit["verdict"] == "inconsistent").sum()), n_findings=n_findings)
    return b.build()


def audit_findings_narrative(found: pd.DataFrame, table: pd.DataFrame, lang: str = "en") -> Narrative:
    """One paragraph per finding: the finding, then each supporting check's explanation (escaped)."""
    b = NarrativeBuilder(lang)
    if len(found) == 0:
        b.add("audit_narrative.no_findings")
        return b.build()
    by_id = dict(zip(table["check_id"], table["explanation"]))
    for f in found.to_dict("records"):
        lines = [esc(f["explanation"])]
        lines += [f"- [{cid}] {esc(by_id[int(cid)])}" for cid in str(f["check_ids"]).split("; ")]
        b.add_text("\n".join(lines))
    return b.build()
