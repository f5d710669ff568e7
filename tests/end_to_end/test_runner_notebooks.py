"""Runner tests that execute notebooks with a real kernel (papermill, nbclient, nbconvert; no mocks).

One run of the fixture notebooks (ok, raising, sys.exit(0), kernel suicide,
sleeping past its time limit) is shared by most assertions; the CLI, the real
report notebooks, two concurrent runs, SIGTERM/SIGINT, a timeout whose process
tree (worker, kernel, the kernel's child) must be gone when the job is recorded,
and the kernel-start retry get runs of their own.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from importlib import metadata
from pathlib import Path

import nbformat
import psutil
import pytest

from xiqu_analysis.runner.execute import run_jobs
from xiqu_analysis.runner.suites import Job

from tests.helpers import ROOT
from tests.helpers.runs import (EVIL, NOTEBOOK_FIXTURES, as_from_a_terminal, notebook_dir, scenario_copy, running,
                                 template_pids, tree_pids)
from tests.helpers.shared_runs import EN_TWO_SCENARIOS_REVIEW, shared_run

pytestmark = pytest.mark.notebook

# generous: a 2-core CI machine running two kernels starts each in a few seconds
LIMIT_S = 240.0
IMG_PNG = re.compile(r'<img[^>]+src="data:image/png;base64,')
# the sleeping notebook writes its pids a few seconds after its job starts (a prestarted kernel); past this
# limit it is stopped
SLEEP_LIMIT_S = 12.0






def _worker_pid_logged(run_dir: Path, job: str) -> int:
    """The worker pid the runner logged when it started ``job``."""
    found = re.findall(rf"start {re.escape(job)} \(.*\), worker pid (\d+)", (run_dir / "run.log").read_text())
    assert len(found) == 1, found
    return int(found[0])


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def _xiqu(*argv: str, env: dict | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "xiqu_analysis", "run", *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, preexec_fn=as_from_a_terminal, **kw)


# --------------------------------------------------------------------------- the shared run
@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory):
    """The run of the five fixture notebooks that most tests here read.

    Over 20 s (about 20-25 s on 2 cores): the sleeping notebook must outlive its time limit (12 s) while the
    four others, each in a kernel of its own, run beside it."""
    out = tmp_path_factory.mktemp("outputs")
    jobs = [
        Job("ok", NOTEBOOK_FIXTURES / "ok.ipynb", {"title": EVIL, "seed": 7}, title=EVIL),
        Job("raising", NOTEBOOK_FIXTURES / "raising.ipynb", title="Raising"),
        Job("exit_early", NOTEBOOK_FIXTURES / "exit_early.ipynb", title="Exit early"),
        Job("kernel_kill", NOTEBOOK_FIXTURES / "kill_kernel.ipynb", title="Kernel kill"),
        Job("sleeping", NOTEBOOK_FIXTURES / "sleeping.ipynb", title="Sleeping", timeout_s=SLEEP_LIMIT_S),
    ]
    head_before = _head()
    result = run_jobs(jobs, out, max_jobs=2, timeout=LIMIT_S, command=["pytest", "fixture_run"],
                      data_dir=ROOT / "data")
    manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    manifest["_test_heads"] = (head_before, _head())
    return result, manifest, out


def _head() -> str:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()


def _is_ancestor(a: str, b: str) -> bool:
    return subprocess.run(["git", "-C", str(ROOT), "merge-base", "--is-ancestor", a, b]).returncode == 0


def test_statuses_and_exit_code(fixture_run):
    result, manifest, out = fixture_run
    assert result.jobs == {"ok": "ok", "raising": "failed", "exit_early": "failed",
                           "kernel_kill": "kernel_died", "sleeping": "timeout"}
    assert result.exit_code == 1 and result.status == "failed" == manifest["status"]
    assert not (out / "latest").exists() and not (out / "LATEST").exists()  # only complete runs
    assert sorted(p.name for p in result.run_dir.iterdir()) == sorted([
        ".runner", "index.html", "manifest.json", "run.log", "ok", "raising.failed",
        "exit_early.failed", "kernel_kill.kernel_died", "sleeping.timeout"])


def test_failing_notebook_is_kept_with_its_error(fixture_run):
    result, manifest, _ = fixture_run
    entry = manifest["notebooks"]["raising"]
    assert entry["status"] == "failed"
    assert entry["error"].startswith("ValueError: deliberate failure in fixture")
    nb = nbformat.read(result.run_dir / "raising.failed" / "raising.ipynb", as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "ValueError"
    html = (result.run_dir / "raising.failed" / "raising.html").read_text()
    assert "deliberate failure in fixture" in html and "did not finish" in html


def test_sys_exit_zero_is_a_failure_for_incomplete_artifacts(fixture_run):
    result, manifest, _ = fixture_run
    entry = manifest["notebooks"]["exit_early"]
    assert entry["status"] == "failed"
    assert entry["error"].startswith("incomplete artifacts: artifacts.json was not written")
    assert "incomplete artifacts" in (result.run_dir / "exit_early.failed" / "exit_early.html").read_text()


def test_kernel_death_is_reported_as_such(fixture_run):
    result, manifest, _ = fixture_run
    entry = manifest["notebooks"]["kernel_kill"]
    assert entry["status"] == "kernel_died" and "DeadKernelError" in entry["error"]
    nb = nbformat.read(result.run_dir / "kernel_kill.kernel_died" / "kill_kernel.ipynb", as_version=4)
    assert "the kernel died" in nb.cells[0].source  # the banner papermill does not add


def test_timeout_is_reported_and_the_kernel_is_killed(fixture_run):
    result, manifest, _ = fixture_run
    entry = manifest["notebooks"]["sleeping"]
    assert entry["status"] == "timeout" and f"{SLEEP_LIMIT_S:g} s" in entry["error"]
    assert entry["timeout_s"] == SLEEP_LIMIT_S and entry["duration_s"] >= SLEEP_LIMIT_S
    pid = int((result.run_dir / "sleeping.timeout" / "kernel.pid").read_text())
    assert not running(pid), f"kernel {pid} still running after the timeout"
    assert "time limit" in (result.run_dir / "sleeping.timeout" / "sleeping.html").read_text()


def test_after_a_timeout_no_process_of_the_workers_tree_is_left(tmp_path):
    """Worker, its kernel template, kernel and the kernel's own child are gone as soon as the job is recorded."""
    out = tmp_path / "out"
    job = Job("sleeping", NOTEBOOK_FIXTURES / "sleeping.ipynb", title="Sleeping", timeout_s=SLEEP_LIMIT_S)
    result = run_jobs([job], out, max_jobs=1, timeout=LIMIT_S, data_dir=ROOT / "data")
    job_dir = result.run_dir / "sleeping.timeout"
    entry = json.loads(result.manifest_path.read_text())["notebooks"]["sleeping"]
    assert entry["status"] == "timeout", entry["error"]
    pids = tree_pids(job_dir)  # written before the timeout hit, else this fails: raise SLEEP_LIMIT_S
    # the recorded pids are the tree the runner started: its worker, whose child is the kernel
    assert pids["worker"] == _worker_pid_logged(result.run_dir, "sleeping")
    templates = template_pids(result.run_dir)  # the kernel was forked from the worker's template
    assert len(templates) == 1
    pids["template"] = templates[0]
    try:
        # checked at once, without waiting: run_jobs returns after kill_tree, which returns
        # only when no process of the tree runs any more
        assert {name: pid for name, pid in pids.items() if running(pid)} == {}
        for pid in pids.values():  # gone, or a zombie nobody reaps: either way stopped
            assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    finally:
        for pid in pids.values():
            if running(pid):
                os.kill(pid, signal.SIGKILL)


def test_html_has_no_code_and_embeds_figures_offline(fixture_run):
    result, _, _ = fixture_run
    html = (result.run_dir / "ok" / "ok.html").read_text(encoding="utf-8")
    assert IMG_PNG.search(html)  # the figure itself, not the stylesheet's data: icons
    for code in ("to_csv", "import html", "output_dir =", "scenario_paths", "injected-parameters",
                 "Parameters", 'class="jp-InputArea-editor', 'class="jp-InputPrompt',
                 "In&nbsp;["):
        assert code not in html, code
    assert not re.search(r"<script", html, re.I)  # no script at all, local or remote
    assert not re.search(r"<(link|img|iframe)[^>]+(src|href)=\"(https?:)?//", html, re.I)
    assert "cdn" not in " ".join(re.findall(r"<(?:script|link)[^>]*>", html)).lower()
    assert "Content-Security-Policy" in html
    # the notebook's printed/displayed title arrives escaped
    assert EVIL not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_index_links_every_report_and_table_with_status_and_escapes(fixture_run):
    result, manifest, _ = fixture_run
    index = result.index_path.read_text(encoding="utf-8")
    assert EVIL not in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert not re.search(r"<script", index, re.I)
    for name, entry in manifest["notebooks"].items():
        assert f'id="job-{name}"' in index
        assert f'status-{entry["status"]}' in index
        assert f'href="{entry["html"]}"' in index
        for t in entry["tables"] + entry["figures"]:
            assert f'href="{t}"' in index
            assert (result.run_dir / t).is_file()
    assert 'href="ok/tables/demo.csv"' in index and 'href="ok/tables.xlsx"' in index


def test_manifest_fields_are_present_and_true(fixture_run):
    result, m, _ = fixture_run
    assert m["run_id"] == result.run_id and re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{6}", m["run_id"])
    assert m["command"] == ["pytest", "fixture_run"]
    for key in ("started", "finished"):
        assert datetime.fromisoformat(m[key]).utcoffset().total_seconds() == 0
    assert m["python"] == sys.version.split()[0] and m["cpu_count"] == os.cpu_count()
    assert m["platform"]
    for name, version in m["packages"].items():
        try:
            assert version == metadata.version(name)
        except metadata.PackageNotFoundError:
            assert version is None
    # HEAD when the run started; others may commit while it runs, so: between before and after
    before, after = m["_test_heads"]
    commit = m["git"]["commit"]
    assert commit == before or (_is_ancestor(before, commit) and _is_ancestor(commit, after))
    assert isinstance(m["git"]["dirty"], bool)
    assert m["data_files"], "data files were not hashed"
    for path, digest in m["data_files"].items():
        assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == digest
    ok = m["notebooks"]["ok"]
    assert ok["parameters"] == {"title": EVIL, "seed": 7, "output_dir": str(result.run_dir / "ok.partial")}
    assert ok["notebook_sha256"] == hashlib.sha256((NOTEBOOK_FIXTURES / "ok.ipynb").read_bytes()).hexdigest()
    assert ok["status"] == "ok" and ok["error"] is None and ok["duration_s"] > 0
    assert ok["kernel_start_attempts"] == 1
    assert ok["tables"] == ["ok/tables/demo.csv"] and ok["figures"] == ["ok/figures/demo.png"]
    log = (result.run_dir / "run.log").read_text(encoding="utf-8")
    for name, entry in m["notebooks"].items():
        assert f"done {name}: {entry['status']}" in log


# --------------------------------------------------------------------------- CLI on the real notebooks
def test_cli_real_notebooks_two_scenarios(tmp_path_factory):
    """The annual-review suite of two shipped scenarios through the command line, HTML only (the Word and PDF
    versions are test_formats_notebooks.py's): five real notebooks, about 20 s on 2 cores when this test is the
    first to ask for the run (a shared run: test_dask_executor.py compares the Dask executor's tables with it)."""
    run = shared_run(tmp_path_factory, EN_TWO_SCENARIOS_REVIEW)
    a, b = ROOT / "scenarios" / "trend.yaml", ROOT / "scenarios" / "plan_targets.yaml"
    stdout, stderr = run.stdout, run.stderr
    assert run.returncode == 0, stderr
    # no progress bar without a terminal: stderr holds only the summary line
    assert stderr.splitlines() and all(line.startswith("xiqu: ") for line in stderr.splitlines()), stderr
    index = Path(stdout.strip().splitlines()[-1])
    assert index.is_absolute() and index.is_file() and index.name == "index.html"
    run_dir = index.parent
    m = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "complete"
    assert {k: v["status"] for k, v in m["notebooks"].items()} == {
        "scenario_report-trend": "ok", "scenario_report-plan_targets": "ok",
        "scenario_comparison": "ok", "data_audit": "ok", "annual_review-2025": "ok"}
    assert m["notebooks"]["annual_review-2025"]["parameters"] == {
        "review_year": 2025, "region": "xiqu", "actuals_path": "", "scenario_paths": [str(a), str(b)],
        "language": "en", "output_dir": str(run_dir / "annual_review-2025.partial")}
    # no actuals ship: the review ran only because --allow-empty says so, and the record says it too
    assert m["notebooks"]["annual_review-2025"]["title"] == "Annual review 2025: Xiqu district (Panzhihua) (no actuals)"
    assert m["options"]["actuals"] == "no actuals" and m["options"]["allow_empty"] is True
    assert m["notebooks"]["scenario_report-trend"]["parameters"]["n_paths"] == 100
    assert m["options"]["formats"] == ["html"]
    for path, digest in m["scenario_files"].items():
        assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == digest
    assert set(m["scenario_files"]) == {str(a), str(b)}
    out = run_dir.parent
    assert os.readlink(out / "latest") == run_dir.name
    assert (out / "LATEST").read_text().strip() == run_dir.name
    for name in m["notebooks"]:
        folder = run_dir / name
        html = next(folder.glob("*.html")).read_text(encoding="utf-8")
        figures = m["notebooks"][name]["figures"]
        assert len(IMG_PNG.findall(html)) >= len(figures)
        assert IMG_PNG.search(html) or not figures
        assert not re.search(r"<script", html, re.I) and "injected-parameters" not in html
        # no stray cell results (a returned Path or string echoed under a table) reach the reader
        assert "PosixPath(" not in html and ".partial" not in html, name
        assert (folder / "tables.xlsx").is_file() and list((folder / "tables").glob("*.csv"))


# --------------------------------------------------------------------------- concurrency, pointers
def test_two_concurrent_runs_stay_intact_and_distinct(tmp_path):
    """Two runs at once into one folder (whose name has braces, which papermill would format).

    About 10 s on 2 cores: two runs of fixture notebooks at once, one worker each."""
    sc = scenario_copy(tmp_path, name="pair", title="Pair")
    out = tmp_path / "out{seed}"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    env_ok = dict(os.environ, XIQU_NOTEBOOK_DIR=str(notebook_dir(tmp_path / "a")))
    env_bad = dict(os.environ, XIQU_NOTEBOOK_DIR=str(notebook_dir(tmp_path / "b", data_audit="raising")))
    procs = {name: _xiqu(str(sc), "--out", str(out), "--jobs", "1", "--timeout", str(LIMIT_S), env=env)
             for name, env in (("ok", env_ok), ("bad", env_bad))}
    # snapshot whichever run ends first; the other must not change it
    first = None
    while first is None:
        first = next((n for n, p in procs.items() if p.poll() is not None), None)
        time.sleep(0.1)
    outputs = {first: procs[first].communicate()}
    run_first = Path(outputs[first][0].strip().splitlines()[-1]).parent
    snapshot = _files(run_first)
    second = "bad" if first == "ok" else "ok"
    outputs[second] = procs[second].communicate(timeout=900)
    assert procs["ok"].returncode == 0, outputs["ok"][1]
    assert procs["bad"].returncode == 1, outputs["bad"][1]
    assert outputs["bad"][1].count("\n") == 1 and "(data_audit failed)" in outputs["bad"][1]
    runs = {n: Path(o[0].strip().splitlines()[-1]).parent for n, o in outputs.items()}
    assert runs["ok"] != runs["bad"] and all(r.parent == out for r in runs.values())
    assert _files(run_first) == snapshot
    for name, run in runs.items():
        m = json.loads((run / "manifest.json").read_text())
        assert m["run_dir"] == str(run)
        assert m["status"] == ("complete" if name == "ok" else "failed")
        for job, entry in m["notebooks"].items():
            assert entry["parameters"]["output_dir"] == str(run / f"{job}.partial")
            assert (run / entry["executed_notebook"]).is_file() and (run / entry["html"]).is_file()
    assert json.loads((runs["ok"] / "scenario_report-pair" / "artifacts.json").read_text())["complete"]
    # only the complete run moves the pointer
    assert os.readlink(out / "latest") == runs["ok"].name
    assert (out / "LATEST").read_text().strip() == runs["ok"].name


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sigterm_keeps_finished_reports_and_marks_the_run_incomplete(tmp_path, sig):
    nbdir = notebook_dir(tmp_path, data_audit="sleeping")
    env = dict(os.environ, XIQU_NOTEBOOK_DIR=str(nbdir))
    out = tmp_path / "out"
    proc = _xiqu(str(scenario_copy(tmp_path, name="one", title="One")), "--out", str(out),
                 "--jobs", "1", "--timeout", str(LIMIT_S), env=env)
    manifest = None
    end = time.monotonic() + LIMIT_S
    while time.monotonic() < end:  # wait until the report is done and the sleeper runs
        found = list(out.glob("*/manifest.json"))
        if found:
            manifest = json.loads(found[0].read_text())
            nbs = manifest["notebooks"]
            if nbs["scenario_report-one"]["status"] == "ok" and \
                    list(found[0].parent.glob("data_audit.partial/kernel.pid")):
                break
        time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("the run did not reach the expected state")
    run_dir = found[0].parent
    pids = tree_pids(run_dir / "data_audit.partial")
    assert pids["worker"] == _worker_pid_logged(run_dir, "data_audit")
    report_before = _files(run_dir / "scenario_report-one")
    proc.send_signal(sig)  # SIGINT: what Ctrl-C sends to the foreground process
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert Path(stdout.strip().splitlines()[-1]) == run_dir / "index.html"
    m = json.loads((run_dir / "manifest.json").read_text())
    assert m["status"] == "incomplete" and m["finished"]
    assert m["notebooks"]["scenario_report-one"]["status"] == "ok"
    assert m["notebooks"]["data_audit"]["status"] == "interrupted"
    assert _files(run_dir / "scenario_report-one") == report_before
    assert (run_dir / "data_audit.interrupted").is_dir()
    assert not (out / "latest").exists()
    # the run has exited: nothing of the interrupted notebook's tree may still run
    left = {name: pid for name, pid in pids.items() if running(pid)}
    for pid in left.values():
        os.kill(pid, signal.SIGKILL)
    assert left == {}, "processes of the interrupted notebook still running"
    assert "interrupted" in (run_dir / "index.html").read_text()


# --------------------------------------------------------------------------- kernel start retry
FLAKY = """\
import os, sys
from pathlib import Path
counter = Path(os.environ["XIQU_TEST_FLAKY_COUNTER"])
n = int(counter.read_text()) if counter.exists() else 0
counter.write_text(str(n + 1))
if n < int(os.environ["XIQU_TEST_FLAKY_FAILURES"]):
    sys.stderr.write("zmq.error.ZMQError: Address already in use (simulated port race)\\n")
    sys.exit(1)
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *sys.argv[1:]])
"""


@pytest.mark.parametrize("failures, status, attempts", [(2, "ok", 3), (1, "failed", 1)])
def test_kernel_start_is_retried_on_port_collisions(tmp_path, monkeypatch, failures, status, attempts):
    """A real kernelspec whose first ``failures`` starts die like a port race (papermill #511)."""
    kdir = tmp_path / "jupyter" / "kernels" / "flaky"
    kdir.mkdir(parents=True)
    (tmp_path / "flaky.py").write_text(FLAKY)
    (kdir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, str(tmp_path / "flaky.py"), "-f", "{connection_file}"],
        "display_name": "flaky", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("XIQU_TEST_FLAKY_COUNTER", str(tmp_path / "count"))
    monkeypatch.setenv("XIQU_TEST_FLAKY_FAILURES", str(failures))
    result = run_jobs([Job("ok", NOTEBOOK_FIXTURES / "ok.ipynb")], tmp_path / "out", max_jobs=1,
                      timeout=LIMIT_S, kernel_name="flaky", data_dir=ROOT / "data",
                      kernel_attempts=attempts)
    entry = json.loads(result.manifest_path.read_text())["notebooks"]["ok"]
    assert entry["status"] == status and entry["kernel_start_attempts"] == attempts
    assert int((tmp_path / "count").read_text()) == min(failures + 1, attempts)
    if status == "failed":
        assert f"did not start after {attempts} attempt" in entry["error"]
