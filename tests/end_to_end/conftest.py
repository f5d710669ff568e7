"""Fixtures of the whole-run tests: the Chinese run of the annual review suite, made once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.actuals import INVENTED
from tests.helpers.shared_runs import shared_run


@pytest.fixture(scope="session")
def zh_review_run(tmp_path_factory) -> Path:
    """``xiqu run --suite annual-review --year 2024 --language zh --actuals <INVENTED>`` with real kernels: the
    four shipped scenarios' reports, their comparison, the data audit and the 2024 review, in Chinese, in
    HTML, Word and PDF; the run folder (a shared run: made once per session, on any worker)."""
    return shared_run(tmp_path_factory, ["--suite", "annual-review", "--year", "2024", "--language", "zh",
                                         "--actuals", str(INVENTED), "--paths", "200", "--jobs", "2"]).run_dir
