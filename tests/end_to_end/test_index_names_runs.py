"""A Chinese annual-review run with ``xiqu run --file-names zh``, with real kernels, read back by real readers.

One run of the shipped scenarios (their reports, the comparison, the data audit
and the review of 2024 on the INVENTED actuals of tests/fixtures: the shared
Chinese run of tests/end_to_end/conftest.py), then the same command again on a
copy of its folder of runs, which reuses every report. Checked: each report's HTML, Word, PDF and
Excel files carry its Chinese name, safe on Windows and in a zip; every link of
``index.html`` resolves to a file of the run; the part of the index for readers
comes first, the annual review first, in Chinese without a code or a file name;
every workbook (openpyxl) has Chinese sheet names, headers and text cells.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from tests.helpers import FIXTURES, ROOT
from tests.helpers.english_runs import latin_words, visible_text
from tests.helpers.shared_runs import XIQU, ZH_REVIEW_SUITE

pytestmark = pytest.mark.notebook

INVENTED = FIXTURES / "actuals_invented_2021_2025.csv"
#: what each report's files are called (folder -> name without extension)
NAMES = {"annual_review-2024": "年度评估_2024", "scenario_report-trend": "情景报告_延续2016—2020年趋势（各产业年均增长4.9%）",
         "scenario_report-plan_targets": "情景报告_2025年前按规划增速底线增长，此后增速放缓",
         "scenario_report-low": "情景报告_约束趋紧（增速低于规划底线）",
         "scenario_report-high": "情景报告_项目落地（增速高于规划底线）",
         "scenario_comparison": "情景对比", "data_audit": "数据核查"}
#: Latin words a Chinese reader reads as names: file formats (and m2, a unit the plan's own words use: 5000m2)
FORMAT_NAMES = frozenset({"Word", "PDF", "Excel", "CSV", "PNG"})
UNITS = frozenset({"m2"})


@pytest.fixture(scope="module")
def runs(zh_review_run, tmp_path_factory):
    """The shared run (``xiqu run ... --file-names zh``), and the same command again on a copy of its folder of
    runs (every report reused: no kernel starts)."""
    assert "--file-names" in ZH_REVIEW_SUITE and "--actuals" in ZH_REVIEW_SUITE
    out = tmp_path_factory.mktemp("outputs") / "out"
    shutil.copytree(zh_review_run.parent, out, symlinks=True)
    proc = subprocess.run([str(XIQU), "run", *ZH_REVIEW_SUITE, "--out", str(out)],
                          capture_output=True, text=True, timeout=1500, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return zh_review_run, Path(proc.stdout.strip().splitlines()[-1]).parent


def _hrefs(page: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', page)


def test_report_files_carry_chinese_names_that_the_index_links(runs):
    for run in runs:
        manifest = json.loads((run / "manifest.json").read_text("utf-8"))
        assert manifest["options"]["file_names"] == "zh" and manifest["workbook"] == "全部表格.xlsx"
        assert (run / "全部表格.xlsx").is_file() and not (run / "tables.xlsx").exists()
        for folder, stem in NAMES.items():
            entry = manifest["notebooks"][folder]
            assert entry["status"] == "ok" and entry["file_stem"] == stem
            for kind, ext in (("html", "html"), ("docx", "docx"), ("pdf", "pdf"), ("tables_xlsx", "xlsx")):
                assert entry[kind] == f"{folder}/{stem}.{ext}" and (run / entry[kind]).is_file(), (folder, kind)
            assert not (run / folder / "tables.xlsx").exists()
            assert json.loads((run / folder / "artifacts.json").read_text("utf-8"))["workbook"] == f"{stem}.xlsx"
        page = (run / "index.html").read_text("utf-8")
        links = [h for h in _hrefs(page) if not h.startswith("#")]
        assert len(links) > 40 and all((run / unquote(h)).is_file() for h in links), \
            [h for h in links if not (run / unquote(h)).is_file()]
        for folder, stem in NAMES.items():
            assert f"{folder}/{stem}.docx" in map(unquote, links)
    second = json.loads((runs[1] / "manifest.json").read_text("utf-8"))
    assert {e["reused_from"] for e in second["notebooks"].values()} == {runs[0].name}  # nothing changed: reused
    # names Windows (and WPS) accept, short, kept whole in a zip
    names = [p.name for p in runs[0].rglob("*") if p.suffix in (".html", ".docx", ".pdf", ".xlsx")]
    assert not [n for n in names if re.search(r'[\x00-\x1f/\\:*?"<>|]', n) or len(n) > 50 or n != n.strip(" .")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for n in names:
            z.writestr(n, b"")
    assert sorted(zipfile.ZipFile(buffer).namelist()) == sorted(names)


def test_the_index_shows_the_reports_first_in_chinese(runs):
    page = (runs[0] / "index.html").read_text("utf-8")
    readers, record = page.split('<section class="record"')
    text = visible_text(readers)
    assert latin_words(text, FORMAT_NAMES) == []  # no code, no file name, no English
    titles = [t for t in re.findall(r"<h2>(?:<a [^>]*>)?([^<]+)", readers)]
    assert titles[0] == "2024年度规划实施评估：攀枝花市西区" and len(titles) == len(NAMES)
    assert "情景报告：2025年前按规划增速底线增长，此后增速放缓" in titles and "plan_targets" not in text
    assert "规划目标的进展" in text and "网页版" in text and "Word版" in text and "以上各报告的全部表格" in text
    assert "manifest.json" in record and "运行记录（技术信息）" in record  # the technical record second


def test_every_workbook_is_chinese(runs):
    """Sheet names, headers and text cells of every workbook: Chinese, no English word, no code. The
    sources of the bulletin figures are shown as the user's file writes them (here in English)."""
    with open(INVENTED, encoding="utf-8") as fh:
        users = {row["source"] for row in csv.DictReader(line for line in fh if not line.startswith("#"))}
    books = sorted(runs[0].rglob("*.xlsx"))
    assert len(books) == len(NAMES) + 1
    found, cells = {}, 0
    for path in books:
        book = load_workbook(path)
        for ws in book.worksheets:
            bad = latin_words(ws.title, FORMAT_NAMES | UNITS)
            for row in ws.iter_rows(values_only=True):
                for value in row:
                    if isinstance(value, str) and value not in users:
                        cells += 1
                        bad += latin_words(value, FORMAT_NAMES | UNITS)
            if bad:
                found[f"{path.relative_to(runs[0])}:{ws.title}"] = sorted(set(bad))[:10]
    assert cells > 1000 and found == {}
    review = load_workbook(runs[0] / "annual_review-2024" / "年度评估_2024.xlsx")
    texts = {c for ws in review.worksheets[1:] for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert {"工业增加值增速", "可比价", "攀枝花市西区"} <= texts  # codes in words: indicator, price basis, region
    numbers = [c for ws in review.worksheets[1:] for row in ws.iter_rows(min_row=2, values_only=True) for c in row
               if isinstance(c, (int, float))]
    assert len(numbers) > 100  # numbers stay numbers
