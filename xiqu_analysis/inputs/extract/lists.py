"""分别 lists: each name of an enumeration gets its own number.

``第一、二、三产业…分别为5.3%、44.7%和50.0%``, ``城乡居民人均可支配收入分别达到A元和B元``,
``城镇、农村居民…分别由A、B增加到C、D`` (from and to values), ``2021年、2022年分别增长…``
(one year per number); a later 分别 without names reuses the paragraph's last enumeration.
"""
from __future__ import annotations

import re

from .figure import ParaState
from .lexicon import Lexicon, Name
from .mentions import Mention, clause_start

__all__ = ["respectively", "expand"]

def respectively(t: str, s0: int, s1: int, mentions: list[Mention], lex: Lexicon, state: ParaState) -> None:
    """Give the numbers of 分别 lists their own subject (or year)."""
    for fm in re.finditer(r"分别", t[s0:s1]):
        pos = s0 + fm.start()
        c0 = clause_start(t, s0, pos)
        # the enumeration: from the clause start (or the earlier 分别 clause's) to 分别
        enum = t[c0:pos]
        reuse = None
        if re.search(r"\d", enum) and not re.search(r"\d{4}年[、和]", enum):
            enum = ""
        if not re.search(r"[、和及与]|城乡", enum):
            # a second 分别 (…、分别增长4.7%和6.5%) reuses the earlier enumeration
            prev = [m for m in re.finditer(r"分别", t[s0:pos])]
            if prev:
                c0 = clause_start(t, s0, s0 + prev[0].start())
                enum = t[c0:s0 + prev[0].start()]
            if not re.search(r"[、和及与]|城乡", enum):
                if state.last_enum is None or re.search(r"\d{4}年[、和]", enum):
                    continue
                reuse = state.last_enum
        after_list = [m for m in mentions if m.start > pos and m.ratio_part is None and m.subject is None]
        # the list: consecutive numbers after 分别 separated by 、和及与 or by 增加到/提高到
        seq: list[Mention] = []
        for m in after_list:
            if seq:
                gap = t[seq[-1].end:m.start]
                if not re.fullmatch(r"\s*(?:、|和|及|与|或)\s*", gap) and not re.search(
                        r"(?:增加|增长|提高|上升|下降|降低|减少|调整|扩大|缩小)(?:到|至|为)\s*$", gap):
                    break
            elif "，" in t[pos:m.start] or "；" in t[pos:m.start]:
                break
            seq.append(m)
        if len(seq) < 2:
            continue
        years = [int(y) for y in re.findall(r"(\d{4})\s*年", enum)]
        if len(years) >= 2:
            n = len(years)
            if len(seq) == n:
                for m, y in zip(seq, years):
                    m.year = y
            continue
        if reuse is not None:
            base, subjects = reuse
            base = c0
        else:
            phrases = expand(enum)
            subjects = []
            base = c0
            for ph in phrases:
                hits = lex.find(ph)
                subjects.append(hits[-1][2] if hits else None)
            if len(subjects) >= 2 and all(subjects):
                state.last_enum = (c0, subjects)
        n = len(subjects)
        if n < 2:
            continue
        if len(seq) == n:
            for m, s in zip(seq, subjects):
                if s is not None:
                    m.subject = (base, pos, s)
                    m.extra_conf = -0.05
                else:
                    m.subject = (base, pos, Name("", (), None))
        elif len(seq) == 2 * n:
            for k, (m, s) in enumerate(zip(seq, subjects + subjects)):
                m.role = "from" if k < n else "to"
                m.subject = (base, pos, s) if s is not None else (base, pos, Name("", (), None))
                m.extra_conf = -0.05


def expand(enum: str) -> list[str]:
    """The items of an enumeration, each a full name: 第一、二、三产业X -> 第一产业X, ...; 城乡居民X ->
    城镇居民X, 农村居民X; 城镇、农村居民X -> 城镇居民X, 农村居民X."""
    enum = re.sub(r"^.*(?:为|是|达到|：|:)(?=[^为是：:]*[、和及与])", "", enum.strip())
    enum = re.sub(r"^(?:其中|全年|全区|全县|年末)", "", enum)
    m = re.search(r"第?一[、，]\s*第?二[、，和]\s*第?三产业(.*)$", enum)
    if m:
        return [f"第{n}产业{m.group(1)}" for n in "一二三"]
    m = re.search(r"城乡居民(.*)$", enum)
    if m and "城镇" not in enum:
        return [f"城镇居民{m.group(1)}", f"农村居民{m.group(1)}"]
    items = [x for x in re.split(r"、|和|及|与", enum) if x]
    if len(items) < 2:
        return items
    last = items[-1]
    out = []
    for it in items[:-1]:
        if len(it) < len(last) and not any(it in other for other in items[1:]) and len(it) <= 4:
            out.append(it + last[len(it):] if len(last) > len(it) else it)
        else:
            out.append(it)
    out.append(last)
    return out
