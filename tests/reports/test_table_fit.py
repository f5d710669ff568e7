"""How a table fits a printed page (reports/formats/table_fit.py), the page plan both versions follow
(page_plan.py), and the Word table's properties that keep rows with their caption (docx_tables.py)."""
from __future__ import annotations

import pytest
from docx import Document

from xiqu_analysis.reports.formats.docx_tables import DOCX_PAGE
from xiqu_analysis.reports.formats.docx_writer import write_docx
from xiqu_analysis.reports.formats.page_plan import keep_groups, landscape_blocks
from xiqu_analysis.reports.formats.pdf_writer import PDF_PAGE, print_html
from xiqu_analysis.reports.formats.table_fit import PageBox, fit_table, one_line_cell, text_em, wrap_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: a page 100 pt wide (200 pt in landscape, 300 pt high), 10 pt of padding per cell, tables in 10 pt
BOX = PageBox(portrait_pt=100.0, landscape_pt=200.0, padding_pt=10.0, sizes=(10.0, 10.0, 10.0), smallest=8.0,
              height_pt=300.0)


def _table(columns, rows, numeric):
    return {"kind": "table", "name": "t", "file": "tables/t.csv", "caption": "表", "columns": columns,
            "rows": rows, "numeric": numeric}


def test_text_is_measured_in_em_chinese_one_digit_065():
    assert text_em("地区生产总值") == 6.0
    assert text_em("2024") == pytest.approx(2.6)
    assert text_em("8.0%（2024年）") == pytest.approx(0.65 * 6 + 0.33 + 0.95 + 3)


def test_lines_break_between_numbers_never_inside_them():
    assert wrap_lines("2025年地区生产总值（亿元，2020年不变价）", 4) == \
        ["2025年", "地区生产", "总值（亿", "元，", "2020年", "不变价）"]
    assert wrap_lines("延续2016—2020年趋势（各产业年均增长4.9%）", 6) == \
        ["延续", "2016—2020年", "趋势（各产业", "年均增长", "4.9%）"]  # brackets stay with their neighbours
    assert wrap_lines("see tables/scenario_scores.csv now", 8) == ["see", "tables/scenario_scores.csv", "now"]


def test_a_short_cell_with_a_number_stays_on_one_line_a_long_one_wraps():
    assert one_line_cell("8.0%（2024年）", numeric=False) and one_line_cell("129406", numeric=True)
    assert not one_line_cell("以2024年为基期重新基准", numeric=False)  # 12.6 em: wraps, 2024年 kept whole
    assert not one_line_cell("地区生产总值", numeric=False)


def test_columns_get_their_numbers_width_and_the_table_fills_the_line():
    # natural widths: 4 x 0.65 em + 10 = 36 pt and (4 x 0.65 + 0.33) em + 10 = 39.3 pt, spread over 100 pt
    fit = fit_table(_table(["年", "数值"], [["2020", "82.91"]], [True, True]), BOX)
    assert not fit.landscape and fit.size == 10.0 and fit.keep
    assert fit.widths == pytest.approx([100 * 36 / 75.3, 100 * 39.3 / 75.3])
    assert fit.nowrap == [[False, False], [True, True]]


def test_a_text_column_wraps_to_what_the_numbers_leave():
    # the number column needs 2.6 em + 10 = 36 pt; the text column gets the 64 pt left (at least its widest piece)
    fit = fit_table(_table(["说明", "数值"], [["说明文字" * 5, "2020"]], [False, True]), BOX)
    assert not fit.landscape and fit.widths[1] >= 36.0 and sum(fit.widths) == pytest.approx(100.0)


def test_a_table_too_wide_for_portrait_goes_landscape_and_then_smaller():
    # 3 x (6 x 6.5 + 10) = 147 pt: landscape at 10 pt; five columns of 12345 (5 x 42.5 = 212.5 pt) fit the
    # landscape line at 9 pt (5 x (5 x 0.65 x 9 + 10) = 196.25 pt), not at 9.5 pt (204.4 pt)
    three = fit_table(_table(list("abc"), [["123456"] * 3], [True] * 3), BOX)
    assert three.landscape and three.size == 10.0 and sum(three.widths) == pytest.approx(200.0)
    five = fit_table(_table(list("abcde"), [["12345"] * 5], [True] * 5), BOX)
    assert five.landscape and five.size == 9.0
    assert all(w >= 5 * 0.65 * 9 + 10 for w in five.widths)


def test_a_long_table_is_not_kept_whole_and_one_a_little_too_long_is_set_smaller():
    # a row is 10 pt x 1.25 + 3 = 15.5 pt: 300 pt less 30 for the caption holds 17 rows with the header
    def rows(n):
        return _table(["年份"], [["2020"]] * n, [True])

    assert fit_table(rows(16), BOX).keep and fit_table(rows(16), BOX).size == 10.0
    nearly = fit_table(rows(18), BOX)  # 19 x 15.5 = 294.5 pt > 270 pt; 9.5 pt: 282.6; 9 pt: 270.75; 8.5 pt: 258.9
    assert nearly.size == 8.5 and nearly.keep
    assert not fit_table(rows(40), BOX).keep


def test_headings_go_with_the_landscape_table_they_head_and_groups_join_headings_to_what_follows():
    blocks = [{"kind": "heading"}, {"kind": "text"}, {"kind": "heading"}, {"kind": "heading"}, {"kind": "table"},
              {"kind": "table"}, {"kind": "text"}]
    assert landscape_blocks(blocks, {4: True, 5: True}) == [False, False, True, True, True, True, False]
    assert landscape_blocks(blocks, {4: False, 5: True}) == [False] * 5 + [True, False]
    assert keep_groups(blocks) == [[0, 1], [2, 3, 4], [5], [6]]


def test_word_rows_never_split_and_a_short_table_is_kept_with_its_caption(tmp_path):
    short = _table(["年份", "说明"], [["2020", "以2024年为基期重新基准" * 4]] * 3, [True, False])
    long = _table(["年份"], [["2020"]] * 80, [True])
    doc = Document(str(write_docx({"language": "zh", "title": "t", "blocks": [short, long]}, tmp_path,
                                  tmp_path / "t.docx")))
    first, second = doc.tables
    for table in (first, second):
        assert all(row._tr.trPr.find(f"{W}cantSplit") is not None for row in table.rows)
        assert table._tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
    keeps = [row.cells[0].paragraphs[0].paragraph_format.keep_with_next for row in first.rows]
    assert keeps == [True, True, True, None]  # every row but the last kept with the next
    keeps = [row.cells[0].paragraphs[0].paragraph_format.keep_with_next for row in second.rows]
    assert keeps[:3] == [True] * 3 and keeps[3:-2] == [None] * 76 and keeps[-2:] == [True, None]
    year = first.rows[1].cells[0]._tc
    assert year.tcPr.find(f"{W}noWrap") is not None  # a number cell on one line
    text = first.rows[1].cells[1]
    assert text._tc.tcPr.find(f"{W}noWrap") is None and "\n" in text.text  # wrapped here, between numbers
    assert text.text.replace("\n", "") == "以2024年为基期重新基准" * 4
    assert all("2024年" in line or "2024" not in line for line in text.text.split("\n"))
    assert [p.paragraph_format.keep_with_next for p in doc.paragraphs if p.style.name == "Caption"] == [True, True]


def test_pdf_cells_keep_numbers_whole_and_widths_come_from_the_contents():
    table = _table(["年份", "说明"], [["2020", "以2024年为基期重新基准" * 4]], [True, False])
    page = print_html({"language": "zh", "title": "t", "blocks": [{"kind": "heading", "level": 2, "text": "节"},
                                                                  table]})
    assert '<td class="num nw">2020</td>' in page and '<span class="nw">2024年</span>' in page
    fit = fit_table(table, PDF_PAGE)
    assert f'<col style="width: {100 * fit.widths[0] / sum(fit.widths):.2f}%">' in page
    assert '<section class="group keep">\n<h2>节</h2>' in page  # the heading kept with its short table
    assert fit_table(table, DOCX_PAGE).size == 9.0 and fit.size == 8.5


def test_pdf_cells_wrap_between_numbers_never_inside_them(tmp_path):
    """A text column of the PDF wrapping at many places (each row shifted by one character): every number,
    share, ratio and period is whole on its line. Only a piece a line could break inside (its 年, its dash)
    has a ``nowrap`` span of its own; the others are kept whole by the line-breaking rules alone (a span
    around each number of 9.31:53.65:37.04 let lines break between the spans)."""
    import pypdfium2 as pdfium

    from xiqu_analysis.reports.formats.pdf_writer import pdf_bytes

    pieces = ["7.5%", "-2.25%", "9.31:53.65:37.04", "2021—2025年", "1,234", "2025年", "+0.6"]
    text = "增速{}与{}，结构{}，{}累计{}亿元，{}达到{}个百分点。".format(*pieces) * 3
    rows = [["字" * k + text] for k in range(8)]
    document = {"language": "zh", "title": "t", "blocks": [_table(["说明"], rows, [False])]}
    page = print_html(document)
    assert '<span class="nw">2021—2025年</span>' in page and '<span class="nw">2025年</span>' in page
    assert not any(f'<span class="nw">{p}</span>' in page for p in ("7.5%", "-2.25%", "1,234", "+0.6", "9.31"))
    pdf = pdfium.PdfDocument(pdf_bytes(document, tmp_path))
    printed = "".join(p.get_textpage().get_text_range() for p in pdf)
    assert printed.count("\n") >= 3 * len(rows)  # every row wraps
    for piece in pieces:
        assert printed.count(piece) == text.count(piece) * len(rows), piece
