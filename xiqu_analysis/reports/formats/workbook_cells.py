"""A table's codes in words, for the workbook of a language that does not show the data's English names.

The CSV files keep the data names and codes (``gdp_real``, ``comparable``,
``xiqu.industrial_va_growth.2021-2025``, ``plan ch.2 §4.2``, scenario keys);
a workbook is read by people. In a language whose ``formats.yaml`` shows the
data's names in another language (``data_language: zh``), :func:`reader_frame`
gives every text cell in words -- indicator and column names from the registry
and the locale files, codes from the locale files (``cell.*``, statuses,
verdicts, price bases, audit checks), figure ids as their indicator and period,
places in the plan as the plan's chapters, scenario keys as the scenario's
title (``words``, recorded by the report) -- and leaves out the columns that
only repeat another in English or hold a code the reader does not need
(:data:`HIDDEN`). Numbers stay numbers. A text the data give in English only
(a project's note) stays out of the sheet (:func:`reader_frame` drops a column
whose every text still reads in English); a text the user wrote (the source of
a bulletin figure) is shown as written.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Mapping

import pandas as pd

from ..words.locales import get_locale
from ..words.text import has_key, label, t

__all__ = ["reader_frame", "cell_words", "sheet_title", "HIDDEN", "KEPT"]

#: columns a reader's sheet leaves out: an English twin of a named column, or a code the row's name says
HIDDEN = frozenset({"theme_en", "group", "id", "check_id", "check_ids", "figure_ids", "reference_indicator",
                    "duplicate_of", "missing"})
#: locale prefixes whose words name a code in a cell, tried in this order (``<prefix>.<code>``)
_PREFIXES = ("cell", "label", "sector", "basis", "status", "unit_name", "evaluation.verdict", "audit_check_name",
             "audit_verdict_name", "audit_word.measure", "audit_word.qualifier", "column")
_FIGURE_ID = re.compile(r"^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.(\d{4}(?:-\d{4})?)(?:\.([a-z_]+))?$")
_PLACE = re.compile(r"^(?:plan )?(ch\.\d+(?: §[\d.]+)?|专栏\d+)$")
_BAND = re.compile(r"^(p\d+)-(p\d+)$")
_NAMED_PLACE = re.compile(r"^(.+?) \((plan [^)]+)\)$")  # 梅子箐水库灌区配套工程 (plan 专栏13)
_ENGLISH = re.compile(r"[A-Za-z]{3,}")
#: columns shown whatever language their text is in: what the user's files say (sources, names, quotes)
KEPT = frozenset({"source", "sources", "name", "quote", "title"})


@functools.lru_cache(maxsize=None)
def _registry() -> dict[str, dict[str, str]]:
    """The registry's names per indicator: ``{indicator: {lang: label}}`` (read once per process)."""
    from ...inputs.indicators import load_indicators

    frame = load_indicators()
    out: dict[str, dict[str, str]] = {}
    for row in frame.to_dict("records"):
        out[str(row["indicator"])] = {col[len("label_"):]: str(v) for col, v in row.items()
                                      if col.startswith("label_") and isinstance(v, str) and v.strip()}
    return out


@functools.lru_cache(maxsize=None)
def _region_name(key: str, lang: str) -> str | None:
    from ...errors import InputError
    from ...inputs.regions import load_region_info

    try:
        return load_region_info(key).name(lang)
    except (InputError, OSError, ValueError):
        return None


def _indicator(code: str, lang: str) -> str | None:
    names = _registry().get(code)
    if not names:
        return None
    loc = get_locale(lang)
    return names.get(loc.data_language) or names.get(lang.split("-")[0])


def cell_words(value: str, lang: str, words: Mapping[str, str] | None = None) -> str:
    """One text cell in the words of ``lang``; a text that is no code comes back as it is."""
    text = value.strip()
    if not text:
        return value
    if words and text in words:
        return str(words[text])
    if "; " in text:  # a list of codes (figure ids, places)
        parts = [cell_words(p, lang, words) for p in text.split("; ")]
        return t("unit.list_separator", lang).join(parts)
    for prefix in _PREFIXES:
        key = f"{prefix}.{text}"
        if has_key(key, lang) and "{" not in (get_locale(lang).template(key) or "{"):
            return label(text, lang) if prefix == "label" else t(key, lang)
    named = _indicator(text, lang)
    if named:
        return named
    if re.fullmatch(r"[a-z][a-z0-9_]*", text) and _region_name(text, lang):
        return _region_name(text, lang) or text
    m = _FIGURE_ID.match(text)
    if m:
        name = _indicator(m[2], lang) or cell_words(m[2], lang, words)
        when = get_locale(lang).when(m[3] if "-" in m[3] else int(m[3]))
        qualifier = cell_words(m[4], lang, words) if m[4] else ""
        inner = t("unit.list_separator", lang).join(x for x in (when, qualifier) if x)
        return t("audit_word.figure_ref", lang, label=name, inner=inner)
    m = _PLACE.match(text)
    if m:
        from ..words.citations import plan_citation

        return plan_citation(f"plan {m[1]}", lang) or text
    m = _NAMED_PLACE.match(text)
    if m:
        from ..words.citations import plan_citation

        place = plan_citation(m[2], lang)
        if place:
            return t("cell.with_place", lang, name=cell_words(m[1], lang, words), place=place)
    m = _BAND.match(text)
    if m and has_key(f"column.{m[1]}", lang) and has_key(f"column.{m[2]}", lang):
        return t("cell.band", lang, low=t(f"column.{m[1]}", lang), high=t(f"column.{m[2]}", lang))
    return value


def _english(value: Any) -> bool:
    return isinstance(value, str) and bool(_ENGLISH.search(value))


def reader_frame(frame: pd.DataFrame, lang: str, words: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``frame`` as the reader of ``lang`` reads it: unchanged where the language shows the data's English
    names (English); otherwise every code in words, :data:`HIDDEN` columns and columns whose text is
    English only left out, booleans as yes and no, numbers as they are."""
    if get_locale(lang).english_data:
        return frame
    out = {}
    for name in frame.columns:
        if str(name) in HIDDEN:
            continue
        series = frame[name]
        if series.dtype == bool:
            out[name] = [t("cell.yes" if v else "cell.no", lang) for v in series]
            continue
        values = [cell_words(v, lang, words) if isinstance(v, str) else v for v in series]
        texts = [v for v in values if isinstance(v, str) and v.strip()]
        if texts and sum(_english(v) for v in texts) * 2 > len(texts) and name not in KEPT:
            continue  # the data's English notes: the CSV keeps them
        out[name] = values
    return pd.DataFrame(out, columns=list(out)) if out else frame.iloc[:, 0:0]


def sheet_title(caption: str, fallback: str) -> str:
    """A sheet's name in words: the first clause of its table's caption (``逐年预测结果（主要指标）``)."""
    text = str(caption or "").strip()
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in "(（"
        depth -= ch in ")）"
        if depth <= 0 and ch in "。；：;:":
            text = text[:i]
            break
    return text.strip() or fallback
