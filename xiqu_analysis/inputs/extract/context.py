"""What a document says about itself: its date, the year and period of its data, its place, its plan.

Read from the first lines (title, date line) and refined by headings as the
text goes on (``一、2024年工作回顾``). Places are named by pinyin keys
(pypinyin): ``岑河县`` -> ``cenhe``; sub-scopes of the document's region take
its key with a suffix (``<region>_jingkaiqu``, ``<region>_benji``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["DocContext", "read_context", "place_key", "PLACE", "SCOPE_WORDS"]

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*月(?:\s*(\d{1,2})\s*日)?|"
                   r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR_TITLE = re.compile(r"(\d{4})年(?!\d{1,2}月)")
_DOC_WORDS = re.compile(r"公报|经济运行|运行情况|简析|报告|纲要|规划|新闻|统计|发展")
#: a place name: two or three characters before 省, 市, 县 or 区 (filtered by _NOT_PLACE)
PLACE = re.compile(r"([\u4e00-\u9fff]{2,3}?)(省|市|县|区)(?![\u4e00-\u9fff]{0,1}(?:级|委|政府|人大|统计局|长))")
_NOT_PLACE = re.compile(r"^(?:全|我|本|该|各|城|市|辖|园|社|景|新|开发|示范|功能|主城|经开|高新|城乡|农村|"
                        r"城镇|地|山|郊|老|旧|片|库|校|学|厂|矿|灾|疫|风|保护|试验|产业|工业|物流|商|"
                        r"一|二|三|两|多|少|中心|核心|重点|生态|全域|县城|集中|乡镇|街道|上|超|城市|都|"
                        r"省|县|区)")
_NOT_IN_PLACE = re.compile(r"[年月日全我本该各在的和与及了是为个从由到至比较占对于以其中等、，]")
#: a place name in a title or date line: after a non-Chinese character, the start, or 年/市/省/在/的/日
_PLACE_TITLE = re.compile(r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[年市省在的日]))((?![年市省在的日])[\u4e00-\u9fff]{1,3}?)(省|市|县|区)"
                          r"(?!委|政府|人大|统计局)")
#: a two-character place name, found at every position (overlapping)
_PLACE2 = re.compile(r"(?=([\u4e00-\u9fff]{2})(县|区|市))")
#: scope words and what they mean: main region, a sub-scope (suffix) or the city/province
SCOPE_WORDS = {
    "全区": "main", "全县": "main", "我区": "main", "我县": "main", "本区": "main", "本县": "main",
    "全市": "city", "全省": "province", "全国": "country",
    "经开区": "jingkaiqu", "经济技术开发区": "jingkaiqu", "开发区": "kaifaqu", "高新区": "gaoxinqu",
    "高新技术产业开发区": "gaoxinqu", "区本级": "benji", "县本级": "benji", "市本级": "benji",
}


def place_key(name: str) -> str:
    """A pinyin key for a Chinese place name without its 县/区/市 (岑河县 -> cenhe)."""
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # pragma: no cover
        return name
    stem = re.sub(r"(?:省|市|县|区|镇)$", "", name) or name
    key = "".join(lazy_pinyin(stem))
    key = re.sub(r"[^a-z0-9]", "", key.lower())
    return key or "place"


@dataclass
class DocContext:
    """The document's own facts, for the rows' region, year, period and kind."""

    region: str
    region_names: set[str] = field(default_factory=set)
    city: str | None = None
    city_names: set[str] = field(default_factory=set)
    date_year: int | None = None
    date_month: int | None = None
    data_year: int | None = None
    period: str | None = None  # "Q1", "H1", "Q1-3" for a partial-year release
    plan: tuple[int, int] | None = None  # (first, last) year of the plan a 规划纲要 is about
    kind: str = "report"  # "bulletin", "plan", "midterm", "work_report", "release", "news"
    places: dict[str, str] = field(default_factory=dict)  # other place name -> key

    def region_of(self, name: str) -> str | None:
        """The key of a place or scope word, or None when it is not a place."""
        if name in self.region_names:
            return self.region
        if name in self.city_names:
            return self.city or "city"
        scope = SCOPE_WORDS.get(name)
        if scope == "main":
            return self.region
        if scope == "city":
            if self.city is None and any(n.endswith("市") for n in self.region_names):
                return self.region
            return self.city or "city"
        if scope in ("province", "country"):
            return scope
        if scope:
            return f"{self.region}_{scope}"
        return self.places.get(name)


_PERIOD_WORDS = (("前三季度", "Q1-3"), ("上半年", "H1"), ("一季度", "Q1"))


def read_context(lines: list[str], all_text: str, region: str | None, year: int | None) -> DocContext:
    """The context of a document from its first lines (normalised text) and its whole text."""
    head = [ln for ln in lines[:8] if ln.strip()]
    date_year = date_month = None
    for ln in head:
        m = _DATE.search(ln)
        if m:
            from .normalise import chinese_number

            date_year = int(m.group(1) or m.group(4))
            month = m.group(2) or m.group(5)
            date_month = int(month if month.isdigit() else chinese_number(month) or 0)
            break
    title = head[0] if head else ""
    data_year = None
    for ln in head[:3]:
        if _DOC_WORDS.search(ln) or ln is title:
            m = _YEAR_TITLE.search(ln)
            if m and not _DATE.search(ln):
                data_year = int(m.group(1))
                break
    text_head = " ".join(head[:3])
    kind = "report"
    plan = None
    if re.search(r"中期评估", text_head):
        kind = "midterm"
    elif re.search(r"规划|纲要", text_head):
        kind = "plan"
    elif "政府工作报告" in text_head:
        kind = "work_report"
    elif "公报" in text_head:
        kind = "bulletin"
    elif "来源" in " ".join(head[:3]) and ("报讯" in all_text[:400] or "记者" in all_text[:400]):
        kind = "news"
    m = re.search(r"第([一二三四五六七八九十]+)个五年|[“\"]?十([一二三四五六七八九])五[”\"]?", text_head)
    if kind in ("plan", "midterm") and m:
        from .normalise import chinese_number

        n = int(chinese_number(m.group(1)) if m.group(1) else 10 + int(chinese_number(m.group(2))))
        first = 2021 + (n - 14) * 5
        plan = (first, first + 4)
    if kind == "plan" and plan is None:  # a plan whose title does not say which: the five-year plan it cites most
        from collections import Counter

        from .normalise import chinese_number

        cited = Counter(re.findall(r"十([一二三四五六])五", all_text))
        if cited:
            n = 10 + int(chinese_number(cited.most_common(1)[0][0]))
            first = 2021 + (n - 14) * 5
            plan = (first, first + 4)
    period = None
    if kind not in ("plan", "midterm", "work_report"):
        for word, p in _PERIOD_WORDS:
            if word in title:
                period = p
                break
        mm = re.search(r"1\s*[-—–~至]\s*(1[01]|[2-9])\s*月", title)
        if period is None and mm:
            from .timing import months_period

            period = months_period(int(mm.group(1)))
    if data_year is None and kind not in ("plan", "midterm", "work_report"):
        if period or kind == "news":
            data_year = date_year
    if year is not None:
        data_year = year
    # the document's place: the first place name in the title (or the date line)
    names: list[tuple[str, str]] = []
    for ln in head[:4]:
        for pm in _PLACE_TITLE.finditer(ln):
            stem, suffix = pm.group(1), pm.group(2)
            if (_NOT_PLACE.match(stem) and len(stem) > 1) or _NOT_IN_PLACE.search(stem) or stem in ("全", "我", "本"):
                continue
            names.append((stem + suffix, suffix))
    city = None
    city_names: set[str] = set()
    main_name = None
    for nm, suffix in names:
        if suffix in ("区", "县") and main_name is None:
            main_name = nm
        elif suffix == "市" and city is None:
            city = nm
    if main_name is None and names:
        main_name = names[0][0]
    if city is None:
        cm = re.search(r"经([\u4e00-\u9fff]{2})市统计局|([\u4e00-\u9fff]{2})市[\u4e00-\u9fff]{2}[区县]", all_text[:3000])
        if cm:
            city = (cm.group(1) or cm.group(2)) + "市"
    if city is not None and city == main_name:  # a city's own document: 全市 is the document's region
        city = None
    region_names: set[str] = set()
    if main_name:
        region_names = {main_name, main_name[:-1]} if len(main_name) >= 3 else {main_name}
        if city:
            region_names.add(city + main_name)
    if city:
        city_names = {city}
    key = region or (place_key(main_name) if main_name else "region")
    ctx = DocContext(region=key, region_names=region_names, city=place_key(city) if city else None,
                     city_names=city_names, date_year=date_year, date_month=date_month, data_year=data_year,
                     period=period, plan=plan, kind=kind)
    for pm in _PLACE2.finditer(all_text):
        stem, suffix = pm.group(1), pm.group(2)
        name = stem + suffix
        if _NOT_PLACE.match(stem) or _NOT_IN_PLACE.search(stem) or name in region_names or name in city_names \
                or name in SCOPE_WORDS or name in ctx.places:
            continue
        before, after = all_text[max(0, pm.start() - 3):pm.start()], all_text[pm.start() + 3:pm.start() + 8]
        named = re.search(r"(?:相邻|周边|邻近|毗邻)的?$", before) or \
            re.match(r"\d{4}年|实现|全年|上半年|前三季度|一季度", after)
        if named:
            ctx.places[name] = place_key(name)
    return ctx
