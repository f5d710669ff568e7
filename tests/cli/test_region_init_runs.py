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

ROOT = Path(__file__).resolve().parents[2]

PLAN = """柳坪县国民经济和社会发展第十五个五年规划纲要
（2026年2月3日柳坪县人民代表大会批准）
第一节 “十四五”时期发展成就
——地区生产总值从2020年的80.0亿元增长到2025年的104.0亿元，年均增长5.4%；人均地区生产总值由30000元提高到40000元。一般公共预算收入从4.00亿元增长到5.20亿元，年均增长5.4%。
——三次产业结构由2020年的15.0:40.0:45.0调整为2025年的12.0:41.0:47.0。
——城镇居民人均可支配收入由30000元增加到39000元，年均增长5.4%。
第二节 “十五五”时期主要目标
——到2030年，地区生产总值达到135亿元左右，年均增长5.5%左右；规模以上工业增加值年均增长7%。
"""


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
                "--jobs", "2", "--out", str(tmp_path / "runs"), data=data)
    assert run.returncode == 0, run.stderr
    index = Path(run.stdout.strip().splitlines()[-1])
    assert index.is_file() and "柳坪县" in index.read_text(encoding="utf-8")
