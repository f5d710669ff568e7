"""Actuals (bulletin) files: the tests' invented and synthetic ones, files written here, and the annual review
as its notebook opens it on them."""
from __future__ import annotations

from pathlib import Path

from xiqu_analysis.inputs.bulletins import load_bulletin
from xiqu_analysis.reports.sections import annual_review
from xiqu_analysis.reports.parameters import AnnualReviewParameters, Resolved

from . import FIXTURES, SCENARIO_DIR

__all__ = ["SYNTHETIC", "INVENTED", "PLAN_FILE", "BULLETIN_HEADER", "write_bulletin", "load_actuals", "open_review",
           "without_rows"]

#: SYNTHETIC actuals of xiqu, 2021-2023 (labelled so in the file)
SYNTHETIC = FIXTURES / "actuals_synthetic.csv"
#: INVENTED actuals of xiqu, 2020-2025: GDP 7 % a year, industry 8 %, services 7 % (labelled so in the file)
INVENTED = FIXTURES / "actuals_invented_2021_2025.csv"
#: the shipped plan_targets scenario file
PLAN_FILE = SCENARIO_DIR / "plan_targets.yaml"
#: the header line of a bulletin file (data/bulletins/README.md)
BULLETIN_HEADER = "region,indicator,year,value,unit,price_basis,source\n"


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


def write_bulletin(tmp_path: Path, body: str, name: str = "b.csv") -> Path:
    """A bulletin file of ``body`` (header included) in ``tmp_path``."""
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def without_rows(path: Path, *rows: str, source: Path = INVENTED) -> Path:
    """The INVENTED actuals (or ``source``) written to ``path`` without the rows named ``indicator,year``
    (``"industrial_va_growth,2025"``); each must be a row of the file."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    keys = {f"xiqu,{row}," for row in rows}
    kept = [line for line in lines if not any(line.startswith(k) for k in keys)]
    assert len(lines) - len(kept) == len(rows), f"not every row of {rows} is in {source.name}"
    path.write_text("".join(kept), encoding="utf-8")
    return path
