"""The explorer for real: its notebook in a kernel, its Voilà page in headless Chromium, Render's subprocess.

Marked ``notebook`` (slow: kernels, a web server, a browser). The browser
tests start Voilà on a free port of 127.0.0.1 with the command ``make
explore`` uses, opens the page in Debian's Chromium (``make test`` installs
it when missing) driven by Playwright, waits for the widgets, checks the
controls and charts are in the page, changes the secondary sector's
2021-2025 growth from 7.5 to 5 and waits for the headline table to show
``project()`` of that scenario, checks that no request left 127.0.0.1, keeps
a screenshot under ``outputs/test-artifacts/`` and stops every process it started.
The Chinese page (``?lang=zh``, and a browser whose language is Chinese) shows
no run of English words and no field name or file name of the data.

The server keeps one kernel per open page, and none once the pages close: a
page closed leaves its kernel without a connection, and the server shuts it
down once idle (here after 6 s, checked every second; ``make explore`` waits
a minute). Two pages are opened and one is closed; the open one, left
untouched for longer than the idle time, keeps its kernel; once it closes too
the kernels (the server's child processes running ipykernel, counted with
psutil) return to zero.

The browser tests share one Voilà server and one Chromium (fixtures of the
module: each start costs seconds of CPU); each page has a browser context of
its own (a fresh profile: no cookie or cache of another page), and every page
a test opens it closes. No test changes the server: connected kernels are
never shut down, however short the idle time (6 s: time enough on a loaded
machine between a page's kernel running its cells and the page connecting
to it).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import psutil
import pytest
from nbclient import NotebookClient

from xiqu_analysis.economics.projection import project
from xiqu_analysis.inputs.scenario import load_scenario
from xiqu_analysis.reports import explorer as ex
from xiqu_analysis.reports.explorer.charts import CHARTS
from xiqu_analysis.reports.explorer.schema import control_specs
from xiqu_analysis.reports.explorer.serve import HOST
from tests.helpers import ROOT
from tests.helpers.browser import CHROMIUM_ARGS, LOOPBACK, port_closed, serving, wait_for_port
from tests.helpers.browser import chromium as _chromium
from tests.helpers.browser import free_port as _free_port
from tests.helpers.english_runs import english_runs, field_names
from tests.helpers.runs import notebook_dir

pytestmark = pytest.mark.notebook

PLAN = ROOT / "scenarios" / "plan_targets.yaml"
ARTIFACTS = Path(os.environ.get("XIQU_TEST_ARTIFACTS", ROOT / "outputs" / "test-artifacts"))
#: seconds a kernel whose page closed stays idle before the test server shuts it down
IDLE_S = 6


def test_the_explorer_notebook_executes_headless_with_widget_outputs(tmp_path):
    nb = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    nb.cells[0].source += f"\noutput_dir = {str(tmp_path)!r}\nn_paths = 300\n"
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}},
                            store_widget_state=True)
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 1
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    root = state[views[0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]]
    assert root["model_name"] == "VBoxModel" and "xiqu-explorer" in root["state"]["_dom_classes"]
    classes = [c for m in state.values() for c in m["state"].get("_dom_classes", [])]
    assert classes.count("xiqu-control") == len(control_specs(load_scenario(PLAN)))
    assert all(f"xiqu-chart-{name}" in classes for name in CHARTS)
    assert sum(1 for m in state.values() if m["model_name"] == "FigureModel") == len(CHARTS)
    headline = next(m for m in state.values() if "xiqu-headline" in m["state"].get("_dom_classes", []))
    expected = project(load_scenario(PLAN)).table.set_index("year").loc[2035, "gdp_real"]
    assert f"{expected:,.2f}" in headline["state"]["value"]


def test_render_runs_the_suite_for_the_saved_scenario_and_links_its_reports(tmp_path, monkeypatch):
    """Render's ``xiqu run`` (a child process with the explorer's environment) runs the suite of the saved
    scenario; its notebooks are the ``ok`` fixture under the shipped names (``XIQU_NOTEBOOK_DIR``): the run,
    its progress and the links to its pages are the point, not what a report says (the report notebooks have
    tests of their own)."""
    monkeypatch.setenv("XIQU_NOTEBOOK_DIR", str(notebook_dir(tmp_path)))
    app = ex.Explorer(PLAN, "en", 0, tmp_path / "explorer", debounce=0)
    app.set_value("real_growth_pct.secondary.2021-2025", 5.0)
    app.save_name.value = "industry_slower"
    app.save_reason.value = "A test of Render."
    assert app.save() is not None
    seen = []
    job = app.render(["--paths", "100", "--jobs", "1", "--formats", "html"])  # the pages are what is linked
    job.on_progress = lambda p: (seen.append((p.state, p.done, p.total)), app._render_progress(p))
    progress = job.wait(900)
    assert progress.state == "done", (progress.exit_code, progress.last_line)
    assert progress.exit_code == 0 and progress.run_status == "complete"
    assert progress.done == progress.total >= 2
    names = [p.name for _, p in progress.files]
    assert names[0] == "index.html" and "scenario_report.html" in names
    html = app.render_message.value
    assert "index.html" in html and "scenario_report.html" in html and "<a href=" in html
    manifest = json.loads((progress.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"][:2] == ["xiqu", "run"] and str(app.saved_path) in manifest["command"]
    assert not app.render_button.disabled
    assert job.proc.poll() is not None


def test_make_lab_serves_jupyterlab_with_the_projects_kernel(tmp_path):
    """``make lab`` as the README says, on a free loopback port: JupyterLab answers, its default kernel is
    the project's interpreter, and the server stops on SIGTERM with nothing left listening."""
    import urllib.request

    port = _free_port()
    log_path = tmp_path / "lab.log"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_PORT={port}"], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_port(port, proc)
        with urllib.request.urlopen(f"http://{HOST}:{port}/api", timeout=10) as r:  # no token needed
            assert r.status == 200 and "version" in json.loads(r.read())
        text = log_path.read_text("utf-8", "replace")
        token = text.split("token=", 1)[1].split()[0] if "token=" in text else ""
        with urllib.request.urlopen(f"http://{HOST}:{port}/api/kernelspecs?token={token}", timeout=10) as r:
            specs = json.loads(r.read())
        assert specs["default"] == "python3"
        assert specs["kernelspecs"]["python3"]["spec"]["argv"][0] in ("python", sys.executable)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
    assert port_closed(port)


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """Voilà serving the explorer on a free loopback port, kernels of closed pages shut down after ``IDLE_S``;
    stopped (its whole process group) after the module's last test."""
    with serving(tmp_path_factory.mktemp("voila"), idle_s=IDLE_S, cull_interval_s=1) as served:
        yield served


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright, closed after the module's last test (pages open in contexts)."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        launched = pw.chromium.launch(executable_path=_chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
    finally:
        pw.stop()


def test_the_voila_page_in_headless_chromium(voila, browser):
    """About 10-20 s on 2 cores: the module's Voilà server and Chromium start with its first browser test, then
    the page's kernel runs the explorer."""
    url, server = voila
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []
    expected = project(load_scenario(PLAN).with_changes(**{"real_growth_pct.secondary.2021-2025": 5.0})).table
    real_2025 = f"{expected.set_index('year').loc[2025, 'gdp_real']:,.2f}"
    context = browser.new_context(viewport={"width": 1600, "height": 2600})
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("websocket", lambda ws: requests.append(ws.url))
        page.goto(url, timeout=180_000)
        page.wait_for_selector(".xiqu-chart-fan svg", timeout=180_000)
        page.wait_for_function(f"document.querySelectorAll('.xiqu-control').length == "
                               f"{len(control_specs(load_scenario(PLAN)))}", timeout=60_000)
        for name in CHARTS:
            assert page.locator(f".xiqu-chart-{name} svg").count() >= 1, name
        assert page.locator(".xiqu-chart-gdp svg path.line").count() >= 1
        assert page.locator(".xiqu-headline-table").count() == 1
        assert page.locator(".jp-InputArea, .jp-CodeMirrorEditor").count() == 0  # no code shown
        box = page.locator(".xiqu-input-real_growth_pct-secondary-2021-2025 input")
        assert box.input_value() == "7.5"
        box.fill("5")
        box.press("Enter")
        t0 = time.monotonic()
        page.wait_for_function(f"document.querySelector('.xiqu-headline-table').innerText.includes('{real_2025}')",
                               timeout=30_000)
        seconds = time.monotonic() - t0
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "explorer.png"), full_page=True)
        # an invalid value: the schema's message beside the control, the table unchanged
        ar1 = page.locator(".xiqu-input-uncertainty-ar1 input")
        ar1.fill("1")
        ar1.press("Enter")
        page.wait_for_function("document.body.innerText.includes('must be less than 1, got 1')", timeout=30_000)
        assert real_2025 in page.locator(".xiqu-headline-table").inner_text()
    finally:
        context.close()
    outside = sorted({u for u in requests if urlparse(u).hostname not in LOOPBACK and not u.startswith(("data:", "blob:"))})
    assert requests and not outside, f"requests left 127.0.0.1: {outside}"
    (ARTIFACTS / "explorer.json").write_text(json.dumps({"update_seen_s": seconds, "requests": len(requests)}, indent=2))
    assert server.poll() is None  # the page did not bring the server down


#: what a reader sees of the page: its text without <code> (paths), the charts' SVG texts, placeholders
_VISIBLE_JS = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('code, script, style, .jp-InputArea').forEach(e => e.remove());
  const svg = [...document.querySelectorAll('svg text')].map(e => e.textContent);
  const holders = [...document.querySelectorAll('[placeholder]')].map(e => e.getAttribute('placeholder'));
  const div = document.createElement('div');
  div.style.position = 'absolute'; div.style.left = '-99999px';
  div.appendChild(body); document.documentElement.appendChild(div);
  const text = body.innerText; div.remove();
  return [text, ...svg, ...holders].join(String.fromCharCode(10));
}"""


def test_the_chinese_page_has_no_english_and_no_field_names(voila, browser):
    """``?lang=zh`` in an English browser, then a Chinese browser (Accept-Language zh-CN) at the plain address:
    both pages open in Chinese; their visible text (SVG chart texts and placeholders included) has no run of
    four English words and no field or file name. Two kernels start (one per page): about 20-30 s on 2 cores."""
    url, server = voila
    texts = {}
    for name, address, locale in (("query", url.rstrip("/") + "/?lang=zh", "en-US"), ("browser", url, "zh-CN")):
        context = browser.new_context(locale=locale, viewport={"width": 1600, "height": 2600})
        try:
            page = context.new_page()
            page.goto(address, timeout=180_000)
            page.wait_for_selector(".xiqu-chart-fan svg", timeout=180_000)
            page.wait_for_function("document.querySelector('.xiqu-headline-table') && "
                                   "document.querySelector('.xiqu-headline-table').innerText.includes('地区生产总值')",
                                   timeout=60_000)
            page.wait_for_timeout(500)
            texts[name] = page.evaluate(_VISIBLE_JS)
            if name == "query":
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "explorer_zh.png"), full_page=True)
        finally:
            context.close()
    for name, text in texts.items():
        assert "情景探索器" in text and "第二产业（2021—2025年）" in text, name
        assert "2025年前按规划增速底线增长，此后增速放缓" in text, name  # the shipped scenario by its title
        assert english_runs(text) == [], (name, english_runs(text))
        assert field_names(text) == [], (name, field_names(text))
    assert server.poll() is None


# --------------------------------------------------------------------------- kernels: one per open page
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


def test_kernels_return_to_zero_after_the_pages_close(voila, browser):
    """About 30 s, mostly waiting (the idle time passes three times, a kernel starts for each of two pages):
    first the kernels of the pages the tests before closed go; then two pages each start a kernel; the one
    closed loses its kernel, the one left open but untouched for longer than the idle time keeps its own; once
    it closes too, no kernel is left."""
    url, server = voila
    assert _wait_for(lambda: _kernels(server) == 0, 30), f"{_kernels(server)} kernels of closed pages left"
    pages = []
    try:
        for _ in range(2):
            context = browser.new_context()
            page = context.new_page()
            pages.append((context, page))
            page.goto(url, timeout=180_000)
            page.wait_for_selector(".xiqu-headline-table", timeout=180_000)
        assert _kernels(server) >= 2  # one each
        pages.pop()[0].close()
        time.sleep(2 * IDLE_S)  # longer than the idle time: the open page keeps its kernel
        assert _wait_for(lambda: _kernels(server) == 1, 30), _kernels(server)
        assert pages[0][1].locator(".xiqu-headline-table").count() == 1
    finally:
        for context, _ in pages:
            context.close()
    assert _wait_for(lambda: _kernels(server) == 0, 30), f"{_kernels(server)} kernels left after the pages closed"
    assert server.poll() is None
