"""The article body of a web page as text blocks: paragraphs and tables, without navigation or footers."""
from __future__ import annotations

import re
from pathlib import Path

from ...errors import InputError
from .readers import Block

__all__ = ["read_html"]

#: containers government sites (TRS and others) and common CMSs put the article in
_BODY_SELECTORS = ("TRS_Editor", "TRS_UEDITOR", "article-content", "article_content", "zoom", "Zoom",
                   "content", "detail", "main-text", "pages_content", "con")
_DROP = {"script", "style", "nav", "header", "footer", "form", "noscript", "iframe", "button", "select", "aside"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "br", "tr", "td", "th",
          "blockquote", "pre", "center", "dd", "dt", "table"}
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _body(root):
    for name in _BODY_SELECTORS:
        found = root.xpath(f'//*[contains(concat(" ", normalize-space(@class), " "), " {name} ") or @id="{name}"]')
        found = [f for f in found if len(_HAN.findall(f.text_content())) > 100]
        if found:
            return max(found, key=lambda e: len(_HAN.findall(e.text_content())))
    for tag in ("article", "main"):
        found = root.xpath(f"//{tag}")
        if found:
            return found[0]
    # the element whose own paragraphs hold the most Chinese text
    best, score = None, 0
    for el in root.iter("div", "td", "section", "body"):
        s = sum(len(_HAN.findall(p.text_content())) for p in el.findall("p"))
        if s > score:
            best, score = el, s
    return best if best is not None else root


def read_html(data: bytes, path: Path) -> list[Block]:
    """Paragraph and table blocks of the page's article body."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(_decode_html(data))
    except (ValueError, lxml.etree.ParserError) as exc:
        raise InputError(path, None, "cannot parse the web page ({exc})", exc=exc) from None
    for el in list(root.iter(*_DROP)):
        if el.getparent() is not None:
            el.drop_tree()
    body = _body(root)
    blocks: list[Block] = []
    tables = 0
    buf: list[str] = []

    def flush():
        text = "".join(buf).strip()
        buf.clear()
        if text:
            for line in text.split("\n"):
                if line.strip():
                    blocks.append(Block("para", text=line.strip(), line=len(blocks) + 1))

    def walk(el):
        nonlocal tables
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "table" and not _layout(el):
            flush()
            tables += 1
            blocks.append(Block("table", rows=_table_rows(el), table=tables, line=len(blocks) + 1))
            if el.tail:
                buf.append(el.tail)
            return
        if tag in _BLOCK:
            flush()
        if tag == "br":
            buf.append("\n")
        if el.text and tag:
            buf.append(el.text)
        for child in el:
            walk(child)
        if tag in _BLOCK:
            flush()
        if el.tail:
            buf.append(el.tail)

    tail = body.tail
    body.tail = None
    walk(body)
    body.tail = tail
    flush()
    if not any(len(_HAN.findall(b.text)) > 20 for b in blocks if b.kind == "para") and not tables:
        raise InputError(path, None, "no article text found on the page (only navigation or links)")
    return blocks


def _layout(table) -> bool:
    """A table used for page layout (tables or paragraphs inside, or long text in a cell), not for data."""
    if table.find(".//table") is not None or table.find(".//p") is not None and \
            len(_HAN.findall(table.text_content())) > 300:
        return True
    return any(len(_HAN.findall(td.text_content())) > 150 for td in table.iter("td", "th"))


def _decode_html(data: bytes) -> str:
    """The page as text: its declared charset (meta or BOM), else UTF-8, else GB18030 (GBK, GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", data[:4096], re.I)
    if m:
        name = m.group(1).decode("ascii").lower()
        if name in ("gb2312", "gbk", "gb_2312-80"):
            name = "gb18030"  # a superset: pages declared GB2312 often hold GBK characters
        try:
            return data.decode(name, errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _table_rows(table) -> list[list[str]]:
    """Cell texts row by row; a cell spanning rows or columns is repeated in each."""
    rows: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows left)
    for tr in table.iter("tr"):
        row: list[str] = []
        col = 0
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        ci = 0
        while ci < len(cells) or col in pending:
            if col in pending:
                text, left = pending[col]
                row.append(text)
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (text, left - 1)
                col += 1
                continue
            cell = cells[ci]
            ci += 1
            text = " ".join(cell.text_content().split())
            span = int(cell.get("colspan", "1") or 1) if str(cell.get("colspan", "1")).isdigit() else 1
            rspan = int(cell.get("rowspan", "1") or 1) if str(cell.get("rowspan", "1")).isdigit() else 1
            for _ in range(span):
                row.append(text)
                if rspan > 1:
                    pending[col] = (text, rspan - 1)
                col += 1
        if row:
            rows.append(row)
    return rows
