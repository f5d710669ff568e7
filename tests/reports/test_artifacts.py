"""Report.table: the reader may see a subset, the CSV and workbook keep the whole table."""
from __future__ import annotations

import re

import json

import pandas as pd

from xiqu_analysis.reports.formats.artifacts import Report


def test_table_show_subset_keeps_full_csv(tmp_path):
    full = pd.DataFrame({"year": range(2020, 2036), "value": [float(i) for i in range(16)]})
    rep = Report(tmp_path, "en", notebook="t")
    path = rep.table(full, "long", "caption", show=full[full["year"].isin([2020, 2035])])
    rep.finish()
    saved = pd.read_csv(path)
    assert len(saved) == 16 and saved["year"].tolist() == list(range(2020, 2036))
    manifest = json.loads((tmp_path / "artifacts.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True and "tables/long.csv" in manifest["tables"]


def test_displayed_headers_follow_the_report_language_and_csv_keeps_names(tmp_path, monkeypatch):
    import xiqu_analysis.reports.formats.artifacts as report_mod

    shown = []
    monkeypatch.setattr(report_mod, "_display", lambda obj: shown.append(getattr(obj, "data", obj)))
    df = pd.DataFrame({"year": [2025], "projected": [1.0], "no_such_column_key": [2.0]})
    rep = Report(tmp_path, "zh", notebook="t")
    path = rep.table(df, "t", "caption")
    html = shown[-1]
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", html)
    assert headers == ["年份", "预测值", "no_such_column_key"]
    assert ">2025</td>" in html  # a year as a plain integer, right-aligned with the numbers
    assert pd.read_csv(path).columns.tolist() == ["year", "projected", "no_such_column_key"]
