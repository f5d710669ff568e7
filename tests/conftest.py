"""Shared test set-up: headless matplotlib, a hypothesis profile for slow CI machines, the plan's text."""
from __future__ import annotations

import os
import sys

os.environ.setdefault("MPLBACKEND", "Agg")
# As in `xiqu` and the runner's workers (see xiqu_analysis.cli.main): jsonschema, imported with
# nbformat, would import rfc3987_syntax (brought by JupyterLab) and compile Lark grammars for
# "iri" formats that notebook validation never checks: ~2 s of CPU in every test process.
sys.modules.setdefault("rfc3987_syntax", None)

from xiqu_analysis.runner.worker import skip_iri_format_checks  # noqa: E402

skip_iri_format_checks()  # as the xiqu command and its workers do: 2 s less per test process

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

import pytest  # noqa: E402
from pathlib import Path  # noqa: E402

#: The plan's text (攀枝花市西区协同助推成渝经济圈建设规划（征求意见稿）, the source of every
#: baseline figure) is not part of the repository. One setting says where it is:
#: XIQU_PLAN_TEXT, by default ``shared/seeds/000_65848e25f96d65e9.txt`` beside the repository.
PLAN_TEXT = Path(os.environ.get("XIQU_PLAN_TEXT")
                 or Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_65848e25f96d65e9.txt")


@pytest.fixture(scope="session")
def plan_text() -> str:
    """The plan's text; tests that check quotes against it are skipped, saying why, where it is missing."""
    if not PLAN_TEXT.is_file():
        pytest.skip(f"the plan's text is not at {PLAN_TEXT}: set XIQU_PLAN_TEXT to the path of "
                    "000_65848e25f96d65e9.txt to check every quote in data/ against it")
    return PLAN_TEXT.read_text(encoding="utf-8")
