"""The plan evaluation table (规划主要指标完成情况): one row per target of the plan, headers in the report's language.

Columns: indicator, unit, 属性 (only where the plan states one), base value,
target, latest actual and its year, the average growth so far or the task
progress, time progress, the verdict (with the years the actuals lack, if
any), and what the remaining years need. The
CSV keeps the codes of :attr:`~xiqu_analysis.economics.evaluation.Evaluation.table`;
this is the table as readers see it.
"""
from __future__ import annotations

import math

import pandas as pd

from ..words.evaluation_text import missing_years_text, needs_text, verdict_word
from ..words.locales import get_locale
from ..words.text import t, unit_name

__all__ = ["evaluation_table"]


def _target_text(row: dict, lang: str) -> str:
    loc = get_locale(lang)
    ceiling = row["direction"] == "at_most"
    if row["target_type"] == "growth":
        return t("evaluation.target.growth_" + ("ceiling" if ceiling else "floor"), lang, value=loc.plain(row["target"], 1))
    if row["target_type"] == "cumulative":
        return t("evaluation.target.cumulative", lang, value=loc.plain(row["target"], 1))
    return t("evaluation.target.level_" + ("ceiling" if ceiling else "floor"), lang,
             value=loc.significant(row["target"], 6), unit=unit_name(row["unit"], lang))


def _value(row: dict, lang: str) -> str:
    """The latest actual with its unit: a rate (``8.0%``), a cumulative change so far, or a level (``45.2亿元``)."""
    loc = get_locale(lang)
    if row["unit"] == "%":
        return loc.pct(row["latest_value"], 1)
    return loc.with_unit(loc.significant(row["latest_value"], 6), unit_name(row["unit"], lang))


def _progress(row: dict, lang: str) -> str:
    loc = get_locale(lang)
    if row["target_type"] == "growth":
        done = row["latest_year"] is not pd.NA and row["latest_year"] is not None and row["latest_year"] >= row["end_year"]
        return "" if math.isnan(row["average_pct"]) else t(
            "evaluation.average" if done else "evaluation.average_so_far", lang, value=loc.pct(row["average_pct"], 1))
    return "" if math.isnan(row["progress_pct"]) else loc.pct(row["progress_pct"], 1)


def _verdict(row: dict, lang: str) -> str:
    """The verdict in words; a target whose rows lack years says which (``快于预期（缺少2025年数据）``)."""
    word = verdict_word(row["verdict"], lang)
    years = row.get("missing_years") or ""
    if not years or row["verdict"] == "no_data":
        return word
    return t("evaluation.verdict_missing", lang, verdict=word,
             missing=t("evaluation.missing_years", lang, years=missing_years_text(years, lang)))


def evaluation_table(evaluation, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The evaluation as readers see it (see the module docstring); ``names``: indicator -> name in ``lang``."""
    loc = get_locale(lang)
    rows = []
    for r in evaluation.table.to_dict("records"):
        latest = "" if r["latest_year"] is pd.NA or r["latest_year"] is None else t(
            "evaluation.latest", lang, value=_value(r, lang), year=loc.year(r["latest_year"]))
        rows.append({
            t("evaluation.col.indicator", lang): loc.capitalise(names.get(r["indicator"], r["indicator"])),
            t("evaluation.col.unit", lang): unit_name(r["unit"], lang),
            t("evaluation.col.attribute", lang): t(f"evaluation.attribute.{r['attribute']}", lang) if r["attribute"] else "",
            t("evaluation.col.base", lang): r["base_value"],
            t("evaluation.col.target", lang): _target_text(r, lang),
            t("evaluation.col.latest", lang): latest,
            t("evaluation.col.progress", lang): _progress(r, lang),
            t("evaluation.col.time", lang): loc.pct(r["time_progress_pct"], 0),
            t("evaluation.col.verdict", lang): _verdict(r, lang),
            t("evaluation.col.needs", lang): needs_text(r, lang),
        })
    frame = pd.DataFrame(rows)
    attribute, base = t("evaluation.col.attribute", lang), t("evaluation.col.base", lang)
    if len(frame) and not frame[attribute].astype(bool).any():  # 属性 only where the plan states it
        frame = frame.drop(columns=attribute)
    if len(frame) and frame[base].isna().all():  # growth targets only: no base level to show
        frame = frame.drop(columns=base)
    return frame
