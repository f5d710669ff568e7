"""The explorer's server keeps one kernel per open page, and none once the pages close.

Voilà starts a kernel for each page it serves; a page closed leaves its
kernel without a connection, and the server shuts it down once idle (here
after 3 s, checked every second; ``make explore`` waits a minute). Three pages
are opened in headless Chromium and closed; the kernels (the server's child
processes running ipykernel, counted with psutil) return to zero. A page left
open but untouched for longer than the idle time keeps its kernel.
"""
from __future__ import annotations

import time

import psutil
import pytest

from tests.helpers.browser import CHROMIUM_ARGS, chromium, serving

pytestmark = pytest.mark.notebook

IDLE_S = 3


def _is_kernel(proc: psutil.Process) -> bool:
    """A live ipykernel process (one that has exited, a zombie not yet reaped by the server, is not)."""
    try:
        return proc.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(proc.cmdline())
    except (psutil.NoSuchProcess, psutil.ZombieProcess):  # it ended between the listing and the look
        return False


def _kernels(server) -> int:
    return sum(1 for k in psutil.Process(server.pid).children(recursive=True) if _is_kernel(k))


def _wait_for(condition, limit_s: float) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:  # bounded
        if condition():
            return True
        time.sleep(0.5)
    return condition()


def test_kernels_return_to_zero_after_the_pages_close(tmp_path):
    """Over 20 s (about 25 s on 2 cores): Voilà and Chromium start, three pages each start a kernel that loads
    the explorer, and the idle time must pass before the kernels are shut down."""
    from playwright.sync_api import sync_playwright

    with serving(tmp_path, idle_s=IDLE_S, cull_interval_s=1) as (url, server):
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium(), headless=True, args=CHROMIUM_ARGS)
            try:
                pages = []
                for _ in range(3):
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(url, timeout=180_000)
                    page.wait_for_selector(".xiqu-headline-table", timeout=180_000)
                    pages.append((context, page))
                assert _kernels(server) >= 3  # one each
                for context, page in pages[1:]:
                    page.close()
                    context.close()
                time.sleep(3 * IDLE_S)  # longer than the idle time: the open page keeps its kernel
                assert _wait_for(lambda: _kernels(server) == 1, 30), _kernels(server)
                assert pages[0][1].locator(".xiqu-headline-table").count() == 1
                pages[0][1].close()
                pages[0][0].close()
            finally:
                browser.close()
        assert _wait_for(lambda: _kernels(server) == 0, 30), f"{_kernels(server)} kernels left after the pages closed"
