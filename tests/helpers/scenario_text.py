"""The minimal plan_targets scenario as text (no sources, assumptions or reasoning: the schema's core),
and edits of it: the bad inputs of the command-line tests and the known answers of the schema's tests."""
from __future__ import annotations

__all__ = ["PLAN", "edit"]

PLAN = """\
name: plan_targets
title: Plan floors to 2025, slower growth to 2035
base_year: 2020
end_year: 2035
gdp_base: 82.91              # 亿元, current prices (plan, ch.1)
sector_shares:               # share of 2020 GDP; an assumption: the plan gives none
  primary: 0.02
  secondary: 0.58
  tertiary: 0.40
real_growth_pct:             # real value-added growth, % per year; a number, or periods
  primary:   {2021-2025: 3.5, 2026-2035: 3.0}
  secondary: {2021-2025: 7.5, 2026-2035: 5.0}
  tertiary:  {2021-2025: 8.5, 2026-2035: 6.0}
deflator_pct: 2.0            # GDP deflator, % per year
population: {base: 129406, growth_pct: -1.0}   # persons, year-end
urban_income: {base: 41794, growth_pct: 7.0}   # yuan, current prices
fiscal_revenue: {base: 1.85, buoyancy: 1.0}    # 亿元; revenue growth = buoyancy x nominal GDP growth, each year
"""


def edit(old: str, new: str) -> str:
    """PLAN with one exact piece of text replaced (fails loudly if it is absent)."""
    assert PLAN.count(old) == 1, old
    return PLAN.replace(old, new)
