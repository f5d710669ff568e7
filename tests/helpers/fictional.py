"""The invented county of tests/fixtures/fictional (Ostland, 东地县): its files as the data and scenario folders."""
from __future__ import annotations

import shutil
from pathlib import Path

from . import FIXTURES, ROOT

__all__ = ["FICTIONAL", "FOREIGN", "use_fictional_region"]

#: the invented county's data (two regions: the county and its invented benchmark city) and scenarios
FICTIONAL = FIXTURES / "fictional"
#: words of the shipped region that no report of the invented county may hold
FOREIGN = ("Xiqu", "xiqu", "西区", "Panzhihua", "panzhihua", "攀枝花")


def use_fictional_region(tmp_path: Path, monkeypatch) -> Path:
    """A data folder with the invented regions and the project's data dictionary, and the invented scenarios,
    set as the data, scenario and output folders (XIQU_DATA_DIR, XIQU_SCENARIO_DIR, XIQU_OUTPUT_DIR)."""
    data = tmp_path / "data"
    shutil.copytree(FICTIONAL / "data", data)
    shutil.copy(ROOT / "data" / "indicators.csv", data / "indicators.csv")
    scenarios = tmp_path / "scenarios"
    shutil.copytree(FICTIONAL / "scenarios", scenarios)
    monkeypatch.setenv("XIQU_DATA_DIR", str(data))
    monkeypatch.setenv("XIQU_SCENARIO_DIR", str(scenarios))
    monkeypatch.setenv("XIQU_OUTPUT_DIR", str(tmp_path / "outputs"))
    return tmp_path
