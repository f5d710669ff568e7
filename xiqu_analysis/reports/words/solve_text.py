"""The solver's answers as lines in the reader's language (``xiqu targets --solve``).

From :func:`xiqu_analysis.economics.solver.solve_table` (codes and numbers):
per target a head line (the target in words and as written), per scenario
the target as a level of that scenario and the year it reaches it, and per
lever what it needs over the target's years, the scenario's own rate and the
margin. Words come from ``locale/<lang>/solve.yaml``; numbers as the
language writes them: levels in their unit (亿元 with two decimals, 元 and
persons whole), rates with one decimal, margins in percentage points with
one. A lever whose rate is a ceiling (a target where lower is better, or a
lever that lowers the level) reads "may grow by up to" or "needs to fall by",
never as a shortfall when the scenario is on its favourable side.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd

from ...economics.solver import RATE_BOUNDS_PCT, SolveTarget
from .locales import get_locale
from .review_text import fmt_level, lever_words, target_words
from .text import label, mid_sentence, t

__all__ = ["lever_name", "needs_words", "solve_lines"]

#: how far the lines of a scenario and of its levers are indented
INDENT = "  "


def lever_name(lever: str, lang: str) -> str:
    """A lever of :data:`~xiqu_analysis.economics.solver.LEVERS` in the words of ``xiqu targets --solve``
    (``仅第二产业增长``)."""
    return lever_words(lever, lang, words="solve.lever.")


def _rate(value: float, lang: str) -> str:
    """A rate's size with one decimal (its sign is in the words)."""
    return get_locale(lang).pct(abs(value), 1)


def needs_words(row: dict, lang: str) -> str:
    """What a solved lever needs: ``needs growth of 4.7% a year in 2021-2035`` / ``2021—2025年需年均下降2.1%``."""
    loc = get_locale(lang)
    years = loc.period(int(row["first_year"]), int(row["last_year"]))
    rate = float(row["required_pct"])
    sense = "fall" if round(rate, 1) < 0 else "rise"
    return t(f"solve.needs.{row['bound']}_{sense}", lang, rate=_rate(rate, lang), years=years)


def _lever_line(row: dict, lang: str) -> str:
    loc = get_locale(lang)
    name = loc.capitalise(lever_name(row["lever"], lang))
    if row["status"] != "solved":
        low, high = RATE_BOUNDS_PCT
        return t("solve.unreachable", lang, lever=name, low=loc.pct(low, 0), high=loc.pct(high, 0))
    own = float(row["scenario_pct"])
    gap = float(row["gap_pp"])
    margin = t("solve.margin.on_course" if round(gap, 1) >= 0 else "solve.margin.short", lang,
               gap=loc.plain(abs(gap), 1))
    return t("solve.lever_line", lang, lever=name, needs=needs_words(row, lang),
             own=t("solve.own." + ("fall" if round(own, 1) < 0 else "rise"), lang, rate=_rate(own, lang)),
             margin=margin)


def _target_words(target: SolveTarget, lang: str) -> str:
    """The target in words; a ceiling says so (``地区生产总值（现价）到2025年控制在90.00亿元以内``)."""
    if target.direction != "at_most":
        return target_words(target, lang)
    if target.kind == "level":
        return t("solve.target_ceiling", lang, column=mid_sentence(label(target.column, lang), lang),
                 level=fmt_level(target.level, target.unit, lang), year=target.year)
    return t("solve.ceiling", lang, target=target_words(target, lang))


def _scenario_line(first: dict, target: SolveTarget, base_year: int | None, lang: str) -> str:
    reached = first["year_reached"]
    when = (t("solve.reached", lang, year=int(reached)) if not pd.isna(reached)
            else t("solve.not_reached", lang, year=target.year))
    level = fmt_level(float(first["target_level"]), str(first["unit"]), lang)
    key = "solve.scenario_real" if target.column == "gdp_real" and base_year is not None else "solve.scenario"
    return t(key, lang, scenario=first["scenario"], level=level, year=target.year, base=base_year, reached=when)


def solve_lines(table: pd.DataFrame, targets: Sequence[SolveTarget], lang: str,
                base_years: dict[str, int] | None = None) -> str:
    """The text of ``xiqu targets --solve``: per target a head line, per scenario a line and one per lever.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~xiqu_analysis.economics.solver.solve_table` of ``targets``.
    targets : sequence of SolveTarget
    lang : str
    base_years : dict, optional
        Scenario name -> its base year (the prices of a real GDP target's level).
    """
    lines: list[str] = []
    for target in targets:
        lines.append(t("solve.head", lang, target=get_locale(lang).capitalise(_target_words(target, lang)),
                       text=target.text))
        rows = table[table["target"] == target.text]
        for _, grp in rows.groupby("scenario", sort=False):
            records = grp.to_dict("records")
            first = records[0]
            if first["status"] == "outside":
                lines.append(INDENT + t("solve.outside", lang, scenario=first["scenario"]))
                continue
            base = (base_years or {}).get(first["scenario"])
            lines.append(INDENT + _scenario_line(first, target, base, lang))
            lines += [INDENT * 2 + _lever_line(r, lang) for r in records]
        lines.append("")
    lines.append(get_locale(lang).tidy(t("solve.note", lang)))
    return "\n".join(lines) + "\n"
