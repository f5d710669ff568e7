"""Reading a document (.txt, .html, .pdf, .docx) into text blocks with their locations.

Every reader returns a :class:`Document`: an ordered list of :class:`Block`,
each a paragraph (``kind="para"``, one line of prose) or a table
(``kind="table"``, rows of cells), with where it was found (page and line, or
table number). A document that cannot be read (unknown type, empty, a PDF
without a text layer or with a password) raises
:class:`~xiqu_analysis.errors.InputError` naming the file and the problem.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import InputError

__all__ = ["Block", "Document", "read_document", "SUFFIXES", "text_blocks", "split_text_table_lines"]

#: file types :func:`read_document` reads
SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")


@dataclass
class Block:
    """A paragraph (``text``) or a table (``rows`` of cell texts), with its location."""

    kind: str  # "para" or "table"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    page: int | None = None
    line: int | None = None
    table: int | None = None
    #: for tables flattened in a text file: the original text the rows were read from, and each cell's span in it
    source_text: str | None = None
    cell_spans: list[list[tuple[int, int]]] | None = None

    def where(self) -> str:
        """``p.2 l.14``, ``l.14`` or ``table 1``."""
        parts = []
        if self.page is not None:
            parts.append(f"p.{self.page}")
        if self.table is not None:
            parts.append(f"table {self.table}")
        elif self.line is not None:
            parts.append(f"l.{self.line}")
        return " ".join(parts)


@dataclass
class Document:
    """A read document: its blocks in order, and the format it came from."""

    path: Path
    fmt: str
    blocks: list[Block]
    title: str = ""

    def full_text(self) -> str:
        """All text of the document (paragraphs and table cells), for verbatim checks."""
        out = []
        for b in self.blocks:
            if b.kind == "para":
                out.append(b.text)
            elif b.source_text is not None:
                out.append(b.source_text)
            else:
                out.extend("\t".join(r) for r in b.rows)
        return "\n".join(out)


def read_document(path: str | Path) -> Document:
    """Read ``path`` by its suffix. Raises InputError for a file that cannot be read as a document."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(p, None, "unknown file type {suffix!r}: extract reads {items}", suffix=suffix or '(none)',
                         items=', '.join(SUFFIXES))
    if not p.is_file():
        raise InputError(p, None, "no such file")
    if p.stat().st_size == 0:
        raise InputError(p, None, "the file is empty")
    if suffix == ".txt":
        doc = Document(p, "txt", text_blocks(_decode(p.read_bytes(), p)))
    elif suffix in (".html", ".htm"):
        from .html_reader import read_html
        doc = Document(p, "html", read_html(p.read_bytes(), p))
    elif suffix == ".pdf":
        from .pdf_reader import read_pdf
        doc = Document(p, "pdf", read_pdf(p))
    else:
        from .docx_reader import read_docx
        doc = Document(p, "docx", read_docx(p))
    if not any((b.text.strip() if b.kind == "para" else b.rows) for b in doc.blocks):
        raise InputError(p, None, "no text found in the document")
    return doc


def _decode(data: bytes, path: Path) -> str:
    """Text of a .txt file: UTF-8 (with or without BOM), else the detected encoding (GB18030, GBK, ...)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    for enc in ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ():
        return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(path, None, "cannot tell the text encoding (not UTF-8, GB18030 or another known one)")
    return str(best)


_TAB_ROW = re.compile(r"\t")
_SPACE_CELLS = re.compile(r"\S+(?: \S+)*")  # cells separated by runs of two or more spaces
_NUMBER_CELL = re.compile(r"^[-+<>≥≤〔\[(（]?\s*-?\d[\d.,]*\s*[〕\])）%]?$|^[—–-]{1,2}$")
_CAPTION = re.compile(r"^(?:附表|表)\s*\d*[\s：:]|^专栏\s*\d")
_SENTENCE_END = re.compile(r"[。；！？]\s*$")


def _is_number_cell(text: str) -> bool:
    return bool(_NUMBER_CELL.match(text.strip()))


def split_text_table_lines(line: str) -> list[tuple[int, int]] | None:
    """Cell spans of a line that is a table row (tab-separated, or cells separated by 2+ spaces), else None."""
    if "\t" in line:
        spans, pos = [], 0
        for part in line.split("\t"):
            spans.append((pos, pos + len(part)))
            pos += len(part) + 1
        return spans if len(spans) >= 3 else None
    if re.search(r"\S {2,}\S", line):
        spans = [(m.start(), m.end()) for m in _SPACE_CELLS.finditer(line)]
        if len(spans) >= 3 and sum(_is_number_cell(line[a:b]) for a, b in spans) >= 1:
            return spans
        if len(spans) >= 3 and all(len(line[a:b]) <= 12 for a, b in spans):
            return spans
    return None


def text_blocks(text: str) -> list[Block]:
    """Blocks of a plain text: one paragraph per line; tables (tab- or space-separated rows, or a
    captioned table flattened one cell per line) as table blocks."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = 0
    while start < len(lines) and lines[start].startswith("# "):  # a comment header
        start += 1
    offsets = []
    pos = 0
    for ln in lines:
        offsets.append(pos)
        pos += len(ln) + 1
    body_start = offsets[start] if start < len(offsets) else 0
    body = text.replace("\r\n", "\n").replace("\r", "\n")[body_start:]
    blocks: list[Block] = []
    i = start
    table_no = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        cells = split_text_table_lines(line)
        if cells:
            j = i
            rows, spans = [], []
            while j < len(lines) and (c := split_text_table_lines(lines[j])):
                base = offsets[j] - body_start
                rows.append([lines[j][a:b].strip() for a, b in c])
                spans.append([(base + a, base + b) for a, b in c])
                j += 1
            table_no += 1
            blocks.append(Block("table", rows=rows, line=i + 1, table=table_no, source_text=body,
                                cell_spans=spans))
            i = j
            continue
        if _CAPTION.match(line.strip()) and i + 1 < len(lines) and not _SENTENCE_END.search(line):
            blocks.append(Block("para", text=line, line=i + 1))
            table, j = _one_cell_per_line(lines, i + 1, offsets, body_start)
            if table is not None:
                table_no += 1
                table.line, table.table, table.source_text = i + 2, table_no, body
                blocks.append(table)
                i = j
                continue
            i += 1
            continue
        blocks.append(Block("para", text=line, line=i + 1))
        i += 1
    return blocks


def _one_cell_per_line(lines: list[str], i: int, offsets: list[int], body_start: int):
    """A table written one cell per line after its caption: header cells, then label + values per row."""
    header: list[int] = []
    j = i
    while j < len(lines) and lines[j].strip() and not _is_number_cell(lines[j]) and len(header) < 12:
        header.append(j)
        j += 1
    # the first row label is the last non-number line before the first number
    if len(header) < 2 or j >= len(lines):
        return None, i
    label_of_first = header.pop()
    ncols = len(header)
    rows, spans = [[lines[h].strip() for h in header]], [[(offsets[h] - body_start,
                                                           offsets[h] - body_start + len(lines[h]))
                                                          for h in header]]
    k = label_of_first
    while k < len(lines):
        label = lines[k]
        if not label.strip() or _is_number_cell(label) or _SENTENCE_END.search(label) or len(label) > 30:
            break
        vals = list(range(k + 1, k + ncols))
        if not vals or vals[-1] >= len(lines) or not all(_is_number_cell(lines[v]) for v in vals):
            break
        rows.append([label.strip()] + [lines[v].strip() for v in vals])
        spans.append([(offsets[x] - body_start, offsets[x] - body_start + len(lines[x])) for x in [k, *vals]])
        k = vals[-1] + 1
    if len(rows) < 2:
        return None, i
    return Block("table", rows=rows, cell_spans=spans), k
