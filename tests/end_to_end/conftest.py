"""Fixtures of the whole-run tests: the Chinese run of the annual review suite, made once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.actuals import INVENTED


@pytest.fixture(scope="session")
def zh_review_run(tmp_path_factory) -> Path:
    """``xiqu run --suite annual-review --year 2024 --language zh --actuals <INVENTED>`` with real kernels: the
    four shipped scenarios' reports, their comparison, the data audit and the 2024 review, in Chinese, in
    HTML, Word and PDF; the run folder."""
    from xiqu_analysis.cli import main

    out = tmp_path_factory.mktemp("zh_review")
    assert main(["run", "--suite", "annual-review", "--year", "2024", "--language", "zh", "--actuals", str(INVENTED),
                 "--paths", "200", "--jobs", "2", "--out", str(out)]) == 0
    (run_dir,) = [p for p in out.iterdir() if p.is_dir() and p.name != "latest"]
    return run_dir
