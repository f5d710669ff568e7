"""Figures out of official documents: ``xiqu extract``.

Reads 统计公报, 政府工作报告, 规划纲要, quarterly releases and news items
(.txt, .html, .pdf, .docx) into proposed data rows with their provenance
(verbatim quote and location). The jobs, one module each:

:mod:`.readers` (with :mod:`.html_reader`, :mod:`.pdf_reader`, :mod:`.docx_reader`)
    a file -> text blocks (paragraphs, tables) with page/line or table/row/column;
:mod:`.normalise`
    full-width digits, traditional characters, Chinese numerals, stray spaces and
    thousands separators, keeping the way back to the original characters;
:mod:`.context`
    the document's date, data year, period, place and plan;
:mod:`.grammar` and :mod:`.tables`
    sentences and tables -> figures;
:mod:`.lexicon`
    indicator names: the registry's synonyms and known ``other:`` names;
:mod:`.rows`
    figures -> proposal rows, and the ``actuals`` and ``figures`` formats.
"""
from __future__ import annotations

import re
from pathlib import Path

from .context import read_context
from .grammar import Figure, ParaState, parse_paragraph
from .lexicon import load_lexicon
from .normalise import normalise
from .readers import Document, read_document
from .rows import PROPOSAL_COLUMNS, dedupe, proposal_rows
from .tables import parse_table

__all__ = ["extract_figures", "extract_file", "extract_document", "Figure", "PROPOSAL_COLUMNS"]


def extract_document(doc: Document, *, region: str | None = None, year: int | None = None,
                     data_dir: str | Path | None = None) -> list[Figure]:
    """The figures of a read document, deduplicated, in document order."""
    lex = load_lexicon(data_dir)
    paras = [normalise(b.text).text for b in doc.blocks if b.kind == "para"]
    ctx = read_context(paras, "\n".join(paras), region, year)
    state = ParaState()
    state.table_note = " ".join(p for p in paras if re.match(r"\s*注", p))
    if ctx.kind == "plan" and ctx.plan:
        state.from_to = None
    figures: list[Figure] = []
    for b in doc.blocks:
        if b.kind == "para":
            figures.extend(parse_paragraph(b.text, ctx, lex, state, b.where()))
        else:
            figures.extend(parse_table(b, ctx, lex, state, doc.fmt))
    return dedupe(figures)


def extract_figures(text: str, *, region: str | None = None, year: int | None = None,
                    data_dir: str | Path | None = None) -> list[Figure]:
    """The figures of a plain text (one paragraph per line)."""
    from .readers import text_blocks

    doc = Document(Path("text"), "txt", text_blocks(text))
    return extract_document(doc, region=region, year=year, data_dir=data_dir)


def extract_file(path: str | Path, *, region: str | None = None, year: int | None = None,
                 data_dir: str | Path | None = None) -> list[dict]:
    """Proposal rows (:data:`PROPOSAL_COLUMNS`) of one document. Raises InputError for a bad file."""
    from ..indicators import data_root, indicator_registry, load_indicators

    doc = read_document(path)
    figures = extract_document(doc, region=region, year=year, data_dir=data_dir)
    registry = indicator_registry(load_indicators(data_root(data_dir)))
    return proposal_rows(figures, registry, Path(path).name)
