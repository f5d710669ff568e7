"""The fault suite, part 1 (no kernel): every bad value refused before a kernel starts.

Each row is one bad input (a scenario value, a file that is not what it
claims, an option out of range, a notebook that breaks the parameter contract):
``xiqu`` is called in-process on an output folder that already holds a
complete earlier run, and the row asserts the exit status
(2), one line on stderr naming the file or option, the field and the problem,
nothing on stdout, nothing created in the output folder, and the earlier
run byte for byte as it was (its manifest keeps its final status).

Faults that need a kernel (a failing or dying notebook, signals, a full disk,
a killed runner) are in ``tests/end_to_end/test_faults_runs.py``.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from xiqu_analysis.cli import main
from xiqu_analysis.inputs.scenario import MAX_SEED
from xiqu_analysis.reports.parameters import MAX_PATHS

from tests.helpers import ROOT
from tests.helpers.runs import NOTEBOOK_FIXTURES, notebook_dir, tree

EARLIER = "20260101-000000-abcdef"


def earlier_run(out: Path) -> Path:
    """A complete earlier run in ``out`` (as ``xiqu run`` leaves one), with the latest pointers."""
    run = out / EARLIER
    (run / "data_audit" / "tables").mkdir(parents=True)
    (run / "data_audit" / "tables" / "audit.csv").write_text("check,verdict\nx,consistent\n", encoding="utf-8")
    (run / "data_audit" / "data_audit.html").write_text("<html>audit</html>", encoding="utf-8")
    (run / "index.html").write_text("<html>index</html>", encoding="utf-8")
    (run / "manifest.json").write_text(json.dumps({
        "run_id": EARLIER, "status": "complete", "reason": None,
        "notebooks": {"data_audit": {"status": "ok", "folder": "data_audit"}}}), encoding="utf-8")
    (out / "LATEST").write_text(EARLIER + "\n", encoding="utf-8")
    (out / "latest").symlink_to(EARLIER, target_is_directory=True)
    return run


def scenario(tmp_path: Path, name: str = "case", edit: Callable[[str], str] = lambda t: t,
             sources: bool = True) -> Path:
    """A copy of the shipped trend scenario under another name, edited."""
    text = (ROOT / "scenarios" / "trend.yaml").read_text(encoding="utf-8").replace("name: trend", f"name: {name}")
    if not sources:
        text = text.split("\nsources:")[0] + "\nuncertainty:" + text.split("\nuncertainty:")[1]
    path = tmp_path / f"{name}.yaml"
    path.write_text(edit(text), encoding="utf-8")
    return path


def data_copy(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(ROOT / "data", d)
    return d


def _gbk_actuals(tmp_path: Path, env: dict) -> list[str]:
    d = data_copy(tmp_path)
    rows = [line for line in (ROOT / "data" / "bulletins" / "TEMPLATE.csv").read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")]
    (d / "bulletins" / "xiqu_actuals.csv").write_bytes(("\n".join(rows) + "\n").encode("gbk"))
    env["XIQU_DATA_DIR"] = str(d)
    return [str(scenario(tmp_path)), "--suite", "annual-review", "--year", "2025"]


def _figures_not_a_number(tmp_path: Path, env: dict) -> list[str]:
    d = data_copy(tmp_path)
    figures = d / "regions" / "xiqu" / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    figures.write_text(text.replace("xiqu,2020,,82.91,", "xiqu,2020,,abc,", 1), encoding="utf-8")
    env["XIQU_DATA_DIR"] = str(d)
    return [str(scenario(tmp_path, sources=False))]


def _newline_in_name(tmp_path: Path, env: dict) -> list[str]:
    path = tmp_path / "new\nline\x1b[31m.yaml"
    path.write_text("x\n", encoding="utf-8")
    return [str(path)]


def _fifo(tmp_path: Path, env: dict) -> list[str]:
    os.mkfifo(tmp_path / "pipe.yaml")
    return [str(tmp_path / "pipe.yaml")]


def _folder(tmp_path: Path, env: dict) -> list[str]:
    (tmp_path / "dir.yaml").mkdir()
    return [str(tmp_path / "dir.yaml")]


def _notebook_is_a_folder(tmp_path: Path, env: dict) -> list[str]:
    nb = Path(env["XIQU_NOTEBOOK_DIR"]) / "data_audit.ipynb"
    nb.unlink()
    nb.mkdir()
    return [str(scenario(tmp_path))]


def _no_parameters_cell(tmp_path: Path, env: dict) -> list[str]:
    shutil.copy(NOTEBOOK_FIXTURES / "no_parameters.ipynb", Path(env["XIQU_NOTEBOOK_DIR"]) / "data_audit.ipynb")
    return [str(scenario(tmp_path))]


def _undeclared_parameter(tmp_path: Path, env: dict) -> list[str]:
    import nbformat

    path = Path(env["XIQU_NOTEBOOK_DIR"]) / "scenario_report.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace("n_paths = 100\n", "")
    nbformat.write(nb, path)
    return [str(scenario(tmp_path))]


def _simple(*argv: str, edit: Callable[[str], str] | None = None, sources: bool = True) -> Callable:
    def build(tmp_path: Path, env: dict) -> list[str]:
        return [str(scenario(tmp_path, edit=edit or (lambda t: t), sources=sources)), *argv]
    return build


def _out(where: str) -> Callable:
    def build(tmp_path: Path, env: dict) -> list[str]:
        return [str(scenario(tmp_path)), "--out", str(tmp_path / "out" / where)]
    return build


def _long_horizon(t: str) -> str:
    for sector in ("primary", "secondary", "tertiary"):
        t = t.replace(f"  {sector}: 4.9", f"  {sector}: 1000")
    return (t.replace("deflator_pct: 2.0 ", "deflator_pct: 1000 ").replace("end_year: 2035", "end_year: 2220")
            .replace("2024-2035: -2.25}", "2024-2220: -2.25}"))


@dataclass
class Fault:
    id: str
    build: Callable[[Path, dict], list[str]]
    expect: tuple[str, ...]  # fragments of the one error line
    command: str = "run"
    extra: dict = field(default_factory=dict)


FAULTS = [
    # -- refused inside the kernel before (exit 1, a run folder made): now before any kernel
    Fault("paths-above-limit", _simple("--paths", str(MAX_PATHS + 1)), ("argument --paths", f"{MAX_PATHS:,}")),
    Fault("seed-2**64", _simple("--seed", "18446744073709551616"), ("argument --seed", f"{MAX_SEED:,}")),
    Fault("scenario-seed-1e23", _simple(edit=lambda t: t.replace("seed: 20210801", "seed: " + "1" + "0" * 23)),
          ("case.yaml", "field 'uncertainty.seed'")),
    Fault("review-year-2010", _simple("--suite", "annual-review", "--year", "2010"),
          ("argument --year", "from 2021 to 2100, got 2010")),
    Fault("gbk-actuals", _gbk_actuals, ("xiqu_actuals.csv", "not UTF-8")),
    Fault("figures-not-a-number-without-sources", _figures_not_a_number,
          ("figures.csv", "field 'row 2, column value'", "'abc'")),
    # -- wrong results reported as complete before: the projection overflows
    Fault("buoyancy-1e30", _simple(edit=lambda t: t.replace("buoyancy: 1.0}", "buoyancy: 1e30}")),
          ("case.yaml", "field 'fiscal_revenue.buoyancy'", "not a finite number")),
    Fault("growth-and-deflator-1000pct-long-horizon", _simple(edit=_long_horizon, sources=False),
          ("case.yaml", "field 'real_growth_pct'", "not a finite number")),
    # -- hardened inputs
    Fault("newline-and-escape-in-name", _newline_in_name, ("new\\nline\\x1b[31m.yaml",)),
    Fault("scenario-is-a-fifo", _fifo, ("pipe.yaml", "not a regular file")),
    Fault("scenario-is-a-folder", _folder, ("dir.yaml", "is a folder")),
    Fault("notebook-is-a-folder", _notebook_is_a_folder, ("data_audit.ipynb", "is a folder")),
    Fault("out-inside-the-latest-run", _out("latest/nested"), ("field 'out'", f"of run {EARLIER}")),
    Fault("out-is-an-earlier-run", _out(EARLIER), ("field 'out'", f"is the folder of run {EARLIER}")),
    # -- the notebook contract
    Fault("no-parameters-cell", _no_parameters_cell, ("data_audit.ipynb", "tagged 'parameters'")),
    Fault("undeclared-parameter", _undeclared_parameter, ("scenario_report.ipynb", "parameter n_paths")),
    Fault("unknown-region", _simple(edit=lambda t: t.replace("name: case", "name: case\nregion: nowhere")),
          ("field 'region'", "nowhere")),
    # -- --paths bounded in every command
    Fault("simulate-paths-1e9", lambda p, e: [str(scenario(p)), "--paths", "1000000000"],
          ("argument --paths", f"{MAX_PATHS:,}"), command="simulate"),
    Fault("forecast-a-folder", lambda p, e: [str(p), "--indicator", "gdp"], (str("{tmp}"), "is a folder"),
          command="forecast"),
    Fault("project-dev-zero", lambda p, e: ["/dev/zero"], ("/dev/zero", "not a regular file"), command="project"),
]


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_bad_input_is_refused_before_any_kernel(fault, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    earlier = earlier_run(out)
    before = tree(out)
    env = {"XIQU_NOTEBOOK_DIR": str(notebook_dir(tmp_path)), "XIQU_OUTPUT_DIR": str(out)}
    argv = fault.build(tmp_path, env)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code = main([fault.command, *argv])
    stdout, stderr = capsys.readouterr()
    assert code == 2, stderr
    assert stdout == ""
    assert stderr.startswith("xiqu: error: ") and stderr.count("\n") == 1 and stderr.endswith("\n"), stderr
    for fragment in fault.expect:
        assert fragment.replace("{tmp}", str(tmp_path)) in stderr, stderr
    assert "Traceback" not in stderr
    # nothing created, the earlier run as it was (and still complete)
    assert tree(out) == before
    assert json.loads((earlier / "manifest.json").read_text())["status"] == "complete"
