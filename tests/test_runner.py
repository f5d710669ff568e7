"""Runner checks that start no kernel: validation before anything runs, manifests, pointers, index.

Kernel-executing tests are in ``test_runner_notebooks.py`` (marked ``notebook``).
"""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiqu_analysis import runner
from xiqu_analysis.cli import main
from xiqu_analysis.errors import InputError
from xiqu_analysis.runner import Job, check_output_root, run_jobs, validate_jobs, validate_parameters
from xiqu_analysis.runner_manifest import (
    PACKAGES,
    atomic_write_json,
    create_run_dir,
    git_info,
    hash_files,
    package_versions,
    update_latest,
)
from xiqu_analysis.runner_report import check_artifacts, mark_notebook, render_index
from xiqu_analysis.runner_worker import is_kernel_start_failure, literal_path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "notebooks"
OK = FIXTURES / "ok.ipynb"
EVIL = "<script>alert(1)</script>"


def notebook_dir(tmp_path: Path, **which: str) -> Path:
    """A notebook folder whose four report notebooks are copies of fixtures (default ``ok``)."""
    d = tmp_path / "notebooks"
    d.mkdir(exist_ok=True)
    for name in runner.NOTEBOOK_NAMES:
        shutil.copy(FIXTURES / f"{which.get(name, 'ok')}.ipynb", d / f"{name}.ipynb")
    return d


def scenario_copy(tmp_path: Path, name: str = "evil", title: str = EVIL, source: str = "trend") -> Path:
    """A valid scenario file: a shipped one with another name and title."""
    text = (ROOT / "scenarios" / f"{source}.yaml").read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if line.startswith("name:"):
            line = f"name: {name}"
        elif line.startswith("title:"):
            line = f"title: {json.dumps(title)}"
        lines.append(line)
    path = tmp_path / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["run", *argv])
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- parameters
def test_unknown_parameter_is_refused_with_the_declared_names():
    with pytest.raises(InputError) as exc:
        validate_parameters(OK, {"n_path": 10})
    assert "parameter n_path" in str(exc.value) and "n_paths" in str(exc.value)


@pytest.mark.parametrize("name", ["a b", "x=1;import os;y", "1st", "class", "", "n-paths"])
def test_non_identifier_names_are_refused(name):
    with pytest.raises(InputError, match="not a Python identifier"):
        validate_parameters(OK, {name: 1})


@pytest.mark.parametrize("value", [
    Path("/tmp"), (1, 2), dt.date(2025, 1, 1), decimal.Decimal("1.5"), np.int64(3),
    np.float64(1.0), float("nan"), float("inf"), {1: "a"}, {"a": (1,)}, [1, {2, 3}], b"x",
])
def test_non_json_values_are_refused(value):
    with pytest.raises(InputError):
        validate_parameters(OK, {"title": value} if not isinstance(value, (int, float)) else {"seed": value})


def test_value_of_another_type_than_the_declared_default_is_refused():
    with pytest.raises(InputError, match="declares a int"):
        validate_parameters(OK, {"n_paths": "10000"})
    with pytest.raises(InputError, match="declares a int"):
        validate_parameters(OK, {"seed": True})
    with pytest.raises(InputError, match="declares a list"):
        validate_parameters(OK, {"scenario_paths": "a.yaml"})
    validate_parameters(OK, {"n_paths": 5, "scenario_paths": ["a", "b"], "title": "t",
                             "review_year": 2025, "output_dir": "/x"})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=12,
)


@given(json_values)
def test_every_json_value_is_accepted_for_an_untyped_parameter(value):
    declared = {"anything": {"name": "anything", "inferred_type_name": "None", "default": "None"}}
    validate_parameters(OK, {"anything": value}, declared)


@given(json_values)
def test_a_tuple_anywhere_in_a_value_is_refused(value):
    declared = {"anything": {"name": "anything", "inferred_type_name": "None", "default": "None"}}
    with pytest.raises(InputError):
        validate_parameters(OK, {"anything": [value, (1,)]}, declared)


def test_notebook_without_parameters_cell_is_refused():
    with pytest.raises(InputError, match="no cell is tagged 'parameters'"):
        validate_jobs([Job("x", FIXTURES / "no_parameters.ipynb")])


def test_missing_notebook_and_runner_owned_output_dir_are_refused(tmp_path):
    with pytest.raises(InputError, match="notebook not found"):
        validate_jobs([Job("x", tmp_path / "nope.ipynb")])
    with pytest.raises(InputError, match="set by the runner"):
        validate_jobs([Job("x", OK, {"output_dir": "/tmp"})])
    with pytest.raises(InputError, match="used twice"):
        validate_jobs([Job("x", OK), Job("x", OK)])
    with pytest.raises(InputError, match="job name"):
        validate_jobs([Job("../x", OK)])


def test_bad_parameter_stops_the_run_before_anything_is_created(tmp_path):
    out = tmp_path / "outputs"
    jobs = [Job("good", OK, {"seed": 1}), Job("bad", OK, {"sede": 1})]
    with pytest.raises(InputError, match="parameter sede"):
        run_jobs(jobs, out, max_jobs=1)
    assert not out.exists()


# --------------------------------------------------------------------------- output folder
def test_output_folder_that_can_be_created_is_accepted_but_not_created(tmp_path):
    target = tmp_path / "a" / "b"
    assert check_output_root(target) == target
    assert not (tmp_path / "a").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # the write probe is gone


def test_output_folder_under_a_file_is_refused(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(InputError, match="cannot be created"):
        check_output_root(f / "out")
    with pytest.raises(InputError, match="is not a folder"):
        check_output_root(f)


def _unwritable(tmp_path: Path) -> Path:
    if os.geteuid() == 0:  # root ignores permission bits; /proc refuses new files to everyone
        return Path("/proc/xiqu-outputs")
    d = tmp_path / "ro"
    d.mkdir()
    d.chmod(0o555)
    return d / "outputs"


def test_unwritable_output_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="not writable"):
        check_output_root(_unwritable(tmp_path))


def test_cli_unwritable_or_uncreatable_out_exits_2_before_running(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XIQU_NOTEBOOK_DIR", str(notebook_dir(tmp_path)))
    sc = scenario_copy(tmp_path)
    f = tmp_path / "file.txt"
    f.write_text("x")
    for out in (f / "outputs", _unwritable(tmp_path)):
        code, stdout, err = cli(capsys, str(sc), "--out", str(out))
        assert code == 2
        assert stdout == ""
        assert err.count("\n") == 1 and err.startswith("xiqu: error: ") and "--out" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.yaml", "file.txt", "notebooks"] + (
        [] if os.geteuid() == 0 else ["ro"])


# --------------------------------------------------------------------------- CLI input errors
def test_cli_bad_scenario_exits_2_with_one_line_and_creates_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XIQU_NOTEBOOK_DIR", str(notebook_dir(tmp_path)))
    out = tmp_path / "outputs"
    bad = scenario_copy(tmp_path, name="bad")
    bad.write_text(bad.read_text().replace("gdp_base: 82.91", "gdp_base: -5"))
    code, stdout, err = cli(capsys, str(bad), "--out", str(out))
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and "bad.yaml" in err and "gdp_base" in err
    assert not out.exists()
    code, _, err = cli(capsys, str(tmp_path / "missing.yaml"), "--out", str(out))
    assert code == 2 and "not found" in err and not out.exists()


def test_cli_unknown_parameter_in_notebook_contract_exits_2(tmp_path, capsys, monkeypatch):
    # a scenario_report notebook that does not declare n_paths: the runner must refuse
    nbdir = notebook_dir(tmp_path)
    import nbformat

    nb = nbformat.read(nbdir / "scenario_report.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace("n_paths = 100\n", "")
    nbformat.write(nb, nbdir / "scenario_report.ipynb")
    monkeypatch.setenv("XIQU_NOTEBOOK_DIR", str(nbdir))
    out = tmp_path / "outputs"
    code, stdout, err = cli(capsys, str(scenario_copy(tmp_path)), "--out", str(out))
    assert code == 2 and stdout == "" and "parameter n_paths" in err and "not declared" in err
    assert not out.exists()


def test_cli_notebook_without_parameters_cell_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XIQU_NOTEBOOK_DIR", str(notebook_dir(tmp_path, data_audit="no_parameters")))
    out = tmp_path / "outputs"
    code, _, err = cli(capsys, str(scenario_copy(tmp_path)), "--out", str(out))
    assert code == 2 and "data_audit.ipynb" in err and "parameters" in err
    assert not out.exists()


@pytest.mark.parametrize("argv, problem", [
    (["--suite", "annual-review"], "--year"),
    (["--year", "2025"], "--year"),
    (["--suite", "annual-review", "--year", "1800"], "--year"),
    (["--jobs", "0"], "--jobs"),
    (["--timeout", "-1"], "--timeout"),
    (["--paths", "ten"], "--paths"),
    (["--language", "fr"], "--language"),
])
def test_cli_bad_options_exit_2(tmp_path, capsys, monkeypatch, argv, problem):
    monkeypatch.setenv("XIQU_NOTEBOOK_DIR", str(notebook_dir(tmp_path)))
    out = tmp_path / "outputs"
    code, stdout, err = cli(capsys, str(scenario_copy(tmp_path)), "--out", str(out), *argv)
    assert code == 2 and stdout == "" and err.count("\n") == 1 and problem in err
    assert not out.exists()


def test_duplicate_scenario_names_are_refused(tmp_path):
    a = scenario_copy(tmp_path, name="same")
    b = tmp_path / "other.yaml"
    b.write_text(a.read_text())
    with pytest.raises(InputError, match="also used by"):
        runner.plan_suite([a, b])


def test_plan_suite_jobs_and_contract_parameters(tmp_path):
    a, b = scenario_copy(tmp_path, "a", "A"), scenario_copy(tmp_path, "b", "B", source="high")
    jobs = runner.plan_suite([a, b], suite="annual-review", year=2025, n_paths=7, seed=3,
                             notebook_dir=tmp_path)
    by = {j.name: j for j in jobs}
    assert list(by) == ["scenario_report-a", "scenario_report-b", "scenario_comparison",
                        "data_audit", "annual_review-2025"]
    assert by["scenario_report-a"].parameters == {"scenario_path": str(a), "language": "en",
                                                  "n_paths": 7, "seed": 3}
    assert by["scenario_comparison"].parameters == {"scenario_paths": [str(a), str(b)], "language": "en"}
    assert by["data_audit"].parameters == {"region": "xiqu", "language": "en"}
    assert by["annual_review-2025"].parameters == {"review_year": 2025, "actuals_path": "",
                                                   "scenario_paths": [str(a), str(b)], "language": "en"}
    assert by["scenario_report-b"].title == "B"
    # without --seed every scenario keeps its own uncertainty.seed
    default = runner.plan_suite([a], notebook_dir=tmp_path)
    assert default[0].parameters["seed"] == runner._scenario_seed(
        __import__("xiqu_analysis.scenario", fromlist=["load_scenario"]).load_scenario(a))


def test_real_notebooks_accept_the_contract_parameters():
    """The shipped notebooks declare every parameter the runner passes (checked without a kernel)."""
    nbdir = ROOT / "notebooks"
    if not all((nbdir / f"{n}.ipynb").is_file() for n in runner.NOTEBOOK_NAMES):
        pytest.skip("report notebooks not written yet")
    jobs = runner.plan_suite(sorted((ROOT / "scenarios").glob("*.yaml")), suite="annual-review",
                             year=2025, notebook_dir=nbdir)
    validate_jobs(jobs)


# --------------------------------------------------------------------------- worker helpers
def test_literal_path_survives_papermill_path_formatting():
    p = "/tmp/a{seed}/b{{x}}/{0}.ipynb"
    assert literal_path(p).format(seed=1, x=2) == p


def test_kernel_start_failure_classification(tmp_path):
    executed = tmp_path / "never-written.ipynb"
    assert is_kernel_start_failure(RuntimeError("Kernel died before replying to kernel_info"), executed)
    assert is_kernel_start_failure(OSError("zmq.error.ZMQError: Address already in use"), executed)
    assert not is_kernel_start_failure(ValueError("something else"), executed)


# --------------------------------------------------------------------------- artifacts
def _artifacts(d: Path, data) -> None:
    d.mkdir(parents=True, exist_ok=True)
    (d / "artifacts.json").write_text(json.dumps(data))


def test_check_artifacts(tmp_path):
    assert "was not written" in check_artifacts(tmp_path)[0]
    _artifacts(tmp_path, {"tables": [], "figures": [], "complete": False})
    assert "complete=false" in check_artifacts(tmp_path)[0]
    _artifacts(tmp_path, {"tables": ["tables/t.csv"], "figures": [], "complete": True})
    assert "'tables/t.csv' does not exist" in check_artifacts(tmp_path)[0]
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "t.csv").write_text("a\n1\n")
    assert "tables.xlsx" in check_artifacts(tmp_path)[0]
    (tmp_path / "tables.xlsx").write_bytes(b"PK")
    assert check_artifacts(tmp_path) == (None, ["tables/t.csv"], [])
    _artifacts(tmp_path, {"tables": ["../../etc/passwd"], "figures": [], "complete": True})
    assert "outside" in check_artifacts(tmp_path)[0]
    (tmp_path / "artifacts.json").write_text("{not json")
    assert "not valid JSON" in check_artifacts(tmp_path)[0]


def test_banner_escapes_the_error_text():
    import nbformat

    nb = mark_notebook(nbformat.v4.new_notebook(), "failed", f"bad title {EVIL}")
    assert EVIL not in nb.cells[0].source and "&lt;script&gt;" in nb.cells[0].source
    nb = mark_notebook(nb, "timeout", "again")  # replaces, never stacks
    assert len(nb.cells) == 1 and "time limit" in nb.cells[0].source


# --------------------------------------------------------------------------- index and manifest
def test_index_autoescapes_titles_errors_and_links(tmp_path):
    rows = [{"name": "scenario_report-x", "title": EVIL, "notebook": "scenario_report.ipynb",
             "status": "failed", "error": f"ValueError: {EVIL}", "duration_s": 1.25,
             "html": "scenario_report-x.failed/r.html", "executed": None,
             "tables": ['t/"><script>x</script>.csv'], "figures": [], "xlsx": None}]
    run = {"run_id": "r", "status": "failed", "started": "s", "finished": None, "command": ["xiqu", EVIL]}
    render_index(tmp_path / "index.html", run, rows)
    html = (tmp_path / "index.html").read_text()
    assert "<script" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3
    assert 'href="scenario_report-x.failed/r.html"' in html
    assert "https://" not in html and "http://" not in html


def test_run_ids_are_unique_within_one_second(tmp_path):
    made = [create_run_dir(tmp_path) for _ in range(200)]
    assert len({run_id for run_id, _ in made}) == 200
    assert all(p.is_dir() and not any(p.iterdir()) for _, p in made)


def test_latest_pointer_is_replaced_atomically_and_never_deletes_a_real_folder(tmp_path):
    for rid in ("run-a", "run-b"):
        (tmp_path / rid).mkdir()
        update_latest(tmp_path, rid)
        assert os.readlink(tmp_path / "latest") == rid
        assert (tmp_path / "LATEST").read_text() == rid + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["LATEST", "latest", "run-a", "run-b"]
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "latest").mkdir()
    (other / "latest" / "keep.txt").write_text("mine")
    update_latest(other, "run-c")
    assert (other / "latest" / "keep.txt").read_text() == "mine"
    assert (other / "LATEST").read_text() == "run-c\n"


def test_atomic_json_and_hashes(tmp_path):
    atomic_write_json(tmp_path / "m.json", {"a": "西区"})
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8")) == {"a": "西区"}
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]
    f = tmp_path / "f.bin"
    f.write_bytes(b"abc")
    assert hash_files([f]) == {str(f): hashlib.sha256(b"abc").hexdigest()}


def test_git_info_and_versions_are_true():
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    info = git_info(ROOT)
    assert info["commit"] == head and isinstance(info["dirty"], bool)
    versions = package_versions()
    assert set(versions) == set(PACKAGES)
    import papermill

    assert versions["papermill"] == papermill.__version__
    assert git_info(Path("/")) == {"commit": None, "dirty": None}


# --------------------------------------------------------------------------- process tree
def test_kill_tree_stops_grandchildren_in_other_sessions():
    # a worker (own session) that starts a "kernel" in yet another session, like jupyter_client
    code = ("import subprocess, sys, time;"
            "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'], "
            "start_new_session=True); print(p.pid, flush=True); time.sleep(300)")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    grandchild = int(proc.stdout.readline())
    assert runner.descendants(proc.pid) == [grandchild]
    runner.kill_tree(proc, grace_s=0.5)
    assert proc.returncode is not None
    for _ in range(50):  # the grandchild is reaped by init once killed
        try:
            state = Path(f"/proc/{grandchild}/stat").read_text().split(")")[-1].split()[0]
        except FileNotFoundError:
            break
        if state == "Z":
            break
        time.sleep(0.1)
    else:
        os.kill(grandchild, signal.SIGKILL)
        pytest.fail("grandchild survived kill_tree")
