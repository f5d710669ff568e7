"""Paragraphs and tables of a Word file (python-docx), in document order; merged cells repeated."""
from __future__ import annotations

from pathlib import Path

from ...errors import InputError
from .readers import Block

__all__ = ["read_docx"]


def read_docx(path: Path) -> list[Block]:
    """Blocks of a .docx: one paragraph block per line of text, one table block per table."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # a zip that is not a Word file, a broken package
        raise InputError(path, None, "cannot open the Word file ({error})", error=type(exc).__name__) from None
    blocks: list[Block] = []
    tables = 0
    para_no = 0
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para_no += 1
            text = Paragraph(child, document).text
            for line in text.split("\n"):
                if line.strip():
                    blocks.append(Block("para", text=line.strip(), line=para_no))
        elif tag == "tbl":
            tables += 1
            table = Table(child, document)
            rows = []
            for r in table.rows:
                rows.append([" ".join(c.text.split()) for c in r.cells])
            blocks.append(Block("table", rows=rows, table=tables, line=para_no))
    return blocks
