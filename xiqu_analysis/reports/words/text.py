"""Every label, heading, caption and sentence of report text.

The words live in ``xiqu_analysis/reports/locale/<lang>/*.yaml`` (one file per
report, nested mappings addressed by dotted keys such as
``"heading.headline"``); code calls :func:`t`. A key missing from a language
falls back to the language its ``formats.yaml`` names, then to English, so a
language is an addition of a folder (:mod:`.locales` finds the folders and
holds each language's :class:`~.locales.Locale`). Each file of
a language other than English lists in ``_declares`` the key prefixes it
claims to cover completely; a test checks it does.

Numbers are formatted by one set of helpers over the language's
:class:`~.locales.Locale` (:func:`fmt_yi` 亿元 with two decimals,
:func:`fmt_yuan` grouped as the language groups, :func:`fmt_pct` one
decimal, :func:`fmt_pp` percentage points); :mod:`.narrative` builds the
paragraphs.

Text from scenario files is user input: :func:`esc` escapes it before it goes
into Markdown or HTML output.
"""
from __future__ import annotations

import html
import re
from typing import Any, Mapping

from .locales import (DEFAULT_LANGUAGE, flatten, get_locale, is_finite, is_missing, languages, load_words,
                      placeholders)

__all__ = [
    "LANGUAGES",
    "DEFAULT_LANGUAGE",
    "locale_languages",
    "t",
    "has_key",
    "keys",
    "available_languages",
    "declared_prefixes",
    "placeholders",
    "label",
    "indicator_name",
    "unit_name",
    "UNIT_NAME_KEYS",
    "column_header",
    "mid_sentence",
    "esc",
    "is_finite",
    "is_missing",
    "fmt_number",
    "fmt_yi",
    "fmt_yuan",
    "fmt_persons",
    "persons_scale",
    "persons_shown",
    "fmt_pct",
    "fmt_pp",
    "fmt_prob",
    "fmt_ratio",
    "fmt_pp_abs",
    "fmt_year",
    "fmt_period",
    "scenario_text",
    "missing_text_fields",
    "FORMATTERS",
]

# --------------------------------------------------------------------------- locale files
_flatten = flatten


def locale_languages() -> tuple[str, ...]:
    """Languages that have a folder of locale files (``reports/locale/<lang>/`` or ``$XIQU_LOCALE_DIRS``), sorted."""
    return languages()


#: languages a report can be written in: one folder of locale files each
LANGUAGES: tuple[str, ...] = locale_languages()


def _load(lang: str) -> dict[str, Any]:
    """Every key of ``lang``'s own locale files, merged; ``_declares`` lists are joined."""
    return load_words(lang)


def available_languages() -> tuple[str, ...]:
    """Languages that have a locale file."""
    return tuple(lang for lang in languages() if _load(lang))


def keys(lang: str = "en") -> list[str]:
    """Every text key the locale file of ``lang`` defines (meta keys starting with ``_`` excluded)."""
    return sorted(k for k in _load(lang) if not k.startswith("_"))


def declared_prefixes(lang: str) -> list[str]:
    """Key prefixes the locale file of ``lang`` declares complete (its ``_declares`` list)."""
    return list(_load(lang).get("_declares", []) or [])


def has_key(key: str, lang: str = "en") -> bool:
    """True if ``key`` is defined in ``lang`` itself or a fallback it declares (never only in English)."""
    return get_locale(lang).has(key)


def t(key: str, lang: str = "en", **values: Any) -> str:
    """The text of ``key`` in ``lang`` with ``{placeholders}`` filled from ``values``.

    Parameters
    ----------
    key : str
        Dotted key, e.g. ``"heading.headline"``.
    lang : str
        Report language; a key missing in ``lang`` falls back to English.
    **values
        Values for the placeholders (already formatted strings, or numbers
        formatted with ``str``).

    Raises
    ------
    KeyError
        If the key is not defined in English either (a programming error).
    """
    return get_locale(lang).t(key, **values)


def label(name: str, lang: str = "en", year: int | None = None) -> str:
    """Label of a projection column / indicator (``label.<name>``), or ``name`` itself if none.

    With ``year`` (the base year of constant prices) the label of a constant-price
    column names it (``label_year.<name>``: 地区生产总值（2020年不变价）) where the
    locale has such a form.
    """
    if year is not None and (has_key(f"label_year.{name}", lang) or has_key(f"label_year.{name}", DEFAULT_LANGUAGE)):
        return t(f"label_year.{name}", lang, year=int(year))
    key = f"label.{name}"
    if get_locale(lang).template(key) is not None:
        return t(key, lang)
    return name


#: unit -> the locale key of its name (``unit_name.*``)
UNIT_NAME_KEYS = {"亿元": "unit_name.yi", "元": "unit_name.yuan", "persons": "unit_name.persons",
                  "人": "unit_name.persons", "%": "unit_name.pct", "pp": "unit_name.pp", "ratio": "unit_name.share",
                  "index": "unit_name.index"}


def unit_name(unit: str, lang: str = "en", year: int | str = "") -> str:
    """A unit as the reader of ``lang`` reads it (亿元, 元, 人, %); a unit the locale does not name, as written.

    ``year`` fills the base year of an index unit (``2020年＝1``).
    """
    key = UNIT_NAME_KEYS.get(str(unit))
    return t(key, lang, year=year) if key else str(unit)


def indicator_name(names: Mapping[str, str], lang: str = "en", default: str = "") -> str:
    """A registry indicator's name in ``lang`` (its base language, then English, then ``default``).

    ``names`` is a language tag -> name mapping from ``data/indicators.csv``
    (``label_<lang>`` or ``short_<lang>`` columns).
    """
    for tag in (lang, lang.split("-")[0], DEFAULT_LANGUAGE):
        if names.get(tag):
            return str(names[tag])
    return default


def scenario_text(value: Any, lang: str = "en") -> tuple[str, bool]:
    """A scenario's text field (a :class:`~xiqu_analysis.inputs.scenario.LocalText` or a plain str) in ``lang``.

    Returns ``(text, given)``: the text in ``lang`` (or a language it declares it falls back to)
    when the file gives it (``given`` True), else the text as written (``given`` False: the report
    says so once).
    """
    if value is None:
        return "", True
    own = get_locale(lang).own  # the language and the ones it declares it falls back to (en-XA: en)
    get = getattr(value, "get", None)
    if callable(get) and hasattr(value, "languages"):
        for code in own:
            text = get(code)
            if text is not None:
                return text, True
        return str(value), False
    from ...inputs.scenario import text_language

    text = str(value)
    return text, text_language(text) in own


def missing_text_fields(scenario, lang: str) -> list[str]:
    """Names of the scenario's text fields not given in ``lang``: ``title``, ``description``,
    ``reasoning`` and ``assumptions`` (any reason), in that order."""
    out = [name for name in ("title", "description", "reasoning")
           if getattr(scenario, name, None) is not None and not scenario_text(getattr(scenario, name), lang)[1]]
    if any(not scenario_text(v, lang)[1] for v in (getattr(scenario, "assumptions", None) or {}).values()):
        out.append("assumptions")
    return out


def column_header(name: Any, lang: str = "en") -> Any:
    """Header of a table column as the reader sees it (``column.<name>`` in ``lang``).

    Only the report language's own file is used (a Chinese report never shows an
    English header in place of a data name); names without a key are returned unchanged.
    CSV files keep the data names.
    """
    key = f"column.{name}"
    return t(key, lang) if isinstance(name, str) and has_key(key, lang) else name


def mid_sentence(text: str, lang: str = "en") -> str:
    """A label as it reads inside an English sentence ("Real GDP" -> "real GDP"; "GDP" kept)."""
    return get_locale(lang).mid_sentence(text)


# --------------------------------------------------------------------------- escaping
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
#: what Markdown renderers would still turn into maths or live links after escaping, and the
#: character reference that shows the same character literally: ``$`` starts maths (nbconvert,
#: JupyterLab), ``://`` and ``www.`` start an automatic link, ``@`` an e-mail link (GFM)
_LITERAL = re.compile(r"\$|:(?=//)|(?<=[wW]{3})\.|@")
_LITERAL_REF = {"$": "&#36;", ":": "&#58;", ".": "&#46;", "@": "&#64;"}


def esc(text: Any) -> str:
    """Escape text from a scenario file (or any user input) for Markdown/HTML output.

    HTML special characters become entities (``<`` -> ``&lt;``) and Markdown
    control characters are backslash-escaped, so a scenario's title or
    description cannot inject markup or script into a report. The text is
    shown literally: two ``$`` signs do not make maths, and a URL (also in
    ``<...>``) or an e-mail address is shown as text, never as a live link
    (the reports are read offline; a reader must see where a link would go).
    """
    md = _MD_SPECIAL.sub(r"\\\1", str(text))
    return _LITERAL.sub(lambda m: _LITERAL_REF[m.group()], html.escape(md, quote=False))


# --------------------------------------------------------------------------- numbers
def _na(lang: str) -> str:
    return get_locale(lang).na


def fmt_number(value: float, decimals: int = 0, lang: str = "en") -> str:
    """``value`` with ``decimals`` decimals (``unit.na``, "n/a", if not finite) in the language's marks:
    thousands separators in English (65,801), none in Chinese, as the statistical bulletins write it (65801)."""
    return get_locale(lang).number(value, decimals)


def fmt_yi(value_yi: float, lang: str = "en", decimals: int = 2) -> str:
    """An amount in 亿元 (1 亿 = 1e8 yuan): ``fmt_yi(82.91)`` -> ``"82.91 亿元"``."""
    return t("unit.yi", lang, value=fmt_number(value_yi, decimals, lang))


def fmt_yuan(value_yuan: float, lang: str = "en") -> str:
    """An amount in yuan, whole yuan with thousands separators: ``"65,801 yuan"``."""
    return t("unit.yuan", lang, value=fmt_number(value_yuan, 0, lang))


def persons_scale(lang: str = "en") -> tuple[float, int]:
    """How readers of ``lang`` read a population level: (persons per unit, decimals) of the language's
    ``number.persons`` setting: 10000 and 2 in Chinese (万人, 12.94万人), 1000 and 1 in English."""
    loc = get_locale(lang)
    return float(loc.setting("number.persons.scale", 1)), int(loc.setting("number.persons.decimals", 0))


def persons_shown(value: float, lang: str = "en") -> float:
    """A number of persons in the unit readers of ``lang`` read (``unit_name.persons_scaled``): 129406 -> 12.9406 (万人)."""
    return float(value) / persons_scale(lang)[0]


def fmt_persons(value: float, lang: str = "en") -> str:
    """A population level as the language's bulletins write it: ``"12.94万人"``, ``"129.4 thousand persons"``."""
    scale, decimals = persons_scale(lang)
    return t("unit.persons_scaled", lang, value=fmt_number(float(value) / scale, decimals, lang))


def fmt_pct(value_pct: float, lang: str = "en", decimals: int = 1) -> str:
    """A percentage given in per cent (4.9 -> ``"4.9%"``)."""
    return get_locale(lang).pct(value_pct, decimals)


def fmt_pp(value_pp: float, lang: str = "en", decimals: int = 1, signed: bool = True) -> str:
    """A difference of percentages in percentage points, signed (``"+0.3 pp"``, ``"-1.2 pp"``;
    ``signed=False``: a plus sign left out). A value that rounds to zero is written 0.0, never -0.0."""
    return get_locale(lang).pp(value_pp, decimals, signed)


def fmt_prob(probability: float, lang: str = "en") -> str:
    """A probability in 0..1 as a percentage with one decimal (0.4231 -> ``"42.3%"``).

    Only certainty is written as 100.0% or 0.0% (every path, or none, meets the target -- with
    shocks of zero size, say); anything short of it never rounds to it: 0.9995 is ``">99.9%"``
    and 0.0004 ``"<0.1%"`` (rounding would claim a certainty the simulation did not find).
    """
    if not is_finite(probability):
        return _na(lang)
    p = float(probability)
    if 0.0 < p < 1.0 and round(100.0 * p, 1) >= 100.0:
        return t("unit.pct_above", lang, value="99.9")
    if 0.0 < p < 1.0 and round(100.0 * p, 1) <= 0.0:
        return t("unit.pct_below", lang, value="0.1")
    return fmt_pct(100.0 * p, lang)


def fmt_pp_abs(value_pp: float, lang: str = "en", decimals: int = 1) -> str:
    """Percentage points without a sign (拉动…4.3个百分点; a negative value keeps its minus)."""
    return fmt_pp(value_pp, lang, decimals, signed=False)


def fmt_year(value: Any) -> str:
    """A year as a plain integer (``2029``, never ``2,029`` or ``2029.0``); ``""`` when missing."""
    return get_locale(DEFAULT_LANGUAGE).year(value)


def fmt_period(start: int, end: int, lang: str = "en") -> str:
    """Growth years ``start..end`` as the reader writes them: ``2021-2025`` / ``2021—2025年``."""
    return get_locale(lang).period(start, end)


def fmt_ratio(value: float, lang: str = "en") -> str:
    """A multiple with two decimals (2.1543 -> ``"2.15 times"``)."""
    if not is_finite(value):
        return _na(lang)
    return t("unit.ratio", lang, value=get_locale(lang).plain(value, 2))


FORMATTERS = {
    "ratio": fmt_ratio,
    "yi": fmt_yi,
    "yuan": fmt_yuan,
    "persons": fmt_persons,
    "pct": fmt_pct,
    "pp": fmt_pp,
    "prob": fmt_prob,
    "ppu": fmt_pp_abs,
}
