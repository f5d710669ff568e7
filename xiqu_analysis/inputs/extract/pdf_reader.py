"""Text and ruled tables of a PDF (pdfplumber): lines joined into paragraphs, tables continued across pages."""
from __future__ import annotations

import re
from pathlib import Path

from ...errors import InputError
from .readers import Block

__all__ = ["read_pdf"]

_PAGE_NUMBER = re.compile(r"^\s*[—–\-－]*\s*\d{1,4}\s*[—–\-－]*\s*$|^\s*第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?\s*$")
_PARA_END = re.compile(r"[。；：！？:」”）)]\s*$")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、](?!\d)|第[一二三四五六七八九十]+[章节]|表\s*\d|注)")


_NUMBER = re.compile(r"^[-+<>≥≤〔\[(（]?-?\d[\d.,]*[〕\])）%]?$|^[—–-]{1,2}$")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _row_cells(text: str) -> list[str] | None:
    """The cells of a line that is a table row without rules (a name, then two or more numbers apart)."""
    tokens = text.split()
    if len(tokens) < 3 or not _HAN.search(tokens[0]) or re.search(r"[。，；]", text):
        return None
    rest = tokens[1:]
    if sum(bool(_NUMBER.match(x)) for x in rest) < 2 or not all(_NUMBER.match(x) or len(x) <= 6 for x in rest):
        return None
    return tokens


def read_pdf(path: Path) -> list[Block]:
    """Blocks of a PDF: paragraphs (page, line) and tables (tables whose next page repeats the header
    are continued, the repeat dropped)."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many kinds for a broken or encrypted file
        name = type(exc).__name__
        inner = " ".join(type(a).__name__ for a in getattr(exc, "args", ()) if isinstance(a, BaseException))
        if "Password" in name or "Password" in inner or "encrypt" in str(exc).lower():
            raise InputError(path, None, "the PDF is encrypted (password protected); extract reads only "
                             "PDFs it can open") from None
        raise InputError(path, None, "cannot open the PDF ({name})", name=name) from None
    blocks: list[Block] = []
    chars_total = 0
    tables = 0
    with pdf:
        for pno, page in enumerate(pdf.pages, start=1):
            try:
                found = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
            except Exception:  # pragma: no cover - a malformed page
                found = []
            boxes = [t.bbox for t in found]

            def outside(obj, boxes=boxes):
                if obj.get("object_type") != "char":
                    return True
                x, top = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= top <= b[3] for b in boxes)

            chars_total += len(page.chars)
            text_page = page.filter(outside) if boxes else page
            items: list[tuple[float, str, object]] = []
            try:
                lines = text_page.extract_text_lines(layout=False, strip=True, return_chars=False)
            except TypeError:  # older pdfplumber
                lines = text_page.extract_text_lines()
            except Exception as exc:  # a damaged page: say which
                raise InputError(path, None, "cannot read the text of page {page} ({error})", page=pno,
                                 error=type(exc).__name__) from None
            width = max((ln["x1"] for ln in lines), default=page.width)
            for ln in lines:
                items.append((ln["top"], "line", ln))
            for t in found:
                items.append((t.bbox[1], "table", t))
            items.sort(key=lambda x: x[0])
            para: list[str] = []
            para_line = None
            lineno = 0

            def flush():
                nonlocal para_line
                if para:
                    blocks.append(Block("para", text="".join(para), page=pno, line=para_line))
                para.clear()
                para_line = None

            left = min((ln["x0"] for ln in lines), default=0)
            unruled: Block | None = None
            for k, (_, kind, obj) in enumerate(items):
                if kind == "table":
                    flush()
                    rows = [[" ".join((c or "").split()) for c in r] for r in obj.extract()]
                    rows = [r for r in rows if any(r)]
                    prev = blocks[-1] if blocks and blocks[-1].kind == "table" else None
                    if prev is not None and rows and prev.rows and rows[0] == prev.rows[0] and prev.page != pno:
                        prev.rows.extend(rows[1:])  # continued: the header repeated on the new page
                    elif prev is not None and prev.page != pno and rows and len(rows[0]) == len(prev.rows[0]) \
                            and not para:
                        prev.rows.extend(rows)  # continued without a repeated header
                    else:
                        tables += 1
                        blocks.append(Block("table", rows=rows, page=pno, table=tables))
                    continue
                text = obj["text"]
                lineno += 1
                if _PAGE_NUMBER.match(text):
                    continue
                cells = _row_cells(text)
                if cells:  # a row of a table drawn without rules: a name, then numbers apart
                    flush()
                    if unruled is None or unruled.page != pno or len(cells) != len(unruled.rows[-1]):
                        header = blocks[-1].text.split() if blocks and blocks[-1].kind == "para" and \
                            blocks[-1].page == pno else []
                        if len(header) == len(cells) and not any(_NUMBER.match(h) for h in header):
                            blocks.pop()
                        else:
                            header = []
                        tables += 1
                        unruled = Block("table", rows=[header] if header else [], page=pno, table=tables,
                                        line=lineno)
                        blocks.append(unruled)
                    unruled.rows.append(cells)
                    continue
                unruled = None
                if para and (_HEADING.match(text) or obj["x0"] > left + 8):
                    flush()
                if para_line is None:
                    para_line = lineno
                para.append(text.strip())
                nxt = next((o for _, kd, o in items[k + 1:k + 2] if kd == "line"), None)
                short = obj["x1"] < width - 30
                very_short = obj["x1"] < left + 0.6 * (width - left)
                if short and (_PARA_END.search(text) or very_short or nxt is None or
                              nxt["x0"] > left + 8 or _HEADING.match(nxt["text"])):
                    flush()
            flush()
    if chars_total == 0:
        raise InputError(path, None, "the PDF has no text layer (a scanned image?); extract needs text: "
                         "run OCR first")
    return blocks
