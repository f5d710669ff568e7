"""The executor seam (runner/executors.py): the session schedules through submit, poll and cancel only.

An executor of the test's own (no process, no kernel) stands in for the warm
pool and the Dask cluster: slots are respected, a kernel is prefetched only
where another job follows, a job past its time limit is cancelled, a lost
worker's job fails with the reason while the others go on, and every record
is written as for the local pool. Then the options of ``xiqu run`` that choose
an executor, and the checks of ``--year`` and ``--out``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.helpers.runs import NOTEBOOK_FIXTURES as FIXTURES
from tests.helpers.runs import notebook_dir, run_cli as cli, scenario_copy

from xiqu_analysis.errors import InputError
from xiqu_analysis.runner.executors import Executor, LocalPool, Outcome, RunContext, Task, make_executor
from xiqu_analysis.runner.execute import run_jobs
from xiqu_analysis.runner.suites import Job
from xiqu_analysis.runner.validate import check_output_root


class Scripted(Executor):
    """Jobs end as the test says: ``ok`` (a result), ``lost`` (no result), ``hang`` (until cancelled)."""

    name = "scripted"

    def __init__(self, fate: dict[str, str], capacity: int = 2):
        self.fate, self.capacity = fate, capacity
        self.running: dict[str, Task] = {}
        self.submitted: list[tuple[str, bool, bool]] = []
        self.cancelled: list[str] = []
        self.most = 0
        self.started = self.stopped = 0

    def start(self, ctx: RunContext) -> None:
        assert ctx.internal.is_dir() and ctx.runtime_dir.is_dir()
        self.started += 1

    def slots(self) -> int:
        return self.capacity - len(self.running)

    def submit(self, task: Task, *, more: bool) -> int | None:
        self.running[task.name] = task
        self.most = max(self.most, len(self.running))
        self.submitted.append((task.name, more, bool(task.spec["prefetch"])))
        return None

    def poll(self, wait_s: float) -> list[Outcome]:
        out = []
        for name, task in list(self.running.items()):
            if self.fate[name] == "ok":
                (Path(task.spec["job_dir"]) / "report.txt").write_text(name)
                out.append(Outcome(name, result={"status": "ok", "html": None, "tables": []}, worker=4242))
            elif self.fate[name] == "lost":
                out.append(Outcome(name, failure="the worker running it was lost"))
            else:
                continue
            del self.running[name]
        return out

    def cancel(self, name: str) -> None:
        self.cancelled.append(name)
        del self.running[name]

    def shutdown(self, *, grace_s: float = 1.0, wait_s: float = 0.0) -> None:
        self.stopped += 1

    def describe(self) -> dict:
        return {"name": self.name, "test": True}


def _jobs(n: int, **timeouts: float) -> list[Job]:
    return [Job(f"j{i}", FIXTURES / "ok.ipynb", {"seed": i}, title=f"J{i}", timeout_s=timeouts.get(f"j{i}"))
            for i in range(n)]


def test_the_session_schedules_only_through_the_executor(tmp_path):
    ex = Scripted({f"j{i}": "ok" for i in range(5)})
    result = run_jobs(_jobs(5), tmp_path / "out", max_jobs=2, timeout=60, data_dir=ROOT / "data", executor=ex,
                      formats=("html",))
    assert result.status == "complete" and result.exit_code == 0
    assert ex.started == 1 and ex.stopped >= 1 and ex.most == 2
    # the prefetch hint and the spec agree; the last jobs have none to prefetch for
    assert [(name, more) for name, more, _ in ex.submitted] == \
        [("j0", True), ("j1", True), ("j2", True), ("j3", False), ("j4", False)]
    assert all(more == prefetch for _, more, prefetch in ex.submitted)
    m = json.loads(result.manifest_path.read_text())
    assert m["executor"] == {"name": "scripted", "test": True} and m["options"]["executor"] == "scripted"
    for i in range(5):
        entry = m["notebooks"][f"j{i}"]
        assert entry["status"] == "ok" and entry["folder"] == f"j{i}" and entry["worker_pid"] == 4242
        assert (result.run_dir / f"j{i}" / "report.txt").read_text() == f"j{i}"


def test_a_timeout_cancels_the_job_and_a_lost_worker_fails_only_its_job(tmp_path):
    ex = Scripted({"j0": "hang", "j1": "lost", "j2": "ok"})
    result = run_jobs(_jobs(3, j0=0.5), tmp_path / "out", max_jobs=2, timeout=60, data_dir=ROOT / "data",
                      executor=ex, formats=("html",))
    m = json.loads(result.manifest_path.read_text())
    assert result.exit_code == 1 and m["status"] == "failed"
    assert ex.cancelled == ["j0"]
    assert m["notebooks"]["j0"]["status"] == "timeout" and "time limit of 0.5 s" in m["notebooks"]["j0"]["error"]
    assert m["notebooks"]["j1"]["status"] == "failed"
    assert m["notebooks"]["j1"]["error"] == "the worker running it was lost"
    assert m["notebooks"]["j2"]["status"] == "ok"
    assert (result.run_dir / "j0.timeout").is_dir() and (result.run_dir / "j1.failed").is_dir()
    assert (result.run_dir / "j1.failed" / "ok.html").is_file()  # the banner page of a job without a result


def test_a_run_that_reuses_everything_starts_no_executor(tmp_path):
    jobs = _jobs(2)
    first = Scripted({"j0": "ok", "j1": "ok"})
    assert run_jobs(jobs, tmp_path / "out", max_jobs=2, timeout=60, data_dir=ROOT / "data", executor=first,
                    formats=("html",)).status == "complete"
    again = Scripted({})
    result = run_jobs(jobs, tmp_path / "out", max_jobs=2, timeout=60, data_dir=ROOT / "data", executor=again,
                      formats=("html",))
    assert result.status == "complete" and set(result.reused) == {"j0", "j1"}
    assert again.started == 0 and again.submitted == []


def test_make_executor():
    assert isinstance(make_executor("local", max_jobs=3), LocalPool) and make_executor("local", max_jobs=3).max_jobs == 3
    assert make_executor("local", cpu_count=4).max_jobs == 4
    with pytest.raises(ValueError):
        make_executor("threads")


@pytest.mark.parametrize("kwargs, field, problem", [
    ({"executor": "threads"}, "executor", "must be one of local, dask"),
    ({"scheduler": "tcp://127.0.0.1:8786"}, "scheduler", "only applies to the dask executor"),
    ({"executor": "dask", "scheduler": "127.0.0.1:8786"}, "scheduler", "must be tcp://HOST:PORT"),
    ({"executor": "dask", "scheduler": "tcp://127.0.0.1:99999"}, "scheduler", "between 1 and 65535"),
    ({"executor": "dask", "scheduler": "tcp://127.0.0.1:1"}, "scheduler", "no scheduler answers"),
])
def test_executor_options_are_refused_before_anything_is_created(tmp_path, kwargs, field, problem):
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    with pytest.raises(InputError) as exc:
        run_jobs(_jobs(1), out, max_jobs=1, data_dir=ROOT / "data", **kwargs)
    assert exc.value.field == field and problem in exc.value.problem
    assert not out.exists()


# --------------------------------------------------------------------------- --year, --out
@pytest.mark.parametrize("year", ["1900", "2020", "2101"])
def test_a_review_year_out_of_range_names_year(tmp_path, capsys, monkeypatch, year):
    monkeypatch.setenv("XIQU_NOTEBOOK_DIR", str(notebook_dir(tmp_path)))
    out = tmp_path / "outputs"
    code, stdout, err = cli(capsys, str(scenario_copy(tmp_path)), "--out", str(out), "--suite", "annual-review",
                            "--year", year)
    assert code == 2 and stdout == "" and err.count("\n") == 1, err
    assert f"argument --year: must be a year from 2021 to 2100, got {year}" in err
    assert "review_year" not in err and ".ipynb" not in err
    assert not out.exists()


def test_a_final_review_before_the_plan_end_names_year(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("XIQU_NOTEBOOK_DIR", raising=False)  # the shipped review notebook (no kernel starts)
    code, stdout, err = cli(capsys, str(scenario_copy(tmp_path)), "--out", str(tmp_path / "o"), "--suite",
                            "annual-review", "--year", "2022", "--final", "--allow-empty")
    assert code == 2 and err.count("\n") == 1, err
    assert "argument --final:" in err and "--year must be" in err and "review_year" not in err, err


@pytest.mark.parametrize("name", ["runs\nx", "runs\rx", "runs\tx", "runs\x1bx", "runs\x7fx", "runs\u2028x"])
def test_a_control_character_in_out_is_refused_before_anything_runs(tmp_path, capsys, monkeypatch, name):
    monkeypatch.setenv("XIQU_NOTEBOOK_DIR", str(notebook_dir(tmp_path)))
    out = tmp_path / name
    code, stdout, err = cli(capsys, str(scenario_copy(tmp_path)), "--out", str(out))
    assert code == 2 and stdout == "" and err.count("\n") == 1, err
    assert "argument --out: contains a control character" in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["evil.yaml", "notebooks"]
    with pytest.raises(InputError) as exc:  # the library refuses it too (XIQU_OUTPUT_DIR, run_jobs)
        check_output_root(out)
    assert exc.value.field == "out" and "control character" in exc.value.problem


def test_scheduler_without_the_dask_executor_is_refused(tmp_path, capsys):
    code, stdout, err = cli(capsys, str(scenario_copy(tmp_path)), "--out", str(tmp_path / "o"),
                            "--scheduler", "tcp://127.0.0.1:8786")
    assert code == 2 and "argument --scheduler: only applies with --executor dask" in err
    assert not (tmp_path / "o").exists()
