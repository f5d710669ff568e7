"""The plan evaluation in words: the summary for leaders (摘要) that opens the annual review.

Three or four sentences from :class:`~xiqu_analysis.economics.evaluation.Evaluation`
and :class:`~xiqu_analysis.economics.evaluation.GdpCheck`: how many of the
plan's targets are in each verdict at the review year against its time
progress, the binding (约束性) targets' verdicts, GDP's own growth so far
against what the sector floors imply, and what needs attention (the targets
behind, with what the remaining years need). Every word comes from
``locale/<lang>/annual_review.yaml`` (``evaluation.*``); the economics give
codes and numbers.
"""
from __future__ import annotations

import math
from typing import Any

from .locales import get_locale
from .text import esc, t

__all__ = ["verdict_word", "needs_text", "missing_years_text", "summary_sentences", "rule_note"]


def verdict_word(code: str, lang: str) -> str:
    """A verdict code (:data:`~xiqu_analysis.economics.evaluation.VERDICTS`) in words."""
    return t(f"evaluation.verdict.{code}", lang)


def missing_years_text(years: Any, lang: str) -> str:
    """Years given as the codes write them (``"2022, 2025"`` or a tuple) in the reader's list form (``2022、2025``)."""
    items = years.split(",") if isinstance(years, str) else years
    return get_locale(lang).join_list(str(y).strip() for y in items if str(y).strip())


def needs_text(row: dict[str, Any], lang: str) -> str:
    """What the remaining years need (``2025年需增长5.5%``, ``2024—2025年需年均增长6.8%``), or ``""``."""
    required = row.get("required")
    if required is None or not isinstance(required, float) or math.isnan(required):
        return ""
    loc = get_locale(lang)
    last, end = int(row["latest_year"]), int(row["end_year"])
    when = loc.period(end, end) if end - last == 1 else loc.period(last + 1, end)
    if row.get("required_unit") == "pp":
        key = "pp_single" if end - last == 1 else "pp_average"
        return t(f"evaluation.needs.{key}", lang, when=when, value=loc.plain(required, 2))
    fall = row.get("target_type") == "cumulative" and row.get("direction") != "at_most" and \
        any(w in str(row.get("quote", "")) for w in ("下降", "降低", "减少"))
    kind = ("fall_" if fall else "growth_") + ("single" if end - last == 1 else "average")
    return t(f"evaluation.needs.{kind}", lang, when=when, value=loc.pct(required, 1))


def rule_note(lang: str, growth_margin_pp: float, progress_margin_pp: float) -> str:
    """The stated rule of the verdicts."""
    loc = get_locale(lang)
    return t("evaluation.rule", lang, growth=loc.plain(growth_margin_pp, 1), progress=loc.plain(progress_margin_pp, 0))


def summary_sentences(evaluation, gdp_check, names: dict[str, str], lang: str) -> list[str]:
    """The summary's sentences: counts by verdict, binding targets, GDP against the floors, what needs attention.

    ``names``: indicator key -> its name in ``lang`` (the registry's).
    """
    loc = get_locale(lang)
    table = evaluation.table
    out = []
    if table.empty:
        return [t("evaluation.no_targets", lang)]
    counts = evaluation.counts()
    parts = [t("evaluation.count", lang, n=n, verdict=verdict_word(code, lang)) for code, n in counts.items()]
    elapsed = float(table["time_progress_pct"].max())
    out.append(t("evaluation.counts_final" if evaluation.final else "evaluation.counts", lang,
                 year=loc.year(evaluation.review_year), time=loc.pct(elapsed, 0), n=len(table),
                 parts=loc.join_list(parts)))
    binding = table[table["attribute"] == "binding"]
    if len(binding):
        items = [t("evaluation.named_verdict", lang, name=esc(names.get(r["indicator"], r["indicator"])),
                   verdict=verdict_word(r["verdict"], lang)) for r in binding.to_dict("records")]
        out.append(t("evaluation.binding", lang, n=len(binding), items=loc.join_list(items)))
    if gdp_check is not None:
        out.append(_gdp_sentence(gdp_check, lang))
    behind = table[table["verdict"].isin(("behind", "not_achieved"))]
    if len(behind):
        items = []
        for r in behind.to_dict("records"):
            need = needs_text(r, lang)
            name = esc(names.get(r["indicator"], r["indicator"]))
            items.append(t("evaluation.attention_item", lang, name=name, needs=need) if need else name)
        out.append(t("evaluation.attention", lang, items=loc.join_list(items)))
    missing = table[table["verdict"] == "no_data"]
    if len(missing):
        out.append(t("evaluation.missing", lang, items=loc.join_list(
            esc(names.get(i, i)) for i in dict.fromkeys(missing["indicator"]))))
    said = set(missing["indicator"])
    lacking = [m for m in getattr(evaluation, "missing", ()) if m.indicator not in said]
    if lacking:
        out.append(t("evaluation.missing_rows", lang, items=loc.join_list(
            t("evaluation.missing_item", lang, name=esc(names.get(m.indicator, m.indicator)),
              years=missing_years_text(m.years, lang)) for m in lacking)))
    return out


def _gdp_sentence(check, lang: str) -> str:
    loc = get_locale(lang)
    period = loc.period(check.start_year + 1, check.through_year or check.end_year)
    if check.through_year is None or math.isnan(check.average_pct):
        return t("evaluation.gdp_no_data", lang, period=loc.period(check.start_year + 1, check.end_year))
    if math.isnan(check.implied_pct):
        return t("evaluation.gdp_only", lang, period=period, average=loc.pct(check.average_pct))
    side = "below" if check.gap_pp < 0 else "above"
    return t(f"evaluation.gdp_{side}", lang, period=period, average=loc.pct(check.average_pct),
             implied=loc.pct(check.implied_pct), gap=loc.plain(abs(check.gap_pp), 1),
             plan=loc.period(check.start_year + 1, check.end_year),
             shares=t(f"evaluation.shares_from.{check.shares_from}", lang))
