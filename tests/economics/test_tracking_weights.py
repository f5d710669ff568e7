"""The review's tracking error weighs each real growth figure by the share of GDP it measures
(economics/review_scores.py: gdp_weight, tracking): agriculture, 2 % of GDP, no longer counts like GDP."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from xiqu_analysis.economics.projection import project
from xiqu_analysis.economics.review_scores import SCORE_COLUMNS, gdp_weight, tracking
from xiqu_analysis.inputs.scenario import scenario_from_dict

WEIGHTS = {"gdp_real": 1.0, "primary": 0.02, "secondary": 0.58, "tertiary": 0.40}
INDICATORS = {"gdp_real": "gdp_growth", "primary": "agriculture_va_growth", "secondary": "industrial_va_growth",
              "tertiary": "services_va_growth"}


def _scores(errors: dict[str, dict[str, float]]) -> pd.DataFrame:
    """One year of real growth errors (actual - projected, pp) per scenario and column, with the weights above."""
    rows = [dict(scenario=name, indicator=INDICATORS[col], column=col, kind="growth", year=2021, unit="%",
                 actual=math.nan, projected=math.nan, error=e, error_pct=math.nan, band="n/a", gdp_weight=WEIGHTS[col])
            for name, by_col in errors.items() for col, e in by_col.items()]
    return pd.DataFrame(rows, columns=list(SCORE_COLUMNS))


def test_a_miss_in_agriculture_counts_by_its_share_of_gdp():
    """a misses GDP by 0.5, agriculture by 5, industry by 1, services by -0.5:
    (0.5 x 1 + 5 x 0.02 + 1 x 0.58 + 0.5 x 0.40) / 2.0 = 1.38 / 2 = 0.69 pp (unweighted: 7 / 4 = 1.75);
    bias (0.5 + 0.1 + 0.58 - 0.2) / 2 = 0.49 pp.
    b misses GDP, industry and services by 1, agriculture not at all:
    (1 + 0 + 0.58 + 0.40) / 2.0 = 0.99 pp (unweighted: 3 / 4 = 0.75).
    Weighted, a tracked best; counting agriculture like GDP, b did."""
    scores = _scores({"a": {"gdp_real": 0.5, "primary": 5.0, "secondary": 1.0, "tertiary": -0.5},
                      "b": {"gdp_real": 1.0, "primary": 0.0, "secondary": 1.0, "tertiary": 1.0}})
    out = tracking(scores, ["a", "b"]).set_index("scenario")
    assert out.loc["a", "mae_growth_pp"] == pytest.approx(0.69)
    assert out.loc["a", "bias_growth_pp"] == pytest.approx(0.49)
    assert out.loc["b", "mae_growth_pp"] == pytest.approx(0.99)
    assert (out.loc["a", "rank"], out.loc["b", "rank"]) == (1, 2)
    assert (out.loc["a", "n_growth"], out.loc["b", "n_growth"]) == (4, 4)
    # a score table without the column weighs every figure 1: b ranks first
    plain = tracking(scores.drop(columns="gdp_weight"), ["a", "b"]).set_index("scenario")
    assert plain.loc["a", "mae_growth_pp"] == pytest.approx(1.75) and plain.loc["b", "mae_growth_pp"] == pytest.approx(0.75)
    assert plain.loc["b", "rank"] == 1


def test_a_sectors_weight_is_its_real_share_the_year_before():
    """GDP 100 亿元 in 2020 in shares 0.02 / 0.58 / 0.40; agriculture grows 10 % a year, the rest 0 %:
    2021 real agriculture 2.2 of real GDP 100.2, so agriculture's 2022 growth weighs 2.2 / 100.2; its 2021 growth
    weighs the base year's 0.02. GDP's own growth weighs 1; a current-price column has no weight."""
    sc = scenario_from_dict({
        "name": "w", "title": "w", "base_year": 2020, "end_year": 2025, "gdp_base": 100.0,
        "sector_shares": {"primary": 0.02, "secondary": 0.58, "tertiary": 0.40},
        "real_growth_pct": {"primary": 10.0, "secondary": 0.0, "tertiary": 0.0}, "deflator_pct": 2.0,
        "population": {"base": 100000.0, "growth_pct": 0.0}, "urban_income": {"base": 40000.0, "growth_pct": 5.0},
        "fiscal_revenue": {"base": 2.0, "buoyancy": 1.0}})
    proj = project(sc)
    assert gdp_weight(proj, "primary", 2021) == pytest.approx(0.02)
    assert gdp_weight(proj, "primary", 2022) == pytest.approx(2.2 / 100.2)
    assert gdp_weight(proj, "secondary", 2022) == pytest.approx(58.0 / 100.2)
    assert gdp_weight(proj, "gdp_real", 2022) == 1.0
    assert math.isnan(gdp_weight(proj, "gdp_nominal", 2022))
