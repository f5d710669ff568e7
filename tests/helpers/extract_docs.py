"""Small PDF documents for the tests of ``xiqu extract``, written byte by byte (no PDF library, no font file)."""
from __future__ import annotations

import pytest


def tiny_pdf(pages: list[list[tuple]], *, encrypt_with: str | None = None) -> bytes:
    """A PDF of ``pages``, each a list of ("text", x, y, str) and ("line", x1, y1, x2, y2) items.

    Chinese text uses the non-embedded Adobe font STSong-Light with the UniGB-UCS2-H encoding, which PDF
    readers know without a font file: the PDF is a few kilobytes and written in microseconds.
    """
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
               b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
               b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 >>] >>")
    pages_id = len(objs) + 1 + 2 * len(pages)
    kids = []
    for items in pages:
        ops = []
        for it in items:
            if it[0] == "text":
                _, x, y, text = it
                ops.append(f"BT /F1 10 Tf {x} {y} Td <{text.encode('utf-16-be').hex().upper()}> Tj ET")
            else:
                _, x1, y1, x2, y2 = it
                ops.append(f"0.5 w {x1} {y1} m {x2} {y2} l S")
        stream = "\n".join(ops).encode("ascii")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)))
    add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    if encrypt_with is None:
        return bytes(out)
    import io

    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(bytes(out)))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(encrypt_with)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def ruled_table(rows: list[list[str]], top: float) -> list[tuple]:
    """Items of a table with a rule around every cell; ``top`` is the y of its top edge."""
    items, xs, h = [], [60, 220, 380], 20
    for r, row in enumerate(rows):
        y = top - (r + 1) * h
        for c, cell in enumerate(row):
            items.append(("text", xs[c] + 4, y + 6, cell))
    bottom = top - len(rows) * h
    for r in range(len(rows) + 1):
        items.append(("line", xs[0], top - r * h, xs[-1], top - r * h))
    for x in xs:
        items.append(("line", x, top, x, bottom))
    return items
