"""A real Chinese run's Word, PDF and workbook, read back by real readers and rendered to PNG.

One ``xiqu run --language zh`` of the annual review suite (the shipped scenarios' reports, the comparison,
the data audit and the review of 2024, with real kernels), the run test_chinese_run.py and test_page_layout.py
read too, made once per session (tests/end_to_end/conftest.py, tests/helpers/shared_runs.py). The PDF is read with pypdf (text, embedded
fonts) and rendered to PNG with PDFium; it is rendered a second time in a
process whose fontconfig knows no font at all, as on a machine without
Chinese fonts. The DOCX is re-opened with python-docx and converted to PDF by
LibreOffice (headless), the way a reader's office suite lays it out, with the
Noto Sans CJK SC of mplfonts standing in for 宋体 and 黑体; ``make test``
installs LibreOffice when it is missing. The PNGs are kept in
``tests/.rendered/`` for a person to look at.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from xiqu_analysis.economics.projection import project
from xiqu_analysis.inputs.scenario import load_scenario_with_region
from xiqu_analysis.reports.formats.pdf_writer import cjk_font_path
from tests.helpers import ROOT
from tests.helpers.shared_runs import shared_run, ZH_REVIEW_SUITE

pytestmark = pytest.mark.notebook

SCENARIO = ROOT / "scenarios" / "plan_targets.yaml"
RENDERED = ROOT / "tests" / ".rendered"
JOB = "scenario_report-plan_targets"


@pytest.fixture(scope="module")
def zh_run(tmp_path_factory):
    run = shared_run(tmp_path_factory, ZH_REVIEW_SUITE)
    assert run.returncode == 0, run.stderr[-3000:]
    assert {JOB, "data_audit", "scenario_comparison", "annual_review-2024"} <= set(run.manifest["notebooks"])
    return run.run_dir, run.manifest


def _pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """(base font, embedded?) of every font on every page."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(str(path)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            out.append((str(font["/BaseFont"]), any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))))
    return out


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def _page_png(pdf: Path, png: Path, page: int = 0) -> float:
    """Render one page with PDFium to ``png``; returns the share of pixels that are not white."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    image = doc[page].render(scale=1.5).to_pil().convert("L")
    png.parent.mkdir(parents=True, exist_ok=True)
    image.save(png)
    hist = image.histogram()
    return 1 - sum(hist[230:]) / sum(hist)


def _headline_2025() -> str:
    scenario, _ = load_scenario_with_region(SCENARIO)
    table = project(scenario).table.set_index("year")
    return f"{table.loc[2025, 'gdp_real']:.2f}"


def test_every_report_has_word_and_pdf_and_the_index_links_them(zh_run):
    run_dir, manifest = zh_run
    index = (run_dir / "index.html").read_text("utf-8")
    assert manifest["options"]["formats"] == ["html", "docx", "pdf"]
    links = set(map(unquote, re.findall(r'href="([^"]+)"', index)))
    for name, entry in manifest["notebooks"].items():
        assert entry["status"] == "ok"
        stem = entry["file_stem"]  # the run names its files in Chinese (test_index_names_runs.py checks the names)
        assert stem and entry["docx"] == f"{name}/{stem}.docx" and entry["pdf"] == f"{name}/{stem}.pdf"
        assert (run_dir / entry["docx"]).stat().st_size > 10_000 and (run_dir / entry["pdf"]).is_file()
        assert entry["docx"] in links and entry["pdf"] in links
    assert manifest["workbook"] == "全部表格.xlsx" and "全部表格.xlsx" in links


def test_pdf_embeds_its_fonts_and_reads_in_chinese_with_the_headline_number(zh_run):
    run_dir, manifest = zh_run
    pdf = run_dir / manifest["notebooks"][JOB]["pdf"]
    text = _pdf_text(pdf)
    assert "地区生产总值" in text and _headline_2025() in text
    fonts = _pdf_fonts(pdf)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert any("Report-CJK" in name or "ReportCJK" in name.replace(" ", "") for name, _ in fonts), fonts
    share = _page_png(pdf, RENDERED / "pdf-page1.png")
    assert 0.01 < share < 0.5  # text and a table on a white page


def test_pdf_renders_the_same_where_no_font_is_installed(zh_run, tmp_path):
    run_dir, _ = zh_run
    conf = tmp_path / "fonts.conf"  # fontconfig with no font folder at all
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>\n')
    folder = run_dir / JOB
    out = tmp_path / "bare.pdf"
    code = ("import sys; from xiqu_analysis.reports.formats.document import load_document; "
            "from xiqu_analysis.reports.formats.pdf_writer import write_pdf; "
            "write_pdf(load_document(sys.argv[1]), sys.argv[1], sys.argv[2])")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    proc = subprocess.run([sys.executable, "-c", code, str(folder), str(out)], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = _pdf_text(out)
    assert "地区生产总值" in text and _headline_2025() in text
    assert all(embedded for _, embedded in _pdf_fonts(out))
    assert _page_png(out, RENDERED / "pdf-page1-no-system-fonts.png") > 0.01


def test_docx_reopens_with_every_table_and_figure_and_east_asian_fonts(zh_run):
    from docx import Document
    from docx.oxml.ns import qn

    run_dir, manifest = zh_run
    for name in (JOB, "data_audit"):
        folder = run_dir / name
        record = json.loads((folder / "document.json").read_text("utf-8"))
        docx = run_dir / manifest["notebooks"][name]["docx"]
        doc = Document(str(docx))
        kinds = [b["kind"] for b in record["blocks"]]
        assert len(doc.tables) == kinds.count("table") > 0
        assert len(doc.inline_shapes) == kinds.count("figure")
        first_rows = [[c.text.replace("\n", "") for c in t.rows[0].cells] for t in doc.tables]  # its line breaks aside
        assert first_rows == [b["columns"] for b in record["blocks"] if b["kind"] == "table"]
        with zipfile.ZipFile(docx) as z:
            parts = [z.read(n) for n in z.namelist() if n in ("word/document.xml", "word/footnotes.xml")]
        from lxml import etree

        runs = [r for p in parts for r in etree.fromstring(p).iter(qn("w:r"))]
        missing = [r for r in runs if r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") is None
                   or not r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia"))]
        assert runs and not missing


def _libreoffice_fonts(tmp_path: Path) -> dict[str, str]:
    """Environment for LibreOffice: its own profile, and mplfonts' Noto Sans CJK SC for 宋体/黑体."""
    font_dir = cjk_font_path().parent
    aliases = "".join(f"<alias><family>{f}</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>"
                      for f in ("宋体", "黑体", "SimSun", "SimHei"))
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf'
                    f"</include><dir>{font_dir}</dir><cachedir>{tmp_path}/fc</cachedir>{aliases}</fontconfig>\n")
    return dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(tmp_path))


def test_docx_laid_out_by_libreoffice_reads_in_chinese(zh_run, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: `make test` installs it (libreoffice-writer-nogui)"
    run_dir, manifest = zh_run
    docx = run_dir / manifest["notebooks"][JOB]["docx"]
    proc = subprocess.run([soffice, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path),
                           str(docx)], env=_libreoffice_fonts(tmp_path), capture_output=True, text=True,
                          timeout=300)
    pdf = tmp_path / f"{docx.stem}.pdf"
    assert proc.returncode == 0 and pdf.is_file(), proc.stdout + proc.stderr
    text = _pdf_text(pdf)
    assert "地区生产总值" in text and _headline_2025() in text
    assert any("CJK" in name or "Hei" in name for name, _ in _pdf_fonts(pdf))  # no box glyphs: a CJK font was used
    assert 0.01 < _page_png(pdf, RENDERED / "docx-page1.png") < 0.5


def test_run_workbook_reopens_with_formats_widths_and_frozen_headers(zh_run):
    run_dir, manifest = zh_run
    wb = load_workbook(run_dir / manifest["workbook"])
    assert wb.sheetnames[0] == "目录"
    records = {name: json.loads((run_dir / name / "document.json").read_text("utf-8")) for name in manifest["notebooks"]}
    n_tables = sum(b["kind"] == "table" for r in records.values() for b in r["blocks"])
    assert len(wb.sheetnames) == 1 + n_tables
    sheet = {name.split("-", 1)[1].split("（")[0]: name for name in wb.sheetnames[1:]}  # named after captions
    head = wb[sheet["主要指标"]]
    assert head.freeze_panes == "A2" and head["A1"].font.b
    formats = {c.number_format for row in head.iter_rows(min_row=2) for c in row if isinstance(c.value, float)}
    assert formats <= {"#,##0.00", "0", "0.000E+00"} and "#,##0.00" in formats  # no thousands separator in Chinese
    widths = [head.column_dimensions[c].width for c in "ABC"]
    assert all(w and w >= 8 for w in widths)
    pct = wb[next(name for name in wb.sheetnames if "百分位数" in name)]
    assert pct["A1"].value == "年份" and pct["A2"].number_format == "0" and pct.freeze_panes == "A2"
    # numbers stored as in the CSV (ten significant digits): no float noise
    values = [c.value for row in pct.iter_rows(min_row=2) for c in row if isinstance(c.value, float)]
    assert values and all(float(f"{v:.10g}") == v for v in values)
