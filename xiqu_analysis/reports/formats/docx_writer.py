"""The Word (DOCX) version of a report, from its ``document.json`` (:mod:`.document`).

:func:`write_docx` lays the record out on A4 with python-docx: the title and
section headings, every paragraph, each table under its numbered caption
(表1 / Table 1, a ``SEQ`` field, so Word can list them) with its header row
repeated on every page and numbers right-aligned, each figure over its
numbered caption, the narrative's source notes as real Word footnotes at the
foot of the page (its ``[a]`` marks as a superscript *a* with their legend),
and page numbers in the footer.

Fonts: every run of text names its East Asian font (``w:eastAsia``) as well
as its Latin one, taken from its style, so Word and WPS show the Chinese in
宋体 (body) and 黑体 (headings) without substituting a font; the styles carry
the same fonts (:mod:`.docx_styles`: the page, the styles, the fonts). With ``template`` (a ``.docx`` an office keeps, e.g. with its
letterhead styles) the template's styles, fonts and page set-up are used
instead; missing styles are added.

The bytes do not depend on the time of writing.
"""
from __future__ import annotations

import copy
import io
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ...fileio import atomic_write_bytes
from .docx_styles import (ASCII, SCRIPTS, TEXT_WIDTH_CM, W_NS, append_text, ensure_style, qn, run_prototype,
                          set_properties, set_up_styles, style_fonts)
from .docx_tables import DOCX_PAGE, write_table
from .markup import MARKER, parse, plain_text, protect_tags
from .page_plan import landscape_blocks
from .table_fit import PageBox, TableFit, fit_table
from ..words.locales import get_locale
from ..words.text import t
from .workbook import deterministic_zip

__all__ = ["write_docx", "docx_bytes"]

def _edge(tokens: list[dict], last: bool) -> str:
    """The last (or first) character of the text of ``tokens``, or ''."""
    for tok in (reversed(tokens) if last else tokens):
        raw = tok.get("raw") if tok["type"] in ("text", "codespan") else _edge(tok.get("children", []), last)
        if raw:
            return raw[-1] if last else raw[0]
    return ""


def _is_cjk(ch: str) -> bool:
    return bool(ch) and ord(ch) >= 0x2E80


class _Writer:
    def __init__(self, document: dict[str, Any], folder: Path, template: Path | None):
        from docx import Document

        self.data = document
        self.folder = Path(folder)
        self.lang = str(document.get("language", "en"))
        self.locale = get_locale(self.lang)
        #: (Latin, East Asian) font of body text and headings (the language's ``fonts.word``)
        self.fonts = self.locale.docx_fonts()
        self.doc = Document(str(template)) if template else Document()
        self.own_styles = template is None
        self.footnotes: list[tuple[int, str]] = []
        self.n_tables = self.n_figures = 0
        self.landscape = False
        self.fits: dict[int, TableFit] = {}
        self._font_cache: dict[tuple, tuple[str, str]] = {}
        self._prototypes: dict[tuple, Any] = {}
        self._style_ids: dict[tuple[str, str], str | None] = {}
        self._setup()

    # -- styles and page ---------------------------------------------------------------
    def _style(self, name: str, kind: str = "paragraph", base: str | None = "Normal"):
        return ensure_style(self.doc, name, kind, base)

    def _style_id(self, name: str, kind: str = "paragraph", ensure: bool = False) -> str | None:
        """The id python-docx gives the style ``name`` (None for the default style), looked up once;
        ``ensure``: the style added if missing (:func:`.docx_styles.ensure_style`), else KeyError."""
        from docx.enum.style import WD_STYLE_TYPE

        if (name, kind) not in self._style_ids:
            style = self._style(name, kind) if ensure else self.doc.styles[name]
            self._style_ids[name, kind] = self.doc.part.get_style_id(
                style, WD_STYLE_TYPE.PARAGRAPH if kind == "paragraph" else WD_STYLE_TYPE.CHARACTER)
        return self._style_ids[name, kind]

    def _paragraph(self, style: str, ensure: bool = False):
        """A new paragraph at the end of the body in the style named ``style``, as python-docx's
        ``add_paragraph(style=...)`` makes it, without looking the style up again."""
        style_id = self._style_id(style, ensure=ensure)
        p = self.doc.add_paragraph()
        p._p.style = style_id
        return p

    def _setup(self) -> None:
        set_up_styles(self.doc, self.fonts, self.own_styles, bold_headings=self.locale.bold_headings)
        self._footer()
        set_properties(self.doc, plain_text(str(self.data.get("title", ""))), self.locale.word_lang)

    def _footer(self) -> None:
        footer = self.doc.sections[0].footer
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.alignment = 1
        template = t("format.page", self.lang, page="\x00PAGE\x00", pages="\x00NUMPAGES\x00")
        for piece in template.split("\x00"):
            if piece in ("PAGE", "NUMPAGES"):
                self._field(p, piece, "1")
            elif piece:
                self._run(p, piece, "body")

    # -- runs ----------------------------------------------------------------------------
    def _run(self, paragraph, text: str, role: str = "body", *, bold=False, italic=False, code=False,
             superscript=False, small=False, size: float | None = None):
        """Add ``text`` as runs, one per script: ASCII runs in the Latin font, the others with the
        East Asian hint (so “”、… take the East Asian font, and Latin words keep their spaces).
        Each run is a copy of the prototype of its kind (:func:`.docx_styles.run_prototype`)."""
        from docx.text.run import Run

        latin, east = self._fonts_of(paragraph, role)
        run = None
        for piece in [p for p in SCRIPTS.split(text) if p] or [""]:
            key = ("Consolas" if code else latin, east, not ASCII.fullmatch(piece), bool(bold), bool(italic),
                   bool(superscript), (size or 8.5) if (small or size) else None)
            if key not in self._prototypes:
                self._prototypes[key] = run_prototype(*key[:3], bold=key[3], italic=key[4], superscript=key[5],
                                                      size_pt=key[6])
            r = copy.deepcopy(self._prototypes[key])
            append_text(r, piece)
            paragraph._p.append(r)
            run = Run(r, paragraph)
        return run

    def _fonts_of(self, paragraph, role: str) -> tuple[str, str]:
        """(Latin, East Asian) font of text in ``paragraph``: its style's, else the defaults of ``role``."""
        ppr = paragraph._p.pPr
        style_id = ppr.style if ppr is not None else None
        key = (style_id, role)
        if key not in self._font_cache:
            from docx.enum.style import WD_STYLE_TYPE

            try:
                style = self.doc.styles.element.get_by_id(style_id) if style_id else \
                    self.doc.styles.element.default_for(WD_STYLE_TYPE.PARAGRAPH)
                from docx.styles.style import StyleFactory

                found = style_fonts(StyleFactory(style), self.fonts[role]) if style is not None else None
            except (AttributeError, KeyError):
                found = None
            self._font_cache[key] = found or self.fonts[role]
        return self._font_cache[key]

    def _field(self, paragraph, instr: str, cached: str) -> None:
        from docx.oxml import OxmlElement

        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), f" {instr} ")
        paragraph._p.append(fld)
        run = self._run(paragraph, cached)
        fld.append(run._r)  # moved from the paragraph into the field

    def _footnote(self, paragraph, text: str) -> None:
        from docx.oxml import OxmlElement

        number = len(self.footnotes) + 1
        self.footnotes.append((number, text))
        run = self._run(paragraph, "")
        run._r.style = self._style_id("Footnote Reference", "character")
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(number))
        run._r.append(ref)

    def _inline(self, paragraph, tokens: list[dict], notes: list[str] | None, role: str = "body",
                fmt: dict | None = None) -> None:
        fmt = dict(fmt or {})
        for k, tok in enumerate(tokens):
            kind = tok["type"]
            if kind == "text":
                self._text(paragraph, tok["raw"], notes, role, fmt)
            elif kind in ("strong", "emphasis"):
                self._inline(paragraph, tok["children"], notes, role,
                             dict(fmt, **({"bold": True} if kind == "strong" else {"italic": True})))
            elif kind == "codespan":
                self._run(paragraph, tok["raw"], role, code=True, **fmt)
            elif kind == "link":
                self._inline(paragraph, tok.get("children", []), notes, role, fmt)
            elif kind == "linebreak":
                self._run(paragraph, "").add_break()
            elif kind == "softbreak":  # a line end inside a paragraph: a space, except between CJK
                before = _edge(tokens[:k], last=True)
                after = _edge(tokens[k + 1:], last=False)
                self._run(paragraph, "" if _is_cjk(before) and _is_cjk(after) else " ", role, **fmt)
            elif kind == "inline_html":
                raw = tok["raw"].lower()
                if raw.startswith("<br"):
                    self._run(paragraph, "").add_break()
                elif raw.startswith("<small"):
                    fmt["small"] = True
                elif raw.startswith("</small"):
                    fmt.pop("small", None)
            elif "children" in tok:
                self._inline(paragraph, tok["children"], notes, role, fmt)
            elif "raw" in tok:
                self._text(paragraph, tok["raw"], notes, role, fmt)

    def _text(self, paragraph, text: str, notes: list[str] | None, role: str, fmt: dict) -> None:
        pos = 0
        for m in MARKER.finditer(text):
            if m.start() > pos:
                self._run(paragraph, text[pos:m.start()], role, **fmt)
            tag = m.group(1)
            if tag.isdigit() and notes is not None and 0 < int(tag) <= len(notes):
                self._footnote(paragraph, notes[int(tag) - 1])
            else:
                self._run(paragraph, tag, role, superscript=True, **{k: v for k, v in fmt.items() if k != "small"})
            pos = m.end()
        if pos < len(text):
            self._run(paragraph, text[pos:], role, **fmt)

    # -- blocks ----------------------------------------------------------------------------
    def _body_paragraph(self, style: str | None = None):
        from docx.shared import Pt

        p = self._paragraph(style, ensure=True) if style else self.doc.add_paragraph()
        if style is None and self.locale.first_line_indent_pt and self.own_styles:
            p.paragraph_format.first_line_indent = Pt(self.locale.first_line_indent_pt)  # 两字, as in a 公报
        return p

    def markdown(self, markdown: str, notes: list[str] | None = None, style: str | None = None) -> None:
        for tok in parse(protect_tags(markdown) if notes is not None else markdown):
            kind = tok["type"]
            if kind == "heading":
                level = min(int(tok["attrs"]["level"]), 4)
                self._heading("", level, notes, tok["children"])
            elif kind in ("paragraph", "block_text"):
                small = tok["children"] and tok["children"][0]["type"] == "inline_html" \
                    and tok["children"][0]["raw"].lower().startswith("<small")
                p = self._body_paragraph("Report Note" if small else style)
                self._inline(p, tok["children"], notes)
            elif kind == "list":
                for item in tok["children"]:
                    try:
                        style_name = "List Number" if tok["attrs"].get("ordered") else "List Bullet"
                        p = self._paragraph(style_name)
                    except KeyError:
                        p = self.doc.add_paragraph()
                        self._run(p, "• ")
                    for child in item.get("children", []):
                        self._inline(p, child.get("children", []), notes)
            elif kind in ("block_html", "block_code"):
                text = plain_text(tok.get("raw", "")).strip()
                if text:
                    p = self._body_paragraph("Report Note")
                    for i, line in enumerate(text.splitlines()):
                        if i:
                            self._run(p, "").add_break()
                        self._text(p, line, notes, "body", {})
            elif kind == "block_quote":
                for child in tok.get("children", []):
                    self._inline(self._body_paragraph("Report Note"), child.get("children", []), notes)

    def narrative(self, block: dict) -> None:
        notes = [plain_text(n) for n in block.get("notes", [])]
        for para in block.get("paragraphs", []):
            self.markdown(para, notes)
        for line in block.get("legend", []):
            self.markdown(line, notes=[], style="Report Note")

    def _caption(self, kind: str, text: str, n: int, above: bool):
        from docx.shared import Pt

        p = self._paragraph("Caption")
        p.alignment = 1
        p.paragraph_format.keep_with_next = above
        p.paragraph_format.space_before = Pt(6 if above else 2)
        label = t(f"format.{kind}_label", self.lang, n="\x00")
        before, _, after = label.partition("\x00")
        if before:
            self._run(p, before, "heading")
        self._field(p, f"SEQ {'Table' if kind == 'table' else 'Figure'} \\* ARABIC", str(n))
        self._run(p, after + (t("format.caption_sep", self.lang) if text else ""), "heading")
        if text:
            self._run(p, text, "heading")

    def table(self, block: dict) -> None:
        self.n_tables += 1
        fit = self.fits[id(block)]
        self._caption("table", block.get("caption", ""), self.n_tables, above=True)
        write_table(self.doc, block, fit, lambda p, text, **kw: self._run(p, text, **kw), self.own_styles)

    def _orientation(self, landscape: bool) -> None:
        """End the section here and start the next one, on a new page, in landscape or portrait A4.

        The section's end is marked in its last paragraph; after a table, in a paragraph of its own, 1 pt
        high, so it never makes a page of its own."""

        from docx.enum.section import WD_ORIENT, WD_SECTION
        from docx.oxml import OxmlElement
        from docx.shared import Cm, Pt

        body = self.doc.element.body
        last = body[-2] if len(body) > 1 else None
        if last is None or last.tag != qn("w:p") or (last.pPr is not None and last.pPr.sectPr is not None):
            p = self.doc.add_paragraph()
            fmt = p.paragraph_format
            fmt.space_before = fmt.space_after = Pt(0)
            fmt.line_spacing, fmt.first_line_indent = Pt(1), Pt(0)
            mark = OxmlElement("w:rPr")  # the paragraph mark: 1 pt
            for tag in ("w:sz", "w:szCs"):
                mark.append(OxmlElement(tag, {qn("w:val"): "2"}))
            p._p.get_or_add_pPr().append(mark)
            last = p._p
        last.get_or_add_pPr()._insert_sectPr(copy.deepcopy(body.sectPr))
        section = self.doc.sections[-1]
        section.start_type = WD_SECTION.NEW_PAGE
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        long, short = Cm(29.7), Cm(21.0)
        section.page_width, section.page_height = (long, short) if landscape else (short, long)
        self.landscape = landscape

    def figure(self, block: dict) -> None:
        from docx.shared import Cm

        self.n_figures += 1
        path = self.folder / block["file"]
        width = self._picture_width(path)
        p = self.doc.add_paragraph()
        p.alignment = 1
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.first_line_indent = Cm(0)
        self._run(p, "").add_picture(str(path), width=Cm(width))
        self._caption("figure", block.get("caption", ""), self.n_figures, above=False)

    @staticmethod
    def _picture_width(path: Path) -> float:
        """Width in cm: the figure's own size at its dpi, at most the text width."""
        from docx.image.image import Image

        image = Image.from_file(str(path))
        natural = image.px_width / (image.horz_dpi or 72) * 2.54
        return min(TEXT_WIDTH_CM, natural)

    # -- assembly --------------------------------------------------------------------------
    def _page_box(self) -> PageBox:
        """The tables' page: A4 with the writer's margins, or a template's text width (always portrait)."""
        if self.own_styles:
            return DOCX_PAGE
        section = self.doc.sections[-1]
        width = (section.page_width - section.left_margin - section.right_margin) / 12700  # EMU -> pt
        height = (section.page_height - section.top_margin - section.bottom_margin) / 12700
        return replace(DOCX_PAGE, portrait_pt=width, landscape_pt=width, height_pt=height)

    def _heading(self, text: str, level: int, notes: list[str] | None = None, tokens: list | None = None) -> None:
        p = self._paragraph(f"Heading {min(level, 4)}")
        p.paragraph_format.keep_with_next = True  # with what it heads, whatever the style says
        self._inline(p, tokens if tokens is not None else [{"type": "text", "raw": text}], notes, "heading")

    def build(self) -> bytes:
        blocks = self.data.get("blocks", [])
        box = self._page_box()
        self.fits = {id(b): fit_table(b, box) for b in blocks if b.get("kind") == "table"}
        wide = {i: self.own_styles and self.fits[id(b)].landscape for i, b in enumerate(blocks) if id(b) in self.fits}
        for block, landscape in zip(blocks, landscape_blocks(blocks, wide)):
            if landscape != self.landscape:
                self._orientation(landscape)
            kind = block.get("kind")
            if kind == "heading":
                self._heading(block["text"], int(block["level"]))
            elif kind == "text":
                self.markdown(block["markdown"], style="Report Note" if block.get("role") == "files" else None)
            elif kind == "narrative":
                self.narrative(block)
            elif kind == "table":
                self.table(block)
            elif kind == "figure":
                self.figure(block)
        self._space_after_tables()
        if self.footnotes:
            self._footnotes_part()
        buf = io.BytesIO()
        self.doc.save(buf)
        return deterministic_zip(buf.getvalue())

    def _space_after_tables(self) -> None:
        """Half a line between a table and the paragraph after it (a table has no spacing of its own)."""
        from docx.shared import Pt
        from docx.text.paragraph import Paragraph

        for tbl in self.doc.element.body.iterchildren(qn("w:tbl")):
            after = tbl.getnext()
            if after is not None and after.tag == qn("w:p") and (after.pPr is None or after.pPr.sectPr is None):
                paragraph = Paragraph(after, self.doc._body)
                if paragraph.paragraph_format.space_before is None:
                    paragraph.paragraph_format.space_before = Pt(6)

    def _footnotes_part(self) -> None:
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part
        from docx.oxml import parse_xml
        from docx.text.paragraph import Paragraph
        from lxml import etree

        latin, east = self.fonts["body"]
        fonts = f'<w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:cs="{latin}" w:eastAsia="{east}"/></w:rPr>'
        root = parse_xml(
            f'<w:footnotes xmlns:w="{W_NS}">'
            f'<w:footnote w:type="separator" w:id="-1"><w:p><w:r>{fonts}<w:separator/></w:r></w:p></w:footnote>'
            f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>{fonts}<w:continuationSeparator/>'
            '</w:r></w:p></w:footnote></w:footnotes>'
        )
        style = self.doc.styles["Footnote Text"]
        for number, text in self.footnotes:
            note = parse_xml(f'<w:footnote xmlns:w="{W_NS}" w:id="{number}"><w:p><w:pPr>'
                             f'<w:pStyle w:val="{style.style_id}"/></w:pPr></w:p></w:footnote>')
            root.append(note)
            paragraph = Paragraph(note[0], None)
            mark = self._run(paragraph, "")
            mark._r.get_or_add_rPr().append(parse_xml(
                f'<w:rStyle xmlns:w="{W_NS}" w:val="{self.doc.styles["Footnote Reference"].style_id}"/>'))
            mark._r.append(parse_xml(f'<w:footnoteRef xmlns:w="{W_NS}"/>'))
            self._run(paragraph, " " + re.sub(r"\s+", " ", text).strip())
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, self.doc.part.package)
        self.doc.part.relate_to(part, RT.FOOTNOTES)


def docx_bytes(document: dict[str, Any], folder: str | Path, template: str | Path | None = None) -> bytes:
    """The DOCX of a report record (``document.json`` read by :func:`.document.load_document`).

    ``folder`` is the report folder (figures are read from it).
    """
    return _Writer(document, Path(folder), Path(template) if template else None).build()


def write_docx(document: dict[str, Any], folder: str | Path, path: str | Path,
               template: str | Path | None = None) -> Path:
    """Write :func:`docx_bytes` to ``path`` atomically; returns the path."""
    path = Path(path)
    atomic_write_bytes(path, docx_bytes(document, folder, template), make_parents=True)
    return path
