"""Shared test set-up: headless matplotlib, a hypothesis profile for slow CI machines, the plan's text, and
the shipped inputs every layer's tests use (the region, the plan_targets and trend scenarios), loaded once.

Helpers that are not fixtures (paths, fixture runs, the minimal scenario text) are in :mod:`tests.helpers`.
"""
from __future__ import annotations

import os
import sys

os.environ.setdefault("MPLBACKEND", "Agg")
# As in `xiqu` and the runner's workers (see xiqu_analysis.cli.main): jsonschema, imported with
# nbformat, would import rfc3987_syntax (brought by JupyterLab) and compile Lark grammars for
# "iri" formats that notebook validation never checks: ~2 s of CPU in every test process.
sys.modules.setdefault("rfc3987_syntax", None)

from xiqu_analysis.runner import skip_iri_format_checks  # noqa: E402

skip_iri_format_checks()  # as the xiqu command and its workers do: 2 s less per test process

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

import pytest  # noqa: E402
from pathlib import Path  # noqa: E402

from tests.helpers import SCENARIO_DIR  # noqa: E402

#: The plan's text (攀枝花市西区协同助推成渝经济圈建设规划（征求意见稿）, August 2021, the source of every
#: baseline figure) is not part of the repository: XIQU_PLAN_TEXT gives the path of a copy.
PLAN_TEXT = os.environ.get("XIQU_PLAN_TEXT")


@pytest.fixture(scope="session")
def plan_text() -> str:
    """The plan's text; tests that check quotes against it are skipped, saying why, without it."""
    if not PLAN_TEXT or not Path(PLAN_TEXT).is_file():
        where = f"is not at {PLAN_TEXT}" if PLAN_TEXT else "is not given"
        pytest.skip(f"the plan's text {where}: set XIQU_PLAN_TEXT to the path of a UTF-8 copy of "
                    "攀枝花市西区协同助推成渝经济圈建设规划（征求意见稿） (August 2021) to check every quote in "
                    "data/ against it")
    return Path(PLAN_TEXT).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def region():
    """The shipped region (xiqu): base year 2020, plan_end_year 2025, long_range_year 2035 (region.yaml), its
    targets (plan ch.2 §4.2), data dictionary and benchmark city."""
    from xiqu_analysis.inputs.regions import load_region

    return load_region("xiqu")


@pytest.fixture(scope="session")
def indicators():
    """The data dictionary (data/indicators.csv): names each sector's real growth indicator."""
    from xiqu_analysis.inputs.indicators import load_indicators

    return load_indicators()


@pytest.fixture(scope="session")
def plan(region):
    """The shipped plan_targets scenario (scenarios/plan_targets.yaml), with its sources checked against ``region``."""
    from xiqu_analysis.inputs.scenario import load_scenario

    return load_scenario(SCENARIO_DIR / "plan_targets.yaml", region)


@pytest.fixture(scope="session")
def trend(region):
    """The shipped trend scenario (scenarios/trend.yaml): 4.9 % a year in every sector."""
    from xiqu_analysis.inputs.scenario import load_scenario

    return load_scenario(SCENARIO_DIR / "trend.yaml", region)


@pytest.fixture(scope="session")
def review_of_synthetic(region, plan):
    """The annual review of 2025 of ``plan`` on the SYNTHETIC actuals (2021-2023), 300 paths."""
    from xiqu_analysis.economics import review

    from tests.helpers.actuals import load_actuals

    return review.annual_review(2025, load_actuals(region), [plan], region, n_paths=300)


@pytest.fixture(scope="session")
def review_without_actuals(region, plan):
    """The annual review of 2025 of ``plan`` with no actual figures, 300 paths."""
    from xiqu_analysis.economics import review

    return review.annual_review(2025, None, [plan], region, n_paths=300)


@pytest.fixture
def fictional(tmp_path, monkeypatch):
    """The invented county (tests/fixtures/fictional) as the data and scenario folders; returns ``tmp_path``."""
    from tests.helpers.fictional import use_fictional_region

    return use_fictional_region(tmp_path, monkeypatch)


# --------------------------------------------------------------------------- scheduling on two xdist workers
#: the modules whose tests take longest (measured with --durations on 2 cores), started first so that the two
#: workers finish together; the order changes nothing else. test_chinese_run.py first: it makes the shared Chinese
#: run that test_page_layout.py, test_formats_notebooks.py and test_index_names_runs.py (later) read
LONG_FIRST = (
    "tests/end_to_end/test_chinese_run.py",
    "tests/end_to_end/test_runner_notebooks.py",
    "tests/end_to_end/test_faults_runs.py",
    "tests/end_to_end/test_dask_executor.py",
    "tests/end_to_end/test_reuse_runs.py",
    "tests/end_to_end/test_review_runs.py",
    "tests/end_to_end/test_report_notebooks.py",
    "tests/end_to_end/test_explorer_browser.py",
)


def pytest_collection_modifyitems(config, items):
    """Long tests first: the modules of LONG_FIRST in that order, then the other modules with tests that start
    a kernel or the ``xiqu`` command, then the rest, each in collection order. ``make test`` hands whole
    modules to its two xdist workers in this order (``--dist loadscope --no-loadscope-reorder``), so that a
    module's shared runs (fixtures of module scope) are made once and the long modules start first."""
    slow_modules = {item.nodeid.split("::")[0] for item in items
                    if item.get_closest_marker("notebook") or item.get_closest_marker("process")}

    def rank(item) -> tuple[int, int]:
        module = item.nodeid.split("::")[0]
        if module in LONG_FIRST:
            return 0, LONG_FIRST.index(module)
        return (1 if module in slow_modules else 2), 0

    items[:] = [item for _, item in sorted(enumerate(items), key=lambda p: (rank(p[1]), p[0]))]
