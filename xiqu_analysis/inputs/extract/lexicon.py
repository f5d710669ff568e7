"""Names of indicators in documents: the registry's synonyms, and known ``other:`` names.

The registry (``data/indicators.csv``, :func:`~xiqu_analysis.inputs.indicators.indicator_registry`)
is the one home of the names of registry indicators: its ``synonyms`` and
``label_zh``. Economic figures outside the registry take an ``other:`` name
from ``data/extract/other_indicators.csv`` (a Chinese phrase and its English
snake_case name). :class:`Lexicon` finds these names in a sentence,
leftmost-longest, and resolves a name and a measure (level, growth, share,
...) into an indicator key.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..indicators import IndicatorSpec, data_root, indicator_registry, load_indicators
from .normalise import normalise

__all__ = ["Name", "Lexicon", "load_lexicon", "OTHER_FILE", "MONEY_UNITS"]

#: units of money as documents write them (亿 alone: 89.5亿 is 亿元)
MONEY_UNITS = ("亿元", "万元", "元", "亿美元", "万美元", "美元", "亿")

#: the known ``other:`` names, relative to the data folder
OTHER_FILE = Path("extract") / "other_indicators.csv"


@dataclass(frozen=True)
class Name:
    """A name found in text: the registry keys it may mean, or an ``other:`` stem."""

    phrase: str
    keys: tuple[str, ...]  # registry keys (may be several: 工业增加值 -> level and growth)
    other: str | None  # other: stem (``market_entities``)
    kind: str = ""  # for other names: "rate" (a ratio in per cent), "count", "money", ""


class Lexicon:
    """Names of indicators and how a name and a measure resolve into an indicator key."""

    def __init__(self, registry: dict[str, IndicatorSpec], others: list[tuple[str, str, str]],
                 table_names: dict[str, str] | None = None):
        self.registry = registry
        by_phrase: dict[str, list[str]] = {}
        for spec in registry.values():
            phrases = set(spec.synonyms)
            if spec.labels.get("zh") and spec.synonyms:
                phrases.add(spec.labels["zh"])
            for ph in phrases:
                ph = normalise(ph).text
                if len(ph) >= 2:
                    by_phrase.setdefault(ph, []).append(spec.key)
        self.names: dict[str, Name] = {ph: Name(ph, tuple(keys), None) for ph, keys in by_phrase.items()}
        self.other_phrases: dict[str, str] = {}
        self.share_names: dict[str, str] = {}  # a whole -> the name of a share of it (share_of_gdp)
        for phrase, stem, kind in others:
            ph = normalise(phrase).text
            if kind == "whole":
                self.share_names[ph] = stem
                continue
            self.other_phrases[ph] = stem
            if ph in self.names and self.names[ph].keys:
                continue  # the registry names it
            self.names[ph] = Name(ph, (), stem, kind)
        self.table_names = {normalise(k).text: v for k, v in (table_names or {}).items()}
        alts = sorted(self.names, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(a) for a in alts))
        self.growth_of = {s.level_of: s.key for s in registry.values() if s.level_of}

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, Name]]:
        """Names in ``text[start:end]``, leftmost-longest, as (start, end, Name)."""
        end = len(text) if end is None else end
        return [(m.start(), m.end(), self.names[m.group()]) for m in self.pattern.finditer(text, start, end)]

    def table_name(self, label: str) -> Name | None:
        """The name of a table row label (a registry name, a short label such as 第一产业, or a known other)."""
        label = re.sub(r"[（(][^）)]*[）)]$", "", label).strip().lstrip("#＃*").strip()
        # a list mark or 其中 before the name: 一、地区生产总值, 1.第一产业, 其中：工业
        label = re.sub(r"^(?:[一二三四五六七八九十]+、|\d{1,2}\s*[.、．]\s*|[（(][一二三四五六七八九十\d]+[）)]|"
                       r"其中\s*[:：]?)", "", label).strip()
        if label in self.names and self.names[label].keys:
            return self.names[label]
        if label in self.table_names:
            key = self.table_names[label]
            return Name(label, (key,), None) if key in self.registry else Name(label, (), key)
        if label in self.names:
            return self.names[label]
        hits = self.find(label)
        if len(hits) == 1 and hits[0][0] == 0 and hits[0][1] >= len(label) - 2:
            return hits[0][2]
        return None

    def is_rate(self, name: Name) -> bool:
        """A name whose level is itself in per cent (城镇化率, a share, a rate)."""
        if name.other is not None:
            return name.kind in ("rate", "share")
        return any(self.registry[k].unit == "%" and not self.registry[k].level_of for k in name.keys)

    def resolve(self, name: Name, measure: str, unit: str) -> tuple[str, str] | None:
        """``(indicator, price_basis)`` for a name and a measure, or None when it makes no row.

        ``measure`` is ``level``, ``growth``, ``real_growth`` or a suffix of an other: row
        (``change``, ``gap_vs_city``, ``share``...).
        """
        money = unit in MONEY_UNITS
        if name.keys:
            specs = [self.registry[k] for k in name.keys]
            if measure == "level":
                levels = [self.registry[s.level_of] for s in specs if s.level_of and s.level_of in self.registry]
                for s in specs + levels:
                    if s.level_of:
                        continue
                    if s.unit == "%" and unit != "%" and unit != "":
                        continue
                    if s.unit in ("亿元", "元") and (not money or "美元" in unit):
                        continue
                    if s.unit == "人" and unit not in ("人", "万人"):
                        continue
                    if s.unit not in ("%",) and unit == "%":
                        continue
                    return s.key, _basis(s.price_basis)
                return None
            if measure == "growth" and unit in ("%", "成"):
                for s in specs:
                    if s.level_of:
                        return s.key, _basis(s.price_basis)
                named = self.other_phrases.get(name.phrase + "增长")
                if named:
                    return f"other:{named}", _other_basis(named, "growth", unit, "money")
                for s in specs:
                    g = self.growth_of.get(s.key)
                    if g:
                        return g, _basis(self.registry[g].price_basis)
                stem = specs[0].key
                return f"other:{stem}_growth", _basis(specs[0].price_basis)
            stem = specs[0].level_of or specs[0].key
            if measure == "growth":
                return None
            if measure == "real_growth":
                return f"other:{stem}_real_growth", "comparable"
            base = self.registry.get(stem)
            return f"other:{stem}_{measure}", _basis(base.price_basis if base else None)
        stem = name.other
        if name.kind == "balance":  # a balance (存款余额): other:<stem>_balance, its growth other:<stem>_growth
            if measure == "level":
                return f"other:{stem}_balance", "current"
            if measure == "change_ytd":
                return f"other:{stem}_change_since_start_of_year", "current"
        if name.kind == "index" and measure == "growth":  # a price index: its change on the previous year
            return f"other:{stem}_change", "unknown"
        if measure == "level":
            if name.kind == "rate" and unit not in ("%", "‰", ""):
                return None
            return f"other:{stem}", _other_basis(stem, "level", unit, name.kind)
        if measure == "growth":
            return f"other:{stem}_growth", _other_basis(stem, "growth", unit, name.kind)
        return f"other:{stem}_{measure}", _other_basis(stem, measure, unit, name.kind)


def _basis(registry_basis: str | None) -> str:
    if registry_basis in ("current", "comparable", "constant"):
        return registry_basis
    return "unknown"


_REAL = re.compile(r"(?:^|_)(va|output|contribution|pull)(?:_|$)")


def _other_basis(stem: str, measure: str, unit: str, kind: str = "") -> str:
    money = unit in MONEY_UNITS
    if measure in ("growth", "change", "gap_vs_city", "change_vs_h1", "change_vs_q1", "gap_vs_target") and \
            _REAL.search(stem) and "_output" not in stem.replace("farm_output", ""):
        return "comparable"
    if measure in ("growth",) and (stem.startswith("farm") or stem.endswith("_va") or stem.startswith("industry_va")):
        return "comparable"
    if money or kind in ("money", "share", "balance", "ratio"):
        return "current"
    return "unknown"


def _read_others(path: Path) -> list[tuple[str, str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(line for line in fh if not line.startswith("#"))]
    return [(r["phrase"].strip(), r["name"].strip(), (r.get("kind") or "").strip()) for r in rows
            if r.get("phrase") and r.get("name")]


@lru_cache(maxsize=4)
def _load(root: str) -> Lexicon:
    registry = indicator_registry(load_indicators(root))
    others = _read_others(Path(root) / OTHER_FILE)
    tables = {}
    for spec in registry.values():
        short = spec.short_labels.get("zh")
        if short and short not in tables:
            tables[short] = spec.key
    return Lexicon(registry, others, tables)


def load_lexicon(data_dir: str | Path | None = None) -> Lexicon:
    """The lexicon of the data folder's registry and known other: names (cached per folder)."""
    return _load(str(data_root(data_dir)))
