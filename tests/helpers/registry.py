"""A copy of the data folder whose registry of indicators has rows added or left out."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from tests.helpers import ROOT

__all__ = ["data_with"]


def data_with(tmp_path: Path, rows: list[dict], drop: tuple[str, ...] = ()) -> Path:
    """``tmp_path/data``: the project's data with ``rows`` appended to indicators.csv (new columns added)
    and the indicators in ``drop`` left out."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    with open(ROOT / "data" / "indicators.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        shipped = [r for r in reader if r["indicator"] not in drop]
    header += [k for r in rows for k in r if k not in header]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(shipped + rows)
    (data / "indicators.csv").write_text(buf.getvalue(), encoding="utf-8")
    return data
