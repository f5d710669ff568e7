"""A region drafted by ``xiqu region init`` renders the suite in Chinese (real notebooks: ``make test`` only).

The plan is an invented one written here, so the test runs everywhere (bench/README.md
reports the same on the development set's plan).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.notebook

from tests.helpers.invented_plan import PLAN

ROOT = Path(__file__).resolve().parents[2]



def _xiqu(*args: str, data: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", XIQU_DATA_DIR=str(data))
    return subprocess.run([sys.executable, "-m", "xiqu_analysis", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=900)


def test_a_drafted_region_renders_the_suite_in_chinese(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    init = _xiqu("region", "init", "liuping", "--name-zh", "柳坪县", "--name-en", "Liuping county",
                 "--plan", str(plan), data=data)
    assert init.returncode == 0, init.stderr
    scenarios = init.stdout.split()
    assert len(scenarios) == 2
    run = _xiqu("run", "--region", "liuping", "--language", "zh", "--formats", "html", "--paths", "100",
                "--jobs", "1", "--out", str(tmp_path / "runs"), data=data)
    assert run.returncode == 0, run.stderr
    index = Path(run.stdout.strip().splitlines()[-1])
    assert index.is_file() and "柳坪县" in index.read_text(encoding="utf-8")
