"""Fixtures of the whole-run tests: the Chinese run of the annual review suite, made once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.shared_runs import ZH_REVIEW_SUITE, shared_run


@pytest.fixture(scope="session")
def zh_review_run(tmp_path_factory) -> Path:
    """``xiqu run --suite annual-review --year 2024 --language zh --actuals <INVENTED> --file-names zh`` with real kernels: the
    four shipped scenarios' reports, their comparison, the data audit and the 2024 review, in Chinese, in
    HTML, Word and PDF, their files named in Chinese (``--file-names zh``); the run folder (a shared run: made
    once per session, on any worker, for test_chinese_run.py, test_formats_notebooks.py, test_page_layout.py
    and test_index_names_runs.py)."""
    return shared_run(tmp_path_factory, ZH_REVIEW_SUITE).run_dir
