"""``xiqu extract`` end to end on one small document per format, made by each test (invented figures)."""
from __future__ import annotations

import pytest

from tests.helpers.extract_docs import ruled_table, tiny_pdf

from xiqu_analysis.inputs.extract import extract_file

BODY = [
    "柳坪县2030年国民经济和社会发展统计公报",
    "柳坪县统计局",
    "2031年3月5日",
    "初步核算，全年全县实现地区生产总值123.45亿元，按可比价格计算，比上年增长5.5%。",
    "全年社会消费品零售总额45.60亿元，比上年增长4.2%。",
]


def _keys(rows: list[dict]) -> set[tuple]:
    return {(r["indicator"], r["region"], r["year"] or r["period"], r["value"]) for r in rows}


EXPECTED = {("gdp", "liuping", "2030", "123.45"), ("gdp_growth", "liuping", "2030", "5.5"),
            ("retail_sales", "liuping", "2030", "45.60"), ("retail_sales_growth", "liuping", "2030", "4.2")}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_text_in_each_encoding(tmp_path, encoding):
    path = tmp_path / "bulletin.txt"
    path.write_bytes("\n".join(BODY).encode(encoding))
    rows = extract_file(path)
    assert _keys(rows) == EXPECTED
    gdp = next(r for r in rows if r["indicator"] == "gdp")
    assert gdp["quote"] == "地区生产总值123.45亿元" and gdp["location"] == "l.4"
    assert gdp["status"] == "proposed" and gdp["unit_std"] == "亿元"


def test_web_page_reads_the_article_and_its_table_not_the_navigation(tmp_path):
    paras = "".join(f"<p>{line}</p>" for line in BODY)
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>公报</title></head><body>
    <div class="nav"><a href="/">首页</a> 浏览次数：8848 电话：0000-1234567 地区生产总值999.99亿元</div>
    <div class="TRS_Editor">{paras}
    <p>表1 2030年分季度主要指标</p>
    <table><tr><th>指标</th><th>一季度</th><th>上半年</th></tr>
    <tr><td>地区生产总值（亿元）</td><td>30.10</td><td>61.20</td></tr>
    <tr><td>地区生产总值增速（%）</td><td>5.1</td><td>-0.4</td></tr></table></div>
    <div class="footer">网站标识码：5100000001 ICP备12345678号</div></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    rows = extract_file(path)
    keys = _keys(rows)
    assert EXPECTED <= keys
    assert ("gdp", "liuping", "2030Q1", "30.10") in keys
    assert ("gdp_growth", "liuping", "2030H1", "-0.4") in keys
    assert not any(r["value"] in ("999.99", "8848") for r in rows)
    cell = next(r for r in rows if r["value"] == "61.20")
    assert cell["location"].startswith("table 1 row 2 col 3")


def test_word_file_paragraphs_and_a_table_with_merged_cells(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in ["柳坪县国民经济和社会发展第十五个五年规划纲要", "（2026年2月3日柳坪县人民代表大会批准）"]:
        document.add_paragraph(line)
    table = document.add_table(rows=3, cols=5)
    for i, text in enumerate(["类别", "指标", "单位", "2025年", "2030年"]):
        table.cell(0, i).text = text
    for r, (name, unit, a, b) in enumerate([("地区生产总值", "亿元", "140", "190"),
                                            ("常住人口城镇化率", "%", "55.2", "60")], start=1):
        for i, text in enumerate([name, unit, a, b], start=1):
            table.cell(r, i).text = text
    merged = table.cell(1, 0).merge(table.cell(2, 0))
    merged.text = "经济发展"
    path = tmp_path / "plan.docx"
    document.save(str(path))
    keys = {(r["indicator"], r["year"], r["value"], r["kind"]) for r in extract_file(path)}
    assert keys == {("gdp", "2025", "140", "actual"), ("gdp", "2030", "190", "target"),
                    ("urbanisation_rate", "2025", "55.2", "actual"), ("urbanisation_rate", "2030", "60", "target")}


def test_pdf_text_and_a_ruled_table_continued_across_pages(tmp_path):
    header = ["指标", "绝对数（亿元）"]
    page1 = [("text", 60 + (40 if i < 3 else 20), 780 - 20 * i, line) for i, line in enumerate(BODY)]
    page1 += [("text", 60, 660, "表1 分行业增加值")]
    page1 += ruled_table([header, ["工业", "41.20"], ["建筑业", "9.80"]], 640)
    page1 += [("text", 280, 40, "— 1 —")]
    page2 = ruled_table([header, ["第一产业", "12.30"], ["第三产业", "60.15"]], 800)
    page2 += [("text", 280, 40, "— 2 —")]
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(tiny_pdf([page1, page2]))
    got = extract_file(path)
    keys = _keys(got)
    assert EXPECTED <= keys
    assert ("primary_va", "liuping", "2030", "12.30") in keys  # the table's rows on page 2
    assert ("tertiary_va", "liuping", "2030", "60.15") in keys
    cell = next(r for r in got if r["indicator"] == "primary_va")
    assert cell["location"] == "p.1 table 1 row 4 col 2"  # one table: the repeated header dropped
    assert not any(r["value"] in ("1", "2") for r in got)  # page numbers


def test_web_page_in_gbk_with_a_this_year_last_year_table(tmp_path):
    page = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'></head><body>"
            "<div id='zoom'><p>柳坪县2030年国民经济和社会发展统计公报</p><p>柳坪县统计局 2031年3月5日</p>"
            "<p>全县经济运行总体平稳，主要指标见下表，表中数据均为初步统计数，最终数以年鉴为准。</p>"
            "<table><tr><th>指标</th><th>单位</th><th>本年</th><th>上年</th><th>增减（%）</th></tr>"
            "<tr><td>地区生产总值</td><td>亿元</td><td>120.5</td><td>113.2</td><td>5.1</td></tr></table>"
            "</div></body></html>")
    path = tmp_path / "gbk.html"
    path.write_bytes(page.encode("gbk"))
    assert _keys(extract_file(path)) == {("gdp", "liuping", "2030", "120.5"), ("gdp", "liuping", "2029", "113.2"),
                                         ("gdp_growth", "liuping", "2030", "5.1")}


def test_pdf_table_without_rules(tmp_path):
    page = [("text", 100, 780, BODY[0]), ("text", 200, 760, BODY[2])]
    page += [("text", 60, 720, "表1 分产业增加值")]
    for i, (label, a, b) in enumerate([("指标", "绝对数（亿元）", "比上年增长（%）"), ("第一产业", "12.30", "3.1"),
                                       ("第二产业", "50.20", "-0.4")]):
        y = 700 - 20 * i
        page += [("text", 60, y, label), ("text", 220, y, a), ("text", 380, y, b)]
    path = tmp_path / "unruled.pdf"
    path.write_bytes(tiny_pdf([page]))
    keys = _keys(extract_file(path))
    assert keys == {("primary_va", "liuping", "2030", "12.30"), ("primary_va_growth", "liuping", "2030", "3.1"),
                    ("secondary_va", "liuping", "2030", "50.20"), ("secondary_va_growth", "liuping", "2030", "-0.4")}


def test_web_page_laid_out_with_tables(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in BODY) + "<p>" + "全县经济运行总体平稳，民生保障有力有效。" * 8 + "</p>"
    page = (f"<html><head><meta charset='utf-8'></head><body><table width='100%'><tr><td>首页 | 政务公开</td></tr>"
            f"<tr><td><table><tr><td>{body}<table border='1'><tr><td>指标</td><td>绝对数（亿元）</td></tr>"
            "<tr><td>第一产业</td><td>12.30</td></tr></table></td></tr></table></td></tr>"
            "<tr><td>版权所有 联系电话：0000-1234567</td></tr></table></body></html>")
    path = tmp_path / "layout.html"
    path.write_text(page, encoding="utf-8")
    assert _keys(extract_file(path)) == EXPECTED | {("primary_va", "liuping", "2030", "12.30")}
