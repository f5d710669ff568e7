"""Finding English in Chinese reports: runs of four or more English words in what a reader sees.

A word is a run of Latin letters (with inner apostrophes or hyphens); two
words belong to one run when only spaces, digits and ASCII punctuation stand
between them -- no Chinese character, no full-width punctuation. So
``Plan floors to 2025, slower growth`` is one run of five words, a code name
such as ``xiqu.resident_population.2020.census`` is one of four, and
``tables/projection.csv 和工作簿`` is three words, not a run.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["english_runs", "field_names", "visible_text", "latin_words"]

_WORD = r"[A-Za-z]+(?:['’-][A-Za-z]+)*"
_GAP = r"[^A-Za-z\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+"
RUN = re.compile(rf"{_WORD}(?:{_GAP}{_WORD}){{3,}}")


def english_runs(text: str) -> list[str]:
    """Every run of four or more English words in ``text``."""
    return [m.group(0) for m in RUN.finditer(text)]


#: a field's dotted path (``population.base_year_growth_pct``) or a snake_case name (``plan_targets``)
FIELD_NAME = re.compile(r"(?<![A-Za-z0-9_.])(?:[a-z_]+\.[a-z_]+(?:\.[A-Za-z0-9_-]+)*|[a-z0-9]+(?:_[a-z0-9]+)+)"
                        r"(?![A-Za-z0-9_])")


def field_names(text: str) -> list[str]:
    """Every field name of the data in ``text``: a dotted path or a snake_case name (a scenario's file name)."""
    return FIELD_NAME.findall(text)


class _Visible(HTMLParser):
    """Text a browser shows: no <style> or <script> contents; the title and alt texts count;
    <code> (commands, file names) is left out when asked."""

    def __init__(self, skip_code: bool = False):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._title = False
        self._hidden = ("style", "script", "code") if skip_code else ("style", "script")

    def handle_starttag(self, tag, attrs):
        if tag in self._hidden:
            self._skip += 1
        if tag == "title":
            self._title = True
        for name, value in attrs:
            if name in ("alt", "title") and value:
                self.parts.append(value)
        if tag in ("td", "th", "p", "div", "li", "br", "tr", "h1", "h2", "h3", "figcaption"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._hidden:
            self._skip -= 1
        if tag == "title":
            self._title = False
        if tag in ("td", "th"):
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str, *, skip_code: bool = False) -> str:
    """The text of an HTML page a reader sees (table cells on lines of their own); with ``skip_code``
    without what stands in ``<code>`` (a command line, a file name)."""
    parser = _Visible(skip_code)
    parser.feed(html)
    return "".join(parser.parts)


#: an ASCII word (two letters or more) or a code (snake_case, dotted ids)
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9]+)*")


def latin_words(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Every ASCII word or code of two or more characters in ``text`` (``gdp_real``, ``comparable``,
    ``ch.3``, ``on``), except those in ``allowed`` (names of formats and units such as PDF, GDP)."""
    return [w for w in _CODE.findall(text) if len(w) > 1 and w not in allowed]
