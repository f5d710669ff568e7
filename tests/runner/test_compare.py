"""runner.compare and ``xiqu diff``: what changed between two run folders (built here, no kernel)."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from xiqu_analysis.cli import main
from xiqu_analysis.errors import InputError
from xiqu_analysis.runner.compare import compare_runs, diff_text, find_run, write_compare_page


def make_run(root: Path, run_id: str, *, data_sha="a1", scenario_sha="s1", seed=1, probability=0.42,
             headline=100.0, status="ok", extra_row=False, title="Plan <b>floors</b>") -> Path:
    folder = root / run_id
    tables = folder / "scenario_report-plan" / "tables"
    tables.mkdir(parents=True)
    rows = ["Target,Probability,Note", f"Industry (2021-2025),{probability},p", "Services (2021-2025),0.1,p"]
    if extra_row:
        rows.append("Doubling,0.5,p")
    (tables / "probabilities.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tables / "headline.csv").write_text(f"Indicator,Unit,2020,2025\nReal GDP,亿元,82.91,{headline}\n", encoding="utf-8")
    (tables / "percentiles.csv").write_text("x\n1\n", encoding="utf-8")  # not a headline table: never compared
    manifest = {
        "run_id": run_id, "status": "complete", "started": "2026-03-15T02:00:00+00:00", "finished": None,
        "command": ["xiqu", "run"], "options": {"seed": seed, "jobs": 2, "out": str(root)},
        "data_dir": "/data", "data_files": {"/data/indicators.csv": "i0", "/data/regions/xiqu/figures.csv": data_sha},
        "scenario_files": {"/s/plan.yaml": scenario_sha}, "packages": {"numpy": "2.0"},
        "git": {"commit": "c" * 40},
        "notebooks": {"scenario_report-plan": {
            "title": title, "status": status, "folder": "scenario_report-plan",
            "parameters": {"seed": seed, "n_paths": 100, "output_dir": f"/x/{run_id}"},
            "tables": ["scenario_report-plan/tables/probabilities.csv", "scenario_report-plan/tables/headline.csv",
                       "scenario_report-plan/tables/percentiles.csv"]}},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_identical_runs_have_nothing_to_show(tmp_path):
    a, b = make_run(tmp_path, "A"), make_run(tmp_path, "B")
    d = compare_runs(a, b)
    assert d.same and d.files.empty and d.parameters.empty and d.results.empty
    assert list(d.compared["table"]) == ["headline", "probabilities"]  # percentiles is not a headline table
    assert "Nothing changed" in diff_text(d)


def test_every_kind_of_change_is_listed(tmp_path):
    a = make_run(tmp_path, "A")
    b = make_run(tmp_path, "B", data_sha="a2", scenario_sha="s2", seed=7, probability=0.55, headline=101.5,
                 status="failed", extra_row=True)
    d = compare_runs(a, b)
    assert not d.same
    assert d.files[["kind", "file", "change"]].values.tolist() == [["data", "regions/xiqu/figures.csv", "changed"],
                                                                   ["scenario", "plan.yaml", "changed"]]
    params = d.parameters.set_index(["job", "name"])
    assert params.loc[("(options)", "seed"), "b"] == "7" and ("(options)", "jobs") not in params.index
    assert params.loc[("scenario_report-plan", "seed"), ["a", "b"]].tolist() == ["1", "7"]
    assert ("scenario_report-plan", "output_dir") not in params.index  # each run's own folder
    res = d.results.set_index(["table", "row", "column"])
    prob = res.loc[("probabilities", "Industry (2021-2025) | p", "Probability")]
    assert (prob["a"], prob["b"], prob["change"]) == (0.42, 0.55, pytest.approx(0.13))
    assert res.loc[("headline", "Real GDP | 亿元", "2025"), "change"] == pytest.approx(1.5)
    assert res.loc[("probabilities", "Doubling | p", ""), "change"] == "added"
    assert ("probabilities", "Services (2021-2025) | p", "Probability") not in res.index  # unchanged
    assert d.jobs.values.tolist() == [["scenario_report-plan", "ok", "failed"]]
    text = diff_text(d)
    assert "scenario_report-plan probabilities [Industry (2021-2025) | p] Probability: 0.42 -> 0.55 (+0.13)" in text
    assert "data regions/xiqu/figures.csv: changed" in text and "scenario_report-plan: ok -> failed  *" in text


def test_the_page_is_offline_escaped_and_in_the_language(tmp_path):
    a = make_run(tmp_path, "A", title="<script>alert(1)</script>")
    b = make_run(tmp_path, "B", probability=0.5, extra_row=True)
    page = write_compare_page(tmp_path / "compare.html", compare_runs(a, b), "zh").read_text("utf-8")

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert "default-src 'none'" in page and 'lang="zh"' in page
    assert "运行A与运行B的差异" in page and "主要结果与目标实现概率" in page and "新增" in page
    assert not re.search(r"https?://", page)


def test_finding_runs_and_the_command(tmp_path, capsys):
    out = tmp_path / "outputs"
    a, b = make_run(out, "20260315-020000-aaaaaa"), make_run(out, "20260316-020000-bbbbbb", probability=0.5)
    (out / "LATEST").write_text("20260316-020000-bbbbbb\n", encoding="utf-8")
    assert find_run("latest", out) == b.resolve() and find_run(a.name, out) == a.resolve()
    assert find_run(str(a)) == a.resolve()
    empty = tmp_path / "empty"
    assert find_run("latest", empty, latest_may_be_missing=True) is None  # a first scheduled run: nothing yet
    with pytest.raises(InputError):
        find_run("latest", empty)
    with pytest.raises(InputError) as exc:
        find_run("nope", out, field="RUN_A")
    assert (exc.value.source, exc.value.field) == ("command line", "RUN_A")
    html = tmp_path / "diff.html"
    assert main(["diff", a.name, "latest", "--out", str(out), "--html", str(html)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("What changed from run 20260315-020000-aaaaaa to run 20260316-020000-bbbbbb")
    assert "Probability: 0.42 -> 0.5 (+0.08)" in printed and html.is_file()
    assert main(["diff", "missing", "latest", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "field 'RUN_A': no run 'missing'" in err
