"""The Word version's tables (python-docx), for :mod:`.docx_writer`: laid out as :mod:`.table_fit` fits them.

Each table is as wide as its columns (a fixed layout: Word and LibreOffice both follow the grid), each
column as wide as its contents need (:func:`.table_fit.fit_table`), in the fitted font size. A cell kept
on one line says so (``w:noWrap``) and is wide enough for its text; a cell with a number that wraps is
broken into lines here (:func:`.table_fit.wrap_lines`, line breaks in the cell), never inside a number, its
%, its 年 or a period of years: LibreOffice breaks between 2020 and 年 whatever joins them.
The header row repeats on every page; no row breaks across pages (``w:cantSplit``); the paragraphs of a
short table are kept with the next (``keep_with_next``), so the table stays whole with the caption above
it; a long one keeps its caption, header and first rows together, and its last two rows.
The cells of one kind (width, header or not, kept with the next, alignment, one line or not) are copies
of the first one formatted by python-docx: the same XML, without setting every property of every cell.
"""
from __future__ import annotations

import copy
from typing import Any, Callable

from .docx_styles import qn
from .table_fit import PageBox, TableFit, wrap_lines

__all__ = ["DOCX_PAGE", "write_table"]

#: the Word page for tables: 16 cm by 24.7 cm of text (A4 less 2.5 cm margins), cells padded 0.1 cm a side
#: (and 4 pt to spare)
DOCX_PAGE = PageBox(portrait_pt=16.0 / 2.54 * 72, landscape_pt=24.7 / 2.54 * 72, padding_pt=10.0,
                    sizes=(9.0, 8.0, 7.0), smallest=6.0, height_pt=24.7 / 2.54 * 72)
#: the cells' left and right margin, twips (0.1 cm)
_CELL_MARGIN = 57
#: rows at the start of a long table kept with its caption and header
_LEAD_ROWS = 2
_TBL_PR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                 "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
                 "tblLook", "tblCaption", "tblDescription")


def _element(tag: str, **attrs: str):
    from docx.oxml import OxmlElement

    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _set_tbl_pr(tbl_pr, child) -> None:
    """Put ``child`` into ``w:tblPr`` in the schema's order, replacing one of the same name."""
    name = child.tag.split("}")[1]
    old = tbl_pr.find(qn(f"w:{name}"))
    if old is not None:
        tbl_pr.remove(old)
    rank = _TBL_PR_ORDER.index(name)
    for k, existing in enumerate(tbl_pr):
        other = existing.tag.split("}")[1]
        if other in _TBL_PR_ORDER and _TBL_PR_ORDER.index(other) > rank:
            tbl_pr.insert(k, child)
            return
    tbl_pr.append(child)


def _table_properties(table, widths_tw: list[int]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT

    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    _set_tbl_pr(tbl_pr, _element("w:tblW", w=str(sum(widths_tw)), type="dxa"))
    _set_tbl_pr(tbl_pr, _element("w:tblLayout", type="fixed"))
    margins = _element("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_element(f"w:{side}", w=str(_CELL_MARGIN), type="dxa"))
    _set_tbl_pr(tbl_pr, margins)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_tw):
        col.set(qn("w:w"), str(width))


def write_table(doc, block: dict[str, Any], fit: TableFit, run: Callable[..., Any], styled: bool) -> None:
    """Add ``block`` (a table of ``document.json``) to ``doc`` as ``fit`` lays it out; ``run(paragraph,
    text, bold=, size=)`` writes a cell's text in the document's fonts; ``styled``: the writer's own styles
    (not a template's), whose grid style the table takes."""
    from docx.text.paragraph import Paragraph

    columns, rows, numeric = block["columns"], block["rows"], block["numeric"]
    table = doc.add_table(rows=1 + len(rows), cols=len(columns))
    try:
        table.style = doc.styles["Table Grid"]
    except KeyError:
        pass
    widths_tw = [int(w * 20) for w in fit.widths]  # pt -> twips, rounded down: the sum stays on the line
    _table_properties(table, widths_tw)
    last = len(rows)
    prototypes: dict[tuple, Any] = {}  # a formatted empty cell of each kind, copied for every cell of that kind
    for i, row in enumerate(table.rows):
        values = columns if i == 0 else rows[i - 1]
        tr = row._tr
        tr_pr = tr.get_or_add_trPr()
        tr_pr.append(_element("w:cantSplit"))
        if i == 0:
            tr_pr.append(_element("w:tblHeader"))  # repeated at the top of every page
        keep = i < last and (fit.keep or i <= _LEAD_ROWS or i == last - 1)
        for j, tc in enumerate(list(tr.tc_lst)):
            one_line = fit.nowrap[i][j]
            key = (widths_tw[j], i == 0, keep, numeric[j], one_line)
            if key in prototypes:
                tr.replace(tc, new := copy.deepcopy(prototypes[key]))
                tc = new
            else:
                _format_cell(row.cells[j], widths_tw[j], i == 0, keep, numeric[j], one_line)
                prototypes[key] = copy.deepcopy(tc)
            p = Paragraph(tc.p_lst[0], table)
            text = str(values[j])
            lines = [text] if one_line or not any(ch.isdigit() for ch in text) else \
                wrap_lines(text, (fit.widths[j] - DOCX_PAGE.padding_pt) / fit.size, bold=(i == 0)) or [""]
            for k, line in enumerate(lines):
                if k:
                    run(p, "", bold=(i == 0), size=fit.size).add_break()
                run(p, line, bold=(i == 0), size=fit.size)


def _format_cell(cell, width_tw: int, header: bool, keep: bool, numeric: bool, one_line: bool) -> None:
    """A table cell's width, paragraph format and shading, before its text."""
    from docx.shared import Pt, Twips

    cell.width = Twips(width_tw)
    p = cell.paragraphs[0]
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    fmt.first_line_indent = Pt(0)
    fmt.keep_with_next = keep or None
    fmt.keep_together = True
    p.alignment = 1 if header else (2 if numeric else 0)
    tc_pr = cell._tc.get_or_add_tcPr()
    if header:
        tc_pr.append(_element("w:shd", val="clear", fill="F2F2F2"))
    if one_line:
        tc_pr.append(_element("w:noWrap"))
