"""The runner's record and reuse without a kernel: abandoned runs, the disk reserve, reuse keys, messages.

Processes here are real (``sleep`` children in sessions of their own, like a
worker and its kernel); a full disk is ``/dev/full``, a real device whose
every write fails with ENOSPC.
"""
from __future__ import annotations

import errno
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from xiqu_analysis.errors import InputError, printable
from xiqu_analysis.reports.words.text import esc
from xiqu_analysis.runner.processes import identity
from xiqu_analysis.runner.record import (RUNTIME_PREFIX, QuietFileHandler, Reserve, index_rows, is_disk_full,
                                         runner_identity, sweep_abandoned)
from xiqu_analysis.runner.render import check_artifacts, render_index
from xiqu_analysis.runner.reuse import find_reusable, folder_hashes, job_key, source_digest
from xiqu_analysis.runner.suites import Job

from tests.helpers import ROOT
from tests.helpers.runs import NOTEBOOK_FIXTURES, OK


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


# --------------------------------------------------------------------------- messages
@pytest.mark.parametrize("name, shown", [
    ("a\nb.yaml", "a\\nb.yaml"),
    ("red\x1b[31m.yaml", "red\\x1b[31m.yaml"),
    ("rtl\u202egnp.yaml", "rtl\\u202egnp.yaml"),
    (os.fsdecode(b"bad\xff.yaml"), "bad\\udcff.yaml"),
    ("西区 情景.yaml", "西区 情景.yaml"),
])
def test_names_with_control_characters_are_escaped_in_one_line(name, shown):
    assert printable(name) == shown
    msg = str(InputError(f"/tmp/{name}", "field\n2", "bad\nvalue"))
    assert msg == f"/tmp/{shown}: field 'field\\n2': bad value"
    msg.encode("utf-8")  # printable on any UTF-8 terminal (a lone surrogate is not)


@pytest.mark.parametrize("text, shown, not_linked", [
    ("costs $5 and R&D_2 costs $3 *of* it", "costs $5 and R&amp;D_2 costs $3 *of* it", ""),
    ("see https://example.org/a_b", "see https://example.org/a_b", "example.org"),
    ("see <https://example.org/x>", "see &lt;https://example.org/x&gt;", "example.org"),
    ("www.example.org or mail a@b.org", "www.example.org or mail a@b.org", "example.org"),
    ("$$x^2$$ ~~gone~~ [link](http://x.org)", "$$x^2$$ ~~gone~~ [link](http://x.org)", "x.org"),
])
def test_scenario_text_is_rendered_literally_by_nbconvert(text, shown, not_linked):
    """Through nbconvert's own Markdown renderer (mistune, with its maths and autolink rules)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    html = markdown2html_mistune(esc(text))
    assert html == f"<p>{shown}</p>\n", html
    assert "<a " not in html and "<span class=\"math" not in html and "\\" not in html


# --------------------------------------------------------------------------- artifacts
def test_a_table_with_an_infinite_number_is_not_a_complete_report(tmp_path):
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "t.csv").write_text("year,gdp\n2020,1.0\n2021,inf\n", encoding="utf-8")
    (tmp_path / "tables.xlsx").write_bytes(b"PK")
    (tmp_path / "artifacts.json").write_text(json.dumps({"tables": ["tables/t.csv"], "figures": [],
                                                         "complete": True}))
    problem, _, _ = check_artifacts(tmp_path)
    assert problem == "wrong results: table 'tables/t.csv' holds an infinite number (inf) on line 3"
    (tmp_path / "tables" / "t.csv").write_text("year,gdp,note\n2020,1.0,\n2021,2.0,inflation\n", encoding="utf-8")
    assert check_artifacts(tmp_path)[0] is None  # empty cells and words containing "inf" are fine


# --------------------------------------------------------------------------- a full disk
def test_run_log_on_a_full_disk_stays_silent(capsys):
    handler = QuietFileHandler("/dev/full")  # every write: ENOSPC
    logger = logging.getLogger("xiqu-test-full-disk")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.error("x" * 100_000)
    finally:
        logger.removeHandler(handler)
        try:
            handler.close()
        except OSError:
            pass
    assert is_disk_full(handler.failed)
    assert capsys.readouterr().err == ""  # not logging's multi-line "--- Logging error ---"


def test_disk_full_is_recognised_through_causes():
    with pytest.raises(OSError) as info:
        with open("/dev/full", "wb") as fh:
            fh.write(b"x")
    assert info.value.errno == errno.ENOSPC and is_disk_full(info.value)
    wrapped = RuntimeError("rendering failed")
    wrapped.__cause__ = info.value
    assert is_disk_full(wrapped) and not is_disk_full(ValueError("x")) and not is_disk_full(None)


def test_reserve_holds_space_until_released(tmp_path):
    r = Reserve(tmp_path / "reserve", 300_000)
    assert (tmp_path / "reserve").stat().st_size == 300_000
    assert os.stat(tmp_path / "reserve").st_blocks * 512 >= 300_000  # allocated, not a sparse file
    assert r.release() and not (tmp_path / "reserve").exists() and not r.release()


# --------------------------------------------------------------------------- abandoned runs
def _dead_identity() -> dict:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    ident = identity(proc.pid)
    proc.wait()
    return {**ident, "host": socket.gethostname()}


def _run(out: Path, run_id: str, runner: dict, **extra) -> Path:
    run = out / run_id
    (run / "data_audit.partial").mkdir(parents=True)
    (run / "scenario_report-a").mkdir()
    (run / "scenario_report-a" / "r.html").write_text("kept", encoding="utf-8")
    manifest = {"run_id": run_id, "status": "running", "runner": runner, "reason": None, "started": "s",
                "finished": None, "command": ["xiqu", "run"],
                "notebooks": {"scenario_report-a": {"status": "ok", "folder": "scenario_report-a", "title": "A"},
                              "data_audit": {"status": "running", "folder": None, "title": "Audit"},
                              "scenario_comparison": {"status": "pending", "folder": None, "title": "C"}},
                **extra}
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return run


def test_a_run_left_running_by_a_dead_runner_is_marked_abandoned_and_its_processes_stopped(tmp_path):
    out = tmp_path / "out"
    # a "worker" and a "kernel" (a session leader) with a child, as a killed runner leaves them
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True)
    kernel = subprocess.Popen([sys.executable, "-c",
                               "import subprocess, sys, time\n"
                               "c = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
                               "print(c.pid, flush=True); time.sleep(120)"],
                              start_new_session=True, stdout=subprocess.PIPE, text=True)
    child = int(kernel.stdout.readline())
    runtime = Path(tempfile.mkdtemp(prefix=RUNTIME_PREFIX))
    (runtime / "kernel-1.json").write_text('{"key": "secret"}')
    try:
        run = _run(out, "r1", _dead_identity(), runtime_dir=str(runtime),
                   processes={"workers": [identity(worker.pid)], "kernels": [identity(kernel.pid)]})
        untouched = [_run(out, "r2", runner_identity()),  # its runner (this process) is alive
                     _run(out, "r3", {**_dead_identity(), "host": "another-host"})]
        before = [(r / "manifest.json").read_bytes() for r in untouched]
        lines = sweep_abandoned(out, "r9")
        assert lines == ["run r1 was left running by a runner that is gone: marked abandoned, "
                         "3 process(es) stopped"]
        m = json.loads((run / "manifest.json").read_text())
        assert m["status"] == "abandoned" and m["finished"] and "marked abandoned by run r9" in m["reason"]
        assert {k: v["status"] for k, v in m["notebooks"].items()} == {
            "scenario_report-a": "ok", "data_audit": "abandoned", "scenario_comparison": "abandoned"}
        assert m["notebooks"]["data_audit"]["folder"] == "data_audit.abandoned"
        assert (run / "data_audit.abandoned").is_dir() and not (run / "data_audit.partial").exists()
        assert (run / "scenario_report-a" / "r.html").read_text() == "kept"
        assert "abandoned" in (run / "index.html").read_text()
        assert not runtime.exists()  # the connection files (signing keys) are gone
        for proc in (worker, kernel):
            proc.wait(timeout=10)  # stopped by the sweep
        assert not _running(child)
        assert [(r / "manifest.json").read_bytes() for r in untouched] == before
        assert sweep_abandoned(out, "r10") == []  # once only
    finally:
        for pid in (worker.pid, kernel.pid, child):
            if _running(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_reused_pid_is_never_signalled(tmp_path):
    """A record whose pid now belongs to another process (other start time) stops nothing."""
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
    try:
        fake = {"pid": bystander.pid, "create_time": identity(bystander.pid)["create_time"] - 100}
        _run(tmp_path, "r1", _dead_identity(), processes={"workers": [fake], "kernels": [fake]})
        assert sweep_abandoned(tmp_path, "r2")[0].endswith("marked abandoned")
        time.sleep(0.2)
        assert _running(bystander.pid)
    finally:
        bystander.kill()
        bystander.wait()


def test_index_rows_come_from_the_manifest(tmp_path):
    m = {"run_id": "r", "status": "complete", "started": "s", "finished": "f", "command": ["xiqu"],
         "reason": None, "notebooks": {"x": {"title": "X", "notebook": "/n/x.ipynb", "status": "ok", "error": None,
                                             "duration_s": 0.1, "html": "x/x.html", "executed_notebook": "x/x.ipynb",
                                             "tables": ["x/tables/t.csv"], "figures": [], "tables_xlsx": None,
                                             "reused_from": "20260101-000000-abcdef"}}}
    rows = index_rows(m)
    assert rows[0]["notebook"] == "x.ipynb" and rows[0]["reused_from"] == "20260101-000000-abcdef"
    render_index(tmp_path / "index.html", m, rows)
    assert "reused from 20260101-000000-abcdef" in (tmp_path / "index.html").read_text()


# --------------------------------------------------------------------------- reuse
def _key(job: Job, **changes) -> str:
    kw = dict(notebook_sha256="n", source="s", versions="v", data={"/d/a.csv": "1"}, inputs={"/s/a.yaml": "2"},
              kernel_name="python3")
    kw.update(changes)
    return job_key(job, **kw)


def test_the_reuse_key_changes_with_everything_that_decides_the_outputs():
    job = Job("x", OK, {"seed": 1}, title="X")
    base = _key(job)
    assert _key(Job("x", OK, {"seed": 1}, title="X")) == base
    changed = [_key(Job("x", OK, {"seed": 2}, title="X")), _key(Job("x", OK, {"seed": 1}, title="Y")),
               _key(Job("x", OK, {"seed": 1}, title="X", formats=("html", "pdf"))),
               _key(job, notebook_sha256="n2"), _key(job, source="s2"), _key(job, versions="v2"),
               _key(job, data={"/d/a.csv": "3"}), _key(job, inputs={"/s/a.yaml": "4"}), _key(job, kernel_name="k")]
    assert len({base, *changed}) == len(changed) + 1


def test_source_digest_sees_every_package_file(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "a.py").write_text("x = 1\n")
    (pkg / "sub" / "t.yaml").write_text("k: v\n")
    (pkg / "__pycache__").mkdir()
    first = source_digest(pkg)
    (pkg / "__pycache__" / "a.pyc").write_bytes(b"\0")
    assert source_digest(pkg) == first  # caches do not count
    (pkg / "sub" / "t.yaml").write_text("k: w\n")
    assert source_digest(pkg) != first


def _earlier(out: Path, status: str = "complete", job_status: str = "ok") -> Path:
    run = out / "20260101-000000-abcdef"
    (run / "data_audit" / "tables").mkdir(parents=True)
    (run / "data_audit" / "tables" / "t.csv").write_text("a\n1\n")
    (run / "data_audit" / "r.html").write_text("<p>r</p>")
    entry = {"status": job_status, "folder": "data_audit", "reuse_key": "K",
             "files": folder_hashes(run / "data_audit")}
    (run / "manifest.json").write_text(json.dumps({"run_id": run.name, "status": status,
                                                   "notebooks": {"data_audit": entry}}))
    (out / "LATEST").write_text(run.name + "\n")
    return run


def test_find_reusable_takes_only_unchanged_ok_jobs_of_the_latest_complete_run(tmp_path):
    run = _earlier(tmp_path)
    found = find_reusable(tmp_path, {"data_audit": "K", "other": "K"})
    assert list(found) == ["data_audit"] and found["data_audit"].run_id == run.name
    assert find_reusable(tmp_path, {"data_audit": "changed"}) == {}
    (run / "data_audit" / "r.html").write_text("<p>edited</p>")  # someone edited the earlier report
    assert find_reusable(tmp_path, {"data_audit": "K"}) == {}
    (run / "data_audit" / "r.html").write_text("<p>r</p>")
    (run / "data_audit" / "extra.txt").write_text("new")  # or added a file
    assert find_reusable(tmp_path, {"data_audit": "K"}) == {}


@pytest.mark.parametrize("status, job_status", [("failed", "ok"), ("running", "ok"), ("complete", "failed")])
def test_nothing_is_reused_from_a_run_that_is_not_complete(tmp_path, status, job_status):
    _earlier(tmp_path, status, job_status)
    assert find_reusable(tmp_path, {"data_audit": "K"}) == {}


def test_no_latest_run_means_no_reuse(tmp_path):
    assert find_reusable(tmp_path, {"data_audit": "K"}) == {}
    (tmp_path / "LATEST").write_text("../../etc\n")
    assert find_reusable(tmp_path, {"data_audit": "K"}) == {}


# --------------------------------------------------------------------------- notebook parameters
def test_declared_parameters_are_what_papermill_reports():
    """The runner reads parameters cells without papermill; it must see what papermill sees."""
    import papermill as pm

    from xiqu_analysis.runner.validate import notebook_parameters

    notebooks = [*sorted((ROOT / "notebooks").glob("*.ipynb")), *sorted(NOTEBOOK_FIXTURES.glob("*.ipynb"))]
    checked = 0
    for nb in notebooks:
        if nb.stem == "no_parameters":
            continue
        assert notebook_parameters(nb) == pm.inspect_notebook(str(nb)), nb.name
        checked += 1
    assert checked >= 8


def test_a_parameters_cell_with_a_magic_is_read_by_papermill(tmp_path):
    import nbformat

    from xiqu_analysis.runner.validate import notebook_parameters

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("%matplotlib inline\nn_paths: int = 5  # paths\n")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "m.ipynb")
    assert notebook_parameters(tmp_path / "m.ipynb")["n_paths"]["inferred_type_name"] == "int"


def test_the_run_workbook_is_reused_only_when_made_of_the_same_reports(tmp_path):
    from xiqu_analysis.fileio import sha256_file
    from xiqu_analysis.runner.reuse import reusable_workbook, workbook_key

    jobs = [("data_audit", "data_audit", {"t.csv": "1"}), ("scenario_report-a", "scenario_report-a", {"x": "2"})]
    key = workbook_key(jobs, "src", "ver")
    assert workbook_key(list(reversed(jobs)), "src", "ver") == key  # order does not matter
    assert workbook_key(jobs[:1], "src", "ver") != key and workbook_key(jobs, "src2", "ver") != key
    assert workbook_key([("data_audit", "data_audit", {"t.csv": "3"}), jobs[1]], "src", "ver") != key
    (tmp_path / "tables.xlsx").write_bytes(b"PK workbook")
    manifest = {"workbook": "tables.xlsx", "workbook_key": key, "workbook_sha256": sha256_file(tmp_path / "tables.xlsx")}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    assert reusable_workbook(tmp_path, key) == tmp_path / "tables.xlsx"
    assert reusable_workbook(tmp_path, "other key") is None
    (tmp_path / "tables.xlsx").write_bytes(b"PK edited")
    assert reusable_workbook(tmp_path, key) is None
