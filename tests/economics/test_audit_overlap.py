"""A project's parts where one part may lie inside another (economics/audit_parts.py, project_parts.csv's
``may_overlap``): the sum is then a range, and a total inside it is not checkable, never a finding."""
from __future__ import annotations

import pandas as pd
import pytest

from xiqu_analysis.economics.audit import audit_region, findings
from xiqu_analysis.economics.audit_parts import parts_checks
from xiqu_analysis.inputs.regions import load_region
from xiqu_analysis.reports.sections.data_audit import explain


def _frames(total: float, overlap: bool | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A park of ``total`` 亩 with zones of 600 and 400 亩 and a 5,000 m2 greenhouse (7.5 亩)."""
    projects = pd.DataFrame([{"id": "park", "name": "park", "total_investment": float("nan"), "investment_unit": "",
                              "area": total, "area_unit": "亩", "capacity": float("nan"), "capacity_unit": ""}])
    parts = pd.DataFrame([
        {"id": "park.a", "project": "park", "area": 600.0, "area_unit": "亩"},
        {"id": "park.b", "project": "park", "area": 400.0, "area_unit": "亩"},
        {"id": "park.greenhouse", "project": "park", "area": 5000.0, "area_unit": "m2"},
    ])
    for col in ("total_investment", "capacity"):
        parts[col] = float("nan")
    for col in ("investment_unit", "capacity_unit"):
        parts[col] = ""
    if overlap is not None:
        parts["may_overlap"] = [False, False, overlap]
    return projects, parts


@pytest.mark.parametrize("total, overlap, verdict, reason", [
    # 600 + 400 = 1000 without the greenhouse, 1007.5 with it; the total 1000 (999.5-1000.5) lies in that range
    (1000.0, True, "not_checkable", "may_overlap"),
    (1007.5, True, "not_checkable", "may_overlap"),
    (1004.0, True, "not_checkable", "may_overlap"),
    # 1010 (1009.5-1010.5) lies above even the sum with the greenhouse (at most 1008.00075 with rounding)
    (1010.0, True, "inconsistent", "differs"),
    # 990 (989.5-990.5) lies below even the sum without it (at least 999)
    (990.0, True, "inconsistent", "differs"),
    # without the mark (or marked false) every part adds up: 1007.5 against 1000 differs, as before
    (1000.0, False, "inconsistent", "differs"),
    (1000.0, None, "inconsistent", "differs"),
    (1007.5, None, "consistent", "agrees"),
])
def test_a_part_that_may_overlap_makes_the_sum_a_range(total, overlap, verdict, reason):
    projects, parts = _frames(total, overlap)
    (row,) = parts_checks(projects, parts, "r")
    assert (row["verdict"], row["reason"]) == (verdict, reason)
    if reason == "may_overlap":
        # the range: 599.5 + 399.5 = 999 without, 600.5 + 400.5 + 5000.5 m2 (7.50075 亩) = 1008.50075 with
        assert row["recomputed_low"] == pytest.approx(999.0)
        assert row["recomputed_high"] == pytest.approx(1008.50075)
        assert row["missing"] == "park.greenhouse"
        assert pd.isna(row["recomputed"]) and pd.isna(row["difference"])


def test_the_tropical_plants_base_is_not_checkable_and_no_finding():
    """Plan 专栏6: zones of 300 + 300 + 100 + 100 + 50 + 50 + 100 = 1,000 亩, the stated total, and a 5,000 m2
    greenhouse listed among them that may stand inside one of them: at most not checkable."""
    region = load_region("xiqu")
    table = audit_region(region)
    row = table[(table["check"] == "sum_of_parts") & (table["figure_id"] == "zl06.tropical_plants_subsidence")]
    (row,) = row.to_dict("records")
    assert (row["verdict"], row["reason"], row["stated"]) == ("not_checkable", "may_overlap", 1000.0)
    assert pd.isna(row["finding"])
    assert "zl06.tropical_plants_subsidence" not in set(findings(table)["figure_ids"])
    en, zh = explain(row, region, "en"), explain(row, region, "zh")
    assert "1,000 亩 without 中药材控温大棚 and to 1,007.5 亩 with it" in en
    assert "不计中药材控温大棚合计1000亩，计入则为1007.5亩" in zh
