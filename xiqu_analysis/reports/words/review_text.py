"""The review's conclusions in words, and the words of a re-based scenario file.

Every sentence comes from ``locale/<lang>/annual_review.yaml``; the numbers
come from :class:`xiqu_analysis.economics.review.Review` (growth rates and gaps
with one decimal, levels in their unit). Scenario titles are user text and
arrive escaped in ``names``.

* :func:`target_sentences` -- each plan target: the actual average so far
  against the floor, met/missed (so far, or over the whole period) and by how
  many points, and the growth needed in the remaining years;
* :func:`scenario_sentences` -- each scenario's mean absolute error and bias,
  and which scenario tracked best;
* :func:`outlook_sentences` -- the re-based levels in the next plan's end
  year and the long-range year against the original projections;
* :func:`solver_sentences` -- what reaching each target ahead takes on each
  scenario, and the year each reaches it;
* :func:`rebase_document` -- title, description, reasoning and assumption
  reasons of a scenario written by ``xiqu rebase``.
"""
from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from ...economics.rebase import Rebase
from ...economics.review import Review
from ...economics.solver import SolveTarget
from ...inputs.regions import RegionData
from ...inputs.scenario import SECTORS, unit_of
from .locales import get_locale
from .text import (LANGUAGES, esc, fmt_number, fmt_persons, fmt_yi, fmt_yuan, is_finite, label, mid_sentence,
                   scenario_text, t)

__all__ = ["fmt_growth", "fmt_gap", "fmt_level", "years_text", "target_name", "target_words", "lever_words",
           "target_sentences", "scenario_sentences", "outlook_sentences", "solver_sentences", "rebase_document"]


# --------------------------------------------------------------------------- numbers
def fmt_growth(value: float, lang: str) -> str:
    """A growth rate, one decimal: ``"6.0%"``."""
    return get_locale(lang).pct(value, 1)


def fmt_gap(value: float, lang: str, signed: bool = False) -> str:
    """A gap in percentage points, one decimal, unsigned unless ``signed``: ``"1.5 pp"`` / ``"1.5个百分点"``."""
    if not is_finite(value):
        return get_locale(lang).na
    return get_locale(lang).pp(float(value) if signed else abs(float(value)), 1, signed)


def fmt_change(value: float, lang: str) -> str:
    """A signed change in per cent, one decimal: ``"-5.2%"``."""
    if not is_finite(value):
        return get_locale(lang).na
    v = 0.0 if round(float(value), 1) == 0 else float(value)
    return t("unit.pct", lang, value=f"{v:+.1f}")


def fmt_level(value: float, unit: str, lang: str) -> str:
    """A level in its unit: 亿元 with two decimals, yuan and persons whole."""
    if unit == "亿元":
        return fmt_yi(value, lang)
    if unit in ("元", "yuan"):
        return fmt_yuan(value, lang)
    if unit == "persons":
        return fmt_persons(value, lang)
    return f"{fmt_number(value, 2)} {unit}"


def years_text(start: int, end: int, lang: str) -> str:
    """``"2021-2023"`` / ``"2021—2023年"``; one year: ``"2023"`` / ``"2023年"``."""
    if int(start) == int(end):
        return t("review.year", lang, year=int(start))
    return t("review.years", lang, start=int(start), end=int(end))


def _first_upper(text: str, lang: str) -> str:
    return get_locale(lang).capitalise(text)


def target_name(region: RegionData, figure_id: str, lang: str) -> str:
    """A target's name: the label of the level its indicator measures (工业增加值), else the indicator's label."""
    figs = region.figures
    rows = figs[figs["id"] == figure_id]
    indicator = str(rows["indicator"].iloc[0]) if len(rows) else figure_id.split(".")[1] if "." in figure_id else figure_id
    dictionary = region.indicators.set_index("indicator")
    level = dictionary["level_of"].get(indicator, "") if indicator in dictionary.index else ""
    name = region.label(str(level) if isinstance(level, str) and level else indicator, lang)
    return _first_upper(name, lang)


# --------------------------------------------------------------------------- targets
def target_sentences(review: Review, region: RegionData, lang: str) -> list[str]:
    """One sentence per plan target (growth floors from :attr:`Review.required`, the others from the scorecard)."""
    out = []
    floors = set(review.required["target"])
    for r in review.required.to_dict("records"):
        name = esc(target_name(region, r["target"], lang))
        start, end = (int(x) for x in r["period"].split("-"))
        period = years_text(start, end, lang)
        floor = fmt_growth(r["floor_pct"], lang)
        if r["status"] == "no_actual":
            out.append(t("review.target_no_actual", lang, name=name, base=review.base_year, floor=floor, period=period))
            continue
        direction = t("review.above" if r["gap_pp"] >= 0 else "review.below", lang)
        common = dict(name=name, achieved=fmt_growth(r["achieved_avg_pct"], lang), gap=fmt_gap(r["gap_pp"], lang),
                      direction=direction, floor=floor, period=period)
        if r["period_over"]:
            out.append(t("review.target_over", lang, verdict=t(f"status.{r['status']}", lang), **common))
        else:
            out.append(t("review.target_so_far", lang, years=years_text(start, r["from_year"], lang),
                         verdict=t(f"review.verdict_{r['status']}", lang), required=fmt_growth(r["required_pct"], lang),
                         rest=years_text(r["from_year"] + 1, end, lang), **common))
    for r in review.scorecard.to_dict("records"):
        if r["id"] in floors:
            continue
        name = esc(target_name(region, r["id"], lang))
        if r["target_type"] == "growth":
            start, end = (int(x) for x in r["period"].split("-"))
            if r["status"] == "no_actual":
                out.append(t("review.target_no_actual", lang, name=name, base=review.base_year,
                             floor=fmt_growth(r["target"], lang), period=years_text(start, end, lang)))
            else:
                out.append(t("review.target_growth_no_floor", lang, name=name, period=years_text(start, r["through_year"], lang),
                             achieved=fmt_growth(r["actual"], lang), floor=fmt_growth(r["target"], lang),
                             verdict=t(f"review.status_{r['status']}", lang)))
            continue
        year = r["year"] if not pd.isna(r["year"]) else r["period"]
        if r["status"] == "no_actual":
            out.append(t("review.target_level_no_actual", lang, name=name, year=year))
        else:
            out.append(t("review.target_level", lang, name=name, year=year, actual=fmt_level(r["actual"], r["unit"], lang),
                         target=fmt_level(r["target"], r["unit"], lang), verdict=t(f"status.{r['status']}", lang)))
    return out


# --------------------------------------------------------------------------- scenarios
def scenario_sentences(review: Review, names: Mapping[str, str], lang: str) -> list[str]:
    """One sentence per scenario (errors and bias), then which tracked best."""
    out = []
    sep, end = t("review.part_separator", lang), t("review.sentence_end", lang)
    for r in review.tracking.to_dict("records"):
        name = names.get(r["scenario"], esc(r["scenario"]))
        parts = []
        if r["n_growth"]:
            parts.append(t("review.scenario_growth", lang, scenario=name, mae=fmt_gap(r["mae_growth_pp"], lang),
                           n=int(r["n_growth"]), bias=fmt_gap(r["bias_growth_pp"], lang, signed=True)))
        if r["n_level"]:
            key = "review.scenario_level" if parts else "review.scenario_level_only"
            parts.append(t(key, lang, scenario=name, mae=fmt_growth(r["mae_level_pct"], lang), n=int(r["n_level"]),
                           bias=fmt_change(r["bias_level_pct"], lang)))
        out.append(sep.join(parts) + end if parts else t("review.scenario_nothing", lang, scenario=name) + end)
    best = review.best_scenario
    if best is None:
        out.append(t("review.best_none", lang))
    else:
        row = review.tracking.set_index("scenario").loc[best]
        if row["n_growth"]:
            out.append(t("review.best_growth", lang, scenario=names.get(best, esc(best)),
                         mae=fmt_gap(row["mae_growth_pp"], lang)))
        else:
            out.append(t("review.best_level", lang, scenario=names.get(best, esc(best)),
                         mae=fmt_growth(row["mae_level_pct"], lang)))
    return out


def outlook_sentences(review: Review, region: RegionData, names: Mapping[str, str], lang: str) -> list[str]:
    """The re-based outlook of nominal GDP (or the first re-based level) in the outlook years, per scenario."""
    o = review.outlook
    if o.empty:
        return [t("review.outlook_none", lang, base=review.base_year)]
    column = "gdp_nominal" if (o["column"] == "gdp_nominal").any() else str(o["column"].iloc[0])
    latest = int(review.rebased.loc[review.rebased["column"] == column, "year"].min())
    out = []
    for scenario, grp in o[o["column"] == column].groupby("scenario", sort=False):
        years = [t("review.outlook_year", lang, value=fmt_level(r.rebased, r.unit, lang), year=int(r.year),
                   change=fmt_change(r.change_pct, lang), original=fmt_level(r.original, r.unit, lang))
                 for r in grp.sort_values("year").itertuples()]
        out.append(t("review.outlook", lang, scenario=names.get(scenario, esc(scenario)), latest=latest,
                     indicator=mid_sentence(label(column, lang), lang), years=t("review.outlook_join", lang).join(years)))
    return out


# --------------------------------------------------------------------------- targets ahead
def target_words(target: SolveTarget, lang: str) -> str:
    """A solver target in words (``real GDP doubling from its 2020 level by 2035``)."""
    column = mid_sentence(label(target.column, lang), lang)
    if target.kind == "level":
        return t("review.solve_target_level", lang, column=column, level=fmt_level(target.level, target.unit, lang),
                 year=target.year)
    if target.kind == "growth":
        return t("review.solve_target_growth", lang, column=column, growth=fmt_growth(target.growth_pct, lang),
                 start=target.from_year, year=target.year)
    if target.multiple == 2:
        return t("review.solve_target_multiple2", lang, column=column, start=target.from_year, year=target.year)
    return t("review.solve_target_multiple", lang, column=column, multiple=f"{target.multiple:g}",
             start=target.from_year, year=target.year)


def lever_words(lever: str, lang: str, words: str = "review.lever_") -> str:
    """A lever of :data:`xiqu_analysis.economics.solver.LEVERS` in words: the keys ``<words>all_sectors``,
    ``<words>sector``, ``<words>urban_income``, ``<words>population`` (the review's by default)."""
    if lever == "all_sectors":
        return t(f"{words}all_sectors", lang)
    if lever in SECTORS:
        return t(f"{words}sector", lang, sector=t(f"sector.{lever}", lang))
    if lever == "urban_income.growth_pct":
        return t(f"{words}urban_income", lang)
    if lever == "population.growth_pct":
        return t(f"{words}population", lang)
    return lever


#: prefix of an item under the one before it (the scenarios under a target)
SUB = "  "


def solver_sentences(review: Review, names: Mapping[str, str], lang: str, *, default: bool = False) -> list[str]:
    """Per target a head line, then one sentence per scenario (rate, sectors alone, own growth, year reached).

    The scenarios' sentences start with :data:`SUB`: items under their target.
    """
    out = []
    solved = review.solved
    for target in review.targets:
        out.append(t("review.solve_head", lang, target=_first_upper(target_words(target, lang), lang)))
        rows = solved[solved["target"] == target.text]
        for scenario, grp in rows.groupby("scenario", sort=False):
            name = names.get(scenario, esc(scenario))
            first = grp.iloc[0]
            if first["status"] == "outside":
                out.append(SUB + t("review.solve_outside", lang, scenario=name))
                continue
            base = int(first["scenario_base_year"])
            basis = t("review.solve_on_rebased" if first["on"] == "rebased" else "review.solve_on_original", lang,
                      year=base)
            reached = (t("review.solve_reached", lang, year=int(first["year_reached"]))
                       if not pd.isna(first["year_reached"]) else t("review.solve_not_reached", lang, year=target.year))
            by = grp.set_index("lever")
            years = years_text(first["first_year"], first["last_year"], lang)
            if "all_sectors" in by.index:
                lead = by.loc["all_sectors"]
                if lead["status"] != "solved":
                    out.append(SUB + t("review.solve_unreachable", lang, scenario=name, basis=basis, reached=reached))
                    continue
                solved = [s for s in SECTORS if s in by.index and by.loc[s, "status"] == "solved"]
                parts = [t("review.solve_sector", lang, sector=t(f"sector.{s}", lang),
                           rate=fmt_growth(by.loc[s, "required_pct"], lang)) for s in solved]
                sectors = t("review.solve_sectors", lang, parts=t("review.solve_or", lang).join(parts)) if parts else ""
                sectors += "".join(t("review.solve_sector_unreachable", lang, sector=t(f"sector.{s}", lang))
                                   for s in SECTORS if s in by.index and s not in solved)
                out.append(SUB + t("review.solve_scenario", lang, scenario=name, basis=basis, rate=fmt_growth(lead["required_pct"], lang),
                             years=years, sectors=sectors, own=fmt_growth(lead["scenario_pct"], lang), reached=reached))
            else:
                lever = by.index[0]
                row = by.iloc[0]
                if row["status"] != "solved":
                    out.append(SUB + t("review.solve_unreachable", lang, scenario=name, basis=basis, reached=reached))
                    continue
                out.append(SUB + t("review.solve_scenario_input", lang, scenario=name, basis=basis, input=lever_words(lever, lang),
                             rate=fmt_growth(row["required_pct"], lang), years=years,
                             own=fmt_growth(row["scenario_pct"], lang), reached=reached))
    if default and review.targets:
        out.append(t("review.solve_default_note", lang, year=review.targets[0].year))
    return out


# --------------------------------------------------------------------------- xiqu rebase
def _was(origin, lang: str) -> str:
    if origin.old_status == "sourced" and origin.old_source:
        return t("rebase.was_sourced", lang, source=origin.old_source)
    if origin.old_source:
        return t("rebase.was_assumed", lang, source=" ".join(origin.old_source.split()))
    return t("rebase.was_default", lang)


def rebase_document(rebase: Rebase, lang: str, *, file_name: str, old_file: str) -> dict[str, Any]:
    """The re-based scenario's fields with its words: title, description, reasoning, assumptions.

    Every text is written in each report language (``{en: ..., zh: ...}``,
    ``lang`` first), so a report of the re-based scenario reads in either;
    the old scenario's title and reasoning are taken in the same language
    when it gives them (else as written).

    Parameters
    ----------
    rebase : Rebase
        From :func:`xiqu_analysis.economics.rebase.rebase_scenario`.
    lang : str
        The language listed first in each text.
    file_name : str
        The actuals file's name, as the words cite it.
    old_file : str
        The old scenario file's name.
    """
    order = [lang] + [k for k in LANGUAGES if k != lang] if lang in LANGUAGES else list(LANGUAGES)
    texts = {k: _rebase_texts(rebase, k, file_name=file_name, old_file=old_file) for k in order}
    data = dict(rebase.data)
    for name in ("title", "description", "reasoning"):
        data[name] = {k: texts[k][name] for k in order}
    data["assumptions"] = {path: {k: texts[k]["assumptions"][path] for k in order}
                           for path in texts[order[0]]["assumptions"]}
    return data


def _rebase_texts(rebase: Rebase, lang: str, *, file_name: str, old_file: str) -> dict[str, Any]:
    """:func:`rebase_document`'s texts in one language."""
    old, year = rebase.old, rebase.base_year
    assumptions: dict[str, str] = {}
    for path, origin in rebase.origins.items():
        if origin.code == "actual":
            continue
        if origin.code == "actual_shares":
            ids = t("review.list_separator", lang).join(origin.figure_ids)
            reason = t("rebase.reason_actual_shares", lang, year=year, ids=ids, file=file_name)
        elif origin.code == "projected_shares":
            reason = t("rebase.reason_projected_shares", lang, scenario=old.name, year=year)
        elif origin.code == "projected_level":
            reason = t("rebase.reason_projected_level", lang, scenario=old.name, year=year,
                       value=fmt_level(origin.old_value, {"亿元": "亿元", "yuan": "元"}.get(unit_of(path), unit_of(path)), lang))
        elif origin.code in ("actual_change", "interpolated_change", "no_change"):  # the base year's population change
            ids = t("review.list_separator", lang).join(origin.figure_ids)
            first = origin.old_period.split("-")[0] if origin.old_period else year - 1
            reason = t(f"rebase.reason_{origin.code}", lang, year=year, prev=year - 1, first=first, ids=ids,
                       file=file_name, value=t("unit.pct", lang, value=f"{origin.old_value:.2f}"))
        elif origin.code == "carried_growth":
            value = t("unit.pct", lang, value=f"{origin.old_value:g}")
            reason = t("rebase.reason_carried_growth", lang, scenario=old.name, old=origin.old_period or path, value=value,
                       was=_was(origin, lang))
        else:
            reason = t("rebase.reason_carried", lang, scenario=old.name, was=_was(origin, lang))
        assumptions[path] = reason
    return {
        "title": t("rebase.title", lang, title=scenario_text(old.title, lang)[0], year=year),
        "description": t("rebase.description", lang, scenario=old.name, year=year, file=file_name),
        "reasoning": t("rebase.reasoning", lang, scenario=old.name, old_file=old_file, year=year, file=file_name,
                       old_reasoning=scenario_text(old.reasoning, lang)[0].strip()).strip(),
        "assumptions": assumptions,
    }
