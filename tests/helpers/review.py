"""The annual review as its notebook opens it, on the tests' actuals files (invented and synthetic)."""
from __future__ import annotations

from pathlib import Path

from xiqu_analysis.inputs.bulletins import load_bulletin
from xiqu_analysis.reports import annual_review
from xiqu_analysis.reports.parameters import AnnualReviewParameters, Resolved

from . import FIXTURES, SCENARIO_DIR

__all__ = ["SYNTHETIC", "INVENTED", "PLAN_FILE", "load_actuals", "open_review"]

#: SYNTHETIC actuals of xiqu, 2021-2023 (labelled so in the file)
SYNTHETIC = FIXTURES / "actuals_synthetic.csv"
#: INVENTED actuals of xiqu, 2020-2025: GDP 7 % a year, industry 8 %, services 7 % (labelled so in the file)
INVENTED = FIXTURES / "actuals_invented_2021_2025.csv"
#: the shipped plan_targets scenario file
PLAN_FILE = SCENARIO_DIR / "plan_targets.yaml"


def open_review(tmp_path, review_year=2025, actuals=None, scenarios=(PLAN_FILE,),
                language="en") -> annual_review.ReviewRun:
    """A review run as the notebook opens it (files already resolved), writing into ``tmp_path``."""
    params = AnnualReviewParameters(review_year=review_year, language=language)
    resolved = Resolved(params, Path(tmp_path), language, tuple(Path(p) for p in scenarios),
                        Path(actuals) if actuals else None)
    return annual_review.open_run(resolved)


def load_actuals(region, path=SYNTHETIC):
    """An actuals file read with ``region``'s data dictionary."""
    return load_bulletin(path, indicators=region.indicators)
