"""Report Markdown for the Word and PDF versions: parsed once, with the narrative's tags kept apart.

The report text is Markdown whose user-supplied parts are escaped
(:func:`~xiqu_analysis.reports.words.text.esc`); a narrative's numbers carry tags
``[1]`` (source note 1) and ``[a]`` (assumption). :func:`protect_tags`
replaces each tag by a marker that Markdown leaves alone, so the writers can
turn it into a footnote (Word, PDF) or a superscript mark after parsing.
"""
from __future__ import annotations

import functools
import re
from typing import Any

from .document import split_tags

__all__ = ["protect_tags", "MARKER", "parse", "to_html", "plain_text"]

#: a protected tag: U+E000, the tag ("1", "a"), U+E001 (private-use characters, never in report text)
MARKER = re.compile("\ue000([0-9a]+)\ue001")
_TAGS = re.compile(r"<[^>]+>")


def protect_tags(markdown: str) -> str:
    """``"82.91亿元 [1]"`` -> ``"82.91亿元\\ue0001\\ue001"``."""
    return "".join(text + (f"\ue000{tag}\ue001" if tag else "") for text, tag in split_tags(markdown))


@functools.lru_cache(maxsize=1)
def _ast_parser():
    import mistune

    return mistune.create_markdown(renderer="ast")


@functools.lru_cache(maxsize=1)
def _html_parser():
    import mistune

    # escape=False: raw HTML of the reports (<small>, <br>) passes; user text is already escaped
    return mistune.create_markdown(escape=False)


def parse(markdown: str) -> list[dict[str, Any]]:
    """The Markdown's block tokens (mistune's AST: paragraph, heading, list, block_html, ...)."""
    return _ast_parser()(markdown)


def to_html(markdown: str) -> str:
    """The Markdown as HTML (for the PDF)."""
    return _html_parser()(markdown)


def plain_text(html_or_text: str) -> str:
    """Text without HTML tags (``<br>`` becomes a line end)."""
    import html

    return html.unescape(_TAGS.sub("", re.sub(r"<br\s*/?>", "\n", html_or_text)))
