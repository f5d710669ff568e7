"""The sections of ``notebooks/data_audit``: a region's figures checked against each other, explained."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from ..economics.audit import VERDICTS, audit_region
from ..inputs.regions import RegionData, load_region
from .artifacts import Report
from .narrative import Narrative, NarrativeBuilder
from .parameters import Resolved, from_namespace, resolve
from .text import esc, has_key, t

__all__ = ["AUDIT_CHECKS", "AuditRun", "start", "section_audit", "audit_narrative", "audit_findings_narrative"]

#: audit check names explained in the report (keys of ``audit_check.<name>`` in the locale)
AUDIT_CHECKS = ("growth_from_levels", "growth_from_stated_change", "per_capita", "same_figure_other_source", "benchmark")

def _audit_text(prefix: str, name: str, lang: str) -> str:
    """Explanation of an audit check or verdict; a name the locale does not know yet is shown as is."""
    key = f"{prefix}.{name}"
    return t(key, lang) if has_key(key, "en") else t("audit_check_unknown", lang, name=name)


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
        """Write the workbook, the text and the final ``artifacts.json``."""
        return self.report.finish()


def open_run(params: Resolved) -> AuditRun:
    """Load the region (and its benchmark) once, audit it, open the report."""
    region = load_region(params.parameters.region)
    rep = Report(params.output_dir, params.language, notebook="data_audit", parameters=params.as_dict())
    return AuditRun(params, rep, region, audit_region(region))


def start(namespace: Mapping[str, Any]) -> AuditRun:
    """Check the notebook's parameters (its ``globals()``), load the region, run the audit, open the report."""
    return open_run(resolve(from_namespace("data_audit", namespace)))


def section_audit(run: AuditRun) -> None:
    """The audit explained: checks, verdict counts, inconsistencies, full table."""
    rep, audit, lang = run.report, run.audit, run.lang
    region = run.region.info.name(lang)
    checks_seen = list(dict.fromkeys([*AUDIT_CHECKS, *audit["check"].astype(str)]))
    verdicts_seen = list(dict.fromkeys([*VERDICTS, *audit["verdict"].astype(str)]))
    rep.heading(t("heading.audit", lang, region=region), level=1)
    rep.markdown(audit_narrative(audit, lang, region=region))
    rep.heading(t("heading.audit_checks", lang))
    checks = pd.DataFrame({t("label.check", lang): checks_seen,
                           t("label.meaning", lang): [_audit_text("audit_check", c, lang) for c in checks_seen],
                           t("label.count", lang): [int((audit["check"] == c).sum()) for c in checks_seen]})
    rep.table(checks, "audit_checks", t("caption.audit_checks", lang))
    verdicts = pd.DataFrame({t("label.verdict", lang): verdicts_seen,
                             t("label.meaning", lang): [_audit_text("audit_verdict", v, lang) for v in verdicts_seen],
                             t("label.count", lang): [int((audit["verdict"] == v).sum()) for v in verdicts_seen]})
    rep.heading(t("heading.audit_verdicts", lang))
    rep.table(verdicts, "audit_verdicts", t("caption.audit_verdicts", lang))
    rep.heading(t("heading.audit_findings", lang))
    bad = audit[audit["verdict"] == "inconsistent"]
    cols = [c for c in ("indicator", "year", "stated", "recomputed", "difference", "unit", "explanation", "sources")
            if c in audit.columns]
    rep.markdown(audit_findings_narrative(bad, lang))
    rep.table(bad[cols], "audit_inconsistent", t("caption.audit_findings", lang))
    rep.table(audit, "audit", t("caption.audit_all", lang))


def audit_narrative(audit, lang: str = "en", *, region: str) -> Narrative:
    """What the audit does and how many checks gave each verdict."""
    b = NarrativeBuilder(lang)
    b.add("narrative.audit_intro", region=esc(region))
    counts = audit["verdict"].value_counts()
    def name(v: str) -> str:
        key = f"audit_verdict_name.{v}"
        return t(key, lang) if has_key(key, "en") else esc(v)

    items = [t("narrative.audit_count_item", lang, verdict=name(str(v)), count=int(n)) for v, n in counts.items()]
    b.add("narrative.audit_counts", n=len(audit), counts=", ".join(items) if items else "-")
    return b.build()


def audit_findings_narrative(inconsistent, lang: str = "en") -> Narrative:
    """One line per inconsistent figure (the audit's own explanation, escaped)."""
    b = NarrativeBuilder(lang)
    if len(inconsistent) == 0:
        b.add("narrative.audit_no_findings")
        return b.build()
    b.add("narrative.audit_findings", n=len(inconsistent))
    b.add_text("\n".join(f"- {esc(r)}" for r in inconsistent["explanation"].astype(str)))
    return b.build()
