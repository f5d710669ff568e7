"""The sectors over a period: average real growth, average pull (拉动) and contribution (贡献率).

The projection table holds each year's pull and contribution
(:mod:`.projection`); a plan speaks of periods (2021-2025: 年均拉动 and
贡献率 of the three sectors over the plan period). :func:`sector_period` gives
those period aggregates from the constant-price value added at the two ends of
the period (:func:`.growth.period_contributions`), one row per sector and a
``total`` row for real GDP; the reports only put them into words.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..inputs.scenario import SECTORS
from .growth import average_growth_pct, period_contributions
from .projection import ProjectionResult

__all__ = ["TOTAL", "SECTOR_PERIOD_COLUMNS", "sector_period", "sector_periods"]

#: the ``part`` of the row that holds real GDP, the sum of the sectors
TOTAL = "total"
#: columns of :func:`sector_period`: the period's base year and last year, the part (a sector or
#: :data:`TOTAL`), its real value added at both ends (亿元, constant base-year prices), its average real
#: growth (% a year), its average pull (percentage points a year) and its contribution (% of GDP's change)
SECTOR_PERIOD_COLUMNS = ("start_year", "end_year", "part", "start", "end", "growth_pct", "pull_pp",
                         "contribution_pct")


def sector_period(result: ProjectionResult, start: int, end: int) -> pd.DataFrame:
    """The three sectors and real GDP from ``start`` to ``end`` (the growth years ``start + 1 .. end``).

    Parameters
    ----------
    result : ProjectionResult
    start, end : int
        Years of the projection, ``start < end``: the level years at the two ends of the period.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SECTOR_PERIOD_COLUMNS`, one row per sector (in :data:`SECTORS` order) and a
        :data:`TOTAL` row: real GDP's growth, the pulls' sum (real GDP's average growth, NaN when
        GDP does not change) and a contribution of 100.
    """
    tab = result.table.set_index("year")
    years = end - start
    parts0 = np.array([tab.at[start, s] for s in SECTORS])
    parts1 = np.array([tab.at[end, s] for s in SECTORS])
    g0, g1 = float(tab.at[start, "gdp_real"]), float(tab.at[end, "gdp_real"])
    contribution, pull = period_contributions(parts0, parts1, g0, g1, years)
    rows = [(start, end, s, parts0[i], parts1[i], float(average_growth_pct(parts0[i], parts1[i], years)),
             pull[i], contribution[i]) for i, s in enumerate(SECTORS)]
    rows.append((start, end, TOTAL, g0, g1, float(average_growth_pct(g0, g1, years)), float(np.nansum(pull)),
                 100.0))
    return pd.DataFrame(rows, columns=list(SECTOR_PERIOD_COLUMNS))


def sector_periods(result: ProjectionResult, periods: Iterable[tuple[int, int]]) -> pd.DataFrame:
    """:func:`sector_period` of each ``(start, end)`` in ``periods``, one after another."""
    return pd.concat([sector_period(result, a, b) for a, b in periods], ignore_index=True)
