"""The Word and PDF versions, the workbooks and ``--formats``, without a kernel.

A small report is written with the real :class:`Report` (a heading, a
narrative with source notes and assumption marks, a table, a figure); the
DOCX is re-opened with python-docx and its XML read; the workbooks are
re-opened with openpyxl. Rendering a real report to PDF and to PNG needs
seconds and lives in ``tests/end_to_end/test_formats_notebooks.py``.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from docx import Document  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from xiqu_analysis.cli import main  # noqa: E402
from xiqu_analysis.errors import InputError  # noqa: E402
from xiqu_analysis.reports.formats import artifacts  # noqa: E402
from xiqu_analysis.reports.formats.document import format_float, load_document, split_tags  # noqa: E402
from xiqu_analysis.reports.formats.docx_writer import write_docx  # noqa: E402
from xiqu_analysis.reports.formats.markup import protect_tags  # noqa: E402
from xiqu_analysis.reports.words.narrative import NarrativeBuilder, assumed, sourced  # noqa: E402
from xiqu_analysis.reports.formats.pdf_writer import FONT_FAMILY, cjk_font_path, print_html  # noqa: E402
from xiqu_analysis.reports.formats.workbook import Sheet, number_format, write_workbook  # noqa: E402
from xiqu_analysis.runner.render import (  # noqa: E402
    FORMATS,
    check_docx_template,
    parse_formats,
    render_formats,
    render_index,
    write_run_workbook,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TABLE = pd.DataFrame({
    "year": [2020, 2025],
    "value": [82.91, 7.499999999999996],
    "base": [63341.2, 99535.7],
    "note": ["基期 <b>", "long text " * 8],
})


def small_report(folder: Path, lang: str = "zh", title: str = "西区 <script>x</script>") -> Path:
    """A report with every kind of block, written as a notebook would."""
    rep = artifacts.Report(folder, lang, notebook="test")
    rep.heading(title, level=1)
    b = NarrativeBuilder(lang)
    gdp = b.tag(sourced(82.91, "yi", "plan ch.1 §3.2"))
    later = b.tag(assumed(120.87, "yi"))
    b.add_text(f"地区生产总值由{gdp}增至{later}，用户文字 \\[2\\] 不是注释。")
    b.add_text(f"再引一次{b.tag(sourced(82.91, 'yi', 'plan ch.1 §3.2'))}。")
    rep.markdown(b.build())
    rep.heading("主要指标")
    rep.table(TABLE, "headline", "主要指标（亿元）")
    fig, ax = plt.subplots(figsize=(4, 2.5), dpi=100)
    ax.plot([2020, 2025], [82.91, 120.87])
    rep.figure(fig, "gdp", "地区生产总值")
    plt.close(fig)
    rep.markdown("- 第一条\n- second *item*")
    rep.finish()
    return folder


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory) -> Path:
    return small_report(tmp_path_factory.mktemp("formats") / "r")


# --------------------------------------------------------------------------- the record
def test_document_records_every_block_in_order(report_dir):
    doc = load_document(report_dir)
    assert [b["kind"] for b in doc["blocks"]] == ["heading", "narrative", "heading", "table", "figure", "text",
                                                 "text"]
    assert doc["language"] == "zh" and doc["title"] == "西区 <script>x</script>"  # plain text, escaped on output
    narrative = doc["blocks"][1]
    assert narrative["notes"] == ["plan ch.1 §3.2"] and narrative["legend"][0].startswith("[a]")
    table = doc["blocks"][3]
    # cells as the page shows them; headers in the report's language; numbers flagged for alignment
    assert table["columns"][:3] == ["年份", "数值", "基准值"]
    assert table["rows"][0][:3] == ["2020", "82.91", "63341"] and table["rows"][1][1] == "7.50"  # no thousands separator in Chinese
    assert table["numeric"] == [True, True, True, False]
    assert doc["blocks"][4] == {"kind": "figure", "name": "gdp", "file": "figures/gdp.png", "caption": "地区生产总值"}
    assert doc["blocks"][-1]["role"] == "files"
    assert json.loads((report_dir / "artifacts.json").read_text("utf-8"))["document"] == "document.json"


def test_tags_are_found_but_escaped_brackets_are_not():
    md = "由82.91亿元 [1]增至120.87亿元 [a]，用户 \\[2\\] 与 \\[3] 不是"
    assert [tag for _, tag in split_tags(md) if tag] == ["1", "a"]
    assert protect_tags(md).count("\ue000") == 2 and "\\[2\\]" in protect_tags(md)


def test_format_float_is_the_page_rule():
    assert [format_float(x) for x in (82.914, 7.499999999999996, 63341.2, 0.001, float("nan"))] == \
        ["82.91", "7.50", "63,341", "0.001", ""]


# --------------------------------------------------------------------------- Word
def _runs(xml_root) -> list:
    return [r for r in xml_root.iter(f"{W}r")]


def test_docx_reopens_with_every_table_figure_footnote_and_east_asian_font(report_dir, tmp_path):
    path = write_docx(load_document(report_dir), report_dir, tmp_path / "r.docx")
    doc = Document(str(path))
    assert len(doc.tables) == 1 and len(doc.inline_shapes) == 1
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header == ["年份", "数值", "基准值", "说明"]
    assert [c.text for c in doc.tables[0].rows[1].cells][:3] == ["2020", "82.91", "63341"]
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)  # A4
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "西区 <script>x</script>" in text and "[1]" not in text and "\\[2\\]" not in text and "[2]" in text
    assert "表\u3000主要指标（亿元）" in text and "图\u3000地区生产总值" in text  # the number is a SEQ field
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode("utf-8")
        notes = z.read("word/footnotes.xml").decode("utf-8")
        names = z.namelist()
    assert body.count("<w:footnoteReference") == 2  # one per tag [1]; [a] is a superscript mark
    from lxml import etree

    texts = ["".join(t.text for t in note.iter(f"{W}t"))
             for note in etree.fromstring(notes.encode("utf-8")).iter(f"{W}footnote") if note.get(f"{W}type") is None]
    assert texts == [" plan ch.1 §3.2"] * 2 and "word/footnotes.xml" in names
    assert '<w:fldSimple w:instr=" SEQ Table \\* ARABIC "><w:r>' in body and 'SEQ Figure' in body
    assert body.count("<w:t>1</w:t></w:r></w:fldSimple>") == 2  # 表1, 图1 as Word shows them before updating
    assert "<w:tblHeader/>" in body  # the header row repeats on every page

    for part in (body, notes):
        runs = _runs(etree.fromstring(part.encode("utf-8")))
        assert runs
        for r in runs:
            fonts = r.find(f"{W}rPr/{W}rFonts")
            assert fonts is not None and fonts.get(qn("w:eastAsia")) in ("宋体", "黑体"), etree.tostring(r)[:300]


def test_docx_bytes_do_not_depend_on_the_time(report_dir, tmp_path):
    doc = load_document(report_dir)
    a = write_docx(doc, report_dir, tmp_path / "a.docx").read_bytes()
    b = write_docx(doc, report_dir, tmp_path / "b.docx").read_bytes()
    assert a == b


def test_docx_template_styles_and_fonts_are_used(report_dir, tmp_path):
    template = Document()
    fonts = template.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    fonts.set(qn("w:ascii"), "Arial")
    template.sections[0].page_width = template.sections[0].page_width  # keeps its own page
    template.save(tmp_path / "office.docx")
    assert check_docx_template(tmp_path / "office.docx") == (tmp_path / "office.docx").absolute()
    path = write_docx(load_document(report_dir), report_dir, tmp_path / "r.docx", template=tmp_path / "office.docx")
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert 'w:eastAsia="仿宋_GB2312"' in body and 'w:ascii="Arial"' in body


def test_a_bad_docx_template_is_refused_on_one_line(tmp_path):
    (tmp_path / "x.docx").write_text("not a zip")
    with pytest.raises(InputError, match="not a Word document") as info:
        check_docx_template(tmp_path / "x.docx")
    assert info.value.field == "docx_template" and "\n" not in str(info.value)
    with pytest.raises(InputError, match="file not found"):
        check_docx_template(tmp_path / "missing.docx")


# --------------------------------------------------------------------------- PDF page (no rendering here)
def test_print_page_escapes_user_text_embeds_the_font_and_makes_footnotes(report_dir):
    page = print_html(load_document(report_dir))
    assert "<script>" not in page and "&lt;script&gt;" in page
    font = cjk_font_path()
    assert font is not None and font.name == "NotoSansCJKsc-Regular.otf"
    assert f'font-family: "{FONT_FAMILY}"; src: url("{font.as_uri()}")' in page
    assert page.count('<span class="fn">plan ch.1 §3.2</span>') == 2 and '<sup class="mark">a</sup>' in page
    assert "表1　主要指标（亿元）" in page and "图1　地区生产总值" in page and 'src="figures/gdp.png"' in page
    assert "counter(page)" in page and "http" not in page.split("<body>")[1]


# --------------------------------------------------------------------------- workbooks
def test_workbook_has_formats_widths_frozen_headers_in_the_language(tmp_path):
    path = write_workbook(tmp_path / "t.xlsx", [Sheet("headline", TABLE, "主要指标", "报告", "tables/h.csv")], "zh")
    wb = load_workbook(path)
    assert wb.sheetnames == ["目录", "主要指标"]  # in Chinese, named after its caption
    contents = wb["目录"]
    assert [c.value for c in contents[2]] == ["工作表", "报告", "表名"]  # no file paths for readers
    assert contents["A3"].value == "主要指标" and contents["A3"].hyperlink.location == "'主要指标'!A1"
    ws = wb["主要指标"]
    assert [c.value for c in ws[1]] == ["年份", "数值", "基准值", "说明"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.b
    assert ws["A2"].value == 2020 and ws["A2"].number_format == "0"  # no 2,020
    assert ws["B3"].value == 7.5 and ws["B3"].number_format == "#,##0.00"  # no float noise
    assert ws["C2"].number_format == "0"  # whole, without a thousands separator in Chinese (41794)
    assert ws["D3"].alignment.horizontal == "left" and ws["D3"].alignment.wrap_text
    assert ws.column_dimensions["B"].width >= 8 and ws.column_dimensions["D"].width == 60  # fitted, capped


def test_number_format_rule():
    assert number_format(2029, year_column=True) == "0"
    assert [number_format(v) for v in (12, 82.91, 63341.2, 1e-9, 3e15)] == \
        ["#,##0", "#,##0.00", "#,##0", "0.000E+00", "0.000E+00"]


def test_run_workbook_holds_every_reports_tables(tmp_path):
    run = tmp_path / "run"
    small_report(run / "scenario_report-a")
    small_report(run / "scenario_report-b", title="B")
    assert write_run_workbook(run, [("scenario_report-a", "scenario_report-a"),
                                    ("scenario_report-b", "scenario_report-b"),
                                    ("gone", "gone.failed")]) == "tables.xlsx"
    wb = load_workbook(run / "tables.xlsx")
    caption = load_workbook(run / "scenario_report-a" / "tables.xlsx")["目录"]["C3"].value
    assert wb.sheetnames == ["目录", f"1-{caption}", f"2-{caption}"]  # numbered by report, named in words
    assert [wb["目录"].cell(row=r, column=2).value for r in (3, 4)] == [wb["目录"]["B3"].value, "B"]
    ws = wb[f"2-{caption}"]
    assert ws.freeze_panes == "A2" and ws["A1"].value == "年份" and ws["A2"].number_format == "0"
    assert ws["B3"].value == 7.5 and wb["目录"]["B4"].value == "B"
    assert write_run_workbook(tmp_path / "empty", []) is None


# --------------------------------------------------------------------------- runner and CLI
def test_parse_formats():
    assert parse_formats("pdf, HTML") == ("html", "pdf") and parse_formats(["docx"]) == ("docx",)
    assert FORMATS == ("html", "docx", "pdf")
    for bad, message in (("html,xls", "unknown format 'xls'"), (" , ", "names no format")):
        with pytest.raises(InputError, match=message) as info:
            parse_formats(bad)
        assert info.value.field == "formats"


@pytest.mark.parametrize("argv, message", [
    (["--formats", "html,odt"], "unknown format 'odt'"),
    (["--docx-template", "nowhere.docx"], "file not found"),
])
def test_cli_refuses_bad_formats_before_anything_runs(tmp_path, capsys, argv, message):
    out = tmp_path / "out"
    assert main(["run", "--out", str(out), *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err
    assert not out.exists()


def test_render_formats_leaves_a_notebook_without_a_document_alone(tmp_path):
    (tmp_path / "artifacts.json").write_text(json.dumps({"tables": [], "figures": [], "complete": True}))
    assert render_formats(tmp_path, "job", FORMATS) == {"docx": None, "pdf": None}
    assert list(tmp_path.iterdir()) == [tmp_path / "artifacts.json"]


def test_render_formats_writes_only_what_is_asked(report_dir, tmp_path):
    import shutil

    folder = tmp_path / "job"
    shutil.copytree(report_dir, folder)
    assert render_formats(folder, "scenario_report-x", ("html", "docx")) == {"docx": "scenario_report-x.docx",
                                                                              "pdf": None}
    assert (folder / "scenario_report-x.docx").is_file() and not list(folder.glob("*.pdf"))


def test_index_links_word_pdf_and_the_run_workbook(tmp_path):
    rows = [{"name": "r", "title": "<b>T</b>", "notebook": "n.ipynb", "status": "ok", "error": None,
             "duration_s": 1.0, "html": "r/n.html", "docx": "r/r.docx", "pdf": "r/r.pdf", "executed": None,
             "tables": [], "figures": [], "xlsx": None}]
    manifest = {"run_id": "x", "status": "complete", "started": "s", "finished": "f", "command": ["xiqu"],
                "workbook": "tables.xlsx"}
    render_index(tmp_path / "index.html", manifest, rows)
    page = (tmp_path / "index.html").read_text("utf-8")
    assert 'href="r/r.docx">Word</a>' in page and 'href="r/r.pdf">PDF</a>' in page
    assert 'href="tables.xlsx"' in page and "<b>T</b>" not in page


def test_wide_tables_share_landscape_pages_with_their_heading_and_small_tables_stay_portrait(tmp_path):
    """Twelve columns of eight-digit numbers fit no portrait line (Word, 7 pt: 12 x (8 x 0.65 em x 7 pt + 10 pt)
    = 557 pt > 453 pt; PDF, 6.5 pt: 526 pt > 482 pt): landscape, with the heading above it and the wide table
    after it; a table of long text in one row wraps on a portrait page."""
    wide = {"kind": "table", "name": "w", "file": "tables/w.csv", "caption": "宽表",
            "columns": [f"列{i}" for i in range(12)], "rows": [["12345678"] * 12] * 3, "numeric": [True] * 12}
    text = {"kind": "table", "name": "t", "file": "tables/t.csv", "caption": "文字表",
            "columns": [f"列{i}" for i in range(10)], "rows": [["说明文字" * 6] * 10], "numeric": [False] * 10}
    heading = {"kind": "heading", "level": 2, "text": "宽表一节"}
    doc = {"language": "zh", "title": "t", "blocks": [text, heading, wide, wide, text]}
    path = write_docx(doc, tmp_path, tmp_path / "w.docx")
    sections = Document(str(path)).sections
    assert [s.page_width > s.page_height for s in sections] == [False, True, False]
    body = Document(str(path)).element.body
    breaks = [i for i, el in enumerate(body) if el.find(f".//{W}sectPr") is not None and el.tag == f"{W}p"]
    kinds = [el.tag.split("}")[1] for el in body]
    assert kinds.count("tbl") == 4 and len(breaks) == 2
    assert kinds[:breaks[0] + 1].count("tbl") == 1  # the text table, portrait; its section ends after it
    assert kinds[breaks[0] + 1:breaks[1] + 1].count("tbl") == 2  # both wide tables in the landscape section
    heading_at = next(i for i, el in enumerate(body) if "宽表一节" in "".join(el.itertext()))
    assert breaks[0] < heading_at < breaks[1]  # the heading with its table
    page = print_html(doc)
    assert page.count('class="group keep wide"') == 2 and "@page wide { size: A4 landscape; }" in page
    assert page.count("<h2>宽表一节</h2>") == 1 and page.index("<h2>") > page.index('class="group keep wide"')


def test_pdf_without_pango_is_refused_before_anything_runs(monkeypatch):
    import ctypes.util

    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)  # a machine without pango
    with pytest.raises(InputError, match="pdf needs the pango library") as info:
        parse_formats("html,pdf")
    assert info.value.field == "formats"
    assert parse_formats("html,docx") == ("html", "docx")  # the other formats need no pango
