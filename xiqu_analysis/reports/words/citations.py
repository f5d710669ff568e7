"""Citations as a reader sees them: the plan's chapters and 专栏, outside sources by name.

``figures.csv`` names each figure's source in one English ``source`` column
(``plan ch.1 §3.2``, ``plan 专栏1``, ``2021 city government work report (via
external-figures.md)``, ...; ``data/README.md``). The Chinese form is derived
from it by rule, so the data keep one column:

* the plan: ``ch.1 §3.2`` -> 第一章第三节第二条, ``ch.1 §4`` -> 第一章第四节,
  ``专栏3`` -> 专栏3; several places joined with 、, prefixed 规划;
* an outside source: the first of :data:`SOURCE_RULES` whose pattern matches
  the source (after its ``(via ...)`` note is set aside) names the locale key
  ``source.<key>`` holding its name in each language, filled with the groups
  of the pattern (a year, a census round, an administrative code, a place),
  the figure's region as ``{region}`` and a place named in the source
  (``Panzhihua Daily``) by the region of that name. A source no rule knows is
  shown as written inside ``source.unknown`` (a test keeps every shipped
  source known).
"""
from __future__ import annotations

import re
from typing import Any

from .locales import get_locale
from .text import t

__all__ = ["SOURCE_RULES", "chinese_number", "plan_citation", "source_name", "known_source", "trust_name",
           "figure_citation", "cite", "place_names"]

#: (locale key under ``source.``, pattern of the English source) for outside sources, first match wins
SOURCE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((key, re.compile(pattern)) for key, pattern in (
    ("census", r"^census county tables\b.*census_county_(?P<year>\d{4})_v\d+\.xlsx, row (?P<code>\d{6})$"),
    ("government_work_report", r"^(?P<year>\d{4}) city government work report$"),
    ("government_news", r"^city government news$"),
    ("statistics_bureau", r"^city statistics bureau release$"),
    ("city_profile", r"^city profile (?P<year>\d{4}) \(copy\)$"),
    ("daily", r"^(?P<place>[A-Z][A-Za-z]+) Daily article \(copy\)$"),
    ("provincial_yearbook", r"^provincial yearbook (?P<year>\d{4}), via encyclopedia copy$"),
    ("encyclopedia", r"^encyclopedia copy$"),
    ("news_agency", r"^provincial news agency copy$"),
    ("official_rewrite", r"^official data, English rewrite$"),
    ("third_party", r"^third-party copy$"),
    ("compilation", r"^external-figures\.md, .*\(original source not named\)$"),
))
#: census year -> round of the national population census (第N次全国人口普查)
CENSUS_ROUNDS = {1953: 1, 1964: 2, 1982: 3, 1990: 4, 2000: 5, 2010: 6, 2020: 7}

_VIA = re.compile(r"\s*\(via [^()]*\)$")
_PLAN_PLACE = re.compile(r"^(?:plan\s+)?(?:ch\.(?P<ch>\d+)(?:\s*§(?P<sec>\d+)(?:\.(?P<item>\d+))?(?:\s+(?P<pre>preamble))?)?"
                         r"|专栏\s*(?P<box>\d+))$")
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 35 -> 三十五 (0 < n < 100; larger numbers as digits)."""
    n = int(n)
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _DIGITS[tens]) + "十" if tens else "") + (_DIGITS[ones] if ones else "")


def plan_citation(source: str, lang: str = "en") -> str | None:
    """``"plan ch.1 §2.1; ch.1 §3.2"`` -> ``"规划第一章第二节第一条、第一章第三节第二条"`` in Chinese,
    the text itself in English; None when ``source`` is not a place in the plan."""
    text = str(source).strip()
    if not text.startswith("plan"):
        return None
    places = []
    for part in text.split(";"):
        m = _PLAN_PLACE.match(part.strip())
        if m is None:
            return None
        if m["box"]:
            places.append(t("citation.box", lang, n=int(m["box"])))
            continue
        words = t("citation.chapter", lang, n=chinese_number(int(m["ch"])))
        if m["sec"]:
            words += t("citation.section", lang, n=chinese_number(int(m["sec"])))
        if m["item"]:
            words += t("citation.item", lang, n=chinese_number(int(m["item"])))
        if m["pre"]:
            words += t("citation.preamble", lang)
        places.append(words)
    if not get_locale(lang).plan_places_in_words:
        return text
    return t("citation.plan", lang, places=t("citation.separator", lang).join(places))


def _ordinal(n: int, lang: str) -> str:
    return get_locale(lang).ordinal(n)


def _match(source: str) -> tuple[str, dict[str, Any]] | None:
    bare = _VIA.sub("", str(source).strip())
    for key, pattern in SOURCE_RULES:
        m = pattern.match(bare)
        if m:
            return key, dict(m.groupdict())
    return None


def known_source(source: str) -> bool:
    """True when ``source`` is a place in the plan or matches one of :data:`SOURCE_RULES`."""
    return str(source).strip().startswith("plan") and all(
        _PLAN_PLACE.match(part.strip()) for part in str(source).strip().split(";")) or _match(source) is not None


def source_name(source: str, lang: str = "en", region_name: str = "",
                places: dict[str, str] | None = None) -> str:
    """A figure's ``source`` as the reader of ``lang`` sees it (see the module docstring).

    ``region_name``: the name of the figure's region in ``lang`` (``{region}`` of
    names such as 攀枝花市2021年政府工作报告). ``places``: English place word ->
    its name in ``lang`` (``{"Panzhihua": "攀枝花"}``), for sources that name a place.
    """
    plan = plan_citation(source, lang)
    if plan is not None:
        return plan
    found = _match(source)
    if found is None:
        return t("source.unknown", lang, source=_VIA.sub("", str(source).strip()))
    key, values = found
    if "year" in values and key == "census":
        n = CENSUS_ROUNDS.get(int(values["year"]))
        values["round"] = _ordinal(n, lang) if n else values["year"]
    if "place" in values:
        values["place"] = (places or {}).get(values["place"], values["place"])
    return t(f"source.{key}", lang, region=region_name, **values)


def place_names(infos, lang: str) -> dict[str, str]:
    """English first word of each region's name -> its short name in ``lang`` (``Panzhihua`` -> ``攀枝花``)."""
    out = {}
    for info in infos:
        word = info.name_en.split()[0]
        name = info.name(lang)
        out[word] = get_locale(lang).place_name(name)
    return out


def trust_name(trust: str, lang: str = "en") -> str:
    """The trust level of a source (``primary``, ``medium-high``, ...) in words."""
    key = f"trust.{str(trust).replace('-', '_')}"
    return t(key, lang) if trust else ""


def figure_citation(fig, lang: str = "en", region_name: str = "", *, quote: bool = True,
                    places: dict[str, str] | None = None) -> str:
    """Source of a figure record with, when ``quote``, the words it was read from:
    ``规划第一章第三节第二条：“人均GDP为65801元”`` / ``plan ch.1 §3.2: “人均GDP为65801元”``."""
    text = source_name(fig.source, lang, region_name, places)
    words = str(getattr(fig, "quote", "") or "").strip()
    if quote and words and words != "-":
        return t("citation.with_quote", lang, source=text, quote=words)
    return text


def cite(region, figure_id, lang: str = "en", *, quote: bool = True) -> str:
    """:func:`figure_citation` of the figure ``figure_id`` (an id or a Figure record) of ``region``
    (a RegionData) or of its benchmark."""
    fig = figure_id if hasattr(figure_id, "source") else region.figure(figure_id)
    infos = [region.info] + ([region.benchmark.info] if region.benchmark is not None else [])
    info = next((i for i in infos if i.key == fig.region), region.info)
    return figure_citation(fig, lang, info.name(lang), quote=quote, places=place_names(infos, lang))
