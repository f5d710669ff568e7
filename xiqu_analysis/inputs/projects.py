"""The plan's 专栏 projects: ``data/regions/<region>/projects.csv`` and ``project_parts.csv``, validated.

Amounts stay in their own units (``investment_unit`` 亿元 or 万元, ...). A
project the plan lists in two 专栏 is entered twice, the second row naming the
first in ``duplicate_of``, so that totals count it once. Where the plan lists
a project's parts with their own figures (the subsidence programme's three
groups, a park's zones), ``project_parts.csv`` holds them, one row per part,
``project`` naming the project: the audit adds them up against the project's
total (:mod:`xiqu_analysis.economics.audit_parts`); they are never added to
the projects' totals.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..errors import InputError
from ..units import LAND_AREA_M2, UNIT_FACTORS
from .csvtable import Column, Table, check_rows, fail, is_empty, read_csv_rows, unit_check
from .indicators import data_root

if TYPE_CHECKING:  # the checks need no pandas; the load_ functions give frames
    import pandas as pd

__all__ = ["PROJECT_COLUMNS", "PART_COLUMNS", "COLUMN_COLUMNS", "load_projects", "load_project_parts",
           "load_project_columns", "check_projects", "check_project_parts", "check_project_columns"]


def _checked(path: Path, spec: dict[str, Column]) -> Table:
    """The file checked against ``spec``; a table of its columns and no rows when there is no file."""
    if not path.is_file():
        return check_rows(Table({c: [] for c in spec}, dict.fromkeys(spec, "str"), []), spec, path)
    return check_rows(read_csv_rows(path), spec, path)


def _records(table: pd.DataFrame | Table) -> list:
    return table.records() if isinstance(table, Table) else table.to_dict("records")

def _measures(*pairs: tuple[str, str]) -> dict[str, Column]:
    """Columns of stated quantities: each a non-negative number (or empty) and its unit."""
    return {k: v for value, unit in pairs
            for k, v in ((value, Column("float", nullable=True, minimum=0)), (unit, Column(nullable=True, check=unit_check)))}


#: investment, area and capacity, as projects and their parts state them
_STATED = (("total_investment", "investment_unit"), ("area", "area_unit"), ("capacity", "capacity_unit"))

PROJECT_COLUMNS: dict[str, Column] = {
    "id": Column(pattern=r"[A-Za-z0-9_.-]+"),
    "name": Column(),
    "column": Column(pattern=r"专栏\d+"),
    "theme": Column(),
    **_measures(*_STATED, ("output_value", "output_unit")),
    "source": Column(),
    "quote": Column(),
    "note": Column(nullable=True),
    "duplicate_of": Column(required=False, nullable=True),
}
"""Columns of ``projects.csv``; ``duplicate_of`` (optional) names the row a
project repeats, so that totals count it once."""


def load_projects(region: str = config.DEFAULT_REGION, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Validated ``data/regions/<region>/projects.csv`` (:func:`check_projects`) as a frame."""
    return check_projects(region, data_dir).frame()


def check_projects(region: str = config.DEFAULT_REGION, data_dir: str | Path | None = None) -> Table:
    """Validated ``data/regions/<region>/projects.csv`` (plan 专栏 projects), as a table (no pandas).

    Amounts stay in their own units (``investment_unit`` 亿元 or 万元, ...);
    a value needs a unit and a unit needs a value; ids are unique and
    ``duplicate_of`` names another row. A region without the file gives an
    empty table with the columns.
    """
    path = data_root(data_dir) / "regions" / region / "projects.csv"
    df = _checked(path, PROJECT_COLUMNS)
    ids: dict[str, int] = {}
    for row in df.records():
        if row.id in ids:
            fail(path, row._line, "id", "duplicate id {id!r} (first on row {ids})", id=row.id, ids=ids[row.id])
        ids[row.id] = row._line
    pairs = (("total_investment", "investment_unit", "yuan"), ("area", "area_unit", None),
             ("capacity", "capacity_unit", None), ("output_value", "output_unit", "yuan"))
    for row in df.records():
        for vcol, ucol, family in pairs:
            has_v, unit = not is_empty(row[vcol]), row[ucol]
            if has_v and not unit:
                fail(path, row["_line"], ucol, "{vcol} {row:g} has no unit", vcol=vcol, row=row[vcol])
            if unit and not has_v:
                fail(path, row["_line"], vcol, "{ucol} {unit!r} given without a value", ucol=ucol, unit=unit)
            if unit and family and UNIT_FACTORS[unit][0] != family:
                fail(path, row["_line"], ucol, "{unit!r} is not a money unit", unit=unit)
        dup = row["duplicate_of"]
        if dup and (dup not in ids or dup == row["id"]):
            fail(path, row["_line"], "duplicate_of", "{dup!r} is not the id of another project", dup=dup)
    return df


PART_COLUMNS: dict[str, Column] = {
    "id": Column(pattern=r"[A-Za-z0-9_.-]+"),
    "project": Column(pattern=r"[A-Za-z0-9_.-]+"),
    "name": Column(),
    **_measures(*_STATED),
    "source": Column(),
    "quote": Column(),
    "note": Column(nullable=True),
    "may_overlap": Column("bool", required=False, nullable=True),
}
"""Columns of ``project_parts.csv``: a part of a project (``project``: an id of ``projects.csv``) with the
figures the plan gives for it, in the same measures as the project; ``may_overlap`` (optional, true/false,
empty false) marks a part that may lie inside another part, which the plan does not say."""


def load_project_parts(projects: pd.DataFrame | Table, region: str = config.DEFAULT_REGION,
                       data_dir: str | Path | None = None) -> pd.DataFrame:
    """Validated ``data/regions/<region>/project_parts.csv`` (:func:`check_project_parts`) as a frame."""
    return check_project_parts(projects, region, data_dir).frame()


def check_project_parts(projects: pd.DataFrame | Table, region: str = config.DEFAULT_REGION,
                        data_dir: str | Path | None = None) -> Table:
    """Validated ``data/regions/<region>/project_parts.csv`` (empty with its columns when absent), as a table.

    Checks: unique ids, ``project`` naming a row of ``projects`` (the region's
    validated ``projects.csv``), a value with its unit (money units for the
    investment), and a part measure the project itself states, in the same
    unit family (a part's area in 亩 against a project's area in m2 is fine,
    against a count is not).
    """
    path = data_root(data_dir) / "regions" / region / "project_parts.csv"
    df = _checked(path, PART_COLUMNS)
    known = {r["id"]: r for r in _records(projects)}
    ids: dict[str, int] = {}
    for row in df.records():
        line = row["_line"]
        if row["id"] in ids:
            fail(path, line, "id", "duplicate id {id!r} (first on row {ids})", id=row['id'], ids=ids[row['id']])
        ids[row["id"]] = line
        project = known.get(row["project"])
        if project is None:
            fail(path, line, "project", "{project!r} is not the id of a project in projects.csv",
                 project=row['project'])
        for vcol, ucol in (("total_investment", "investment_unit"), ("area", "area_unit"),
                           ("capacity", "capacity_unit")):
            has_v, unit = not is_empty(row[vcol]), row[ucol]
            if has_v and not unit:
                fail(path, line, ucol, "{vcol} {row:g} has no unit", vcol=vcol, row=row[vcol])
            if unit and not has_v:
                fail(path, line, vcol, "{ucol} {unit!r} given without a value", ucol=ucol, unit=unit)
            if not has_v:
                continue
            if is_empty(project[vcol]):
                fail(path, line, vcol, "project {project!r} states no {vcol} to add the parts up to",
                     project=row['project'], vcol=vcol)
            families = {UNIT_FACTORS[unit][0], UNIT_FACTORS[project[ucol]][0]}
            if len(families) > 1 and not families <= set(LAND_AREA_M2):
                fail(path, line, ucol, "{unit!r} cannot be added to the project's {project!r}", unit=unit,
                     project=project[ucol])
    return df


COLUMN_COLUMNS: dict[str, Column] = {
    "column": Column(pattern=r"专栏\d+"),
    "title": Column(),
    "section": Column(),
    "section_zh": Column(),
    "section_title": Column(),
    "theme_en": Column(),
    "source": Column(),
}
"""Columns of ``project_columns.csv``: each 专栏 with its title and the plan section it stands in
(``section``, ``section_zh`` as a Chinese reader cites it, 第三章第一节, and ``section_title``: the plan's
own grouping of its projects by theme), ``theme_en`` an
English gloss of the section, ``source``."""


def load_project_columns(projects: pd.DataFrame | Table, region: str = config.DEFAULT_REGION,
                         data_dir: str | Path | None = None) -> pd.DataFrame:
    """Validated ``data/regions/<region>/project_columns.csv`` (:func:`check_project_columns`) as a frame."""
    return check_project_columns(projects, region, data_dir).frame()


def check_project_columns(projects: pd.DataFrame | Table, region: str = config.DEFAULT_REGION,
                          data_dir: str | Path | None = None) -> Table:
    """Validated ``data/regions/<region>/project_columns.csv`` (empty with its columns when absent), as a table.

    Checks: one row per 专栏, and every 专栏 of ``projects`` listed.
    """
    path = data_root(data_dir) / "regions" / region / "project_columns.csv"
    df = _checked(path, COLUMN_COLUMNS)
    seen: dict[str, int] = {}
    for line, column in zip(df["_line"], df["column"]):
        if column in seen:
            fail(path, line, "column", "{column!r} is listed twice (first on row {seen})", column=column,
                 seen=seen[column])
        seen[column] = line
    missing = sorted(set(projects["column"]) - set(seen), key=lambda c: int(c.removeprefix("专栏")))
    if missing:
        raise InputError(path, "column", "{items} of projects.csv not listed", items=', '.join(missing))
    return df
