"""``xiqu extract``: the three output formats, and every bad input refused with one line, exit 2, nothing written."""
from __future__ import annotations

import csv
import io

import pytest
from tests.helpers.extract_docs import tiny_pdf

from xiqu_analysis.cli import main
from xiqu_analysis.errors import EXIT_BAD_INPUT

TEXT = ("松河区2030年国民经济和社会发展统计公报\n松河区统计局\n2031年3月2日\n"
        "初步核算，全年全区实现地区生产总值1882000万元，按可比价格计算，比上年增长4.4%。\n"
        "全年一般公共预算收入12.34亿元，比上年增长3.1%。相邻的柳坪县2030年一般公共预算收入9.10亿元。\n")


@pytest.fixture
def bulletin(tmp_path):
    path = tmp_path / "bulletin.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _read(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_proposals_to_a_file(bulletin, tmp_path, capsys):
    out = tmp_path / "proposals.csv"
    assert main(["extract", str(bulletin), "--region", "songhe", "-o", str(out)]) == 0
    rows = _read(out)
    assert list(rows[0])[:9] == ["indicator", "region", "year", "period", "value", "unit", "price_basis", "kind",
                                 "quote"]
    gdp = next(r for r in rows if r["indicator"] == "gdp")
    assert (gdp["value"], gdp["unit"], gdp["value_std"], gdp["unit_std"]) == ("1882000", "万元", "188.2", "亿元")
    assert gdp["status"] == "proposed" and gdp["location"] == "l.4"
    assert {r["region"] for r in rows} == {"songhe", "liuping"}


def test_actuals_are_what_the_annual_review_reads(bulletin, tmp_path):
    from xiqu_analysis.inputs.bulletins import load_bulletin

    out = tmp_path / "actuals.csv"
    assert main(["extract", str(bulletin), "--region", "songhe", "--format", "actuals", "-o", str(out)]) == 0
    frame = load_bulletin(out)
    got = {(r.region, r.indicator, int(r.year), round(float(r.value), 4)) for r in frame.itertuples()}
    assert ("songhe", "gdp", 2030, 188.2) in got  # in the registry's unit
    assert ("songhe", "gdp_growth", 2030, 4.4) in got
    assert ("liuping", "general_budget_revenue", 2030, 9.1) in got


def test_figures_have_the_columns_of_a_regions_figures_file(bulletin, capsys):
    from xiqu_analysis.inputs.indicators import data_root

    assert main(["extract", str(bulletin), "--region", "songhe", "--format", "figures"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    header = (data_root(None) / "regions" / "xiqu" / "figures.csv").read_text(encoding="utf-8").splitlines()[0]
    assert list(rows[0]) == header.split(",")
    assert {r["id"] for r in rows} >= {"songhe.gdp.2030", "songhe.gdp_growth.2030"}


def _bad_inputs(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    unknown = tmp_path / "table.xlsx"
    unknown.write_bytes(b"PK\x03\x04")
    scanned = tmp_path / "scanned.pdf"
    scanned.write_bytes(tiny_pdf([[("line", 10, 10, 500, 800)]]))
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(tiny_pdf([[("text", 60, 780, "地区生产总值100亿元。")]], encrypt_with="secret"))
    nav = tmp_path / "nav.html"
    nav.write_text("<html><body><div class='nav'><a href='/'>首页</a><a href='/a'>政务公开</a></div>"
                   "<div class='footer'>电话：0000-1234567</div></body></html>", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    return {"empty": (empty, "empty"), "unknown type": (unknown, "unknown file type"),
            "no text layer": (scanned, "no text layer"), "encrypted": (locked, "encrypted"),
            "navigation only": (nav, "no article text"), "missing": (missing, "no such file")}


@pytest.mark.parametrize("case", ["empty", "unknown type", "no text layer", "encrypted", "navigation only",
                                  "missing"])
def test_bad_input_is_one_line_exit_2_nothing_written(case, tmp_path, bulletin, capsys):
    path, words = _bad_inputs(tmp_path)[case]
    out = tmp_path / "out.csv"
    status = main(["extract", str(bulletin), str(path), "-o", str(out)])
    err = capsys.readouterr().err
    assert status == EXIT_BAD_INPUT
    assert len(err.strip().splitlines()) == 1 and str(path) in err and words in err
    assert not out.exists()  # the good file before it was read, but nothing is written


def test_a_folder_reads_every_document_in_it(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b.txt").write_text(TEXT.replace("松河区", "柳坪县").replace("全区", "全县"), encoding="gb18030")
    (folder / "notes.md").write_text("not a document", encoding="utf-8")
    assert main(["extract", str(folder)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["source"] for r in rows} == {"a.txt", "b.txt"}
    assert {r["region"] for r in rows if r["indicator"] == "gdp"} == {"songhe", "liuping"}


def test_a_bad_region_key_is_refused(bulletin, capsys):
    assert main(["extract", str(bulletin), "--region", "Song He"]) == EXIT_BAD_INPUT
    assert "--region" in capsys.readouterr().err


def test_actuals_from_keeps_the_proposals_and_writes_the_confident_figures(bulletin, tmp_path):
    from xiqu_analysis.cli.extract import actuals_from
    from xiqu_analysis.inputs.bulletins import load_bulletin

    folder, actuals, fresh = actuals_from([str(bulletin)], "songhe", tmp_path / "out")
    assert fresh and sorted(p.name for p in folder.iterdir()) == ["actuals.csv", "proposals.csv",
                                                                 "proposals.review.html"]
    frame = load_bulletin(actuals)
    assert set(frame["region"]) == {"songhe"}  # the neighbour's figure is not the region's
    assert {"gdp", "gdp_growth", "general_budget_revenue"} <= set(frame["indicator"])
    assert actuals_from([str(bulletin)], "songhe", tmp_path / "out")[0] == folder  # same documents, same file


def test_run_refuses_actuals_and_actuals_from_together_and_bad_documents(bulletin, tmp_path, capsys):
    out = tmp_path / "runs"
    status = main(["run", "--suite", "annual-review", "--year", "2030", "--actuals", str(bulletin),
                   "--actuals-from", str(bulletin), "--out", str(out)])
    assert status == EXIT_BAD_INPUT and "not both" in capsys.readouterr().err
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert main(["run", "--suite", "annual-review", "--year", "2030", "--actuals-from", str(empty),
                 "--out", str(out)]) == EXIT_BAD_INPUT
    assert "empty" in capsys.readouterr().err
    assert not (out / "extracted").exists()
