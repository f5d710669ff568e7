"""Runner checks that start no kernel: validation before anything runs, manifests, pointers, index.

Kernel-executing tests are in ``tests/end_to_end/test_runner_notebooks.py`` (marked ``notebook``).
"""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import psutil

from xiqu_analysis.errors import InputError
from xiqu_analysis.fileio import hash_files
from xiqu_analysis.inputs.scenario import DEFAULT_SEED, MAX_SEED, load_scenario
from xiqu_analysis.reports.parameters import MAX_PATHS, REVIEW_YEARS
from xiqu_analysis.runner.execute import run_jobs
from xiqu_analysis.runner.manifest import (
    PACKAGES,
    atomic_write_json,
    create_run_dir,
    git_info,
    package_versions,
    update_latest,
)
from xiqu_analysis.runner.processes import alive, descendants, kill_pids, kill_tree
from xiqu_analysis.runner.render import check_artifacts, mark_notebook, render_index
from xiqu_analysis.runner.suites import Job, plan_suite
from xiqu_analysis.runner.validate import check_output_root, validate_jobs, validate_parameters
from xiqu_analysis.runner.worker import is_kernel_start_failure, literal_path
from tests.helpers import ROOT
from tests.helpers.runs import EVIL, NOTEBOOK_FIXTURES, OK, notebook_dir, run_cli, scenario_copy

cli = run_cli


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
        validate_jobs([Job("x", NOTEBOOK_FIXTURES / "no_parameters.ipynb")])


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
        assert err.count("\n") == 1 and err.startswith("xiqu: error: ")
        assert f"{out}: field 'out': " in err  # the library names the value, not the CLI flag
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
    # argparse refuses these: the message names the flag
    (["--jobs", "0"], "--jobs"),
    (["--timeout", "-1"], "--timeout"),
    (["--paths", "ten"], "--paths"),
    (["--paths", "0"], "--paths"),
    (["--seed", "-1"], "--seed"),
    (["--language", "fr"], "--language"),
    # plan_suite: the library names the option, not the flag
    (["--suite", "annual-review"], "command line: field 'year': is required"),
    (["--year", "2025"], "command line: field 'year': only applies"),
    # the review year, bounded by the flag itself with the notebook model's limits (REVIEW_YEARS)
    (["--suite", "annual-review", "--year", "1800"], "argument --year: must be a year from 2021 to 2100, got 1800"),
    (["--suite", "annual-review", "--year", "2101"], "argument --year: must be a year from 2021 to 2100, got 2101"),
    # bounded by the flag itself, with the registry's limits (MAX_PATHS, MAX_SEED)
    (["--paths", str(MAX_PATHS + 1)], f"argument --paths: must be <= {MAX_PATHS:,}, got {MAX_PATHS + 1}"),
    (["--seed", str(MAX_SEED + 1)], f"argument --seed: must be <= {MAX_SEED:,}, got {MAX_SEED + 1}"),
])
def test_cli_bad_options_exit_2(tmp_path, capsys, monkeypatch, argv, problem):
    nbdir = notebook_dir(tmp_path)
    monkeypatch.setenv("XIQU_NOTEBOOK_DIR", str(nbdir))
    out = tmp_path / "outputs"
    code, stdout, err = cli(capsys, str(scenario_copy(tmp_path)), "--out", str(out), *argv)
    assert code == 2 and stdout == "" and err.count("\n") == 1 and problem in err, err
    if ".ipynb" in problem:
        assert f"xiqu: error: {nbdir}/" in err  # the notebook's full path
    assert not out.exists()


@pytest.mark.parametrize("options, field, notebook", [
    ({"language": "fr"}, "language", "scenario_report"),
    ({"n_paths": 0}, "n_paths", "scenario_report"),
    ({"n_paths": MAX_PATHS + 1}, "n_paths", "scenario_report"),
    ({"seed": -1}, "seed", "scenario_report"),
    ({"seed": MAX_SEED + 1}, "seed", "scenario_report"),
    ({"suite": "annual-review", "year": REVIEW_YEARS[0] - 1}, "review_year", "annual_review"),
    ({"suite": "annual-review", "year": REVIEW_YEARS[1] + 1}, "review_year", "annual_review"),
    ({"region": "nowhere"}, "region", "data_audit"),
])
def test_option_values_are_checked_by_the_notebook_models_before_anything_runs(tmp_path, options, field,
                                                                              notebook):
    """plan_suite no longer checks ranges itself; validate_jobs (and so run_jobs) refuses them."""
    nbdir = notebook_dir(tmp_path)
    jobs = plan_suite([scenario_copy(tmp_path)], notebook_dir=nbdir, **options)
    with pytest.raises(InputError) as exc:
        validate_jobs(jobs)
    assert (exc.value.source, exc.value.field) == (str(nbdir / f"{notebook}.ipynb"), field)
    out = tmp_path / "outputs"
    with pytest.raises(InputError) as exc:
        run_jobs(jobs, out, max_jobs=1)
    assert exc.value.field == field
    assert not out.exists()


def test_the_limits_themselves_are_accepted(tmp_path):
    nbdir = notebook_dir(tmp_path)
    sc = scenario_copy(tmp_path)
    for options in ({"n_paths": 1, "seed": 0}, {"n_paths": MAX_PATHS, "seed": MAX_SEED},
                    {"suite": "annual-review", "year": REVIEW_YEARS[0], "language": "zh", "allow_empty": True},
                    {"suite": "annual-review", "year": REVIEW_YEARS[1], "allow_empty": True}):
        validate_jobs(plan_suite([sc], notebook_dir=nbdir, **options))


@pytest.mark.parametrize("kwargs, field", [
    ({"max_jobs": 0}, "jobs"), ({"max_jobs": 1.5}, "jobs"), ({"max_jobs": True}, "jobs"),
    ({"timeout": 0}, "timeout"), ({"timeout": float("nan")}, "timeout"), ({"timeout": -1.0}, "timeout"),
])
def test_run_options_are_refused_with_the_option_name_and_nothing_is_created(tmp_path, kwargs, field):
    out = tmp_path / "outputs"
    kwargs = {"max_jobs": 1, **kwargs}
    with pytest.raises(InputError) as exc:
        run_jobs([Job("ok", OK)], out, **kwargs)
    assert (exc.value.source, exc.value.field) == ("command line", field)
    assert not out.exists()


def test_plan_suite_options_name_the_option_not_the_flag(tmp_path):
    sc = scenario_copy(tmp_path)
    for kwargs, field in (({"suite": "weekly"}, "suite"), ({"suite": "annual-review"}, "year"),
                          ({"year": 2025}, "year")):
        with pytest.raises(InputError) as exc:
            plan_suite([sc], notebook_dir=tmp_path, **kwargs)
        assert (exc.value.source, exc.value.field) == ("command line", field)


def test_duplicate_scenario_names_are_refused(tmp_path):
    a = scenario_copy(tmp_path, name="same")
    b = tmp_path / "other.yaml"
    b.write_text(a.read_text())
    with pytest.raises(InputError, match="also used by"):
        plan_suite([a, b])


def test_plan_suite_jobs_and_contract_parameters(tmp_path):
    a, b = scenario_copy(tmp_path, "a", "A"), scenario_copy(tmp_path, "b", "B", source="high")
    jobs = plan_suite([a, b], suite="annual-review", year=2025, n_paths=7, seed=3,
                             notebook_dir=tmp_path, allow_empty=True)
    by = {j.name: j for j in jobs}
    assert list(by) == ["scenario_report-a", "scenario_report-b", "scenario_comparison",
                        "data_audit", "annual_review-2025"]
    assert by["scenario_report-a"].parameters == {"scenario_path": str(a), "language": "en",
                                                  "n_paths": 7, "seed": 3}
    assert by["scenario_comparison"].parameters == {"scenario_paths": [str(a), str(b)], "language": "en"}
    assert by["data_audit"].parameters == {"region": "xiqu", "language": "en"}
    assert by["annual_review-2025"].parameters == {"review_year": 2025, "region": "xiqu", "actuals_path": "",
                                                   "scenario_paths": [str(a), str(b)], "language": "en"}
    assert by["scenario_report-b"].title == "B"
    assert by["data_audit"].inputs == () and by["scenario_report-a"].inputs == (a,)
    assert by["annual_review-2025"].inputs == (a, b)
    # without --seed every scenario keeps its own uncertainty.seed
    own = scenario_copy(tmp_path, "own", "Own", source="high")
    own.write_text(own.read_text().replace("seed: 20210801", "seed: 4242"))
    assert load_scenario(own).uncertainty.seed == 4242
    default = {j.name: j.parameters for j in plan_suite([a, own], notebook_dir=tmp_path)}
    assert default["scenario_report-a"]["seed"] == load_scenario(a).uncertainty.seed == DEFAULT_SEED
    assert default["scenario_report-own"]["seed"] == 4242
    # a region is passed to the audit and the review
    jobs = plan_suite([a], suite="annual-review", year=2030, region="other", notebook_dir=tmp_path)
    assert [j.parameters.get("region") for j in jobs] == [None, "other", "other"]


def test_real_notebooks_accept_the_contract_parameters():
    """The shipped notebooks declare every parameter the runner passes (checked without a kernel)."""
    nbdir = ROOT / "notebooks"
    jobs = plan_suite(sorted((ROOT / "scenarios").glob("*.yaml")), suite="annual-review",
                             year=2025, notebook_dir=nbdir, allow_empty=True)
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
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4  # the title for readers and in the record
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
    (tmp_path / "a.bin").write_bytes(b"")
    link = tmp_path / "link.bin"
    link.symlink_to(f)
    # keys: absolute resolved paths, sorted; a link is hashed as the file it names
    assert hash_files([f, tmp_path / "sub" / ".." / "a.bin"]) == {
        str((tmp_path / "a.bin").resolve()): hashlib.sha256(b"").hexdigest(),
        str(f.resolve()): hashlib.sha256(b"abc").hexdigest()}
    assert list(hash_files([f, tmp_path / "a.bin"])) == sorted(hash_files([f, tmp_path / "a.bin"]))
    assert hash_files([link]) == {str(f.resolve()): hashlib.sha256(b"abc").hexdigest()}
    with pytest.raises(InputError, match="cannot hash"):
        hash_files([tmp_path / "missing.bin"])


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
def _running(pid: int) -> bool:
    """True while ``pid`` runs (a zombie has stopped: only its exit status is left)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


#: a "worker" (own session) that starts a "kernel" in yet another session, like jupyter_client,
#: which starts a child of its own in its session (a `!cmd` or subprocess of a notebook cell)
TREE = """\
import signal, subprocess, sys, time
if sys.argv[1] == "ignore":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
kernel = ("import signal, subprocess, sys, time\\n"
          "if sys.argv[1] == 'ignore': signal.signal(signal.SIGTERM, signal.SIG_IGN)\\n"
          "c = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'])\\n"
          "print(c.pid, flush=True)\\n"
          "time.sleep(300)\\n")
k = subprocess.Popen([sys.executable, "-c", kernel, sys.argv[1]], start_new_session=True,
                     stdout=subprocess.PIPE, text=True)
child = k.stdout.readline().strip()
print(k.pid, child, flush=True)
time.sleep(300)
"""


@pytest.mark.parametrize("sigterm", ["default", "ignore"])
def test_kill_tree_stops_grandchildren_in_other_sessions(sigterm):
    proc = subprocess.Popen([sys.executable, "-c", TREE, sigterm], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    kernel, child = map(int, proc.stdout.readline().split())
    tree = [proc.pid, kernel, child]
    try:
        assert sorted(descendants(proc.pid)) == sorted([kernel, child])
        assert descendants(kernel) == [child]
        assert alive(tree) == tree
        assert os.getpgid(kernel) == kernel != os.getpgid(proc.pid)  # another session, as the test means
        kill_tree(proc, grace_s=0.5)
        assert proc.returncode is not None
        # when kill_tree returns, no process of the tree runs any more (no waiting here)
        assert [pid for pid in tree if _running(pid)] == []
        assert alive(tree) == [] and descendants(proc.pid) == []
    finally:
        for pid in tree:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)


def test_kill_pids_stops_each_process_and_its_descendants():
    proc = subprocess.Popen([sys.executable, "-c", TREE, "ignore"], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    kernel, child = map(int, proc.stdout.readline().split())
    try:
        kill_pids([kernel], grace_s=0.5)  # the kernel's tree only: its parent goes on
        assert not _running(kernel) and not _running(child)
        assert _running(proc.pid)
    finally:
        kill_tree(proc, grace_s=0.5)
    assert not _running(proc.pid)


def test_descendants_and_alive_of_a_finished_process():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert descendants(proc.pid) == [] and alive([proc.pid]) == []
