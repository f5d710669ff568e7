"""The plan's 专栏 projects: ``data/regions/<region>/projects.csv``, validated.

Amounts stay in their own units (``investment_unit`` 亿元 or 万元, ...). A
project the plan lists in two 专栏 is entered twice, the second row naming the
first in ``duplicate_of``, so that totals count it once.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import config
from ..units import UNIT_FACTORS
from .csvtable import Column, Row, fail, read_csv_table, unit_check, validate_table
from .indicators import data_root

__all__ = ["PROJECT_COLUMNS", "load_projects"]

PROJECT_COLUMNS: dict[str, Column] = {
    "id": Column(pattern=r"[A-Za-z0-9_.-]+"),
    "name": Column(),
    "column": Column(pattern=r"专栏\d+"),
    "theme": Column(),
    "total_investment": Column("float", nullable=True, minimum=0),
    "investment_unit": Column(nullable=True, check=unit_check),
    "area": Column("float", nullable=True, minimum=0),
    "area_unit": Column(nullable=True, check=unit_check),
    "capacity": Column("float", nullable=True, minimum=0),
    "capacity_unit": Column(nullable=True, check=unit_check),
    "output_value": Column("float", nullable=True, minimum=0),
    "output_unit": Column(nullable=True, check=unit_check),
    "source": Column(),
    "quote": Column(),
    "note": Column(nullable=True),
    "duplicate_of": Column(required=False, nullable=True),
}
"""Columns of ``projects.csv``; ``duplicate_of`` (optional) names the row a
project repeats, so that totals count it once."""


def load_projects(region: str = config.DEFAULT_REGION, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Validated ``data/regions/<region>/projects.csv`` (plan 专栏 projects).

    Amounts stay in their own units (``investment_unit`` 亿元 or 万元, ...);
    a value needs a unit and a unit needs a value; ids are unique and
    ``duplicate_of`` names another row. A region without the file gives an
    empty frame with the columns.
    """
    path = data_root(data_dir) / "regions" / region / "projects.csv"
    if not path.is_file():
        empty = validate_table(pd.DataFrame({c: [] for c in PROJECT_COLUMNS}), PROJECT_COLUMNS, path)
        return empty
    df = validate_table(read_csv_table(path), PROJECT_COLUMNS, path)
    ids: dict[str, int] = {}
    for row in map(Row, df.to_dict("records")):
        if row.id in ids:
            fail(path, row._line, "id", f"duplicate id {row.id!r} (first on row {ids[row.id]})")
        ids[row.id] = row._line
    pairs = (("total_investment", "investment_unit", "yuan"), ("area", "area_unit", None),
             ("capacity", "capacity_unit", None), ("output_value", "output_unit", "yuan"))
    for row in df.to_dict("records"):
        for vcol, ucol, family in pairs:
            has_v, unit = not pd.isna(row[vcol]), row[ucol]
            if has_v and not unit:
                fail(path, row["_line"], ucol, f"{vcol} {row[vcol]:g} has no unit")
            if unit and not has_v:
                fail(path, row["_line"], vcol, f"{ucol} {unit!r} given without a value")
            if unit and family and UNIT_FACTORS[unit][0] != family:
                fail(path, row["_line"], ucol, f"{unit!r} is not a money unit")
        dup = row["duplicate_of"]
        if dup and (dup not in ids or dup == row["id"]):
            fail(path, row["_line"], "duplicate_of", f"{dup!r} is not the id of another project")
    return df
