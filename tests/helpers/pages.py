"""Laid-out pages of a report's PDF and Word versions, read back and checked the way a reader turns them.

:func:`read_pages` reads a PDF with pdfplumber into pages of text lines (each with its font size, whether
its font is bold, and its place on the page) and the pictures on each page. :func:`libreoffice_pdfs` has
LibreOffice lay Word files out (``soffice --headless --convert-to pdf``), as an office opening them would.
:func:`layout_problems` checks the pages of one report against what the report holds (its
``document.json``: headings, captions, source notes, tables) and its Word file's text (python-docx):

- no page ends on a heading or a table caption (a table's caption stands above it, a heading above what it
  heads), and no figure caption starts a page (it stands below its figure, on the figure's page);
- no page is empty or holds headings only;
- a landscape page holds wide tables only (their captions, their rows, the headings above them): a table
  whose every column fits on one line of a portrait page at the size it is printed in stays portrait;
- every number in a Word table cell (``82.91``, ``129400``, ``8.0%``, ``2024年``) appears whole on one line
  of a table;
- every heading and caption of the report is found on a page (so the checks above cannot pass unseen).

Widths are measured as a reader's font draws them: a Chinese (full-width) character 1 em, a digit or Latin
letter about 0.55 em.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Line", "Page", "read_pages", "libreoffice_pdfs", "layout_problems", "docx_cell_texts",
           "number_tokens", "text_width_pt", "PORTRAIT_TEXT_CM"]

#: the text width of a portrait A4 page, the narrowest of the two versions (Word: 21 cm less 2.5 cm margins)
PORTRAIT_TEXT_CM = 16.0
#: a number as a table shows it (its sign aside), with the percent sign or the 年 of a year that belongs to it
NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*(?:%|‰|年)?")
#: the footer's page number in either language
PAGE_NUMBER = re.compile(r"^(第\s*\d+\s*页\s*共\s*\d+\s*页|Page \d+ of \d+)$")
#: a caption's label at the start of a line
CAPTION = re.compile(r"^(表|图|Table |Figure )\s*\d+")


@dataclass(frozen=True)
class Line:
    """One line of text on a page: its text, font size (pt), bold or not, its top and bottom (pt), and
    whether it stands inside a ruled table (between a table's vertical rules)."""
    text: str
    size: float
    bold: bool
    top: float
    bottom: float
    in_table: bool = False


@dataclass
class Page:
    """A laid-out page: its number (from 1), size (pt), lines top to bottom and pictures (top, bottom)."""
    number: int
    width: float
    height: float
    lines: list[Line]
    images: list[tuple[float, float]] = field(default_factory=list)

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def read_pages(pdf: Path) -> list[Page]:
    """Every page of ``pdf``, its lines as pdfplumber groups them (font size and weight of most of the line)."""
    import pdfplumber

    out = []
    with pdfplumber.open(str(pdf)) as doc:
        for n, page in enumerate(doc.pages, 1):
            rules = [(e["top"], e["bottom"]) for e in page.vertical_edges if e["bottom"] - e["top"] > 2]
            lines = []
            for raw in page.extract_text_lines(return_chars=True, strip=True):
                chars = [c for c in raw["chars"] if c["text"].strip()]
                if not chars:
                    continue
                size = Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]
                bold = sum("bold" in c["fontname"].lower() for c in chars) > len(chars) / 2
                middle = (raw["top"] + raw["bottom"]) / 2
                lines.append(Line(raw["text"], size, bold, raw["top"], raw["bottom"],
                                  any(top <= middle <= bottom for top, bottom in rules)))
            lines.sort(key=lambda ln: (round(ln.top), ln.text))
            images = [(im["top"], im["bottom"]) for im in page.images]
            out.append(Page(n, float(page.width), float(page.height), lines, images))
    return out


def libreoffice_pdfs(docx_files: list[Path], out_dir: Path) -> dict[Path, Path]:
    """Each Word file laid out by LibreOffice (one ``soffice`` for all, its own profile): docx -> its PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed to lay the Word files out"
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = (out_dir / "lo-profile").resolve().as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out_dir), *map(str, docx_files)],
                   check=True, capture_output=True, timeout=600)
    found = {d: out_dir / (d.stem + ".pdf") for d in docx_files}
    missing = [str(d) for d, p in found.items() if not p.is_file()]
    assert not missing, f"LibreOffice did not convert {missing}"
    return found


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def docx_cell_texts(docx: Path) -> list[list[list[str]]]:
    """The text of every cell of every table of a Word file (python-docx), table by table, row by row."""
    import docx as python_docx

    return [[[cell.text for cell in row.cells] for row in table.rows]
            for table in python_docx.Document(str(docx)).tables]


def number_tokens(text: str) -> Counter:
    """How often each number (:data:`NUMBER`) occurs in ``text`` (invisible WORD JOINERs, and a space a PDF
    reader puts between a number and its 年 where the font changes, aside)."""
    return Counter(NUMBER.findall(re.sub(r"(?<=\d)[ \t]+(?=年)", "", text.replace("\u2060", ""))))


def text_width_pt(text: str, size: float) -> float:
    """The width of ``text`` at ``size`` pt: full-width characters 1 em, the others 0.55 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.55 * size for ch in text)


def _spans(lines: list[Line], texts: list[str]) -> dict[int, str]:
    """Index of each line that starts or continues one of ``texts`` (a heading or caption wrapped over
    lines) -> that text."""
    whole = [(_squash(t), t) for t in texts if _squash(t)]
    out: dict[int, str] = {}
    i = 0
    while i < len(lines):
        start = _squash(lines[i].text)
        match = next((t for s, t in whole if start and s.startswith(start) and len(start) >= min(len(s), 2)), None)
        if match is None:
            i += 1
            continue
        goal, seen, j = _squash(match), start, i
        out[i] = match
        while j + 1 < len(lines) and len(seen) < len(goal) and goal.startswith(seen + _squash(lines[j + 1].text)):
            j += 1
            seen += _squash(lines[j].text)
            out[j] = match
        i = j + 1
    return out


def _document_parts(document: dict[str, Any]) -> dict[str, Any]:
    """Headings, table captions (with each table's block), figure captions and source notes of a report."""
    from xiqu_analysis.reports.words.text import t

    lang = str(document.get("language", "en"))
    sep = t("format.caption_sep", lang)
    headings, tables, figures, notes = [], {}, [], []
    n_tables = n_figures = 0
    for block in document["blocks"]:
        kind = block.get("kind")
        if kind == "heading":
            headings.append(block["text"])
        elif kind == "text":
            headings += [m.group(1) for m in re.finditer(r"^#{1,6}\s+(.+)$", block["markdown"], re.M)]
        elif kind == "narrative":
            notes += [re.sub(r"<[^>]+>|[*`]", "", n) for n in block.get("notes", [])]
        elif kind == "table":
            n_tables += 1
            caption = t("format.table_label", lang, n=n_tables) + (sep + block["caption"] if block["caption"] else "")
            tables[caption] = block
        elif kind == "figure":
            n_figures += 1
            figures.append(t("format.figure_label", lang, n=n_figures)
                           + (sep + block["caption"] if block.get("caption") else ""))
    return {"title": str(document.get("title", "")), "headings": headings, "tables": tables,
            "figures": figures, "notes": [_squash(n) for n in notes if _squash(n)]}


def _needs_landscape(block: dict[str, Any], size: float, portrait_cm: float = PORTRAIT_TEXT_CM) -> bool:
    """True if a table cannot keep each of its cells on one line across a portrait page at ``size`` pt
    (its cells' widest text per column, 4 pt padding each side)."""
    widths = [0.0] * len(block["columns"])
    for row in block["rows"]:
        widths = [max(w, text_width_pt(str(v), size)) for w, v in zip(widths, row)]
    return sum(w + 8 for w in widths) > portrait_cm / 2.54 * 72


def layout_problems(pages: list[Page], document: dict[str, Any], docx: Path, name: str) -> list[str]:
    """What a reader of ``pages`` (a report's PDF, or its Word file laid out) would find wrong, one line each,
    ``name`` and the page number first; ``document`` is the report's ``document.json``, ``docx`` its Word file."""
    parts = _document_parts(document)
    problems = []
    body_size = max((Counter(ln.size for p in pages for ln in p.lines).most_common(1) or [(10.0, 0)])[0][0], 9.5)
    title = _squash(parts["title"])
    found: set[str] = set()
    for page in pages:
        where = f"{name} p{page.number}"
        flow = [ln for ln in page.lines if not PAGE_NUMBER.match(_squash(ln.text).replace("页共", "页 共"))
                and not (_squash(ln.text) == title and ln.size < 9)]
        notes = {i for i, ln in enumerate(flow) if ln.size <= 8.5 and _squash(ln.text)
                 and any(re.sub(r"^\d+\.?", "", _squash(ln.text)) in n for n in parts["notes"])}
        lines = [ln for i, ln in enumerate(flow) if i not in notes]  # the page's own text, footnotes aside
        headings = _spans(lines, parts["headings"])
        captions = {i: c for i, c in _spans(lines, list(parts["tables"])).items() if CAPTION.match(c)}
        figures = {i: c for i, c in _spans(lines, parts["figures"]).items() if CAPTION.match(c)}
        found |= set(headings.values()) | set(captions.values()) | set(figures.values())
        if not lines:
            problems.append(f"{where}: empty")
            continue
        if all(i in headings for i in range(len(lines))):
            problems.append(f"{where}: holds only a heading: {lines[0].text}")
        last = len(lines) - 1
        if last in headings:
            problems.append(f"{where}: ends on the heading {headings[last]!r}")
        if last in captions:
            problems.append(f"{where}: ends on the caption {captions[last][:30]!r}")
        for i, caption in figures.items():
            if (i == 0 or i - 1 not in figures) and not any(bottom <= lines[i].top + 1 for _, bottom in page.images):
                problems.append(f"{where}: the caption {caption[:30]!r} is not under its figure")
        if page.landscape:
            tables = set(captions.values())
            sizes = [ln.size for i, ln in enumerate(lines) if i not in headings and i not in captions]
            size = min(sizes, default=body_size)
            for caption in tables:
                if not _needs_landscape(parts["tables"][caption], size):
                    problems.append(f"{where}: landscape for a table that fits a portrait page: {caption[:30]!r}")
            prose = [ln.text for i, ln in enumerate(lines)
                     if i not in headings and i not in captions and ln.size >= body_size - 0.6]
            if prose or not tables and not sizes:
                problems.append(f"{where}: landscape page without a wide table{': ' + prose[0][:30] if prose else ''}")
    missing = [t for t in [*parts["headings"], *parts["tables"], *parts["figures"]] if t not in found]
    problems += [f"{name}: {t[:30]!r} is on no page" for t in missing]  # else the checks above saw nothing
    have = number_tokens("\n".join(ln.text for p in pages for ln in p.lines if ln.in_table))
    want = Counter(tok for table in docx_cell_texts(docx) for row in table for cell in row
                   for tok in number_tokens(cell.replace("\n", "")))  # the cell's text, its line breaks aside
    for tok in sorted(want):
        if have[tok] < want[tok]:
            problems.append(f"{name}: the number {tok!r} of a table cell is broken across lines "
                            f"({want[tok] - have[tok]} of {want[tok]})")
    return problems
