"""The report notebooks executed with papermill in a real kernel: every shipped scenario's report, the
comparison and the audit (those of a shared run of the runner), reproducible output, papermill's own command
line, bad parameters refused in the notebook's first cell."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
import pytest

from xiqu_analysis.reports.parameters import check_parameters, resolve
from tests.helpers import ROOT, SCENARIO_DIR
from tests.helpers.notebooks import CONTRACT, NB_DIR, assert_help_lists_parameters, check_artifacts
from tests.helpers.shared_runs import EN_TWO_SCENARIOS_REVIEW, shared_run

pytestmark = pytest.mark.notebook

BIN = Path(sys.executable).parent
SCENARIOS = sorted(SCENARIO_DIR.glob("*.yaml"))


def test_help_notebook_with_the_plain_cli_in_a_subprocess():
    for name in sorted(CONTRACT):
        out = subprocess.run([str(BIN / "papermill"), "--help-notebook", str(NB_DIR / f"{name}.ipynb")],
                             capture_output=True, text=True, timeout=600, check=True).stdout
        assert_help_lists_parameters(name, out)


# --------------------------------------------------------------------------- execution
def _execute(name: str, out_dir: Path, **params) -> nbformat.NotebookNode:
    out_dir.mkdir(parents=True, exist_ok=True)
    pm.execute_notebook(str(NB_DIR / f"{name}.ipynb"), str(out_dir / f"{name}.out.ipynb"),
                        parameters=params, kernel_name="python3", cwd=str(NB_DIR), progress_bar=False)
    return nbformat.read(out_dir / f"{name}.out.ipynb", as_version=4)


def test_scenario_report_runs_on_every_shipped_scenario_and_text_follows_the_scenario(tmp_path):
    """The report of each of the four shipped scenarios executes (papermill in the runner's kernels, one worker:
    four kernels forked from its template; 100 paths, no Word or PDF), and each report's words follow its
    scenario. Papermill on its own, with a kernel that is a new process, is test_plain_papermill_cli_* below and
    test_reuse_runs.py's comparison of their tables."""
    from xiqu_analysis.runner.execute import run_jobs
    from xiqu_analysis.runner.suites import Job

    jobs = [Job(f"scenario_report-{path.stem}", NB_DIR / "scenario_report.ipynb",
                {"scenario_path": str(path), "language": "en", "n_paths": 100, "seed": 7}, title=path.stem)
            for path in SCENARIOS]
    result = run_jobs(jobs, tmp_path / "out", max_jobs=1, timeout=900, data_dir=ROOT / "data", fresh=True,
                      formats=("html",))
    assert result.status == "complete", result.jobs
    texts = {}
    for path in SCENARIOS:
        folder = result.run_dir / f"scenario_report-{path.stem}"
        nb = nbformat.read(folder / "scenario_report.ipynb", as_version=4)
        assert nb.metadata.papermill.parameters["scenario_path"] == str(path)
        check_artifacts("scenario_report", folder)
        texts[path.stem] = (folder / "text.md").read_text("utf-8")
        assert "[a]" in texts[path.stem] and "Inputs and sources" in texts[path.stem]
        inputs = pd.read_csv(folder / "tables" / "inputs.csv")
        assert set(inputs["Status"]) <= {"sourced", "assumed"} and inputs["Citation or reason"].notna().all()
    assert len(set(texts.values())) == len(SCENARIOS)
    # same paragraph, different numbers
    headline = {k: next(p for p in v.split("\n\n") if p.startswith("Real GDP grows")) for k, v in texts.items()}
    assert len(set(headline.values())) == len(SCENARIOS)


def test_scenario_report_is_reproducible_and_speaks_chinese(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        _execute("scenario_report", folder / "nb", scenario_path="../scenarios/plan_targets.yaml",
                 output_dir=str(folder), language="zh", n_paths=300, seed=11)
    for rel in json.loads((a / "artifacts.json").read_text("utf-8"))["tables"] + ["text.md", "figures/fan_gdp_real.png"]:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    assert "地区生产总值（2020年不变价）" in (a / "text.md").read_text("utf-8")  # the bulletin's words


def test_comparison_and_audit_notebooks_run(tmp_path_factory):
    """The comparison and the audit of the shared English run of two scenarios (tests/helpers/shared_runs.py:
    papermill in the runner's kernels; test_runner_notebooks.py checks its record), read here."""
    from xiqu_analysis.economics.audit import audit_region
    from xiqu_analysis.inputs.regions import load_region

    run = shared_run(tmp_path_factory, EN_TWO_SCENARIOS_REVIEW).run_dir
    given = [Path(a) for a in EN_TWO_SCENARIOS_REVIEW if a.endswith(".yaml")]
    assert [p.stem for p in given] == ["trend", "plan_targets"]  # not in the order of their names
    check_artifacts("scenario_comparison", run / "scenario_comparison")
    table = pd.read_csv(run / "scenario_comparison" / "tables" / "comparison.csv")
    from xiqu_analysis.inputs.scenario import load_scenario

    assert list(table["Scenario"]) == [str(load_scenario(p).title) for p in given]  # titles, in the order given
    audit_dir = run / "data_audit"
    check_artifacts("data_audit", audit_dir)
    verdicts = pd.read_csv(audit_dir / "tables" / "audit_verdicts.csv")
    audit = audit_region(load_region("xiqu"))
    assert verdicts["Count"].sum() == len(audit)
    found = pd.read_csv(audit_dir / "tables" / "audit_findings.csv")  # one finding per inconsistency
    assert found["n_checks"].sum() == int((audit["verdict"] == "inconsistent").sum())
    assert len(found) == audit["finding"].nunique() == 3  # the tropical-plants base is not_checkable, no finding
    pipeline = pd.read_csv(audit_dir / "tables" / "pipeline_by_column.csv")
    assert pipeline["investment_yi"].sum() == pytest.approx(175.076)


def test_plain_papermill_cli_with_only_scenario_path(tmp_path):
    """`papermill in out -p scenario_path X` from the project root: defaults resolve, output goes to
    $XIQU_OUTPUT_DIR/notebooks/scenario_report-<name>/."""
    env = {**os.environ, "XIQU_OUTPUT_DIR": str(tmp_path / "outputs")}
    out = tmp_path / "out.ipynb"
    subprocess.run([str(BIN / "papermill"), "notebooks/scenario_report.ipynb", str(out), "-p", "scenario_path",
                    "scenarios/high.yaml", "-p", "n_paths", "100", "--no-progress-bar"],
                   cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=900)
    check_artifacts("scenario_report", tmp_path / "outputs" / "notebooks" / "scenario_report-high")


def test_plain_papermill_cli_with_a_misspelt_parameter_fails_before_writing(tmp_path, monkeypatch):
    """papermill only warns about `-p scenario_pth ...`; the package's guard (its papermill engine entry point)
    refuses it before a kernel starts, on one line."""
    outputs = tmp_path / "outputs"
    monkeypatch.setenv("XIQU_OUTPUT_DIR", str(outputs))  # here and in the papermill process
    env = dict(os.environ)
    out = tmp_path / "out.ipynb"
    proc = subprocess.run([str(BIN / "papermill"), "notebooks/scenario_report.ipynb", str(out),
                           "-p", "scenario_pth", "scenarios/low.yaml"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode != 0
    printed = proc.stdout + proc.stderr
    lines = [line for line in printed.splitlines() if line.startswith("Error: ") and "scenario_pth" in line]
    assert len(lines) == 1, printed
    assert "did you mean 'scenario_path'" in lines[0]
    # no report: neither in the default folder of the run nor anywhere under the output root
    default = resolve(check_parameters("scenario_report")).output_dir  # where the run would have written
    assert default == outputs / "notebooks" / "scenario_report-plan_targets"
    assert not (default / "artifacts.json").exists()
    assert not outputs.exists() or not [p for p in outputs.rglob("*") if p.is_file()]
    assert not out.exists()  # refused before papermill wrote anything


def test_bad_parameter_fails_the_run_with_the_field_named(tmp_path):
    with pytest.raises(pm.PapermillExecutionError, match="n_paths"):
        _execute("scenario_report", tmp_path, scenario_path="plan_targets", output_dir=str(tmp_path / "o"),
                 language="en", n_paths=0, seed=1)
    assert not (tmp_path / "o").exists()  # rejected before anything was written
