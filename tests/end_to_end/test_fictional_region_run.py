"""``xiqu run`` on an invented county (tests/fixtures/fictional) with real notebooks and kernels, in Chinese:
every page speaks of the county only."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.fictional import FOREIGN


class _Text(__import__("html.parser").parser.HTMLParser):
    """The visible text of an HTML page (no tags, scripts, styles or attribute values)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


@pytest.mark.notebook
def test_xiqu_run_renders_the_region_with_real_kernels(fictional):
    """The batch runner, real notebooks and kernels, in Chinese: the region's words only, on every HTML page
    (HTML only: the Word and PDF versions are written from the same document as the page)."""
    import os
    import subprocess
    import sys

    out = fictional / "runs"
    proc = subprocess.run([sys.executable, "-m", "xiqu_analysis", "run", "--out", str(out), "--paths", "100",
                           "--language", "zh", "--jobs", "1", "--formats", "html"], capture_output=True, text=True, timeout=900,
                          env=dict(os.environ), cwd=fictional)
    assert proc.returncode == 0, proc.stderr[-2000:]
    index = Path(proc.stdout.strip().splitlines()[-1])
    run_dir = index.parent
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["notebooks"]) == {"scenario_report-ostland_fast", "scenario_report-ostland_steady",
                                          "scenario_comparison", "data_audit"}
    assert manifest["notebooks"]["data_audit"]["parameters"]["region"] == "ostland"
    for job in manifest["notebooks"]:
        html = (run_dir / job / f"{job.split('-')[0]}.html").read_text(encoding="utf-8")
        parser = _Text()
        parser.feed(html)
        text = "".join(parser.parts)
        assert "东地县" in text, job
        for foreign in FOREIGN:
            assert foreign not in text, (job, foreign)
