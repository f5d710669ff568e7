"""Voilà and headless Chromium for the explorer's browser tests: ports, the server, the browser's flags."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from xiqu_analysis.reports.explorer.serve import HOST, voila_command, voila_environment

from tests.helpers import ROOT

__all__ = ["CHROMIUM_ARGS", "LOOPBACK", "chromium", "free_port", "wait_for_port", "port_closed", "serving"]

#: Chromium as this machine's network needs it: no background traffic, a fresh profile per run
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def chromium() -> str:
    found = shutil.which("chromium")
    assert found, "Debian's chromium is missing: `make browser` (or `make test`) installs it"
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, limit_s: float = 120.0) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:  # bounded: a server that never listens fails the test
        assert proc.poll() is None, f"Voilà exited with {proc.returncode}"
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"Voilà did not listen on {HOST}:{port} within {limit_s:.0f} s")


def port_closed(port: int) -> bool:
    try:
        socket.create_connection((HOST, port), timeout=0.5).close()
        return False
    except OSError:
        return True



@contextmanager
def serving(tmp_path: Path, **options):
    """Voilà serving the explorer on a free loopback port (``options``: of :func:`voila_command`); yields
    ``(url, process)`` and stops its whole process group afterwards, checking the port is closed."""
    port = free_port()
    env = voila_environment(dict(os.environ, XIQU_OUTPUT_DIR=str(tmp_path / "outputs")))
    log = open(tmp_path / "voila.log", "wb")
    proc = subprocess.Popen(voila_command(port, **options), stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, env=env, cwd=ROOT, start_new_session=True)
    try:
        wait_for_port(port, proc)
        yield f"http://{HOST}:{port}/", proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(30)
        log.close()
        assert port_closed(port), "Voilà still listening after the test"
