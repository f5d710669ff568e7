"""The table ``xiqu project`` prints, made without pandas, and a start that does not import pandas.

The printed table is laid out from the projection's arrays; it must be the very text pandas'
``DataFrame.to_string`` gives for the projection's table with the command's cell formats
(the reference below), for every shipped scenario and for scenarios with an empty cell, a
further indicator's column and negative values.
"""
from __future__ import annotations

import contextlib
import io
import math
import os
import re
import subprocess
import sys

import pytest

from tests.helpers import ROOT
from tests.helpers.scenario_text import PLAN, edit
from xiqu_analysis.cli import main
from xiqu_analysis.cli.project import TABLE_VIEW
from xiqu_analysis.economics.projection import project
from xiqu_analysis.inputs.scenario import load_scenario

SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
WITH_RETAIL = PLAN + "indicators:\n  retail_sales: {base: 40.0, growth_pct: 6.0}\n"
SHRINKING = edit("secondary: {2021-2025: 7.5, 2026-2035: 5.0}", "secondary: {2021-2025: -30.0, 2026-2035: -60.0}")


def _pandas_body(result) -> str:
    """The table as pandas writes it (``to_string`` of the projection's frame, the command's formats)."""
    df = result.table
    cols = [c for c in (*TABLE_VIEW, *result.indicator_columns) if c in df.columns]
    headers, formats = [], []
    for c in cols:
        if c == "year":
            headers.append(c)
            formats.append(lambda v: f"{int(v)}")
            continue
        unit = result.unit(c)
        headers.append(f"{c}{'*' if c in result.assumed_columns else ''} [{unit}]")
        whole = unit in ("persons", "元", "yuan")
        formats.append((lambda v: "" if math.isnan(v) else f"{v:,.0f}") if whole else
                       (lambda v: "" if math.isnan(v) else f"{v:,.2f}"))
    view = df[cols].copy()
    view.columns = headers
    return view.to_string(index=False, na_rep="", formatters=dict(zip(headers, formats)))


def _printed(path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["project", str(path)]) == 0
    return out.getvalue()


@pytest.mark.parametrize("name, text", [*((p.name, None) for p in SHIPPED), ("retail.yaml", WITH_RETAIL),
                                        ("shrinking.yaml", SHRINKING)])
def test_the_printed_table_is_the_one_pandas_writes(name, text, tmp_path):
    path = ROOT / "scenarios" / name if text is None else tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    result = project(load_scenario(path))
    printed = _printed(path)
    body = _pandas_body(result)
    assert body in printed
    lines = printed.splitlines()
    assert lines[2:2 + len(result.years) + 1] == body.splitlines()


def test_the_cases_hold_what_they_are_for(tmp_path):
    """Control: an empty cell (the base year's growth), a further indicator, negative numbers, grouped ones."""
    (tmp_path / "r.yaml").write_text(WITH_RETAIL, encoding="utf-8")
    (tmp_path / "s.yaml").write_text(SHRINKING, encoding="utf-8")
    retail, shrinking = project(load_scenario(tmp_path / "r.yaml")), project(load_scenario(tmp_path / "s.yaml"))
    assert "retail_sales" in retail.indicator_columns and "retail_sales* [亿元]" in _printed(tmp_path / "r.yaml")
    assert math.isnan(retail.arrays["gdp_growth"][0])
    assert shrinking.arrays["gdp_growth"][1] < 0 and re.search(r" -\d+\.\d\d ", _printed(tmp_path / "s.yaml"))
    assert "129,406" in _printed(ROOT / "scenarios" / "plan_targets.yaml")


@pytest.mark.process
def test_project_starts_without_pandas():
    """``xiqu project`` prints its table without importing pandas (``--format csv`` does import it)."""
    probe = ("import sys, io, contextlib\n"
             "from xiqu_analysis.cli import main\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n"
             "    code = main(sys.argv[1:])\n"
             "print(code, 'pandas' in sys.modules)\n")
    scenario = str(ROOT / "scenarios" / "plan_targets.yaml")
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    table = subprocess.run([sys.executable, "-c", probe, "project", scenario], capture_output=True, text=True,
                           env=env, timeout=120)
    csv = subprocess.run([sys.executable, "-c", probe, "project", scenario, "--format", "csv"], capture_output=True,
                         text=True, env=env, timeout=120)
    assert table.stdout.split() == ["0", "False"], table.stderr
    assert csv.stdout.split() == ["0", "True"], csv.stderr
