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
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import config
from ..units import UNIT_FACTORS
from .csvtable import Column, fail, read_csv_table, validate_table

__all__ = ["INDICATOR_COLUMNS", "UNIT_FAMILIES", "data_root", "load_indicators"]

#: base units an indicator's ``unit_family`` may name
UNIT_FAMILIES = tuple(sorted({base for base, _ in UNIT_FACTORS.values()}))
_SNAKE = r"[a-z][a-z0-9_]*"

INDICATOR_COLUMNS: dict[str, Column] = {
    "indicator": Column(pattern=_SNAKE),
    "label_en": Column(),
    "label_zh": Column(),
    "unit_family": Column(choices=UNIT_FAMILIES),
    "level_of": Column(nullable=True, pattern=_SNAKE),
    "per_capita_of": Column(nullable=True, pattern=_SNAKE),
    "population_like": Column("bool"),
    "projection_column": Column(nullable=True, pattern=_SNAKE),
    "mapping_note": Column(nullable=True),
    "per_capita_denominator": Column("bool", required=False, nullable=True),
    "part_of": Column(required=False, nullable=True, pattern=r"[a-z][a-z0-9_]*|100"),
}
"""Columns of ``data/indicators.csv``."""


def data_root(data_dir: str | Path | None) -> Path:
    """``data_dir`` as a Path, or the configured data folder (:func:`xiqu_analysis.config.data_dir`)."""
    return Path(data_dir) if data_dir is not None else config.data_dir()


def load_indicators(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The data dictionary ``data/indicators.csv``, validated.

    Checks: columns, unique snake_case names, ``unit_family`` a base unit of
    :mod:`xiqu_analysis.units`, ``level_of``/``per_capita_of`` naming defined
    indicators, ``population_like`` boolean. Returns one row per indicator
    (index 0..n-1) plus ``_line``.
    """
    path = data_root(data_dir) / "indicators.csv"
    df = validate_table(read_csv_table(path), INDICATOR_COLUMNS, path)
    seen: dict[str, int] = {}
    for line, name in zip(df["_line"], df["indicator"]):
        if name in seen:
            fail(path, line, "indicator", f"duplicate indicator {name!r} (first on row {seen[name]})")
        seen[name] = line
    for col in ("level_of", "per_capita_of", "part_of"):
        if col not in df.columns:
            continue
        for line, name, ref in zip(df["_line"], df["indicator"], df[col]):
            if col == "part_of" and ref == "100":
                continue
            if ref and ref not in seen:
                fail(path, line, col, f"{ref!r} is not an indicator defined in this file")
            if ref == name:
                fail(path, line, col, f"{name!r} cannot refer to itself")
    families = dict(zip(df["indicator"], df["unit_family"]))
    for line, name, level, agg in zip(df["_line"], df["indicator"], df["level_of"], df["per_capita_of"]):
        if level and families[name] != "percent":
            fail(path, line, "unit_family", f"{name!r} states the growth of {level!r}, so its unit family "
                  f"must be percent, not {families[name]!r}")
        if agg and families[name] != families[agg]:
            fail(path, line, "unit_family", f"{name!r} is per capita of {agg!r}: unit family "
                  f"{families[name]!r} differs from {families[agg]!r}")
    return df
