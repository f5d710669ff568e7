"""The data dictionary ``data/indicators.csv``: what each indicator is and how it links.

Each indicator has English and Chinese labels, a unit family (a base unit of
:mod:`xiqu_analysis.units`), and links: ``level_of`` (a growth indicator names
the level whose growth it states), ``per_capita_of`` (a per-capita indicator
names its aggregate), ``population_like`` (a denominator of per-capita
figures), ``per_capita_denominator`` (the population official per-capita
figures divide by: the resident population, not the registered one; without
the column every ``population_like`` indicator counts as one), ``part_of``
(the total a part adds up to: sector value added ``gdp``; a share in per cent
``100``) and ``projection_column`` (the column of the projection table it is
compared with, with ``mapping_note`` saying how).

The registry
------------
The same file is the registry of indicators (:func:`indicator_registry`):
besides the links above each row gives the registry's ``unit`` (the unit
figures are converted to: 亿元, 元, 人, %), its ``price_basis`` (``current``,
``comparable``, ``constant`` or ``not_applicable``), ``higher_is_better``,
the ``synonyms`` documents use (``|``-separated: 地区生产总值|生产总值|GDP), a
name and a short name per language (``label_<lang>``, ``short_<lang>``: a new
language is a new pair of columns, English the fallback) and the ``rule`` by
which a scenario projects it, one of :data:`RULES`:

``sectors``
    real value added by sector: the GDP chain (GDP, the sectors, their growth and shares);
``level_path``
    a level growing at the scenario's own rate, the denominator of per-capita
    figures (the resident population);
``per_capita``
    an aggregate over the average resident population of the year (the
    ``per_capita_of`` indicator's column; GDP per capita is part of the chain);
``own_growth``
    a level growing at its own rate, given per indicator in the scenario's
    ``indicators`` section (``base`` in the registry's unit, ``growth_pct``
    nominal for current-price levels);
``buoyancy``
    growth = ``buoyancy`` x the growth of the ``driver`` indicator's level
    (budget revenue on nominal GDP);
``share``
    the ``driver`` indicator's level over its ``part_of`` indicator's level, in
    per cent (X / Y x 100);
``tracked``
    not projected: read, targeted and reviewed only (城镇化率, 单位GDP能耗降低).

A growth indicator (``level_of`` set) takes its level's rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from ..config import data_root
from ..errors import InputError
from ..units import UNIT_FACTORS
from .csvtable import Column, Table, fail, is_empty, read_csv_rows, check_rows

if TYPE_CHECKING:  # the checks and the registry need no pandas; load_indicators gives a frame
    import pandas as pd

__all__ = ["INDICATOR_COLUMNS", "UNIT_FAMILIES", "RULES", "INPUT_RULES", "DERIVED_RULES", "IndicatorSpec",
           "data_root", "load_indicators", "check_indicators", "indicator_registry"]

#: how a scenario projects an indicator (see the module docstring)
RULES = ("sectors", "level_path", "per_capita", "own_growth", "buoyancy", "share", "tracked")
#: rules whose inputs a scenario gives per indicator (its ``indicators`` section)
INPUT_RULES = ("own_growth", "buoyancy")
#: rules computed from other projected indicators, with no input of their own
DERIVED_RULES = ("per_capita", "share")
#: price bases of the registry
PRICE_BASES = ("current", "comparable", "constant", "not_applicable")
#: a per-language column of the registry: ``label_<lang>`` or ``short_<lang>`` (a BCP 47-like tag)
_LANG_COLUMN = re.compile(r"(label|short)_([a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)")

#: base units an indicator's ``unit_family`` may name
UNIT_FAMILIES = tuple(sorted({base for base, _ in UNIT_FACTORS.values()}))
_SNAKE = r"[a-z][a-z0-9_]*"

INDICATOR_COLUMNS: dict[str, Column] = {
    "indicator": Column(pattern=_SNAKE),
    "label_en": Column(),
    "label_zh": Column(required=False, nullable=True),
    "unit_family": Column(choices=UNIT_FAMILIES),
    "level_of": Column(nullable=True, pattern=_SNAKE),
    "per_capita_of": Column(nullable=True, pattern=_SNAKE),
    "population_like": Column("bool"),
    "projection_column": Column(nullable=True, pattern=_SNAKE),
    "mapping_note": Column(nullable=True),
    "per_capita_denominator": Column("bool", required=False, nullable=True),
    "part_of": Column(required=False, nullable=True, pattern=r"[a-z][a-z0-9_]*|100"),
    "unit": Column(required=False, nullable=True, choices=tuple(UNIT_FACTORS)),
    "price_basis": Column(required=False, nullable=True, choices=PRICE_BASES),
    "higher_is_better": Column(required=False, nullable=True, choices=("true", "false")),  # empty: no direction
    "rule": Column(required=False, nullable=True, choices=RULES),
    "driver": Column(required=False, nullable=True, pattern=_SNAKE),
    "synonyms": Column(required=False, nullable=True),
}
"""Columns of ``data/indicators.csv``."""


def load_indicators(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The data dictionary ``data/indicators.csv``, validated (:func:`check_indicators`), as a frame:
    one row per indicator (index 0..n-1) plus ``_line``."""
    return check_indicators(data_dir).frame()


def check_indicators(data_dir: str | Path | None = None) -> Table:
    """The data dictionary ``data/indicators.csv``, validated, as a :class:`~.csvtable.Table` (no pandas).

    Checks: columns, unique snake_case names, ``unit_family`` a base unit of
    :mod:`xiqu_analysis.units`, ``level_of``/``per_capita_of`` naming defined
    indicators, ``population_like`` boolean.
    """
    path = data_root(data_dir) / "indicators.csv"
    raw = read_csv_rows(path)
    for col in raw.columns:
        if col not in INDICATOR_COLUMNS and not _LANG_COLUMN.fullmatch(col):
            raise InputError(path, f"column {col}", "unknown column; allowed: {allowed}, and label_<language> / "
                             "short_<language> (a name per language)", allowed=", ".join(INDICATOR_COLUMNS))
    df = check_rows(raw, INDICATOR_COLUMNS, path, allow_extra=True)
    seen: dict[str, int] = {}
    for line, name in zip(df["_line"], df["indicator"]):
        if name in seen:
            fail(path, line, "indicator", "duplicate indicator {name!r} (first on row {seen})", name=name,
                 seen=seen[name])
        seen[name] = line
    for col in ("level_of", "per_capita_of", "part_of", "driver"):
        if col not in df:
            continue
        for line, name, ref in zip(df["_line"], df["indicator"], df[col]):
            if col == "part_of" and ref == "100":
                continue
            if ref and ref not in seen:
                fail(path, line, col, "{ref!r} is not an indicator defined in this file", ref=ref)
            if ref == name:
                fail(path, line, col, "{name!r} cannot refer to itself", name=name)
    families = dict(zip(df["indicator"], df["unit_family"]))
    for line, name, level, agg in zip(df["_line"], df["indicator"], df["level_of"], df["per_capita_of"]):
        if level and families[name] != "percent":
            fail(path, line, "unit_family",
                 "{name!r} states the growth of {level!r}, so its unit family must be percent, not {families!r}",
                 name=name, level=level, families=families[name])
        if agg and families[name] != families[agg]:
            fail(path, line, "unit_family",
                 "{name!r} is per capita of {agg!r}: unit family {families!r} differs from {families2!r}", name=name,
                 agg=agg, families=families[name], families2=families[agg])
    _check_rules(df, path)
    return df


#: what each projected rule needs on a level row
_RULE_NEEDS = {"own_growth": ("projection_column", "unit"), "buoyancy": ("projection_column", "unit", "driver"),
               "per_capita": ("projection_column", "unit", "per_capita_of"),
               "share": ("projection_column", "driver", "part_of")}


def _check_rules(df: Table, path: Path) -> None:
    """Each level row with a projecting rule names what the rule needs (see the module docstring)."""
    if "rule" not in df:
        return
    columns: dict[str, int] = {}
    for r in df.records():
        rule, line = r.get("rule") or "", r["_line"]
        if not rule or r.get("level_of"):
            continue
        for need in _RULE_NEEDS.get(rule, ()):
            if not r.get(need):
                fail(path, line, need, "rule {rule!r} needs a {need} (indicator {indicator!r})", rule=rule, need=need,
                     indicator=r['indicator'])
        col = r.get("projection_column")
        if rule in _RULE_NEEDS and col:
            if col in columns:
                fail(path, line, "projection_column",
                     "{col!r} is already the column of the indicator on row {columns}: each projected indicator has a "
                     "column of its own",
                     col=col, columns=columns[col])
            columns[col] = line
        if rule == "share" and r.get("part_of") == "100":
            fail(path, line, "part_of", "a share's part_of names the indicator it is a share of")


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of the registry (a row of ``data/indicators.csv``), as the other layers use it.

    Attributes
    ----------
    key : str
        The indicator (``retail_sales``).
    rule : str
        One of :data:`RULES`; a growth indicator takes its level's rule; ``tracked`` when the row gives none.
    column : str or None
        The projection column it is compared with (``projection_column``); for an ``own_growth``,
        ``buoyancy``, ``per_capita`` or ``share`` level, the column the projection adds for it.
    unit : str or None
        The registry's unit (a key of :data:`xiqu_analysis.units.UNIT_FACTORS`).
    price_basis : str or None
        ``current``, ``comparable``, ``constant`` or ``not_applicable``.
    higher_is_better : bool or None
    level_of, per_capita_of, part_of, driver : str or None
        Links (see the module docstring).
    labels, short_labels : dict of str to str
        The indicator's name and short name by language tag (``{"en": ..., "zh": ...}``).
    synonyms : tuple of str
        Names documents use for it.
    unit_family : str
        The base unit of its figures (``yuan``, ``persons``, ``percent``, ...).
    population_like : bool
        A total population a per-capita figure may divide by.
    per_capita_denominator : bool
        The population official per-capita figures divide by (without the column: ``population_like``).
    """

    key: str
    rule: str
    column: str | None
    unit: str | None
    price_basis: str | None
    higher_is_better: bool | None
    level_of: str | None
    per_capita_of: str | None
    part_of: str | None
    driver: str | None
    labels: dict
    short_labels: dict
    synonyms: tuple[str, ...]
    unit_family: str = ""
    population_like: bool = False
    per_capita_denominator: bool = False

    @property
    def is_growth(self) -> bool:
        """True for the growth of a level (``level_of`` set)."""
        return bool(self.level_of)

    def label(self, lang: str, short: bool = False) -> str:
        """The name in ``lang`` (its base language, then English, then the key)."""
        names = self.short_labels if short and self.short_labels else self.labels
        for tag in (lang, lang.split("-")[0].split("_")[0], "en"):
            if names.get(tag):
                return names[tag]
        return self.key


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _flag(value, default: bool) -> bool:
    """A boolean cell; ``default`` where the column is missing or the cell empty (the dictionary's older form)."""
    if is_empty(value) or value == "":
        return default
    return bool(value)


def indicator_registry(indicators: pd.DataFrame | Table) -> dict[str, IndicatorSpec]:
    """The registry: indicator key -> :class:`IndicatorSpec`, in file order.

    Parameters
    ----------
    indicators : pandas.DataFrame or Table
        :func:`load_indicators`' frame (``RegionData.indicators``) or :func:`check_indicators`' table.

    Notes
    -----
    Rules are checked when the file is loaded (:func:`load_indicators`); a row
    without a rule is ``tracked``; a growth row without one takes its level's.
    """
    rows = indicators.records() if isinstance(indicators, Table) else indicators.to_dict("records")
    by_key = {str(r["indicator"]): r for r in rows}
    out: dict[str, IndicatorSpec] = {}
    for r in rows:
        key = str(r["indicator"])
        rule = _text(r.get("rule"))
        if rule is None and _text(r.get("level_of")):
            rule = _text(by_key.get(_text(r.get("level_of")), {}).get("rule"))
        labels = {m.group(2).replace("_", "-"): _text(r[c]) for c in r
                  if (m := _LANG_COLUMN.fullmatch(str(c))) and m.group(1) == "label" and _text(r[c])}
        shorts = {m.group(2).replace("_", "-"): _text(r[c]) for c in r
                  if (m := _LANG_COLUMN.fullmatch(str(c))) and m.group(1) == "short" and _text(r[c])}
        hib = {"true": True, "false": False}.get(_text(r.get("higher_is_better")) or "")
        out[key] = IndicatorSpec(
            key=key, rule=rule or "tracked", column=_text(r.get("projection_column")), unit=_text(r.get("unit")),
            price_basis=_text(r.get("price_basis")),
            higher_is_better=hib,
            level_of=_text(r.get("level_of")), per_capita_of=_text(r.get("per_capita_of")),
            part_of=_text(r.get("part_of")), driver=_text(r.get("driver")), labels=labels, short_labels=shorts,
            synonyms=tuple(x.strip() for x in (_text(r.get("synonyms")) or "").split("|") if x.strip()),
            unit_family=_text(r.get("unit_family")) or "", population_like=bool(r.get("population_like")),
            per_capita_denominator=_flag(r.get("per_capita_denominator"), bool(r.get("population_like"))),
        )
    return out
