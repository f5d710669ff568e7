"""The tables a planning office lays out: 主要指标表, the year-by-year projection and the sectors' pulls.

* :func:`main_indicators_table` -- the plan's main indicators as a 规划 table:
  indicator, unit, base-year value (and whether it is sourced), the plan's
  target (a value or 不低于 x%), its 属性 (预期性/约束性) only where the plan
  states one, the scenario's value at the plan's end and its average growth,
  and 达到/未达到 with the gap;
* :func:`projection_table` -- every year and every column of the projection,
  each header naming its unit and price basis (the CSV a colleague asks for
  when he needs the 2021-2024 values);
* :func:`sector_table` -- value added, average growth, 拉动 and 贡献率 of the
  three sectors over the plan period and after it.

Headers and words come from the locale files; numbers stay numbers (the HTML
rounds them for reading, the CSV keeps them whole).
"""
from __future__ import annotations

import math

import pandas as pd

from ...economics.columns import COLUMN_PRICE_BASIS, COLUMN_UNITS, TABLE_COLUMNS, registry_columns
from ...economics.contributions import TOTAL, sector_periods
from ...economics.targets import column_average_growth_pct
from ...inputs.scenario import SECTORS
from ...periods import period_text
from ..words.locales import get_locale
from ..words.narrative import projected
from ..words.text import UNIT_NAME_KEYS, fmt_period, indicator_name, persons_shown, t, unit_name

__all__ = ["column_title", "column_name", "projection_table", "YEARLY_SHOWN", "yearly_shown", "sector_table",
           "main_indicators_table", "plan_period"]

#: columns of the year-by-year table shown in the report (the CSV holds every column)
YEARLY_SHOWN = ("year", "gdp_real", "gdp_nominal", "gdp_growth", "population", "gdp_per_capita", "urban_income",
                "fiscal_revenue")
#: price basis as a reader is told it: shares and the revenue ratio are ratios of current-price levels
_SHOWN_BASIS = {**COLUMN_PRICE_BASIS, "nominal_growth": "current", "revenue_to_gdp": "current",
                **{f"{s}_share": "current" for s in SECTORS}}
_UNIT_NAMES = UNIT_NAME_KEYS
#: how a table formats a unit's numbers (the narrative's Quantity kinds)
_UNIT_KIND = {"亿元": "yi", "元": "yuan", "persons": "persons", "人": "persons", "%": "pct"}
#: 属性 of a target, read from the plan's words or the figure's note
_ATTRIBUTES = {"预期性": "expected", "约束性": "binding"}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def column_name(column: str, lang: str, projection=None) -> str:
    """A projection column's name; a further indicator's (registry rule) from the registry's names."""
    rule = registry_columns(getattr(projection, "scenario", None)).get(column)
    return _cap(indicator_name(rule.names, lang, column)) if rule is not None else t(f"name.{column}", lang)


def _unit_basis(column: str, projection) -> tuple[str, str]:
    rule = registry_columns(getattr(projection, "scenario", None)).get(column)
    if rule is not None:
        return rule.unit, rule.price_basis
    return COLUMN_UNITS[column], _SHOWN_BASIS.get(column, "not_applicable")


def column_title(column: str, lang: str, base_year: int, projection=None) -> str:
    """Header of a projection column with its unit and price basis:
    ``地区生产总值（亿元，2020年不变价）``, ``Real GDP growth (%, comparable prices (real))``.
    ``projection`` names the columns of its further indicators (registry rules)."""
    name = column_name(column, lang, projection)
    if column == "year":
        return name
    unit_code, basis = _unit_basis(column, projection)
    unit = unit_name(unit_code, lang, int(base_year))
    if basis == "not_applicable":
        return t("name.with_unit", lang, name=name, unit=unit)
    return t("name.with_unit_basis", lang, name=name, unit=unit, basis=t(f"basis.{basis}", lang, year=int(base_year)))


def projection_table(projection, lang: str = "en") -> pd.DataFrame:
    """Every year and every column of the projection (:data:`TABLE_COLUMNS`), shares in per cent,
    headers with unit and price basis in ``lang``."""
    tab = projection.table
    base = int(tab["year"].iloc[0])
    out = {}
    for col in (*TABLE_COLUMNS, *projection.indicator_columns):
        values = tab[col].to_numpy(dtype=float)
        if col == "year":
            out[column_title(col, lang, base)] = tab[col].astype(int).to_numpy()
            continue
        title = column_title(col, lang, base, projection)
        out[title] = values * 100.0 if COLUMN_UNITS.get(col) == "ratio" else values
    return pd.DataFrame(out)


def yearly_shown(projection, lang: str = "en") -> pd.DataFrame:
    """The columns of :data:`YEARLY_SHOWN` and the further indicators' of :func:`projection_table`
    (what fits a printed page); the population in the readers' unit (万人, thousand persons), where the
    CSV keeps whole persons."""
    base = int(projection.table["year"].iloc[0])
    full = projection_table(projection, lang)
    shown = full[[column_title(c, lang, base, projection) for c in (*YEARLY_SHOWN, *projection.indicator_columns)]]
    persons = [c for c in YEARLY_SHOWN if COLUMN_UNITS.get(c) == "persons"]
    titles = {column_title(c, lang, base, projection): _persons_title(c, lang, projection) for c in persons}
    return shown.assign(**{k: [persons_shown(v, lang) for v in shown[k]] for k in titles}).rename(columns=titles)


def _persons_title(column: str, lang: str, projection=None) -> str:
    return t("name.with_unit", lang, name=column_name(column, lang, projection), unit=t("unit_name.persons_scaled", lang))


def plan_period(projection, region) -> tuple[int, int]:
    """(base year, the plan's end year) inside the projection; the projection's end when the plan's is outside."""
    base = int(projection.base_year)
    end = region.info.plan_end_year
    return base, int(end) if end is not None and base < int(end) <= int(projection.end_year) else int(projection.end_year)


def _periods(projection, region) -> list[tuple[int, int]]:
    base, mid = plan_period(projection, region)
    last = int(projection.end_year)
    return [(base, mid)] + ([(mid, last)] if mid < last else [])


def sector_table(projection, region, lang: str = "en") -> pd.DataFrame:
    """Value added of the three sectors (constant base-year prices) at the start and end of each period,
    their average real growth, average pull (拉动, pp) and contribution (贡献率, %), with the GDP total
    (the numbers of :func:`~xiqu_analysis.economics.contributions.sector_periods`)."""
    base = int(projection.base_year)
    level = t("unit_name.yi", lang) + get_locale(lang).comma + t("basis.constant", lang, year=base)
    rows = []
    for r in sector_periods(projection, _periods(projection, region)).itertuples(index=False):
        name = t("label.total", lang) if r.part == TOTAL else _cap(t(f"sector.{r.part}", lang))
        rows.append((fmt_period(int(r.start_year) + 1, int(r.end_year), lang), name, r.start, r.end, r.growth_pct, r.pull_pp,
                     r.contribution_pct))
    columns = [t("label.period", lang), t("label.sector_row", lang),
               t("name.with_unit", lang, name=t("label.start_value", lang), unit=level),
               t("name.with_unit", lang, name=t("label.end_value", lang), unit=level),
               t("label.growth_average", lang), t("label.average_pull", lang), t("label.contribution_rate", lang)]
    return pd.DataFrame(rows, columns=columns)


def _attribute(fig_note: str, quote: str, lang: str) -> str:
    for word, code in _ATTRIBUTES.items():
        if word in f"{fig_note} {quote}":
            return t(f"indicator_table.attribute.{code}", lang)
    return ""


def _target_text(g: dict, lang: str) -> str:
    direction = "floor" if g["direction"] != "at_most" else "ceiling"
    if g["target_type"] == "growth":
        return t(f"indicator_table.{direction}_growth", lang, value=f"{float(g['target']):g}")
    return t(f"indicator_table.{direction}_level", lang, value=f"{float(g['target']):g}",
             unit=unit_name(str(g["unit"]), lang))


def _level_unit(column: str, lang: str, base: int, projection=None) -> str:
    unit_code, basis = _unit_basis(column, projection)
    unit = unit_name(unit_code, lang, base)
    if basis in ("constant", "current"):
        return t("indicator_table.unit_basis", lang, unit=unit, basis=t(f"basis.{basis}", lang, year=base))
    return unit


#: rows of the 主要指标表 that carry no plan target: (level column, growth of: level column)
_CORE_ROWS = (("gdp_nominal", "gdp_real"), ("fiscal_revenue", "fiscal_revenue"), ("urban_income", "urban_income"),
              ("population", "population"))
_KIND = {"gdp_nominal": "yi", "fiscal_revenue": "yi", "urban_income": "yuan", "population": "persons",
         **{s: "yi" for s in SECTORS}}


def main_indicators_table(projection, analysis, region, provenance: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The plan's main indicators against the scenario (主要指标表).

    One row per core indicator (GDP, budget revenue, urban income, population:
    no plan target) and per plan target (``analysis.gaps``): a growth target
    shows the level of the sector it maps to at the base year and the plan's
    end, the scenario's average growth over the plan period, 达到/未达到 and
    the gap in percentage points; a target the projection cannot represent
    says so. Growth of GDP and the sectors is real (comparable prices); of
    revenue and income nominal (the caption says so).
    """
    base, end = plan_period(projection, region)
    tab = projection.table.set_index("year")
    rows: list[dict] = []

    def row(name, unit, base_value, base_status, target, attribute, value, growth, outcome, gap):
        rows.append({"name": name, "unit": unit, "base": base_value, "base_status": base_status, "target": target,
                     "attribute": attribute, "value": value, "growth": growth, "outcome": outcome, "gap": gap})

    def status_of(column: str) -> str:
        kind = _KIND.get(column) or _UNIT_KIND.get(_unit_basis(column, projection)[0], "yi")
        q = projected(projection, column, base, kind, provenance)
        return t(f"label.{q.status}", lang)

    def core(level: str, growth_of: str):
        persons = COLUMN_UNITS.get(level) == "persons"  # a population in the readers' unit (万人)
        shown = (lambda v: persons_shown(v, lang)) if persons else float
        row(column_name(level, lang, projection),
            t("unit_name.persons_scaled", lang) if persons else _level_unit(level, lang, base, projection),
            shown(tab.at[base, level]), status_of(level), "", "", shown(tab.at[end, level]),
            float(column_average_growth_pct(projection, growth_of, period_text(base + 1, end))), "", math.nan)

    core(*_CORE_ROWS[0])
    later = []
    for g in analysis.gaps.to_dict("records"):
        info = region.indicators[region.indicators["indicator"] == g["indicator"]]
        level_of = str(info.iloc[0]["level_of"]) if len(info) and isinstance(info.iloc[0]["level_of"], str) else ""
        name = _cap(region.label(level_of, lang) if g["target_type"] == "growth" and level_of else region.label(
            g["indicator"], lang))
        fig = region.figure(g["id"]) if region.has_figure(g["id"]) else None
        attribute = _attribute(fig.note if fig else "", str(g.get("quote") or ""), lang)
        column = str(g["projection_column"] or "")
        level = {"gdp_growth": "gdp_real"}.get(column, column)
        if g["status"] in ("met", "missed") and g["target_type"] == "growth" and level in tab.columns:
            mapped = t(f"indicator_table.mapped.{level}", lang) if level in SECTORS else ""
            row(t("indicator_table.name_mapped", lang, name=name, mapped=mapped) if mapped else name,
                _level_unit(level, lang, base, projection), float(tab.at[base, level]), status_of(level),
                _target_text(g, lang),
                attribute, float(tab.at[end, level]), float(g["projected"]), t(f"status.{g['status']}", lang),
                float(g["gap"]))
        elif g["status"] in ("met", "missed"):
            later.append((name, g, attribute, column))
        else:
            later.append((name, g, attribute, None))
    for level, growth_of in _CORE_ROWS[1:]:
        core(level, growth_of)
    targeted = {str(g["projection_column"] or "") for g in analysis.gaps.to_dict("records")
                if g["status"] in ("met", "missed") and g["target_type"] == "growth"}
    for level in projection.indicator_columns:  # the scenario's further indicators (registry rules)
        if level not in targeted:
            core(level, level)
    for name, g, attribute, column in later:
        unit = unit_name(str(g["unit"]), lang, base)
        if column:
            row(name, unit, math.nan, "", _target_text(g, lang), attribute, float(g["projected"]), math.nan,
                t(f"status.{g['status']}", lang), float(g["gap"]))
        else:
            row(name, unit, math.nan, "", _target_text(g, lang), attribute, math.nan, math.nan,
                t(f"status.{str(g['status']).replace(' ', '_')}", lang), math.nan)
    frame = pd.DataFrame(rows)
    headers = {
        "name": t("label.indicator", lang), "unit": t("label.unit", lang),
        "base": t("label.base_value", lang, year=base), "base_status": t("label.base_status", lang),
        "target": t("label.plan_target", lang), "attribute": t("label.attribute", lang),
        "value": t("label.projected_in", lang, year=end),
        "growth": t("label.average_growth", lang, period=fmt_period(base + 1, end, lang)),
        "outcome": t("label.outcome", lang), "gap": t("label.gap_pp", lang),
    }
    if not frame["attribute"].astype(bool).any():  # 属性 only where the plan states it
        frame = frame.drop(columns="attribute")
    return frame.rename(columns=headers)
