"""What several test modules share that is not a fixture: the repository's paths, and the modules beside this one.

- :mod:`tests.helpers.runs`: fixture notebook folders, scenario copies, a folder's contents for comparison.
- :mod:`tests.helpers.notebooks`: the report notebooks' parameter contract and the check of a finished report.
- :mod:`tests.helpers.actuals`: the invented and synthetic actuals, bulletin files, the annual review opened on them.
- :mod:`tests.helpers.fictional`: the invented county's folders.
- :mod:`tests.helpers.scenario_text`: the minimal plan_targets scenario as text, and edits of it.
- :mod:`tests.helpers.reference_projection`: a slow reference projection and small real scenarios.
- :mod:`tests.helpers.registry`: a data folder whose registry of indicators has rows added or left out.
- :mod:`tests.helpers.extract_docs`: small PDF files written byte by byte for the extractor's tests.
- :mod:`tests.helpers.browser`: Voilà and headless Chromium for the explorer's browser tests.
- :mod:`tests.helpers.invented_plan`: an invented county's plan for ``xiqu region init``.
- :mod:`tests.helpers.english_runs`: runs of English words in what a reader of a Chinese report sees.
- :mod:`tests.helpers.pages`: laid-out PDF pages read back (pdfplumber), Word files laid out by LibreOffice, and
  what a reader would find wrong on them.
- :mod:`tests.helpers.shared_runs`: runs of ``xiqu run`` made once per session (under a file lock) and read by
  every test that needs the same run.

Fixtures are in ``tests/conftest.py`` (used across layers) and ``tests/<layer>/conftest.py``.
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
