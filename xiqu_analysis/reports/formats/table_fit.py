"""How a table of a report fits a printed page: font size, orientation, column widths, cells kept on one line.

The Word (:mod:`.docx_writer`) and PDF (:mod:`.pdf_writer`) versions fit their tables the same way, each with
its own page (:class:`PageBox`: the text width of a portrait and a landscape A4 page, the cells' padding,
the table font sizes):

- text is measured with the fonts' metrics in em: a Chinese (full-width) character 1 em, a digit 0.65 em
  (the widest of the fonts an office may put in for Times New Roman, DejaVu Serif, is 0.64 em), other
  characters by their class (:func:`text_em`);
- a cell with a number that is short (:data:`ONE_LINE_EM`) is never wrapped, nor is a number column; in a
  longer cell a number with its sign, %, 年, and a period such as 2021—2025年 are kept whole
  (:data:`UNBREAKABLE`, :func:`wrap_lines`); a header wraps above a narrow column, to lines of at most
  :data:`HEADER_EM`;
- the columns get the widest of these that fits the line, the room left shared in proportion to what each
  column lacks of the next: their widest unbreakable text; a text column :data:`TEXT_COLUMN_EM`; every
  cell on one line; every header on one line too (then the table fills the line in proportion);
- a table goes on a landscape page only if its minimum does not fit a portrait line, or if it has eight
  columns or more, more than :data:`SMALL_ROWS` rows, and cells that would need half as much room again as
  the portrait line to stand on one line each; a table that does not fit a landscape line either is set a
  little smaller (down to ``PageBox.smallest``) rather than breaking a number; so is a table a few rows
  taller than a page (:data:`ALMOST_A_PAGE`), which then stands whole on one page.

Nothing here writes: :func:`fit_table` returns a :class:`TableFit` each writer lays out.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

__all__ = ["PageBox", "TableFit", "fit_table", "text_em", "one_line_cell", "unbreakable_pieces", "wrap_lines",
           "UNBREAKABLE", "ONE_LINE_EM", "HEADER_EM", "TEXT_COLUMN_EM", "SMALL_ROWS", "LINE_HEIGHT", "ROW_PADDING_PT", "CAPTION_PT", "ALMOST_A_PAGE"]

#: a number with its sign and its %, ‰ or 年, or a period of years (2021—2025年): never broken
UNBREAKABLE = re.compile(r"\d{4}[—–-]\d{4}年?|[-−+]?\d+(?:[.,]\d+)*(?:%|‰|年)?")
#: a cell holding a number and no wider than this (em) is kept on one line: 8.0%（2024年）
ONE_LINE_EM = 9.0
#: a header above a narrow column wraps to lines of at most this width (em): four Chinese characters
HEADER_EM = 4.0
#: a text column is given this width (em) where the line has room, so a label wraps to few lines
TEXT_COLUMN_EM = 6.0
#: a table of at most this many rows stays on a portrait page if its minimum fits
SMALL_ROWS = 10
#: a line of a table cell over its font size, and the rules and padding of a row (pt)
LINE_HEIGHT = 1.25
ROW_PADDING_PT = 3.0
#: a table at most this much taller than a page is set smaller to stand on one page
ALMOST_A_PAGE = 1.25
#: the height a table's caption takes above it (pt): two lines
CAPTION_PT = 30.0
#: a Latin word, a file name or a code: broken by no line breaker
_WORD = re.compile(r"[0-9A-Za-z_./:\\%‰+\-−()]+")
_DIGIT_EM = 0.65
#: bold Latin letters and digits over regular ones (DejaVu Serif Bold's digits are 0.70 em)
BOLD_LATIN = 1.1


@dataclass(frozen=True)
class PageBox:
    """A format's page for tables: text widths (pt), the padding of a cell left and right together (pt),
    the font size (pt) of a table by its number of columns (up to 6, up to 9, more), the smallest size,
    and the text height of a portrait page (pt; a landscape page's is its portrait text width)."""
    portrait_pt: float
    landscape_pt: float
    padding_pt: float
    sizes: tuple[float, float, float]
    smallest: float
    height_pt: float


@dataclass(frozen=True)
class TableFit:
    """A table as it is printed: font ``size`` (pt), on a ``landscape`` page or not, each column's width
    (pt, padding included), which cells are kept on one line (``nowrap[row][col]``, the header row first),
    and whether the table is kept whole on one page with its caption (``keep``: it is shorter than the page)."""
    size: float
    landscape: bool
    widths: list[float]
    nowrap: list[list[bool]]
    keep: bool


def _char_em(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in "WF":
        return 1.0
    if ch.isdigit():
        return _DIGIT_EM
    if ch in " .,:;'|!ijl()[]/\\-":
        return 0.33
    if ch in "%‰@&MW—–":
        return 0.95
    if ch.isupper():
        return 0.7
    return 0.56


def text_em(text: str, bold: bool = False) -> float:
    """The width of ``text`` on one line, in em; ``bold``: its Latin letters and digits a tenth wider."""
    return sum(_char_em(ch) * (BOLD_LATIN if bold and unicodedata.east_asian_width(ch) not in "WF" else 1.0)
               for ch in text)


def one_line_cell(text: str, numeric: bool) -> bool:
    """True for a cell printed on one line: any cell of a number column, or a short cell with a number."""
    return numeric or (any(ch.isdigit() for ch in text) and text_em(text) <= ONE_LINE_EM)


#: characters a Chinese line does not start with, and those it does not end with
_NO_START = set("，。、；：？！）」』】》”’％%‰·…,.;:?!)]")
_NO_END = set("（「『【《“‘([")
_TOKEN = re.compile(f"{UNBREAKABLE.pattern}|{_WORD.pattern}|\\s+|.")


def _units(text: str) -> list[str]:
    """``text`` in the pieces no line breaks inside, spaces kept: numbers and periods (:data:`UNBREAKABLE`),
    Latin words and codes, each other character, closing punctuation joined to what it follows and
    opening punctuation to what it precedes."""
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        if out and not tok.isspace() and not out[-1].isspace() and (tok[0] in _NO_START or out[-1][-1] in _NO_END):
            out[-1] += tok
        else:
            out.append(tok)
    return out


def unbreakable_pieces(text: str) -> list[str]:
    """The pieces of ``text`` no line may break (:func:`_units` without the spaces)."""
    return [u for u in _units(text) if not u.isspace()]


def wrap_lines(text: str, width_em: float, bold: bool = False) -> list[str]:
    """``text`` broken into lines of at most ``width_em`` (as :func:`text_em` measures them), between the
    pieces of :func:`unbreakable_pieces` only (``bold``: measured as bold); a piece wider than a line stands on
    a line of its own."""
    lines: list[str] = [""]
    for unit in _units(text):
        if unit.isspace():
            lines[-1] += unit if lines[-1] else ""
        elif lines[-1].strip() and text_em(lines[-1] + unit, bold) > width_em:
            lines.append(unit)
        else:
            lines[-1] += unit
    return [line.strip() for line in lines if line.strip()]


def _widths(block: dict[str, Any], nowrap: list[list[bool]]) -> tuple[list[float], list[float], list[float]]:
    """Each column's minimum width, natural width and natural width below the header, in em (no padding)."""
    header = [str(c) for c in block["columns"]]
    lowest = [min(text_em(h, True), max([HEADER_EM] + [text_em(p, True) for p in unbreakable_pieces(h)]))
              for h in header]  # headers are bold
    body = [0.0] * len(header)
    for r, row in enumerate(block["rows"], 1):
        for j, value in enumerate(row):
            text = str(value)
            em = text_em(text)
            body[j] = max(body[j], em)
            lowest[j] = max(lowest[j], em if nowrap[r][j] else max((text_em(p) for p in unbreakable_pieces(text)),
                                                                  default=0.0))
    return lowest, [max(b, text_em(h, True)) for b, h in zip(body, header)], body


def _spread(tiers: list[list[float]], available: float) -> list[float] | None:
    """Widths that fill ``available``: each column's width of the widest tier that fits, and the room left
    shared in proportion to what each column lacks of the next tier (the last tier scaled to fill the line);
    None if the first tier does not fit. The tiers grow column by column."""
    if sum(tiers[0]) > available:
        return None
    for lower, upper in zip(tiers, tiers[1:]):
        if sum(upper) > available:
            share = (available - sum(lower)) / (sum(upper) - sum(lower))
            return [lo + (up - lo) * share for lo, up in zip(lower, upper)]
    top = tiers[-1]
    return [w * available / sum(top) for w in top] if sum(top) else top


def fit_table(block: dict[str, Any], page: PageBox) -> TableFit:
    """How ``block`` (a table of ``document.json``) is printed on ``page``."""
    columns, rows, numeric = block["columns"], block["rows"], block["numeric"]
    n = len(columns)
    size = page.sizes[0] if n <= 6 else page.sizes[1] if n <= 9 else page.sizes[2]
    nowrap = [[False] * n] + [[one_line_cell(str(v), bool(num)) for v, num in zip(row, numeric)] for row in rows]
    lowest, natural, body = _widths(block, nowrap)

    comfortable = [max(lo, min(nat, TEXT_COLUMN_EM)) for lo, nat in zip(lowest, natural)]
    cells = [max(c, b) for c, b in zip(comfortable, body)]  # every cell on one line, headers wrapped
    tiers = [lowest, comfortable, cells, [max(c, n) for c, n in zip(cells, natural)]]

    def attempt(width_pt: float, pt: float) -> list[float] | None:
        return _spread([[w * pt + page.padding_pt for w in tier] for tier in tiers], width_pt)

    widths = attempt(page.portrait_pt, size)
    roomy = n >= 8 and len(rows) > SMALL_ROWS and sum(w * size + page.padding_pt for w in body) > 1.5 * page.portrait_pt
    landscape = widths is None or roomy
    if landscape:
        widths = attempt(page.landscape_pt, size)
        while widths is None and size > page.smallest:
            size = max(page.smallest, size - 0.5)
            widths = attempt(page.landscape_pt, size)
        if widths is None:  # wider than any page at the smallest size: columns in proportion to their minimum
            total = sum(lowest) or 1.0
            widths = [page.landscape_pt * w / total for w in lowest]
    room = (page.portrait_pt if landscape else page.height_pt) - CAPTION_PT
    height = _height(block, widths, size, page.padding_pt)
    while room < height <= ALMOST_A_PAGE * room and size > page.smallest:  # a row or two over: set smaller
        smaller = max(page.smallest, size - 0.5)
        got = attempt(page.landscape_pt if landscape else page.portrait_pt, smaller)
        if got is None:
            break
        size, widths, height = smaller, got, _height(block, got, smaller, page.padding_pt)
    return TableFit(size=size, landscape=landscape, widths=widths, nowrap=nowrap, keep=height <= room)


def _height(block: dict[str, Any], widths: list[float], size: float, padding: float) -> float:
    """The printed height of a table (pt): each row as many lines as its fullest cell wraps to."""
    total = 0.0
    for row in [block["columns"], *block["rows"]]:
        lines = max((len(wrap_lines(str(v), max(1.0, (w - padding) / size))) for v, w in zip(row, widths)),
                    default=1)
        total += max(1, lines) * size * LINE_HEIGHT + ROW_PADDING_PT
    return total
