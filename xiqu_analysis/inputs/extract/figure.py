"""A figure found in a document, and what the grammar carries from paragraph to paragraph."""
from __future__ import annotations

from dataclasses import dataclass

from .lexicon import Name

__all__ = ["Figure", "ParaState"]


@dataclass
class Figure:
    """One figure found in a document, before it becomes a row."""

    indicator: str
    region: str
    year: int | None
    period: str | None
    value: str
    unit: str
    price_basis: str
    kind: str
    quote: str
    location: str
    confidence: float
    note: str = ""
    context: str = ""  # the sentence (or table row) the figure was read from, as in the document


@dataclass
class ParaState:
    """What carries from paragraph to paragraph: the section's year and kind, 下同 price basis, from/to years."""

    section_year: int | None = None
    section_target: bool = False
    comparable: bool = False
    from_to: tuple[int, int] | None = None
    label: tuple[Name, str] | None = None  # a paragraph's label subject (地区生产总值：…)
    last_subject: object = None  # the subject the previous sentence ended with
    last_enum: object = None  # the subjects of the paragraph's last 分别 enumeration
    para_comparable: bool = False  # the paragraph said 按可比价格计算
    para_five_year: tuple[int, int] | None = None  # the five-year plan period the paragraph named (十四五)
    para_time: tuple | None = None  # (year, period) the paragraph's previous sentence named
    sentence_time: tuple | None = None  # (year, period) the current sentence names
    table_note: str = ""  # the document's notes (注：…), which say what table cells mean
