"""The shipped scenarios' words against their numbers: the plan_targets description's slowdown after 2025, and
the 2021-2023 population, interpolated between two counts, never called observed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from xiqu_analysis.inputs.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def _texts(value) -> dict[str, str]:
    """A scenario text (LocalText) as {language: words, spaces normalised}."""
    return {k: " ".join(v.split()) for k, v in value.texts.items()}


def test_plan_targets_description_states_each_sectors_slowdown():
    """Floors 3.5 / 7.5 / 8.5 % for 2021-2025, then 3.0 / 5.0 / 6.0 %: agriculture 0.5 point slower, industry and
    services 2.5 points; the description says so in both languages (it said "about 2 to 2.5 points")."""
    sc = load_scenario(SCENARIOS / "plan_targets.yaml")
    growth = {s: sc.value_at(f"real_growth_pct.{s}") for s in ("primary", "secondary", "tertiary")}
    slowdown = {s: g["2021-2025"] - g["2026-2035"] for s, g in growth.items()}
    assert slowdown == {"primary": pytest.approx(0.5), "secondary": pytest.approx(2.5),
                        "tertiary": pytest.approx(2.5)}
    texts = _texts(sc.description)
    en, zh = texts["en"], texts["zh"]
    assert "2 to 2.5" not in en
    assert "agriculture 0.5 point" in en and "industry and services 2.5 points" in en
    assert "农业低0.5个百分点" in zh and "工业和服务业低2.5个百分点" in zh


@pytest.mark.parametrize("name", ["trend", "plan_targets", "high", "low"])
def test_interpolated_population_years_are_not_called_observed(name):
    """The population is counted at the 2020 census and at the end of 2023 only: the 0.0 % a year of 2021-2023
    is interpolated between the two, and the reason says so in both languages (it said "Observed")."""
    sc = load_scenario(SCENARIOS / f"{name}.yaml")
    reason = _texts(sc.assumptions["population.growth_pct.2021-2023"])
    assert reason["en"].startswith("Interpolated, not observed:"), reason["en"]
    assert reason["zh"].startswith("插值，非观测值："), reason["zh"]
    assert not re.match(r"Observed|观测值", reason["en"] + reason["zh"])
