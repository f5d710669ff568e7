"""The plan's project pipeline: the 专栏 projects' stated investment, counted once.

The plan lists 65 projects in its 专栏 (boxes) 1-14, 27 rows of which state a
total investment. :func:`project_pipeline` turns ``projects.csv`` into the
numbers a reader of the plan wants: investment by 专栏 and by theme, the total
against the region's base-year GDP, the project the plan lists twice counted
once (its second row names the first in ``duplicate_of``), and the projects
that state no investment.

What the numbers are, and are not:

* planned (计划总投资), expected (预计投资) or estimated (投资估算) totals over
  each project's life, several years, not annual spending; a few are "about"
  (约) a figure;
* investment, not value added: a 亿元 invested does not add a 亿元 to GDP,
  so the ratio to GDP is a measure of size, not a projection;
* a sum of what the plan states: a programme (the subsidence treatment's 31
  projects) may contain projects listed elsewhere, and one sub-project
  belongs to two rows (the notes say where); such overlaps the plan does not
  quantify are not removed.

Amounts are converted to 亿元 (万元 / 1e4).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pandas as pd

from ..inputs.figures import figures_from_frame
from ..inputs.regions import RegionData
from ..units import convert

__all__ = ["Pipeline", "project_pipeline", "PROJECT_COLUMNS_OUT", "GROUP_COLUMNS"]

#: columns of :attr:`Pipeline.projects`
PROJECT_COLUMNS_OUT = ["id", "name", "column", "theme", "section", "investment_yi", "stated", "counted",
                       "duplicate_of", "quote", "note"]
#: columns of :attr:`Pipeline.by_column` and :attr:`Pipeline.by_theme`: ``group`` is the 专栏 or the
#: plan section as ``project_columns.csv`` codes it (the reports name it from that file)
GROUP_COLUMNS = ["group", "projects", "with_investment", "investment_yi", "share_pct", "to_gdp_pct"]


@dataclass(frozen=True)
class Pipeline:
    """The project pipeline of a region (see the module docstring).

    Attributes
    ----------
    projects : DataFrame
        One row per project (:data:`PROJECT_COLUMNS_OUT`): ``investment_yi``
        in 亿元 (NaN when the plan states none), ``stated`` (an investment is
        given), ``counted`` (stated and not a repeat of another row).
    by_column, by_theme : DataFrame
        :data:`GROUP_COLUMNS`: projects, projects with an investment, the
        investment counted (亿元), its share of the total (%) and of GDP (%),
        by 专栏 and by theme; the themes are the plan's own sections of ch.3
        (``project_columns.csv``), else the ``theme`` of ``projects.csv``.
    total_yi : float
        Stated investment, each project once, 亿元.
    gdp_yi : float or None
        The region's GDP in ``gdp_year`` (亿元, current prices), from its figures.
    gdp_year : int or None
    gdp_figure_id : str or None
    """

    projects: pd.DataFrame = field(repr=False)
    by_column: pd.DataFrame = field(repr=False)
    by_theme: pd.DataFrame = field(repr=False)
    total_yi: float
    gdp_yi: float | None
    gdp_year: int | None
    gdp_figure_id: str | None

    @property
    def n_projects(self) -> int:
        """Rows of ``projects.csv`` (a project listed twice is two rows)."""
        return len(self.projects)

    @property
    def n_counted(self) -> int:
        """Projects whose stated investment is counted (repeats left out)."""
        return int(self.projects["counted"].sum())

    @property
    def repeats(self) -> pd.DataFrame:
        """Rows that repeat another (``duplicate_of`` set): listed, not counted."""
        return self.projects[self.projects["duplicate_of"] != ""]

    @property
    def unstated(self) -> pd.DataFrame:
        """Projects with no stated investment."""
        return self.projects[~self.projects["stated"]]

    @property
    def ratio_to_gdp(self) -> float:
        """Counted investment / base-year GDP (a multiple; NaN without a GDP figure)."""
        return self.total_yi / self.gdp_yi if self.gdp_yi else math.nan


def _column_number(column: str) -> int:
    match = re.search(r"\d+", column)
    return int(match.group()) if match else 0


def _groups(projects: pd.DataFrame, key: str, total: float, gdp: float | None) -> pd.DataFrame:
    rows = []
    for name, group in projects.groupby(key, sort=False):
        counted = float(f"{group.loc[group['counted'], 'investment_yi'].sum():.12g}")
        rows.append({"group": name, "projects": len(group),
                     "with_investment": int(group["counted"].sum()),
                     "investment_yi": counted, "share_pct": counted / total * 100.0 if total else math.nan,
                     "to_gdp_pct": counted / gdp * 100.0 if gdp else math.nan})
    return pd.DataFrame(rows, columns=GROUP_COLUMNS)


def project_pipeline(region: RegionData) -> Pipeline:
    """The region's project pipeline (empty frames when the region has no ``projects.csv``).

    GDP is the region's figure of its base year (``region.yaml``) of the
    indicator the data dictionary maps to nominal GDP (``gdp``): the plan's
    82.91 亿元 for Xiqu's 2020.
    """
    raw = region.projects
    cols = region.project_columns
    section_of = dict(zip(cols["column"], cols["section"]))
    rows = []
    for r in raw.to_dict("records"):
        stated = not pd.isna(r["total_investment"])
        value = convert(r["total_investment"], r["investment_unit"], "亿元") if stated else math.nan
        dup = r.get("duplicate_of") or ""
        dup = "" if (isinstance(dup, float) and math.isnan(dup)) else str(dup)
        rows.append({"id": r["id"], "name": r["name"], "column": r["column"], "theme": r["theme"],
                     # the plan's own grouping (its ch.3 sections) where project_columns.csv gives it
                     "section": section_of.get(r["column"], r["theme"]),
                     "investment_yi": value, "stated": stated, "counted": stated and not dup, "duplicate_of": dup,
                     "quote": r["quote"], "note": r["note"] or ""})
    projects = pd.DataFrame(rows, columns=PROJECT_COLUMNS_OUT)
    if len(projects):
        order = projects["column"].map(_column_number)
        projects = projects.assign(_o=order).sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)
    total = float(projects.loc[projects["counted"], "investment_yi"].sum()) if len(projects) else 0.0
    total = float(f"{total:.12g}")
    figs = region.figures
    # GDP: the indicator the data dictionary maps to the projection's nominal GDP
    ind = region.indicators
    gdp_names = set(ind.loc[ind["projection_column"] == "gdp_nominal", "indicator"])
    gdp_rows = figs[figs["indicator"].isin(gdp_names) & (figs["year"] == region.info.base_year)
                    & figs["kind"].isin(["actual", "estimate"]) & (figs["region"] == region.key)]
    gdp = figures_from_frame(gdp_rows.iloc[[0]])[0] if len(gdp_rows) else None
    gdp_yi = gdp.value_in("亿元") if gdp is not None else None
    by_column = _groups(projects, "column", total, gdp_yi)
    by_theme = _groups(projects, "section", total, gdp_yi)
    return Pipeline(projects, by_column, by_theme, total, gdp_yi, region.info.base_year if gdp else None,
                    gdp.id if gdp is not None else None)
