"""A target as the plan writes it, read into the solver's form: 工业增加值年均增长不低于7.5% -> ``secondary 7.5% ...``.

The plan's own phrases name an indicator by one of the names documents use
(the registry's ``synonyms`` and ``label_zh``, :mod:`xiqu_analysis.inputs.indicators`)
and state one of three kinds of target:

* an average growth: ``年均增长7.5%``, ``年均增速不低于7.5%``, ``年均增长8%左右``;
* a multiple of an earlier year's level: ``2035年比2020年翻一番`` (x2),
  ``翻两番`` (x4), ``是2020年的2.5倍``;
* a level: ``人均地区生产总值达到10万元``, ``2030年一般公共预算收入达到5亿元``; or a cap on one
  (``不超过``, ``控制在…以内``: the solver reads the words as a ceiling).

Years: ``YYYY年`` after ``比``/``较`` is the year the growth or multiple
starts from; another ``YYYY年`` (``到2035年``, ``2035年``) is the target
year. Without them, a target runs from the region's base year to its plan's
end year (the plan's own period). A growth or multiple target of a money
level is read as real (at comparable prices, as Chinese plans state growth):
the column of the indicator's growth row (地区生产总值 -> ``gdp_real``,
工业增加值 -> ``secondary``); a level target keeps the level's column.

:func:`read_target_phrase` returns the solver's text form
(:func:`xiqu_analysis.economics.solver.parse_target` reads it); anything it
cannot read is one line naming what is missing.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from ..errors import InputError
from .indicators import IndicatorSpec

__all__ = ["has_cjk", "read_target_phrase"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMBER = r"(\d+(?:\.\d+)?)"
_FROM = re.compile(r"(?:比|较|相比|与|是)(\d{4})年")
_YEAR = re.compile(r"(\d{4})年")
_GROWTH = re.compile(r"年均(?:实际)?(?:增长|增速|递增)(?:率)?(?:保持在|保持|不低于|达到|高于|在)?" + _NUMBER + r"%")
_MULTIPLE_WORDS = {"翻一番": 2.0, "翻两番": 4.0, "翻二番": 4.0, "翻三番": 8.0, "翻番": 2.0}
_TIMES = re.compile(r"(?:的|达到)" + _NUMBER + r"倍")
_LEVEL = re.compile(r"(?:达到|突破|超过|不低于|不高于|控制在|实现|为|到)" + _NUMBER + r"(亿元|万元|元|万人|人|%)")
_LEVEL_AFTER = re.compile(_NUMBER + r"(亿元|万元|元|万人|人)(?:以上|左右|以下|以内)")


def has_cjk(text: str) -> bool:
    """True when ``text`` holds Chinese characters (a plan's phrase rather than the coded form)."""
    return bool(_CJK.search(str(text)))


def _normalise(text: str) -> str:
    """Full-width digits and signs to ASCII (NFKC), no spaces, ％ as %."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def _names(spec: IndicatorSpec) -> list[str]:
    names = [*spec.synonyms, spec.labels.get("zh", "")]
    return [n for n in names if n and has_cjk(n)]


def _match(text: str, registry: Mapping[str, IndicatorSpec], growth: bool) -> IndicatorSpec | None:
    """The registry indicator the phrase names: the longest name found; a growth row first for a growth target."""
    best: tuple[int, int, IndicatorSpec] | None = None
    for spec in registry.values():
        for name in _names(spec):
            if name in text:
                rank = (len(name), int(spec.is_growth == growth))
                if best is None or rank > best[:2]:
                    best = (*rank, spec)
    return best[2] if best else None


def _column(spec: IndicatorSpec, registry: Mapping[str, IndicatorSpec], growth: bool) -> str | None:
    """The projection column a target of ``spec`` is solved on (real for growth and multiples)."""
    if growth and not spec.is_growth:  # the level's growth row names its real column
        rows = [s for s in registry.values() if s.level_of == spec.key and s.column]
        if rows:
            return rows[0].column
    if not growth and spec.is_growth and spec.level_of in registry:
        return registry[spec.level_of].column
    return spec.column


def read_target_phrase(text: str, registry: Mapping[str, IndicatorSpec], base_year: int, plan_end_year: int,
                       source: str = "command line", field: str = "solve") -> str:
    """The solver's form of a target written as the plan writes it.

    Parameters
    ----------
    text : str
        ``工业增加值年均增长不低于7.5%``, ``地区生产总值2035年比2020年翻一番``, ``人均地区生产总值达到10万元``.
    registry : mapping of str to IndicatorSpec
    base_year, plan_end_year : int
        The region's base year and its plan's end year (the defaults of ``from`` and ``by``).

    Returns
    -------
    str
        ``COLUMN N% from YEAR by YEAR``, ``COLUMN xN from YEAR by YEAR`` or ``COLUMN LEVEL UNIT by YEAR``.

    Raises
    ------
    InputError
        ``(source, field, problem)``: no indicator of the registry named, or no growth, multiple or level stated.
    """
    s = _normalise(text)
    start_m = _FROM.search(s)
    start = int(start_m.group(1)) if start_m else None
    years = [int(y) for y in _YEAR.findall(_FROM.sub("", s))]
    by = years[-1] if years else None
    multiple = next((v for w, v in _MULTIPLE_WORDS.items() if w in s), None)
    if multiple is None and (t := _TIMES.search(s)):
        multiple = float(t.group(1))
    growth = _GROWTH.search(s)
    level = _LEVEL.search(s) or _LEVEL_AFTER.search(s)
    is_growth = multiple is not None or growth is not None
    spec = _match(s, registry, is_growth)
    if spec is None:
        raise InputError(source, field, "{text!r} names no indicator of the registry (data/indicators.csv: its names "
                         "and synonyms, e.g. 地区生产总值, 工业增加值, 人均地区生产总值)", text=text)
    column = _column(spec, registry, is_growth)
    if not column:
        raise InputError(source, field, "{text!r}: {label} ({key}) is not projected, so no growth can be solved for it",
                         text=text, label=spec.label('zh'), key=spec.key)
    if multiple is not None:
        return f"{column} x{multiple:g} from {start or base_year} by {by or plan_end_year}"
    if growth is not None:
        return f"{column} {float(growth.group(1)):g}% from {start or base_year} by {by or plan_end_year}"
    if level is not None:
        return f"{column} {float(level.group(1)):g} {level.group(2)} by {by or plan_end_year}"
    raise InputError(source, field, "{text!r} states no target: write an average growth (年均增长7.5%), a multiple "
                     "(2035年比2020年翻一番) or a level (达到10万元)", text=text)
