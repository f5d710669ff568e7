"""Sum-of-parts checks of the plan's projects: a stated total against the parts the plan lists.

Where the plan states a project's total and also its parts (the 31 projects of
the subsidence programme in three groups with their investment, the zones of
a park with their areas, the phases of a farm), ``project_parts.csv`` holds
the parts and this module adds them up against the project's ``projects.csv``
row, measure by measure (``total_investment``, ``area``, ``capacity``). The
tolerance is the rounding of the written digits, as everywhere in the audit
(:mod:`.audit`). Rows are dicts with the audit table's columns.

A part marked ``may_overlap`` may lie inside another part or outside them all
(the plan lists a 5,000 m2 greenhouse among a park's zones without saying
where it stands): the parts then add up to anything from the sum without it
to the sum with it. When the stated total lies in that range (within
rounding) the check is ``not_checkable`` (reason ``may_overlap``), never a
finding; when it lies outside, the parts differ from the total whichever way
the overlap goes (``differs``).
"""
from __future__ import annotations

import math

import pandas as pd

from ..inputs.figures import decimals_written
from ..units import convert_area

__all__ = ["MEASURES", "parts_checks"]

#: project measures a part can break down: value column -> unit column
MEASURES = {"total_investment": "investment_unit", "area": "area_unit", "capacity": "capacity_unit"}


def _rounding(value: float) -> float:
    """Half a unit of the last digit a value is written with (18.97 -> 0.005; 300 -> 0.5)."""
    return 0.5 * 10.0 ** (-decimals_written(repr(float(value)).removesuffix(".0")))


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value != ""


def parts_checks(projects: pd.DataFrame, parts: pd.DataFrame, region: str = "") -> list[dict]:
    """One row per project and measure whose parts are listed.

    Parameters
    ----------
    projects : DataFrame
        ``projects.csv`` (:func:`xiqu_analysis.inputs.projects.load_projects`).
    parts : DataFrame
        ``project_parts.csv`` (:func:`xiqu_analysis.inputs.projects.load_project_parts`).
    region : str
        The region key written in the rows.

    Returns
    -------
    list of dict
        ``check`` ``sum_of_parts``; ``reason`` ``agrees``/``differs`` (verdict
        ``consistent``/``inconsistent``) or ``missing_parts`` (some parts lack
        the measure: ``not_checkable``, ``missing`` names them) or
        ``may_overlap`` (a part marked ``may_overlap`` decides the verdict:
        ``not_checkable``, ``missing`` names it, ``recomputed_low`` and
        ``recomputed_high`` are the sums without and with it); ``stated``
        the project's value, ``recomputed`` the parts' sum, in the project's
        unit, with their rounding intervals; ``figure_id`` the project id and
        ``sources`` the project and part ids.
    """
    rows: list[dict] = []
    by_id = {r["id"]: r for r in projects.to_dict("records")}
    for project_id, group in parts.groupby("project", sort=False):
        project = by_id[project_id]
        members = group.to_dict("records")
        for measure, unit_col in MEASURES.items():
            total = project.get(measure)
            if not _present(total):
                continue
            have = [m for m in members if _present(m.get(measure))]
            if not have:
                continue  # the parts do not break this measure down
            unit = project[unit_col]
            stated_range = (total - _rounding(total), total + _rounding(total))
            row = {"check": "sum_of_parts", "kind": "project", "indicator": measure, "reference_indicator": measure,
                   "region": region, "year": "", "stated": float(total), "unit": unit,
                   "stated_low": stated_range[0], "stated_high": stated_range[1], "figure_id": project_id,
                   "sources": "; ".join([project_id, *(m["id"] for m in members)]), "n_years": math.nan,
                   "implied_population": math.nan, "implied_low": math.nan, "implied_high": math.nan}
            lacking = [m["id"] for m in members if not _present(m.get(measure))]
            if lacking:
                rows.append({**row, "reason": "missing_parts", "verdict": "not_checkable",
                             "recomputed": math.nan, "difference": math.nan, "difference_pct": math.nan,
                             "recomputed_low": math.nan, "recomputed_high": math.nan, "missing": " ".join(lacking)})
                continue
            values = [convert_area(m[measure], m[unit_col], unit) for m in have]
            lows = [convert_area(m[measure] - _rounding(m[measure]), m[unit_col], unit) for m in have]
            highs = [convert_area(m[measure] + _rounding(m[measure]), m[unit_col], unit) for m in have]
            recomputed = float(f"{sum(values):.12g}")  # 18.97 + 3.94 + 16.96 is 39.87, not 39.870000000000005
            agrees = stated_range[0] <= sum(highs) and sum(lows) <= stated_range[1]
            overlap = [i for i, m in enumerate(have) if bool(m.get("may_overlap"))]
            if overlap:
                # the parts add up to anything from the sum without the overlapping parts to the sum with them
                low = sum(v for i, v in enumerate(lows) if i not in overlap)
                if stated_range[0] <= sum(highs) and low <= stated_range[1]:
                    rows.append({**row, "reason": "may_overlap", "verdict": "not_checkable",
                                 "recomputed": math.nan, "difference": math.nan, "difference_pct": math.nan,
                                 "recomputed_low": float(f"{low:.12g}"),
                                 "recomputed_high": float(f"{sum(highs):.12g}"),
                                 "missing": " ".join(have[i]["id"] for i in overlap)})
                    continue
            diff = float(total) - recomputed
            rows.append({**row, "reason": "agrees" if agrees else "differs",
                         "verdict": "consistent" if agrees else "inconsistent", "recomputed": recomputed,
                         "difference": diff, "difference_pct": diff / recomputed * 100.0 if recomputed else math.nan,
                         "recomputed_low": float(f"{sum(lows):.12g}"), "recomputed_high": float(f"{sum(highs):.12g}"),
                         "missing": ""})
    return rows
