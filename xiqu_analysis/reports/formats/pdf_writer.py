"""The PDF version of a report: an offline print page built from ``document.json``, rendered by WeasyPrint.

:func:`print_html` lays the record (:mod:`.document`) out as one
self-contained HTML page for A4 paper (template ``templates/print.html.j2``:
numbered table and figure captions, table headers repeated on every page,
the narrative's source notes as footnotes at the foot of the page, page
numbers, the report's title in the running head). :func:`write_pdf` renders it
with WeasyPrint (pure Python over pango) with the Noto Sans CJK SC font that
the ``mplfonts`` package ships named in an ``@font-face`` rule: WeasyPrint
embeds the subset of the font the text uses, so the PDF reads the same on a
machine without any Chinese font. Nothing is fetched from the network: the
only URLs are the report folder's own figures and the font file.
"""
from __future__ import annotations

import functools
import html
import importlib.util
import re
from pathlib import Path
from typing import Any

from ...fileio import atomic_write_bytes
from .markup import MARKER, plain_text, protect_tags, to_html
from .page_plan import keep_groups, landscape_blocks
from .table_fit import UNBREAKABLE, PageBox, TableFit, fit_table
from ..words.locales import get_locale
from ..words.text import t

__all__ = ["cjk_font_path", "print_html", "pdf_bytes", "write_pdf", "FONT_FAMILY", "PDF_PAGE"]

#: the family name the print page gives the embedded CJK font
FONT_FAMILY = "Report CJK"
_TEMPLATE = "print.html.j2"
#: the print page for tables (templates/print.html.j2): 17 cm by 25.3 cm of text on A4 (25.7 cm wide in
#: landscape), cells padded 4 pt a side (and 2 pt to spare), tables in 8.5, 7.5 or 6.5 pt
PDF_PAGE = PageBox(portrait_pt=17.0 / 2.54 * 72, landscape_pt=25.7 / 2.54 * 72, padding_pt=10.0,
                   sizes=(8.5, 7.5, 6.5), smallest=5.5, height_pt=25.3 / 2.54 * 72)


def cjk_font_path() -> Path | None:
    """Noto Sans CJK SC as shipped by ``mplfonts`` (found without importing it), or None."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).resolve().parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return path if path.is_file() else None


@functools.lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("xiqu_analysis.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


_GENERIC_FONTS = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
_FONT_NAME = re.compile(r"[\w .\-]+")


def _font_stack(fonts: list[str]) -> str:
    """The CSS font families of the language's ``fonts.pdf`` (names quoted, generic families bare);
    a name with other characters than letters, digits, spaces, dots and hyphens is left out."""
    out = [f if f in _GENERIC_FONTS else f'"{f}"' for f in fonts if _FONT_NAME.fullmatch(f)]
    return ", ".join(out or ["sans-serif"])


def _page_content(lang: str) -> str:
    """The CSS ``content`` of the page-number footer, from the locale's ``format.page``."""
    parts = []
    for piece in re.split(r"(\x00page\x00|\x00pages\x00)", t("format.page", lang, page="\x00page\x00",
                                                                 pages="\x00pages\x00")):
        if piece == "\x00page\x00":
            parts.append("counter(page)")
        elif piece == "\x00pages\x00":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


def _markers(fragment: str, notes: list[str]) -> str:
    """Protected tags in rendered HTML -> footnotes (source notes) or superscript marks."""

    def repl(m: re.Match) -> str:
        tag = m.group(1)
        if tag.isdigit() and 0 < int(tag) <= len(notes):
            return f'<span class="fn">{notes[int(tag) - 1]}</span>'
        return f'<sup class="mark">{html.escape(tag)}</sup>'

    return MARKER.sub(repl, fragment)


def _inline_html(markdown: str) -> str:
    """Markdown rendered without the paragraph around it."""
    out = to_html(markdown).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", out, flags=re.S)


def _caption(kind: str, n: int, text: str, lang: str) -> str:
    label = t(f"format.{kind}_label", lang, n=n)
    return label + (t("format.caption_sep", lang) + text if text else "")


#: a character a line may break before or after inside a number or period (2025年, 2021—2025年); between
#: digits, separators, signs and % (Unicode line breaking: NU, IS, PR, PO, HY) no line breaks anyway
_BREAK_INSIDE = re.compile("[^0-9.,%‰+−-]")


def _cell(text: str, one_line: bool) -> str:
    """A table cell's HTML: kept on one line by its class, or its numbers, periods and words kept whole
    (a ``nowrap`` span around a piece that could break: each span costs WeasyPrint a box to lay out)."""
    if one_line or not any(ch.isdigit() for ch in text):
        return html.escape(text)
    return "".join(f'<span class="nw">{html.escape(piece)}</span>'
                   if UNBREAKABLE.fullmatch(piece) and _BREAK_INSIDE.search(piece)
                   else html.escape(piece) for piece in re.split(f"({UNBREAKABLE.pattern})", text) if piece)


def _table(block: dict[str, Any], fit: TableFit, n: int, lang: str) -> dict[str, Any]:
    """A table block as the print page shows it, cells as HTML (escaped here)."""
    from markupsafe import Markup

    numeric = block["numeric"]
    total = sum(fit.widths) or 1.0
    rows = [[(Markup(_cell(str(v), fit.nowrap[i][j])),  # noqa: S704 - escaped by _cell
              " ".join(c for c, on in (("num", numeric[j]), ("nw", fit.nowrap[i][j])) if on))
             for j, v in enumerate(row)] for i, row in enumerate(block["rows"], 1)]
    return {"kind": "table", "caption": _caption("table", n, block.get("caption", ""), lang),
            "columns": block["columns"], "rows": rows, "size": f"{fit.size:g}pt", "keep": fit.keep,
            "widths": [f"{100 * w / total:.2f}%" for w in fit.widths]}


def _blocks(document: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The record's blocks with their HTML (trusted: rendered here, user text escaped before), in the groups
    printed together (:func:`.page_plan.keep_groups`): ``{"blocks": [...], "keep": ..., "wide": ...}``."""
    source = document.get("blocks", [])
    fits = {i: fit_table(b, PDF_PAGE) for i, b in enumerate(source) if b.get("kind") == "table"}
    landscape = landscape_blocks(source, {i: f.landscape for i, f in fits.items()})
    out: list[dict[str, Any]] = []
    n_tables = n_figures = 0
    for i, block in enumerate(source):
        kind = block.get("kind")
        if kind == "heading":
            out.append({"kind": "heading", "level": min(int(block["level"]), 4), "text": block["text"]})
        elif kind == "text":
            out.append({"kind": "html", "html": to_html(block["markdown"]),
                        "cls": "files" if block.get("role") == "files" else ""})
        elif kind == "narrative":
            notes = [_inline_html(n) for n in block.get("notes", [])]
            body = "".join(_markers(to_html(protect_tags(p)), notes) for p in block.get("paragraphs", []))
            legend = "".join(f'<p class="note">{_markers(_inline_html(protect_tags(line)), [])}</p>'
                             for line in block.get("legend", []))
            out.append({"kind": "html", "html": body + legend, "cls": "narrative"})
        elif kind == "table":
            n_tables += 1
            out.append(_table(block, fits[i], n_tables, lang))
        elif kind == "figure":
            n_figures += 1
            out.append({"kind": "figure", "src": block["file"],
                        "caption": _caption("figure", n_figures, block.get("caption", ""), lang)})
        else:
            out.append({"kind": "none"})
    groups = []
    for members in keep_groups(source):
        last = out[members[-1]]
        groups.append({"blocks": [out[k] for k in members], "wide": landscape[members[-1]],
                       "keep": last["kind"] == "figure" or (last["kind"] == "table" and last["keep"])})
    return groups


def print_html(document: dict[str, Any], font: Path | None = None) -> str:
    """The print page of a report record: self-contained HTML for A4, figures relative to the report folder."""
    from markupsafe import Markup

    lang = str(document.get("language", "en"))
    font = cjk_font_path() if font is None else font
    groups = _blocks(document, lang)
    for b in (b for g in groups for b in g["blocks"]):
        if b["kind"] == "html":
            b["html"] = Markup(b["html"])  # noqa: S704 - rendered from escaped Markdown above
    return _environment().get_template(_TEMPLATE).render(
        lang=get_locale(lang).html_lang,
        title=plain_text(str(document.get("title", ""))),
        font_url=font.as_uri() if font else None,
        font_family=FONT_FAMILY,
        font_stack=Markup(_font_stack(get_locale(lang).pdf_fonts())),  # noqa: S704 - names checked below
        page_content=Markup(_page_content(lang)),  # noqa: S704 - built from CSS-escaped strings
        groups=groups,
    )


def pdf_bytes(document: dict[str, Any], folder: str | Path, font: Path | None = None) -> bytes:
    """The PDF of a report record; ``folder`` is the report folder (figures are read from it)."""
    import weasyprint

    page = print_html(document, font)
    base = Path(folder).resolve().as_uri() + "/"
    return weasyprint.HTML(string=page, base_url=base, url_fetcher=_local_fetcher()).write_pdf()


def _local_fetcher():
    """A URL fetcher that opens ``file:`` URLs only (the figures and the font): nothing from a network."""
    import weasyprint

    if hasattr(weasyprint, "URLFetcher"):
        return weasyprint.URLFetcher(allowed_protocols={"file"})

    def fetch(url, *args, **kwargs):  # pragma: no cover - WeasyPrint before URLFetcher
        if not url.startswith("file:"):
            raise ValueError(f"not a local file: {url}")
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return fetch


def write_pdf(document: dict[str, Any], folder: str | Path, path: str | Path, font: Path | None = None) -> Path:
    """Write :func:`pdf_bytes` to ``path`` atomically; returns the path."""
    path = Path(path)
    atomic_write_bytes(path, pdf_bytes(document, folder, font), make_parents=True)
    return path
