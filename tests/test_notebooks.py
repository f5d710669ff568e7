"""The report notebooks, their parameter registry and the Report helper.

Fast tests (no kernel): notebooks are committed clean with a documented
parameters cell that declares exactly the fields of its registry model
(``xiqu_analysis.reports.parameters.NOTEBOOKS``), the .ipynb/.py pairs agree,
``papermill --help-notebook`` explains every parameter, parameter checks reject
bad values, the report sections run in process, and the Report helper writes
stable files. Tests marked ``notebook`` execute the real notebooks with a real
kernel (papermill) on every shipped scenario.
"""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import typing
from dataclasses import replace
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
import papermill as pm
import pytest
from openpyxl import load_workbook

from xiqu_analysis.errors import InputError
from xiqu_analysis.reports import artifacts, parameters
from xiqu_analysis.reports.parameters import NOTEBOOKS, check_parameters, from_namespace, resolve

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
        ["headline", "main_indicators", "scenario_vs_data", "sectors", "targets", "probabilities", "percentiles",
         "sensitivity", "projection", "inputs"],
        ["gdp_paths", "sector_structure", "contributions", "per_capita", "income_revenue", "target_gaps",
         "fan_gdp_real", "fan_gdp_per_capita", "fan_fiscal_revenue", "tornado"],
    ),
    "scenario_comparison": (["comparison", "comparison_gaps"], ["comparison_paths", "comparison_gaps"]),
    "data_audit": (["audit_checks", "audit_verdicts", "audit_findings", "audit", "pipeline_by_column",
                    "pipeline_by_theme", "pipeline_investment", "pipeline_unstated"], []),
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


def test_registry_lists_every_notebook():
    assert sorted([*NOTEBOOKS, *parameters.INTERACTIVE]) == sorted(p.stem for p in NB_DIR.glob("*.ipynb"))
    assert not set(NOTEBOOKS) & set(parameters.INTERACTIVE)  # an interactive notebook is never part of a run
    assert set(CONTRACT) <= set(NOTEBOOKS)
    for name, model in NOTEBOOKS.items():
        assert model.notebook == name and parameters.model_of(name) is model
    with pytest.raises(KeyError, match="unknown notebook"):
        parameters.model_of("scenario_reprot")


def _type_name(annotation) -> str:
    """The papermill type name (``str``, ``int``, ``list``) of a model field's annotation."""
    origin = typing.get_origin(annotation) or annotation
    return origin.__name__


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_parameters_cell_declares_exactly_the_registry_fields_with_their_defaults(name):
    """papermill's view of the parameters cell agrees with the pydantic model the notebook checks them with."""
    declared = pm.inspect_notebook(str(NB_DIR / f"{name}.ipynb"))
    fields = NOTEBOOKS[name].model_fields
    assert sorted(declared) == sorted(fields)
    for pname, info in declared.items():
        field = fields[pname]
        default = ast.literal_eval(info["default"])
        assert default == field.get_default(call_default_factory=True), pname
        assert info["inferred_type_name"] == _type_name(field.annotation), pname
        assert info["help"].strip() and field.description, pname
    # and the declared defaults pass the model unchanged
    values = {p: ast.literal_eval(info["default"]) for p, info in declared.items()}
    assert check_parameters(name, **values) == NOTEBOOKS[name]()


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


_MODULES = {"scenario_report": "scenario_report", "scenario_comparison": "comparison", "data_audit": "data_audit",
            "annual_review": "annual_review"}


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_follows_the_start_sections_finish_pattern(name):
    """``run = report.start(globals())``, then ``report.section_x(run)`` calls, then ``run.finish()``."""
    from importlib import import_module

    module = import_module(f"xiqu_analysis.reports.{_MODULES[name]}")
    code = [c.source for c in _nb(name).cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    calls = []
    for source in code:
        for stmt in ast.parse(source).body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                assert isinstance(stmt, ast.ImportFrom) and stmt.module == "xiqu_analysis.reports"
                assert [(a.name, a.asname) for a in stmt.names] == [(_MODULES[name], "report")]
                continue
            calls.append(ast.unparse(stmt))
    assert calls[0] == "run = report.start(globals())"
    assert calls[-1] == "run.finish()"
    sections = calls[1:-1]
    assert sections and all(c.startswith("report.section_") and c.endswith("(run)") for c in sections), sections
    used = [c.removeprefix("report.").removesuffix("(run)") for c in sections]
    assert len(set(used)) == len(used)
    assert sorted(used) == sorted(n for n in module.__all__ if n.startswith("section_"))  # every section, once


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
    p = check_parameters("scenario_report", scenario_path="../scenarios/plan_targets.yaml", output_dir="",
                         language="en", n_paths=500, seed=1)
    r = resolve(p)
    assert r.scenario_files == ((ROOT / "scenarios" / "plan_targets.yaml").resolve(),)
    assert r.output_dir == tmp_path / "notebooks" / "scenario_report-plan_targets"
    assert r.parameters is p and r.language == "en"
    q = check_parameters("scenario_report", scenario_path="low", output_dir=str(tmp_path / "x"),
                         language="zh", n_paths="800", seed=0)
    rq = resolve(q)
    assert rq.scenario_files[0].name == "low.yaml" and q.n_paths == 800 and rq.output_dir == tmp_path / "x"
    assert rq.as_dict() == {"language": "zh", "scenario_path": str(rq.scenario_files[0]), "n_paths": 800, "seed": 0}
    # every parameter has a default: the model alone gives the notebook's defaults
    assert resolve(check_parameters("scenario_report")).scenario_files == r.scenario_files


@pytest.mark.parametrize("field, value, message", [
    ("scenario_path", "nope.yaml", "not found"),
    ("scenario_path", "elsewhere/plan_targets.yaml", "not found"),  # no silent swap for the shipped file
    ("scenario_path", "", "must not be empty"),
    ("scenario_path", 3, "must be text"),
    ("language", "fr", "unknown language"),
    ("n_paths", True, "must be a whole number"),
    ("n_paths", 1.5, "must be a whole number"),
    ("n_paths", 0, "at least 1"),
    ("n_paths", 2_000_000, "at most"),
    ("seed", -1, "at least 0"),
    ("output_dir", None, "must be text"),
])
def test_check_parameters_rejects_bad_values_naming_the_field(field, value, message):
    params = dict(scenario_path="plan_targets", output_dir="", language="en", n_paths=500, seed=1)
    params[field] = value
    with pytest.raises(InputError, match=message) as info:
        resolve(check_parameters("scenario_report", **params))  # files are looked for by resolve()
    assert info.value.field == field
    assert info.value.source == parameters.SOURCE


def test_check_parameters_rejects_unknown_names_with_a_close_match():
    with pytest.raises(InputError, match="unknown field .did you mean 'region'") as info:
        check_parameters("data_audit", region="xiqu", output_dir="", language="en", regoin="x")
    assert info.value.field == "regoin"
    # Deliberate change: every field has a default now, so a missing name takes it (no "missing" error).
    assert check_parameters("data_audit", region="xiqu", output_dir="").language == "en"


def test_from_namespace_refuses_an_unknown_plain_value_and_ignores_the_rest():
    import os as a_module

    namespace = {"scenario_path": "low", "n_paths": 300, "In": [], "Out": {}, "_": 1, "_i1": "x",
                 "get_ipython": print, "report": a_module, "Path": Path}
    p = from_namespace("scenario_report", namespace)
    assert p.scenario_path == "low" and p.n_paths == 300 and p.seed == 20210801
    for name, value in [("scenario_pth", "scenarios/low.yaml"), ("seeds", 3), ("flag", True), ("paths", []),
                        ("nothing", None)]:
        with pytest.raises(InputError, match="unknown field") as info:
            from_namespace("scenario_report", {**namespace, name: value})
        assert info.value.field == name
    with pytest.raises(InputError, match="did you mean 'scenario_path'"):
        from_namespace("scenario_report", {"scenario_pth": "scenarios/low.yaml"})


def test_comparison_paths_accept_lists_and_papermill_strings():
    def files(value):
        return resolve(check_parameters("scenario_comparison", scenario_paths=value, output_dir="",
                                        language="en")).scenario_files

    assert [p.name for p in files([])] == [p.name for p in SCENARIOS]
    as_text = files("[low.yaml, high.yaml]")
    as_csv = files("low.yaml,high.yaml")
    assert [p.name for p in as_text] == [p.name for p in as_csv] == ["low.yaml", "high.yaml"]
    with pytest.raises(InputError, match="at least two"):
        files(["low.yaml", "low.yaml"])
    with pytest.raises(InputError, match="not a list of paths") as info:
        files("[low.yaml")
    assert info.value.field == "scenario_paths" and str(info.value).count(parameters.SOURCE) == 1
    with pytest.raises(InputError, match="not found") as info:
        files(["low.yaml", "nope.yaml"])
    assert info.value.field == "scenario_paths[1]"


@pytest.mark.parametrize("notebook", ["data_audit", "annual_review"])
def test_region_must_be_a_known_region_key(notebook):
    assert resolve(check_parameters(notebook, region="xiqu")).parameters.region == "xiqu"
    with pytest.raises(InputError, match="unknown region") as info:
        resolve(check_parameters(notebook, region="atlantis"))
    assert info.value.field == "region"
    # a path is not a region key, even one that leads to a region's folder
    for bad in ("../etc", "../regions/xiqu", "xiqu/", "Xiqu"):
        with pytest.raises(InputError, match="not a region key") as info:
            check_parameters(notebook, region=bad)
        assert info.value.field == "region"


# --------------------------------------------------------------------------- Report helper
def test_report_writes_stable_csv_xlsx_and_manifest(tmp_path):
    df = pd.DataFrame({"name": ["a<b>", "西区"], "value": [0.1 + 0.2, 82.91], "n": [1, 2], "x": [float("nan"), 1e-12]})
    rep = artifacts.Report(tmp_path / "r", "en", notebook="t")
    manifest = json.loads((tmp_path / "r" / "artifacts.json").read_text("utf-8"))
    assert manifest["complete"] is False and manifest["tables"] == []
    rep.table(df, "a_table_with_a_very_long_name_that_exceeds_excel", "caption <i>")
    rep.table(df.copy(), "a_table_with_a_very_long_name_that_exceeds_excel_2", "second")
    first = (tmp_path / "r" / "tables" / "a_table_with_a_very_long_name_that_exceeds_excel.csv").read_bytes()
    assert first == "name,value,n,x\na<b>,0.3,1,\n西区,82.91,2,1e-12\n".encode("utf-8")
    assert artifacts.write_csv_bytes(df.copy()) == first
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
    assert wb.sheetnames[0] == "Contents"  # then one sheet per table
    assert all(len(n) <= 31 for n in wb.sheetnames) and len(set(wb.sheetnames)) == 3
    assert wb[wb.sheetnames[1]]["A2"].value == "a<b>" and wb[wb.sheetnames[1]]["B3"].value == 82.91
    assert wb[wb.sheetnames[1]]["B2"].value == 0.3  # stored as the CSV has it: no 0.30000000000000004
    assert not [p for p in (tmp_path / "r").rglob("*") if ".tmp" in p.name]


def test_report_refuses_an_unknown_language(tmp_path):
    with pytest.raises(InputError, match="unknown language") as info:
        artifacts.Report(tmp_path / "r", "fr")
    assert info.value.field == "language" and not (tmp_path / "r").exists()


def test_html_table_escapes_cells_and_caption():
    html = artifacts._html_table(pd.DataFrame({"t": ["<script>x</script>"]}), "<b>cap</b>")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;cap" in html


def test_workbook_bytes_do_not_depend_on_the_time(tmp_path, monkeypatch):
    import time as _time

    df = pd.DataFrame({"a": [1.5, 2.0]})
    data = []
    for i, fake_now in enumerate((1_600_000_000, 1_700_000_000)):
        monkeypatch.setattr(_time, "time", lambda v=fake_now: float(v))
        monkeypatch.setattr(_time, "localtime", lambda secs=None, v=fake_now: _time.gmtime(v))
        rep = artifacts.Report(tmp_path / str(i), "en")
        rep.table(df, "t")
        rep.finish()
        data.append((tmp_path / str(i) / "tables.xlsx").read_bytes())
    assert data[0] == data[1]
    assert load_workbook(tmp_path / "0" / "tables.xlsx")["t"]["A2"].value == 1.5
    docs = [(tmp_path / str(i) / "document.json").read_bytes() for i in (0, 1)]
    assert docs[0] == docs[1]


# --------------------------------------------------------------------------- artifacts of a run
def _check_artifacts(name: str, folder: Path) -> dict:
    manifest = json.loads((folder / "artifacts.json").read_text("utf-8"))
    assert manifest["complete"] is True
    tables, figures = EXPECTED[name]
    assert manifest["tables"] == [f"tables/{t}.csv" for t in tables]
    assert manifest["figures"] == [f"figures/{f}.png" for f in figures]
    for rel in manifest["tables"] + manifest["figures"] + ["tables.xlsx", "text.md", "document.json"]:
        assert (folder / rel).is_file() and (folder / rel).stat().st_size > 0, rel
    from xiqu_analysis.runner.render import check_artifacts

    assert check_artifacts(folder)[0] is None  # the batch runner accepts the folder
    return manifest


def _run_sections(module_name: str, namespace: dict) -> None:
    """What a notebook does, in process: start(namespace), every section, finish()."""
    from importlib import import_module

    module = import_module(f"xiqu_analysis.reports.{module_name}")
    run = module.start(namespace)
    for source in (c.source for c in _nb({v: k for k, v in _MODULES.items()}[module_name]).cells
                   if c.cell_type == "code" and "report.section_" in c.source):
        for stmt in ast.parse(source).body:
            call = ast.unparse(stmt)
            if call.startswith("report.section_"):
                getattr(module, call.removeprefix("report.").removesuffix("(run)"))(run)
    run.finish()


# the scenario report in process: in English tests/test_fictional_region.py, in Chinese
# tests/test_reports_zh.py; both with kernels below


def test_comparison_and_audit_sections_in_process(tmp_path):
    _run_sections("comparison", dict(scenario_paths=["low", "high"], output_dir=str(tmp_path / "cmp"), language="zh"))
    _check_artifacts("scenario_comparison", tmp_path / "cmp")
    assert list(pd.read_csv(tmp_path / "cmp" / "tables" / "comparison.csv")["情景"]) == [
        "约束趋紧（增速低于规划底线）", "项目落地（增速高于规划底线）"]  # the scenarios' Chinese titles, in the order given
    _run_sections("data_audit", dict(region="xiqu", output_dir=str(tmp_path / "audit"), language="en"))
    _check_artifacts("data_audit", tmp_path / "audit")
    assert "Source audit: Xiqu district (Panzhihua)" in (tmp_path / "audit" / "text.md").read_text("utf-8")


# --------------------------------------------------------------------------- execution
def _execute(name: str, out_dir: Path, **params) -> nbformat.NotebookNode:
    out_dir.mkdir(parents=True, exist_ok=True)
    pm.execute_notebook(str(NB_DIR / f"{name}.ipynb"), str(out_dir / f"{name}.out.ipynb"),
                        parameters=params, kernel_name="python3", cwd=str(NB_DIR), progress_bar=False)
    return nbformat.read(out_dir / f"{name}.out.ipynb", as_version=4)


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
    assert "地区生产总值（2020年不变价）" in (a / "text.md").read_text("utf-8")  # the bulletin's words


@pytest.mark.notebook
def test_comparison_and_audit_notebooks_run(tmp_path):
    from xiqu_analysis.economics.audit import audit_region
    from xiqu_analysis.inputs.regions import load_region

    _execute("scenario_comparison", tmp_path / "nb", scenario_paths=[str(p) for p in SCENARIOS],
             output_dir=str(tmp_path / "cmp"), language="en")
    _check_artifacts("scenario_comparison", tmp_path / "cmp")
    table = pd.read_csv(tmp_path / "cmp" / "tables" / "comparison.csv")
    from xiqu_analysis.inputs.scenario import load_scenario

    assert list(table["Scenario"]) == [str(load_scenario(p).title) for p in SCENARIOS]  # titles, in the order given
    _execute("data_audit", tmp_path / "nb", region="xiqu", output_dir=str(tmp_path / "audit"), language="en")
    _check_artifacts("data_audit", tmp_path / "audit")
    verdicts = pd.read_csv(tmp_path / "audit" / "tables" / "audit_verdicts.csv")
    audit = audit_region(load_region("xiqu"))
    assert verdicts["Count"].sum() == len(audit)
    found = pd.read_csv(tmp_path / "audit" / "tables" / "audit_findings.csv")  # one finding per inconsistency
    assert found["n_checks"].sum() == int((audit["verdict"] == "inconsistent").sum())
    assert len(found) == audit["finding"].nunique() == 4
    pipeline = pd.read_csv(tmp_path / "audit" / "tables" / "pipeline_by_column.csv")
    assert pipeline["investment_yi"].sum() == pytest.approx(175.076)


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


@pytest.mark.notebook
def test_bad_parameter_fails_the_run_with_the_field_named(tmp_path):
    with pytest.raises(pm.PapermillExecutionError, match="n_paths"):
        _execute("scenario_report", tmp_path, scenario_path="plan_targets", output_dir=str(tmp_path / "o"),
                 language="en", n_paths=0, seed=1)
    assert not (tmp_path / "o").exists()  # rejected before anything was written


# --------------------------------------------------------------------------- section content
@pytest.fixture(scope="module")
def plan_results():
    from xiqu_analysis.economics.projection import project
    from xiqu_analysis.economics.targets import analyse_targets
    from xiqu_analysis.inputs.scenario import load_scenario_with_region

    scenario, region = load_scenario_with_region(ROOT / "scenarios" / "plan_targets.yaml")
    projection = project(scenario)
    return scenario, region, projection, analyse_targets(scenario, region, result=projection)


def test_benchmark_is_city_gdp_over_census_population(plan_results):
    from xiqu_analysis.reports.tables import benchmark_per_capita

    _, region, _, _ = plan_results
    bench = benchmark_per_capita(region, 2020)
    assert bench.year == 2020 and bench.region.key == "panzhihua"
    assert bench.value_yuan == pytest.approx(1040.82e8 / 1_212_203, rel=1e-12)  # 85,861.6 yuan
    assert round(bench.value_yuan) == 85862
    assert bench.citation == ("Panzhihua city government work report 2021 / 7th national population census (2020), "
                              "county tables (public compilation, code 510400)")  # sources by name, not by id
    assert benchmark_per_capita(region, 2020, "zh").citation == (
        "攀枝花市2021年政府工作报告；第七次全国人口普查（2020年）分县资料（公开汇编，行政区划代码510400）")
    assert benchmark_per_capita(region, 1990) is None  # no figures that year
    assert benchmark_per_capita(replace(region, benchmark=None), 2020) is None  # no benchmark region


def test_headline_table_holds_the_projection(plan_results):
    from xiqu_analysis.reports.tables import headline_table, headline_years

    _, region, projection, _ = plan_results
    years = headline_years(projection, region)
    assert years == [2020, 2025, 2035]  # base year, region.yaml's plan_end_year and long_range_year
    table = headline_table(projection, "en", years)
    assert list(table.columns) == ["Indicator", "Unit", "Price basis", "2020", "2025", "2035", "Projected values are"]
    assert list(headline_table(projection, "zh", years).columns)[3:6] == ["2020年", "2025年", "2035年"]
    row = table.set_index("Indicator").loc["Real GDP"]
    assert row["2020"] == 82.91 and row["2035"] == projection.at(2035, "gdp_real")
    assert row["Price basis"] == "constant 2020 prices"
    share = table.set_index("Indicator").loc["Secondary sector share"]
    assert share["2025"] == pytest.approx(100 * projection.at(2025, "secondary_share"))
    zh = headline_table(projection, "zh", years)
    assert {"地区生产总值（不变价）", "地区生产总值（现价）"} <= set(zh["指标"])  # bulletin words, not 实际/名义
    assert zh.set_index("指标").loc["地区生产总值（不变价）", "价格口径"] == "2020年不变价"


def test_headline_years_follow_region_yaml(plan_results):
    from xiqu_analysis.reports.tables import headline_years

    _, region, projection, _ = plan_results

    def years(**info):
        return headline_years(projection, replace(region, info=region.info.model_copy(update=info)))

    assert years(plan_end_year=2030, long_range_year=2032) == [2020, 2030, 2032]
    assert years(plan_end_year=None, long_range_year=None) == [2020, 2035]  # the projection's end
    assert years(plan_end_year=2025, long_range_year=2050) == [2020, 2025]  # outside the projection: left out


def test_gap_rows_are_growth_minus_requirement(plan_results):
    from xiqu_analysis.reports.tables import gap_chart_rows

    _, _, projection, analysis = plan_results
    rows = gap_chart_rows(analysis, "en").set_index("label")
    d = analysis.doubling
    need = (2 ** (1 / 15) - 1) * 100
    have = ((projection.at(2035, "gdp_real") / 82.91) ** (1 / 15) - 1) * 100
    assert d.required_pct == pytest.approx(need)
    assert rows.loc["Benchmark (not a plan target): growth needed to double real GDP, 2020-2035", "gap"] == \
        pytest.approx(have - need)
    assert rows.loc["Industrial value added growth (2021-2025)", "gap"] == pytest.approx(0.0, abs=1e-9)


def test_target_narrative_says_missed_for_the_low_scenario():
    from xiqu_analysis.economics.targets import analyse_targets
    from xiqu_analysis.inputs.scenario import load_scenario_with_region
    from xiqu_analysis.reports.narrative import targets_narrative
    from xiqu_analysis.reports.tables import target_rows

    analysis = analyse_targets(*load_scenario_with_region(ROOT / "scenarios" / "low.yaml"))
    rows = target_rows(analysis, "en")
    narrative = targets_narrative(rows, "en")
    assert narrative.text.count("— missed") == int((~rows["met"]).sum()) > 0
    assert f"{int(rows['met'].sum())} of {len(rows)} targets are met" in narrative.text
