"""``xiqu actuals merge``: accepted proposals into an actuals file; idempotent; conflicts refused; and the
review page ``xiqu extract`` writes beside its proposals."""
from __future__ import annotations

import csv

import pytest

from xiqu_analysis.cli import main
from xiqu_analysis.errors import EXIT_BAD_INPUT

TEXT = ("松河区2030年国民经济和社会发展统计公报\n松河区统计局\n2031年3月2日\n"
        "初步核算，全年全区实现地区生产总值188.2亿元，按可比价格计算，比上年增长4.4%。\n"
        "全年一般公共预算收入12.34亿元，比上年增长3.1%。\n")


@pytest.fixture
def proposals(tmp_path):
    doc = tmp_path / "bulletin.txt"
    doc.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "proposals.csv"
    assert main(["extract", str(doc), "--region", "songhe", "-o", str(out)]) == 0
    return out


def _set_status(path, status, only=None, value=None):
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    for r in rows:
        if only is None or r["indicator"] == only:
            r["status"] = status
            if value is not None:
                r["value"] = r["value_std"] = value
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def _actuals(path) -> dict:
    with open(path, encoding="utf-8", newline="") as fh:
        return {(r["region"], r["indicator"], r["year"]): r for r in csv.DictReader(fh)}


def test_review_page_beside_the_proposals(proposals):
    page = proposals.with_name("proposals.review.html").read_text(encoding="utf-8")
    assert "<mark>地区生产总值<b>188.2</b>亿元</mark>" in page
    assert "gdp_growth" in page and "bulletin.txt" in page


def test_merge_adds_accepted_rows_once_with_their_source(proposals, tmp_path):
    into = tmp_path / "actuals.csv"
    _set_status(proposals, "accepted", only="gdp")
    assert main(["actuals", "merge", str(proposals), "--into", str(into)]) == 0
    rows = _actuals(into)
    assert list(rows) == [("songhe", "gdp", "2030")]
    assert "地区生产总值188.2亿元" in rows[("songhe", "gdp", "2030")]["source"]
    _set_status(proposals, "accepted")
    assert main(["actuals", "merge", str(proposals), "--into", str(into)]) == 0
    first = into.read_text(encoding="utf-8")
    assert main(["actuals", "merge", str(proposals), "--into", str(into)]) == 0  # again: nothing changes
    assert into.read_text(encoding="utf-8") == first
    assert set(_actuals(into)) >= {("songhe", "gdp", "2030"), ("songhe", "gdp_growth", "2030"),
                                   ("songhe", "general_budget_revenue", "2030")}


def test_a_conflicting_value_is_refused_naming_both_sources(proposals, tmp_path, capsys):
    into = tmp_path / "actuals.csv"
    into.write_text("region,indicator,year,value,unit,price_basis,source\n"
                    "songhe,gdp,2030,190.0,亿元,current,松河区2030年统计快报\n", encoding="utf-8")
    before = into.read_text(encoding="utf-8")
    _set_status(proposals, "accepted")
    assert main(["actuals", "merge", str(proposals), "--into", str(into)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "统计快报" in err and "bulletin.txt" in err
    assert into.read_text(encoding="utf-8") == before


def test_conflicting_accepted_rows_are_refused(proposals, tmp_path, capsys):
    other = tmp_path / "other.csv"
    other.write_text(proposals.read_text(encoding="utf-8"), encoding="utf-8")
    _set_status(other, "accepted", only="gdp", value="188.3")
    _set_status(proposals, "accepted", only="gdp")
    merged = tmp_path / "both.csv"
    lines = proposals.read_text(encoding="utf-8").splitlines()
    merged.write_text("\n".join(lines + other.read_text(encoding="utf-8").splitlines()[1:]) + "\n",
                      encoding="utf-8")
    into = tmp_path / "actuals.csv"
    assert main(["actuals", "merge", str(merged), "--into", str(into)]) == EXIT_BAD_INPUT
    assert "conflicting values" in capsys.readouterr().err
    assert not into.exists()


def test_a_file_that_is_not_proposals_is_refused(tmp_path, capsys):
    bad = tmp_path / "notes.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["actuals", "merge", str(bad), "--into", str(tmp_path / "x.csv")]) == EXIT_BAD_INPUT
    assert "not a proposals file" in capsys.readouterr().err
