"""The report notebooks and their Report helper.

Fast tests (no kernel): notebooks are committed clean with a documented
parameters cell, the .ipynb/.py pairs agree, ``papermill --help-notebook``
explains every parameter, parameter checks reject bad values, and the
Report helper writes stable files. Tests marked ``notebook`` execute the real
notebooks with a real kernel (papermill) on every shipped scenario.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
import papermill as pm
import pytest
from openpyxl import load_workbook

from xiqu_analysis import report
from xiqu_analysis.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
NB_DIR = ROOT / "notebooks"
BIN = Path(sys.executable).parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))

#: my notebooks and their parameter contract with the batch runner (name -> type)
CONTRACT = {
    "scenario_report": {"scenario_path": "str", "output_dir": "str", "language": "str", "n_paths": "int", "seed": "int"},
    "scenario_comparison": {"scenario_paths": "list", "output_dir": "str", "language": "str"},
    "data_audit": {"region": "str", "output_dir": "str", "language": "str"},
}
EXPECTED = {
    "scenario_report": (
        ["headline", "targets", "probabilities", "percentiles", "sensitivity", "inputs"],
        ["gdp_paths", "sector_structure", "contributions", "per_capita", "income_revenue", "target_gaps",
         "fan_gdp_real", "fan_gdp_per_capita", "fan_fiscal_revenue", "tornado"],
    ),
    "scenario_comparison": (["comparison", "comparison_gaps"], ["comparison_paths", "comparison_gaps"]),
    "data_audit": (["audit_checks", "audit_verdicts", "audit_inconsistent", "audit"], []),
}


def _nb(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NB_DIR / f"{name}.ipynb", as_version=4)


def _parameters_cell(nb) -> nbformat.NotebookNode:
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, "exactly one cell tagged 'parameters'"
    return cells[0]


# --------------------------------------------------------------------------- committed state
@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_committed_without_outputs_and_with_python3_kernel(name):
    nb = _nb(name)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert "papermill" not in nb.metadata


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_parameters_cell_is_typed_commented_and_matches_the_contract(name):
    source = _parameters_cell(_nb(name)).source
    tree = ast.parse(source)
    found = {}
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign), f"untyped parameter line: {ast.unparse(node)}"
        found[node.target.id] = ast.unparse(node.annotation)
    assert found == CONTRACT[name]
    for line in source.splitlines():
        if line.strip():
            code, _, comment = line.partition("  # ")
            assert comment.strip(), f"parameter without a comment: {line}"


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_ipynb_and_py_pair_are_in_sync(name):
    ipynb = jupytext.read(NB_DIR / f"{name}.ipynb")
    py = jupytext.read(NB_DIR / f"{name}.py")
    assert [(c.cell_type, c.source) for c in ipynb.cells] == [(c.cell_type, c.source) for c in py.cells]
    assert [c.metadata.get("tags", []) for c in ipynb.cells] == [c.metadata.get("tags", []) for c in py.cells]


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_notebook_code_calls_the_package_only(name):
    """No arithmetic in the notebooks: code cells hold calls, names and imports."""
    for cell in _nb(name).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, (ast.BinOp, ast.AugAssign, ast.For, ast.While, ast.Lambda)), ast.unparse(node)


def _assert_help_lists_parameters(name: str, out: str) -> None:
    source = _parameters_cell(_nb(name)).source
    flat = " ".join(out.split())
    for line in source.splitlines():
        pname = line.split(":")[0].strip()
        comment = line.partition("  # ")[2].strip()
        assert f"  {pname}: {CONTRACT[name][pname]} (default" in out, out
        assert " ".join(comment.split()) in flat, f"{name}: {pname}'s comment missing"


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_help_notebook_lists_every_parameter_with_its_comment(name):
    """papermill's own CLI entry point, in process (the subprocess run is a slow test below)."""
    from click.testing import CliRunner
    from papermill.cli import papermill as papermill_cli

    result = CliRunner().invoke(papermill_cli, ["--help-notebook", str(NB_DIR / f"{name}.ipynb")])
    assert result.exit_code == 0, result.output
    _assert_help_lists_parameters(name, result.output)


@pytest.mark.notebook
def test_help_notebook_with_the_plain_cli_in_a_subprocess():
    for name in sorted(CONTRACT):
        out = subprocess.run([str(BIN / "papermill"), "--help-notebook", str(NB_DIR / f"{name}.ipynb")],
                             capture_output=True, text=True, timeout=600, check=True).stdout
        _assert_help_lists_parameters(name, out)


# --------------------------------------------------------------------------- parameter checks
def test_check_parameters_resolves_defaults_and_shipped_names(tmp_path, monkeypatch):
    monkeypatch.setenv("XIQU_OUTPUT_DIR", str(tmp_path))
    p = report.check_parameters("scenario_report", scenario_path="../scenarios/plan_targets.yaml", output_dir="",
                                language="en", n_paths=500, seed=1)
    assert p.scenario_path == (ROOT / "scenarios" / "plan_targets.yaml").resolve()
    assert p.output_dir == tmp_path / "notebooks" / "scenario_report-plan_targets"
    q = report.check_parameters("scenario_report", scenario_path="low", output_dir=str(tmp_path / "x"),
                                language="zh", n_paths="800", seed=0)
    assert q.scenario_path.name == "low.yaml" and q.n_paths == 800 and q.output_dir == tmp_path / "x"


@pytest.mark.parametrize("field, value, message", [
    ("scenario_path", "nope.yaml", "not found"),
    ("scenario_path", "elsewhere/plan_targets.yaml", "not found"),  # no silent swap for the shipped file
    ("scenario_path", 3, "expected a string"),
    ("language", "fr", "unknown language"),
    ("n_paths", True, "expected an integer"),
    ("n_paths", 0, "between 1"),
    ("n_paths", 2_000_000, "between 1"),
    ("seed", -1, "between 0"),
    ("output_dir", None, "expected a string"),
])
def test_check_parameters_rejects_bad_values_naming_the_field(field, value, message):
    params = dict(scenario_path="plan_targets", output_dir="", language="en", n_paths=500, seed=1)
    params[field] = value
    with pytest.raises(InputError, match=message) as info:
        report.check_parameters("scenario_report", **params)
    assert info.value.field == field


def test_check_parameters_rejects_unknown_and_missing_names():
    with pytest.raises(InputError, match="unknown parameter") as info:
        report.check_parameters("data_audit", region="xiqu", output_dir="", language="en", regoin="x")
    assert info.value.field == "regoin"
    with pytest.raises(InputError, match="missing"):
        report.check_parameters("data_audit", region="xiqu", output_dir="")


def test_comparison_paths_accept_lists_and_papermill_strings():
    everything = report.check_comparison_parameters([], "", "en").scenario_paths
    assert [p.name for p in everything] == [p.name for p in SCENARIOS]
    as_text = report.check_comparison_parameters("[low.yaml, high.yaml]", "", "en").scenario_paths
    as_csv = report.check_comparison_parameters("low.yaml,high.yaml", "", "en").scenario_paths
    assert [p.name for p in as_text] == [p.name for p in as_csv] == ["low.yaml", "high.yaml"]
    with pytest.raises(InputError, match="at least two"):
        report.check_comparison_parameters(["low.yaml", "low.yaml"], "", "en")
    with pytest.raises(InputError, match="unknown region"):
        report.check_audit_parameters("atlantis", "", "en")
    with pytest.raises(InputError, match="not a region key"):
        report.check_audit_parameters("../etc", "", "en")


# --------------------------------------------------------------------------- Report helper
def test_report_writes_stable_csv_xlsx_and_manifest(tmp_path):
    df = pd.DataFrame({"name": ["a<b>", "西区"], "value": [0.1 + 0.2, 82.91], "n": [1, 2], "x": [float("nan"), 1e-12]})
    rep = report.Report(tmp_path / "r", "en", notebook="t")
    manifest = json.loads((tmp_path / "r" / "artifacts.json").read_text("utf-8"))
    assert manifest["complete"] is False and manifest["tables"] == []
    rep.table(df, "a_table_with_a_very_long_name_that_exceeds_excel", "caption <i>")
    rep.table(df.copy(), "a_table_with_a_very_long_name_that_exceeds_excel_2", "second")
    first = (tmp_path / "r" / "tables" / "a_table_with_a_very_long_name_that_exceeds_excel.csv").read_bytes()
    assert first == "name,value,n,x\na<b>,0.3,1,\n西区,82.91,2,1e-12\n".encode("utf-8")
    assert report.write_csv_bytes(df.copy()) == first
    with pytest.raises(ValueError, match="used twice"):
        rep.table(df, "a_table_with_a_very_long_name_that_exceeds_excel")
    with pytest.raises(ValueError, match="must match"):
        rep.table(df, "../escape")
    rep.finish()
    manifest = json.loads((tmp_path / "r" / "artifacts.json").read_text("utf-8"))
    assert manifest["complete"] is True
    assert manifest["tables"] == ["tables/a_table_with_a_very_long_name_that_exceeds_excel.csv",
                                  "tables/a_table_with_a_very_long_name_that_exceeds_excel_2.csv"]
    wb = load_workbook(tmp_path / "r" / "tables.xlsx")
    assert all(len(n) <= 31 for n in wb.sheetnames) and len(set(wb.sheetnames)) == 2
    assert wb[wb.sheetnames[0]]["A2"].value == "a<b>" and wb[wb.sheetnames[0]]["B3"].value == 82.91
    assert not [p for p in (tmp_path / "r").rglob("*") if ".tmp" in p.name]


def test_html_table_escapes_cells_and_caption():
    html = report._html_table(pd.DataFrame({"t": ["<script>x</script>"]}), "<b>cap</b>")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;cap" in html


# --------------------------------------------------------------------------- execution
def _execute(name: str, out_dir: Path, **params) -> nbformat.NotebookNode:
    out_dir.mkdir(parents=True, exist_ok=True)
    pm.execute_notebook(str(NB_DIR / f"{name}.ipynb"), str(out_dir / f"{name}.out.ipynb"),
                        parameters=params, kernel_name="python3", cwd=str(NB_DIR), progress_bar=False)
    return nbformat.read(out_dir / f"{name}.out.ipynb", as_version=4)


def _check_artifacts(name: str, folder: Path) -> dict:
    manifest = json.loads((folder / "artifacts.json").read_text("utf-8"))
    assert manifest["complete"] is True
    tables, figures = EXPECTED[name]
    assert manifest["tables"] == [f"tables/{t}.csv" for t in tables]
    assert manifest["figures"] == [f"figures/{f}.png" for f in figures]
    for rel in manifest["tables"] + manifest["figures"] + ["tables.xlsx", "text.md"]:
        assert (folder / rel).is_file() and (folder / rel).stat().st_size > 0, rel
    from xiqu_analysis.runner_report import check_artifacts

    assert check_artifacts(folder)[0] is None  # the batch runner accepts the folder
    return manifest


@pytest.mark.notebook
def test_scenario_report_runs_on_every_shipped_scenario_and_text_follows_the_scenario(tmp_path):
    texts = {}
    for path in SCENARIOS:
        folder = tmp_path / path.stem
        nb = _execute("scenario_report", folder / "nb", scenario_path=str(path), output_dir=str(folder),
                      language="en", n_paths=500, seed=7)
        assert nb.metadata.papermill.parameters["scenario_path"] == str(path)
        _check_artifacts("scenario_report", folder)
        texts[path.stem] = (folder / "text.md").read_text("utf-8")
        assert "[a]" in texts[path.stem] and "Inputs and sources" in texts[path.stem]
        inputs = pd.read_csv(folder / "tables" / "inputs.csv")
        assert set(inputs["Status"]) <= {"sourced", "assumed"} and inputs["Citation or reason"].notna().all()
    assert len(set(texts.values())) == len(SCENARIOS)
    # same paragraph, different numbers
    headline = {k: next(p for p in v.split("\n\n") if p.startswith("Real GDP grows")) for k, v in texts.items()}
    assert len(set(headline.values())) == len(SCENARIOS)


@pytest.mark.notebook
def test_scenario_report_is_reproducible_and_speaks_chinese(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        _execute("scenario_report", folder / "nb", scenario_path="../scenarios/plan_targets.yaml",
                 output_dir=str(folder), language="zh", n_paths=300, seed=11)
    for rel in json.loads((a / "artifacts.json").read_text("utf-8"))["tables"] + ["text.md", "figures/fan_gdp_real.png"]:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    assert "实际地区生产总值" in (a / "text.md").read_text("utf-8")


@pytest.mark.notebook
def test_comparison_and_audit_notebooks_run(tmp_path):
    _execute("scenario_comparison", tmp_path / "nb", scenario_paths=[str(p) for p in SCENARIOS],
             output_dir=str(tmp_path / "cmp"), language="en")
    _check_artifacts("scenario_comparison", tmp_path / "cmp")
    table = pd.read_csv(tmp_path / "cmp" / "tables" / "comparison.csv")
    assert list(table["Scenario"]) == [p.stem for p in SCENARIOS]
    _execute("data_audit", tmp_path / "nb", region="xiqu", output_dir=str(tmp_path / "audit"), language="en")
    _check_artifacts("data_audit", tmp_path / "audit")
    verdicts = pd.read_csv(tmp_path / "audit" / "tables" / "audit_verdicts.csv")
    from xiqu_analysis.audit import run_audit

    audit = run_audit("xiqu")
    assert verdicts["Count"].sum() == len(audit)
    bad = pd.read_csv(tmp_path / "audit" / "tables" / "audit_inconsistent.csv")
    assert len(bad) == int((audit["verdict"] == "inconsistent").sum())


@pytest.mark.notebook
def test_plain_papermill_cli_with_only_scenario_path(tmp_path):
    """`papermill in out -p scenario_path X` from the project root: defaults resolve, output goes to
    $XIQU_OUTPUT_DIR/notebooks/scenario_report-<name>/."""
    env = {**os.environ, "XIQU_OUTPUT_DIR": str(tmp_path / "outputs")}
    out = tmp_path / "out.ipynb"
    subprocess.run([str(BIN / "papermill"), "notebooks/scenario_report.ipynb", str(out), "-p", "scenario_path",
                    "scenarios/high.yaml", "-p", "n_paths", "300", "--no-progress-bar"],
                   cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=900)
    _check_artifacts("scenario_report", tmp_path / "outputs" / "notebooks" / "scenario_report-high")


@pytest.mark.notebook
def test_bad_parameter_fails_the_run_with_the_field_named(tmp_path):
    with pytest.raises(pm.PapermillExecutionError, match="n_paths"):
        _execute("scenario_report", tmp_path, scenario_path="plan_targets", output_dir=str(tmp_path / "o"),
                 language="en", n_paths=0, seed=1)
    assert not (tmp_path / "o").exists()  # rejected before anything was written


def test_workbook_bytes_do_not_depend_on_the_time(tmp_path, monkeypatch):
    import time as _time

    df = pd.DataFrame({"a": [1.5, 2.0]})
    data = []
    for i, fake_now in enumerate((1_600_000_000, 1_700_000_000)):
        monkeypatch.setattr(_time, "time", lambda v=fake_now: float(v))
        monkeypatch.setattr(_time, "localtime", lambda secs=None, v=fake_now: _time.gmtime(v))
        rep = report.Report(tmp_path / str(i), "en")
        rep.table(df, "t")
        rep.finish()
        data.append((tmp_path / str(i) / "tables.xlsx").read_bytes())
    assert data[0] == data[1]
    assert load_workbook(tmp_path / "0" / "tables.xlsx")["t"]["A2"].value == 1.5


# --------------------------------------------------------------------------- section content
@pytest.fixture(scope="module")
def plan_results():
    from xiqu_analysis.projection import project
    from xiqu_analysis.scenario import load_scenario
    from xiqu_analysis.targets import analyse_targets

    scenario = load_scenario(ROOT / "scenarios" / "plan_targets.yaml")
    projection = project(scenario)
    return scenario, projection, analyse_targets(scenario, result=projection)


def test_panzhihua_benchmark_is_city_gdp_over_census_population():
    bench = report.panzhihua_benchmark()
    assert bench.year == 2020
    assert bench.value_yuan == pytest.approx(1040.82e8 / 1_212_203, rel=1e-12)  # 85,861.6 yuan
    assert round(bench.value_yuan) == 85862
    assert "panzhihua.gdp.2020" in bench.citation and "census" in bench.citation


def test_headline_table_holds_the_projection(plan_results):
    _, projection, _ = plan_results
    table = report.headline_table(projection, "en")
    assert list(table.columns) == ["Indicator", "Unit", "Price basis", "2020", "2025", "2035", "Projected values are"]
    row = table.set_index("Indicator").loc["Real GDP"]
    assert row["2020"] == 82.91 and row["2035"] == projection.at(2035, "gdp_real")
    assert row["Price basis"] == "constant 2020 prices"
    share = table.set_index("Indicator").loc["Secondary sector share"]
    assert share["2025"] == pytest.approx(100 * projection.at(2025, "secondary_share"))
    zh = report.headline_table(projection, "zh")
    assert "实际地区生产总值" in set(zh["指标"])


def test_gap_rows_are_growth_minus_requirement(plan_results):
    _, projection, analysis = plan_results
    rows = report.gap_chart_rows(analysis, "en").set_index("label")
    d = analysis.doubling
    need = (2 ** (1 / 15) - 1) * 100
    have = ((projection.at(2035, "gdp_real") / 82.91) ** (1 / 15) - 1) * 100
    assert d.required_pct == pytest.approx(need)
    assert rows.loc["Growth needed to double real GDP 2020-2035", "gap"] == pytest.approx(have - need)
    assert rows.loc["Industrial value added growth (2021-2025)", "gap"] == pytest.approx(0.0, abs=1e-9)


def test_target_narrative_says_missed_for_the_low_scenario():
    from xiqu_analysis import text
    from xiqu_analysis.scenario import load_scenario
    from xiqu_analysis.targets import analyse_targets

    analysis = analyse_targets(load_scenario(ROOT / "scenarios" / "low.yaml"))
    rows = report.target_rows(analysis, "en")
    narrative = text.targets_narrative(rows, "en")
    assert narrative.text.count("— missed") == int((~rows["met"]).sum()) > 0
    assert f"{int(rows['met'].sum())} of {len(rows)} targets are met" in narrative.text
