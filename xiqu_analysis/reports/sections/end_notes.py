"""The notes every report ends with (附注): real growth, current prices, rounding, tags.

One home for the scenario report, the comparison and the data audit; the sentences are the
``note.*`` keys of the locale files.
"""
from __future__ import annotations

from ..formats.artifacts import Report
from ..words.text import t

__all__ = ["END_NOTES", "NOTES_WITHOUT_TAGS", "end_notes"]

#: the standard notes at the end of a report (附注), keys under ``note.`` in the locale files
END_NOTES = ("real_growth", "current_prices", "rounding", "tags")
#: the notes of a report whose text carries no narrative tags (the data audit)
NOTES_WITHOUT_TAGS = ("real_growth", "current_prices", "rounding")


def end_notes(report: Report, lang: str, base_year: int, notes: tuple[str, ...] = END_NOTES) -> None:
    """The standard notes at the end of a report (附注), numbered, ``base_year`` in the price-basis note."""
    report.heading(t("note.heading", lang))
    report.markdown("\n\n".join(t(f"note.{k}", lang, year=int(base_year), n=i)
                                for i, k in enumerate(notes, start=1)))
