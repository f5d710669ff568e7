"""The annual and final review through ``xiqu run`` with real kernels, on INVENTED actuals (tests/fixtures).

One run in Chinese reviews the whole plan period with --actuals and --final; a
second runs a scenario written by ``xiqu rebase``, with --allow-empty and no
actuals file, and --compare-with the first; a third reviews actuals without a
row the review needs, with --allow-empty.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.helpers import FIXTURES, ROOT
from tests.helpers.runs import REAL, notebook_dir

INVENTED = FIXTURES / "actuals_invented_2021_2025.csv"
SCENARIOS = [ROOT / "scenarios" / "trend.yaml", ROOT / "scenarios" / "plan_targets.yaml"]
IMG_PNG = re.compile(r'<img[^>]+src="data:image/png;base64,')

pytestmark = pytest.mark.notebook


def _xiqu(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xiqu_analysis", *argv], capture_output=True, text=True,
                          env=env, timeout=1500)


@pytest.fixture(scope="module")
def final_run(tmp_path_factory):
    """The final review's run, read by both tests (about 20 s on 2 cores: five real notebooks with their Word
    versions, which the first test reads; no PDF, which no test here reads: test_page_layout.py reads the PDFs of
    a review)."""
    out = tmp_path_factory.mktemp("outputs")
    proc = _xiqu("run", *map(str, SCENARIOS), "--out", str(out), "--paths", "100", "--jobs", "1", "--language", "zh",
                 "--suite", "annual-review", "--year", "2025", "--actuals", str(INVENTED), "--final",
                 "--formats", "html,docx")
    assert proc.returncode == 0, proc.stderr
    return Path(proc.stdout.strip().splitlines()[-1]).parent


def test_final_review_states_its_conclusions_above_the_tables(final_run):
    m = json.loads((final_run / "manifest.json").read_text("utf-8"))
    job = m["notebooks"]["annual_review-2025-final"]
    assert job["status"] == "ok" and job["title"] == "2025年规划实施总结评估：攀枝花市西区"
    assert job["parameters"]["actuals_path"] == str(INVENTED) and job["parameters"]["final"] is True
    assert str(INVENTED) in m["scenario_files"] and m["options"]["actuals"] == str(INVENTED)
    html = next((final_run / "annual_review-2025-final").glob("*.html")).read_text("utf-8")
    summary, conclusions = html.index("摘要"), html.index("主要结论")
    assert summary < html.index("<table")  # the summary for leaders first: its sentences above its table
    assert "规划期末（2025年），规划4项目标中" in html[summary:html.index("<table")]
    next_table = html.index("<table", conclusions)  # then the conclusions in words, above every other table
    for sentence in ("工业增加值：2021—2025年实际年均增长8.0%，高于规划底线（7.5%）0.5个百分点，达到。",
                     "服务业增加值：2021—2025年实际年均增长7.0%，低于规划底线（8.5%）1.5个百分点，未达到。",
                     "跟踪实际最好的情景："):
        assert sentence in html[conclusions:next_table], sentence
    assert len(IMG_PNG.findall(html)) == 2  # real growth against the floors; nominal GDP re-based
    tables = final_run / "annual_review-2025-final" / "tables"
    assert (tables / "scenario_scores.csv").is_file() and "扇形图" not in html.split("主要结论")[1].split("<table")[0]
    header = (tables / "scenario_scores.csv").read_text("utf-8").splitlines()[0]
    assert header.startswith("scenario,indicator,column,kind,year") and "band" in header
    assert "industrial_va_growth" not in re.sub(r"<[^>]+>", "", html.split("主要结论")[1].split("逐年实际增速")[0])
    # the Word version carries the same conclusions, each scenario of a target ahead its own list item
    import docx

    paragraphs = [p.text for p in docx.Document(next((final_run / "annual_review-2025-final").glob("*.docx"))).paragraphs]
    assert "工业增加值：2021—2025年实际年均增长8.0%，高于规划底线（7.5%）0.5个百分点，达到。" in paragraphs
    assert "地区生产总值（不变价）到2035年比2020年翻一番：" in paragraphs
    assert any(p.startswith("2025年前按规划增速底线增长，此后增速放缓，以2025年为基期重新基准：")
               for p in paragraphs)
    # the scenarios by their Chinese titles, the tables' cells in words: no English in the Chinese review
    for english in ("Plan floors to 2025", "trend continues"):
        assert english not in html and not any(english in p for p in paragraphs), english
    from tests.helpers.english_runs import english_runs, visible_text

    assert english_runs(visible_text(html, skip_code=True)) == []
    assert english_runs(re.sub(r"[\w./-]+\.(csv|xlsx)", "", "\n".join(paragraphs))) == []  # file names aside
    assert "sd_pct" not in html and "agriculture_va_growth" not in visible_text(html, skip_code=True)


def test_a_rebased_scenario_runs_and_an_empty_review_says_so(final_run, tmp_path):
    """One run (three notebooks in kernels: the real scenario report and review, the audit a fixture; HTML only:
    the pages and the index are what is read), after a refusal that starts no kernel."""
    shutil.copy(INVENTED, tmp_path / INVENTED.name)
    rebased = tmp_path / "rebased.yaml"
    proc = _xiqu("rebase", str(SCENARIOS[1]), "--actuals", str(tmp_path / INVENTED.name), "--year", "2025",
                 "--output", str(rebased))
    assert proc.returncode == 0 and proc.stdout.strip() == str(rebased), proc.stderr
    data = tmp_path / "data"  # no default bulletin file: the review has no actuals
    shutil.copytree(ROOT / "data", data)
    (data / "bulletins" / "xiqu_actuals.csv").unlink(missing_ok=True)
    # the real scenario report and review; the data audit, not read here, is the ok fixture
    env = dict(os.environ, XIQU_DATA_DIR=str(data),
               XIQU_NOTEBOOK_DIR=str(notebook_dir(tmp_path, scenario_report=REAL, annual_review=REAL)))
    out = tmp_path / "outputs"
    refused = _xiqu("run", str(rebased), "--out", str(out), "--suite", "annual-review", "--year", "2025", env=env)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and not out.exists()
    assert str(data / "bulletins" / "xiqu_actuals.csv") in refused.stderr
    proc = _xiqu("run", str(rebased), "--out", str(out), "--paths", "100", "--jobs", "1", "--suite", "annual-review",
                 "--year", "2025", "--allow-empty", "--compare-with", str(final_run), "--formats", "html", env=env)
    assert proc.returncode == 0, proc.stderr
    run = Path(proc.stdout.strip().splitlines()[-1]).parent
    m = json.loads((run / "manifest.json").read_text("utf-8"))
    assert {k: v["status"] for k, v in m["notebooks"].items()} == {
        "scenario_report-plan_targets_rebased_2025": "ok", "data_audit": "ok", "annual_review-2025": "ok"}
    assert m["notebooks"]["annual_review-2025"]["title"] == "Annual review 2025: Xiqu district (Panzhihua) (no actuals)"
    assert m["options"]["actuals"] == "no actuals"
    assert str(tmp_path / INVENTED.name) in m["scenario_files"]  # the re-based scenario's own actuals, hashed
    index = (run / "index.html").read_text("utf-8")
    assert "Annual review 2025: Xiqu district (Panzhihua) (no actuals)" in index and 'href="compare.html"' in index
    compare = (run / "compare.html").read_text("utf-8")
    assert final_run.name in compare and "Data and scenario files" in compare
    report = next((run / "scenario_report-plan_targets_rebased_2025").glob("*.html")).read_text("utf-8")
    assert "actuals:xiqu.gdp.2025" in report and "INVENTED test value" in report  # the level's citation


def test_a_review_allowed_without_a_needed_row_names_what_is_missing(tmp_path):
    """INVENTED actuals without industry's 2025 growth (required: refused, exit 2, no run folder) and GDP's
    2025 growth (optional); with --allow-empty the review runs, its title says figures are missing, its
    evaluation table gives industry's verdict on 2021-2024 with the missing year, and its summary lists both.
    One run (three notebooks in kernels, the review the only real one; HTML only)."""
    from tests.helpers.actuals import without_rows

    actuals = without_rows(tmp_path / "actuals.csv", "industrial_va_growth,2025", "gdp_growth,2025")
    out = tmp_path / "outputs"
    argv = ["run", str(SCENARIOS[1]), "--out", str(out), "--paths", "100", "--jobs", "1", "--formats", "html",
            "--suite", "annual-review", "--year", "2025", "--actuals", str(actuals)]
    # the real review; the scenario report and the data audit, not read here, are the ok fixture
    env = dict(os.environ, XIQU_NOTEBOOK_DIR=str(notebook_dir(tmp_path, annual_review=REAL)))
    refused = _xiqu(*argv, env=env)
    assert refused.returncode == 2 and not out.exists()
    assert refused.stderr == (f"xiqu: error: {actuals}: field 'indicator': the annual review of 2025 needs rows of "
                              "xiqu this file lacks (indicator and years: industrial_va_growth 2025): fill in these "
                              "rows of this file (format: data/bulletins/README.md), or run the review regardless "
                              "(--allow-empty)\n")
    proc = _xiqu(*argv, "--allow-empty", env=env)
    assert proc.returncode == 0, proc.stderr
    run = Path(proc.stdout.strip().splitlines()[-1]).parent
    m = json.loads((run / "manifest.json").read_text("utf-8"))
    job = m["notebooks"]["annual_review-2025"]
    assert job["status"] == "ok" and job["title"] == "Annual review 2025: Xiqu district (Panzhihua) (some figures missing)"
    html = (run / "annual_review-2025" / "annual_review.html").read_text("utf-8")
    table = html[html.index("<table"):html.index("</table>")]
    row = table[table.index("Industrial value added growth"):]
    row = row[:row.index("</tr>")]
    assert "8.0% (2024)" in row and "ahead of schedule (no figure for 2025)" in row and "2025 needs growth of 5.5%" in row
    assert ("Figures the actuals lack: industrial value added growth (2025), GDP growth (2025); each is evaluated up "
            "to the year before its first gap.") in html
    assert "GDP grew 7.0% a year in real terms over 2021-2024" in html
