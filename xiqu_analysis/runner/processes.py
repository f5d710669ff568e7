"""Stopping a worker and everything it started (its kernel included), with psutil.

A worker runs in a session of its own (its pid is its process group id) and
starts the kernel in yet another session, so killing the worker's process
group alone would orphan the kernel. :func:`kill_tree` collects the worker's
descendants with :mod:`psutil` before signalling anything, asks them all to
stop (SIGTERM), waits, kills whatever is left (SIGKILL) and returns only when
none of them runs any more, so a job recorded as ``timeout`` or
``interrupted`` has no process left behind.

Processes are held as :class:`psutil.Process` objects, which know their start
time: a pid that was freed and reused by an unrelated process in the meantime
is never signalled.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from typing import Iterable

import psutil

__all__ = ["KILL_WAIT_S", "descendants", "kill_tree", "kill_pids", "alive", "identity", "same_process",
           "stop_recorded"]


#: seconds :func:`kill_tree` waits for processes to disappear after SIGKILL (a process in
#: uninterruptible sleep can outlast it; the runner must not hang on one)
KILL_WAIT_S = 10.0


def descendants(pid: int) -> list[int]:
    """Process ids of every descendant of ``pid`` (children, grandchildren, ...); empty if it is gone."""
    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _running(proc: psutil.Process) -> bool:
    """True while ``proc`` (the same process, not a reused pid) runs; a zombie has stopped."""
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _with_descendants(procs: Iterable[psutil.Process]) -> list[psutil.Process]:
    """``procs`` that still run and all their descendants, each once."""
    out: dict[int, psutil.Process] = {}
    for proc in procs:
        if not _running(proc):
            continue
        out.setdefault(proc.pid, proc)
        try:
            for child in proc.children(recursive=True):
                out.setdefault(child.pid, child)
        except psutil.NoSuchProcess:
            pass
    return list(out.values())


def _processes(pids: Iterable[int]) -> list[psutil.Process]:
    out = []
    for pid in dict.fromkeys(pids):
        try:
            out.append(psutil.Process(pid))
        except psutil.NoSuchProcess:
            pass
    return out


def _signal(procs: Iterable[psutil.Process], sig: int) -> None:
    """Send ``sig`` to each process still running; to the whole group of a group leader (not ours)."""
    own = os.getpgid(0)
    for proc in procs:
        if not _running(proc):
            continue
        try:
            pgid = os.getpgid(proc.pid)
            if pgid == proc.pid and pgid != own:  # a session or group leader: its whole group
                os.killpg(pgid, sig)
            else:
                proc.send_signal(sig)
        except (psutil.NoSuchProcess, ProcessLookupError, PermissionError):
            pass


def _wait_stopped(procs: Iterable[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait up to ``timeout`` seconds for ``procs`` to stop; return those still running.

    Polls instead of :func:`psutil.wait_procs`, which would reap a child of
    this process (and take its exit status from :class:`subprocess.Popen`).
    A process that is not our child is reaped by init; a zombie left by an
    init that does not reap has stopped all the same.
    """
    deadline = time.monotonic() + timeout
    left = [p for p in procs if _running(p)]
    while left and time.monotonic() < deadline:
        time.sleep(0.02)
        left = [p for p in left if _running(p)]
    return left


def alive(pids: Iterable[int]) -> list[int]:
    """The pids of ``pids`` that still run (zombies count as gone)."""
    return [p.pid for p in _processes(pids) if _running(p)]


def kill_pids(pids: Iterable[int], grace_s: float = 3.0) -> None:
    """Stop ``pids`` and their descendants: SIGTERM, then SIGKILL after ``grace_s`` seconds.

    Returns when none of them runs any more (at most :data:`KILL_WAIT_S` after SIGKILL).
    """
    tree = _with_descendants(_processes(pids))
    _signal(tree, signal.SIGTERM)
    left = _with_descendants(_wait_stopped(tree, grace_s))  # with any started meanwhile
    _signal(left, signal.SIGKILL)
    _wait_stopped(left, KILL_WAIT_S)


def kill_tree(proc: subprocess.Popen, grace_s: float = 3.0) -> None:
    """Stop a worker and everything it started: SIGTERM, then SIGKILL after ``grace_s`` seconds.

    The worker's descendants are collected before anything is signalled (the
    kernel runs in a session of its own and would be orphaned otherwise).
    Returns when the worker has been reaped and none of its descendants (the
    kernel, anything the kernel started) runs any more (at most
    :data:`KILL_WAIT_S` after SIGKILL).
    """
    deadline = time.monotonic() + grace_s
    tree = _with_descendants(_processes([proc.pid]))
    _signal(tree, signal.SIGTERM)
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        pass
    others = [p for p in tree if p.pid != proc.pid]
    left = _wait_stopped(others, max(0.0, deadline - time.monotonic()))
    if proc.returncode is None:
        left.extend(_processes([proc.pid]))
    left = _with_descendants(left)  # with any process started meanwhile
    _signal(left, signal.SIGKILL)
    proc.wait()
    _wait_stopped([p for p in left if p.pid != proc.pid], KILL_WAIT_S)


def identity(pid: int) -> dict[str, float | int] | None:
    """``{"pid", "create_time"}`` of a running process: what a record needs to find it again, and only it."""
    try:
        return {"pid": pid, "create_time": psutil.Process(pid).create_time()}
    except psutil.Error:
        return None


def same_process(record: dict) -> psutil.Process | None:
    """The process a ``{"pid", "create_time"}`` record names, if that very process still runs (not a reused pid)."""
    try:
        pid, created = int(record["pid"]), float(record["create_time"])
        proc = psutil.Process(pid)
        if abs(proc.create_time() - created) > 0.05 or not _running(proc):
            return None
        return proc
    except (KeyError, TypeError, ValueError, psutil.Error):
        return None


def _sessions(leaders: Iterable[dict]) -> dict[int, float]:
    """``{session id: leader's start time}`` of recorded session leaders (kernels).

    A leader that still runs must be the recorded process; one that is gone
    still names its session as long as a member lives (Linux never hands out
    a pid that is in use as a session or group id), unless its pid now
    belongs to another process.
    """
    out = {}
    for record in leaders:
        try:
            pid, created = int(record["pid"]), float(record["create_time"])
        except (KeyError, TypeError, ValueError):
            continue
        try:
            if abs(psutil.Process(pid).create_time() - created) > 0.05:
                continue  # the pid was reused: not our session
        except psutil.NoSuchProcess:
            pass
        except psutil.Error:
            continue
        out[pid] = created
    return out


def _session_members(sessions: dict[int, float]) -> list[psutil.Process]:
    """Processes in ``sessions`` started after their leader (a kernel's cell subprocesses, even orphaned)."""
    if not sessions:
        return []
    out = []
    for proc in psutil.process_iter(["pid", "create_time"]):
        try:
            sid = os.getsid(proc.pid)
        except (ProcessLookupError, PermissionError, OSError):
            continue
        if sid in sessions and proc.info["create_time"] >= sessions[sid] - 0.05:
            out.append(proc)
    return out


def stop_recorded(records: Iterable[dict], session_leaders: Iterable[dict] = (), grace_s: float = 2.0) -> list[int]:
    """Stop the processes ``records`` name that still run (pid and start time both match), with descendants.

    ``session_leaders`` (kernels) are stopped with every process of their
    session, which finds a kernel's subprocesses after the kernel itself is
    gone. Returns the pids signalled; returns when none of them runs any more
    (at most :data:`KILL_WAIT_S` after SIGKILL).
    """
    session_leaders = list(session_leaders)
    leaders = [p for p in (same_process(r) for r in session_leaders) if p is not None]
    procs = [p for p in (same_process(r) for r in records) if p is not None]
    found = {p.pid: p for p in [*procs, *leaders, *_session_members(_sessions(session_leaders))]}
    own = os.getpid()
    tree = [p for p in _with_descendants(found.values()) if p.pid != own]
    if not tree:
        return []
    _signal(tree, signal.SIGTERM)
    left = _with_descendants(_wait_stopped(tree, grace_s))
    _signal(left, signal.SIGKILL)
    _wait_stopped(left, KILL_WAIT_S)
    return sorted(p.pid for p in tree)
