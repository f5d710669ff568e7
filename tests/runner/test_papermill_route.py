"""The plain papermill command on the suite's notebooks: a parameter name that would run as code, or that the
notebook does not declare, is refused before anything of it runs (runner/papermill_guard.py)."""
from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import papermill  # noqa: F401 - papermill first, as a user's session would import it
from papermill.engines import papermill_engines
from papermill.translators import papermill_translators

from xiqu_analysis.runner.papermill_guard import ParameterRefused, XiquEngine, check_injected

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "scenario_report.ipynb"
FIXTURE = ROOT / "tests" / "fixtures" / "notebooks" / "ok.ipynb"
PAPERMILL = Path(sys.executable).parent / "papermill"


def _papermill(cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(PAPERMILL), str(NOTEBOOK), str(cwd / "out.ipynb"), *argv], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def _refusals(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Error: ")]


@pytest.mark.process
def test_a_name_carrying_code_is_refused_by_plain_papermill_before_it_runs(tmp_path):
    evil = 'x=1;__import__("pathlib").Path("PWNED").touch();y'
    res = _papermill(tmp_path, "-p", evil, "1")
    assert res.returncode != 0
    assert not (tmp_path / "PWNED").exists()  # the injected code never ran
    assert not (tmp_path / "out.ipynb").exists()  # nor was anything written
    refusals = _refusals(res.stderr)
    assert len(refusals) == 1 and res.stderr.rstrip("\n").splitlines()[-1] == refusals[0], res.stderr
    assert "is not a Python identifier" in refusals[0] and "refused before the notebook ran" in refusals[0]
    assert "Traceback" not in res.stderr


@pytest.mark.process
def test_a_name_the_notebook_does_not_declare_is_refused_by_plain_papermill(tmp_path):
    res = _papermill(tmp_path, "-p", "scenario_pth", "x.yaml", "-p", "seed", "7")
    assert res.returncode != 0 and not (tmp_path / "out.ipynb").exists()
    refusals = _refusals(res.stderr)
    assert len(refusals) == 1 and "'scenario_pth' is not a parameter of the notebook" in refusals[0], res.stderr
    assert "did you mean 'scenario_path'? declared: language, n_paths, output_dir, scenario_path, seed" \
        in refusals[0]


def test_papermill_finds_the_guard_through_its_entry_point():
    assert papermill_engines.get_engine(None) is XiquEngine
    assert papermill_engines.get_engine("xiqu") is XiquEngine
    with pytest.raises(ParameterRefused, match="not a Python identifier"):
        papermill_translators.find_translator("python3", "python").codify({"a;b": 1})
    assert papermill_translators.find_translator("python3", "python").codify({"seed": 7}) == "# Parameters\nseed = 7\n"


def _injected(source: str, notebook: Path = NOTEBOOK):
    nb = nbformat.read(notebook, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(at + 1, cell)
    return nb


@pytest.mark.parametrize("source, problem", [
    ('# Parameters\nx=1;__import__("os").system("true");y = 1\n', "hold code"),
    ("# Parameters\nseed = 7\nprint = 1\n", "'print' is not a parameter"),
    ("# Parameters\nseed = int('7')\n", "hold code"),
    ("# Parameters\nseed, n_paths = 1, 2\n", "hold code"),
    ("# Parameters\nseed = 7\nn_paths = (\n", "not valid Python"),
])
def test_the_engine_refuses_an_injected_cell_that_is_not_declared_names_and_literals(source, problem):
    """Whatever wrote the injected cell (another translator, a hand-made notebook), the engine checks it."""
    with pytest.raises(ParameterRefused, match=problem):
        check_injected(_injected(source), "scenario_report.ipynb")


@pytest.mark.parametrize("source", [
    "# Parameters\nseed = 7\nscenario_path = \"a b.yaml\"\nn_paths = 500\nlanguage = \"zh\"\n",
    "# Parameters\nseed = 7\nn_paths = -1\noutput_dir = ''\n",
    "# Parameters\nn_paths = float('nan')\n",
])
def test_the_engine_accepts_declared_names_with_literal_values(source):
    check_injected(_injected(source))


def test_other_notebooks_are_left_as_papermill_runs_them():
    """A notebook that does not use this package: papermill's own behaviour (a warning only)."""
    nb = _injected("# Parameters\nunknown_name = 1\n", FIXTURE)
    check_injected(copy.deepcopy(nb))
