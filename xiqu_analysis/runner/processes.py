"""Stopping a worker and everything it started (its kernel included), with psutil.

A worker runs in a session of its own (its pid is its process group id) and
starts the kernel in yet another session, so killing the worker's process
group alone would orphan the kernel. :func:`kill_tree` collects the worker's
descendants with :mod:`psutil` before signalling anything, asks them all to
stop (SIGTERM), waits, and kills whatever is left (SIGKILL).
"""
from __future__ import annotations

import os
import signal
import subprocess
from typing import Iterable

import psutil

__all__ = ["descendants", "kill_tree", "kill_pids", "alive"]


def descendants(pid: int) -> list[int]:
    """Process ids of every descendant of ``pid`` (children, grandchildren, ...); empty if it is gone."""
    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _signal(pids: Iterable[int], sig: int) -> None:
    own = os.getpgid(0)
    for pid in pids:
        try:
            pgid = os.getpgid(pid)
            if pgid == pid and pgid != own:  # a session or group leader: its whole group
                os.killpg(pgid, sig)
            else:
                os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def alive(pids: Iterable[int]) -> list[int]:
    """The pids of ``pids`` that still run (zombies count as gone)."""
    out = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                out.append(pid)
        except psutil.NoSuchProcess:
            pass
    return out


def kill_pids(pids: Iterable[int], grace_s: float = 3.0) -> None:
    """SIGTERM ``pids`` (and their descendants), wait up to ``grace_s`` seconds, then SIGKILL what is left."""
    pids = list(dict.fromkeys(pids))
    tree = list(dict.fromkeys(pids + [d for p in pids for d in descendants(p)]))
    _signal(tree, signal.SIGTERM)
    procs = []
    for pid in tree:
        try:
            procs.append(psutil.Process(pid))
        except psutil.NoSuchProcess:
            pass
    _, left = psutil.wait_procs(procs, timeout=grace_s)
    late = [p.pid for p in left] + [d for p in pids for d in descendants(p)]
    _signal(dict.fromkeys(late), signal.SIGKILL)
    psutil.wait_procs([p for p in left], timeout=grace_s)


def kill_tree(proc: subprocess.Popen, grace_s: float = 3.0) -> None:
    """Stop a worker and everything it started: SIGTERM, then SIGKILL after ``grace_s``; reap the worker."""
    tree = [proc.pid, *descendants(proc.pid)]
    _signal(tree, signal.SIGTERM)
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        pass
    tree = list(dict.fromkeys(tree + descendants(proc.pid)))
    _signal(tree, signal.SIGKILL)
    proc.wait()
