"""Numbers in a sentence: each with its unit, ranges (6%—7%), structures (a:b:c), and what is not a figure.

Years, dates, times, ranks (第2位), list numbers and table numbers are not
mentions; the numbers of a list (0.3、2.5和2.8个百分点) take the unit of its
last number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import MONEY_UNITS, Name

__all__ = ["MONEY_UNITS", "UNITS", "UNIT_RE", "Mention", "sentences", "clause_start", "in_closed_brackets",
           "find_mentions", "share_unit"]



#: units after a number, longest first
UNITS = ("个百分点", "百分点", "万平方米", "平方米", "万千瓦时", "千瓦时", "万人次", "人次", "亿美元", "万美元",
         "美元", "亿元", "万元", "元", "万公顷", "公顷", "万人", "人", "万亩", "亩", "万吨", "吨", "万头", "头",
         "万户", "户", "万辆", "辆", "万套", "套", "平方千米", "平方公里", "公里", "千米", "℃", "家", "个", "件", "岁", "倍", "成", "%", "‰",
         "年", "项", "所", "张", "床", "名", "天", "小时")


UNIT_RE = "|".join(re.escape(u) for u in UNITS) + "|亿(?![\u4e00-\u9fff])"


_NUM = r"-?\d+(?:\.\d+)?"


_NUMBER = re.compile(rf"(?<![\d.A-Za-z])({_NUM})(?![\d])\s*({UNIT_RE})?")


_RATIO = re.compile(rf"(?<![\d.]){_NUM}(?:[:：]{_NUM}){{2,}}")


_RANGE = re.compile(rf"(?<![\d.])({_NUM})(%|‰)?\s*[—–~～\-至到]{{1,2}}\s*({_NUM})(%|‰|{UNIT_RE})")


_SKIP_AFTER = re.compile(r"\s*(?:年(?!均)|月|日|时|号|位|季度|批|届|次会议|期|章|节|条|款|号线|路|栋|楼|层|级)")


_SKIP_BEFORE = re.compile(r"(?:第|表|专栏|附表|图|No\.|NO\.)\s*$")


@dataclass
class Mention:
    start: int  # of the number in the normalised paragraph
    end: int  # end of number + unit
    value: str
    unit: str
    subject: tuple[int, int, Name] | None = None
    year: int | None = None
    period: str | None = None
    measure: str | None = None
    role: str = ""  # "from" / "to" in 由A…到B
    ratio_part: int | None = None
    sentence: tuple[int, int] = (0, 0)
    extra_conf: float = 0.0
    quote_start: int | None = None


def sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    depth = 0
    for i, ch in enumerate(text):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif ch in "。！？" and depth == 0:
            out.append((start, i + 1))
            start = i + 1
    if start < len(text):
        out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def clause_start(text: str, s0: int, pos: int) -> int:
    """Start of the clause holding ``pos`` (after the last ，；： outside brackets)."""
    depth = 0
    for i in range(pos - 1, s0 - 1, -1):
        ch = text[i]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if depth == 0:
                continue
            depth -= 1
        elif ch in "，；：:" and depth == 0:
            return i + 1
    return s0


def in_closed_brackets(text: str, a: int, pos: int) -> bool:
    """True when text position ``a`` is inside a bracket pair that closes before ``pos``."""
    depth = 0
    for i in range(a, pos):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            if depth == 0:
                return True
            depth -= 1
    # a is inside brackets that close before pos?
    opened = text.rfind("（", 0, a + 1), text.rfind("(", 0, a + 1)
    o = max(opened)
    if o == -1:
        return False
    c = min([x for x in (text.find("）", o), text.find(")", o)) if x != -1], default=-1)
    return c != -1 and a < c < pos


def _unit_of(m: re.Match) -> str:
    return m.group(2) or ""


def _is_year_like(t: str, m: re.Match) -> bool:
    if _SKIP_BEFORE.search(t[max(0, m.start() - 4):m.start()]):
        return True
    unit = m.group(2) or ""
    after = t[m.end(1):m.end(1) + 6]
    if unit in ("", "年") and _SKIP_AFTER.match(after):
        return True
    if unit == "" and re.match(r"\s*[-—–]\s*\d{1,2}\s*[-—–]", after):  # a date 2025-03-28
        return True
    if unit == "" and re.search(r"\d\s*[-—–]\s*$", t[max(0, m.start() - 6):m.start()]) and \
            re.match(r"\s*(?:\s|$|[：:])", after):
        return True
    if unit == "" and re.search(r"\d[-—–]$", t[max(0, m.start() - 3):m.start()]):
        return True
    if unit == "" and re.match(r"\s*[:：]\s*\d{2}(?!\d)", after) and len(m.group(1)) <= 2:  # a time 08:15
        return True
    if unit == "" and re.search(r"\d{1,2}[:：]$", t[max(0, m.start() - 3):m.start()]) and len(m.group(1)) == 2:
        return True
    if m.start() == 0 and re.match(r"\s*[.、．]", after):  # a list number
        return True
    if re.match(r"\s*[.．、](?!\d)", after) and (m.start() == 0 or t[m.start() - 1] in "。；：\n "):
        return True
    return False


def find_mentions(t: str, s0: int, s1: int) -> list[Mention]:
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for rm in _RATIO.finditer(t, s0, s1):
        parts = [p for p in re.split(r"[:：]", rm.group())]
        pos = rm.start()
        for k, p in enumerate(parts):
            out.append(Mention(pos, pos + len(p), p, "", ratio_part=k + 1))
            pos += len(p) + 1
        taken.append((rm.start(), rm.end()))
    for rg in _RANGE.finditer(t, s0, s1):
        if any(a <= rg.start() < b for a, b in taken):
            continue
        unit = rg.group(4)
        if unit not in ("%", "‰") and rg.group(2) is None and unit in ("年",):
            continue
        if re.match(r"\d{4}$", rg.group(1)) and re.match(r"\d{4}$", rg.group(3)):
            continue
        out.append(Mention(rg.start(1), rg.end(1) + (len(rg.group(2)) if rg.group(2) else 0), rg.group(1),
                            rg.group(2) or unit))
        out.append(Mention(rg.start(3), rg.end(4), rg.group(3), unit))
        taken.append((rg.start(), rg.end()))
    for m in _NUMBER.finditer(t, s0, s1):
        if any(a <= m.start() < b for a, b in taken):
            continue
        if _is_year_like(t, m):
            continue
        unit = _unit_of(m)
        if unit == "年":
            continue
        end = m.end(2) if m.group(2) else m.end(1)
        out.append(Mention(m.start(1), end, m.group(1), unit))
    out.sort(key=lambda x: x.start)
    return out


def share_unit(mentions: list[Mention], t: str) -> None:
    """Numbers of a list (5.3、44.7和50.0个百分点) take the unit of the list's last number."""
    for i in range(len(mentions) - 2, -1, -1):
        a, b = mentions[i], mentions[i + 1]
        if a.unit == "" and a.ratio_part is None and b.unit and re.fullmatch(r"\s*(?:、|和|及|与|或)\s*",
                                                                            t[a.end:b.start]):
            a.unit = b.unit
