"""What several test modules share: the repository's paths, and the helper modules beside this one.

- :mod:`tests.helpers.runs`: fixture notebook folders, scenario copies, a folder's contents for comparison.
- :mod:`tests.helpers.scenario_text`: the minimal plan_targets scenario as text, and edits of it.
- :mod:`tests.helpers.reference_projection`: a slow reference projection and small real scenarios.
- :mod:`tests.helpers.english_runs`: runs of English words in what a reader of a Chinese report sees.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT", "FIXTURES", "SCENARIO_DIR"]

#: the repository's root folder
ROOT = Path(__file__).resolve().parents[2]
#: the tests' own data: invented actuals, an invented region, notebooks that fail in one way each
FIXTURES = ROOT / "tests" / "fixtures"
#: the shipped scenario files
SCENARIO_DIR = ROOT / "scenarios"
