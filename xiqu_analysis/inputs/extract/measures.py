"""What a figure measures: a level, growth, a share, a change or gap in points, a contribution, a pull.

:func:`measure_of` reads a mention's unit and the words before it in its
clause (see :mod:`.grammar`); the helpers name shares, reductions and the
parts of an a:b:c structure through the lexicon.
"""
from __future__ import annotations

import re

from .lexicon import Lexicon, Name
from .mentions import Mention

__all__ = ["GROWTH_WORDS", "SHARE_WORDS", "CITY_COMPARISON", "measure_of", "share_name", "is_reduction", "ratio_key",
           "basis_of"]

#: words of growth or change
GROWTH_WORDS = re.compile(r"增长|下降|增速|增幅|降幅|涨幅|同比|比上年|比上月|上涨|下跌|减少|回落|回升|下滑|增|降")
#: words of a share (占…比重)
SHARE_WORDS = re.compile(r"占|比重|比例|占比")
#: a comparison with a city, the province or the country (比全市)
CITY_COMPARISON = re.compile(r"(?:比|较|高于|低于|快于|慢于)(全市|全省|全国|[\u4e00-\u9fff]{2}市)")


def measure_of(t: str, s0: int, c0: int, mn: Mention, subj, lex: Lexicon, last_measure: dict,
             info: dict) -> str | None:
    unit = mn.unit
    lead = t[c0:mn.start]
    name: Name = subj[2]
    after_subject = t[subj[1]:mn.start] if subj[1] <= mn.start and subj[0] >= c0 else lead
    if mn.ratio_part is not None:
        return "ratio"
    if unit in ("个百分点", "百分点"):
        if "拉动" in lead:
            return "pull"
        if re.search(r"目标", lead) and re.search(r"低于|高于|高出|超出|差|落后", lead):
            return "gap_vs_target"
        cmp = CITY_COMPARISON.search(lead)
        if cmp:
            return {"全省": "gap_vs_province", "全国": "gap_vs_country"}.get(cmp.group(1), "gap_vs_city")
        if info.get("cmp_period") in ("上半年",) or re.search(r"比上半年|较上半年", lead):
            return "change_vs_h1"
        if info.get("cmp_period") in ("一季度", "第一季度") or re.search(r"比一季度|较一季度", lead):
            return "change_vs_q1"
        if re.search(r"(?:比(?!重|例)|较|快于|慢于|高于|低于)[\u4e00-\u9fff]{2,8}(?:高|低|快|慢|多|少)?\s*$", lead) and \
                not re.search(r"比上年|比\d{4}年|比上年末|比年初|较上年", lead):
            return "gap_other"
        return "change"
    if unit in ("%", "‰", "成"):
        if "贡献率" in t[subj[0]:mn.start] if subj[0] >= s0 else "贡献率" in after_subject:
            return "contribution"
        if re.search(r"完成[^，；]{0,6}进度|目标进度", lead):
            return "target_progress"
        if SHARE_WORDS.search(after_subject) and not re.search(r"比重[^，；]{0,6}(?:提高|下降|增长)", lead):
            return "share"
        if lex.is_rate(name) and not re.search(r"增长|增速|下降", after_subject):
            return "level"
        if re.search(r"实际增长|实际下降|扣除价格因素", lead) and not lex.is_rate(name):
            return "real_growth"
        if GROWTH_WORDS.search(after_subject) or GROWTH_WORDS.search(lead) or unit == "成":
            return "growth"
        if any(lex.registry[k].level_of for k in name.keys):
            return "growth"
        if lex.is_rate(name):
            return "level"
        return None
    if unit in ("倍",):
        return "multiple"
    if unit == "":
        if name.kind != "ratio":
            return None
        if re.search(r"比上年|比\d{4}年|缩小|扩大|提高|下降|降低|增加|减少", t[mn.start - 8 if mn.start >= 8 else 0:mn.start]) \
                and not re.search(r"(?:为|是|到|至)\s*$", lead):
            return "change"
        return "level"
    # levels: money, people, quantities
    if re.search(r"比[^，；]{0,8}(?:增加|减少|净增|多|少|下降|增长)\s*$", lead) or re.search(r"净增\s*$", lead):
        if re.search(r"比年初", lead):
            return "change_ytd"
        if re.search(r"比[^，；]{0,6}(?:县|区|市)[^，；]{0,2}(?:多|少)", lead):
            return "gap_other"
        return "change"
    if re.search(r"(?:五年|\d年)?累计(?:完成|实现)?", lead) and not re.search(r"累计(?:提高|下降|降低)", lead):
        return "cumulative"
    return "level"


def share_name(lead: str, name: Name, lex: Lexicon) -> str:
    """other:<stem>_share, or other:<stem>_share_of_<whole> when the whole (占X的比重) has a share name."""
    stem = re.sub(r"_(?:va|revenue)$", "", name.other or name.keys[0])
    m = re.search(r"占([^，；]{1,16}?)的?(?:比重|比例|\d)", lead)
    if m:
        whole = lex.share_names.get(m.group(1))
        if whole:
            return f"other:{stem}_{whole}"
    return f"other:{stem}_share"


def is_reduction(name: Name) -> bool:
    return "降低" in name.phrase or "reduction" in (name.other or "") or any("reduction" in k for k in name.keys)


def ratio_key(lex: Lexicon, name: Name, n: int):
    for phrase in (f"第{'一二三'[n - 1]}产业比重", f"第{'一二三'[n - 1]}产业占比"):
        nm = lex.names.get(phrase)
        if nm is not None and nm.keys:
            return nm.keys[0], basis_of(lex, nm.keys[0])
    return None


def basis_of(lex: Lexicon, key: str) -> str:
    b = lex.registry[key].price_basis
    return b if b in ("current", "comparable", "constant") else "unknown"


