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
    """Give the numbers of 分别 lists their own subject (or year).

    A list whose names cannot be told (as many names as numbers) gets no subject at all: its
    numbers are left out rather than all given to the last name.
    """
    for fm in re.finditer(r"分别", t[s0:s1]):
        pos = s0 + fm.start()
        seq = _number_list(t, pos, mentions)
        if len(seq) < 2:
            continue
        if not _assign(t, s0, pos, seq, lex, state):
            for m in seq:
                m.subject = (pos, pos, Name("", (), None))


def _number_list(t: str, pos: int, mentions: list[Mention]) -> list[Mention]:
    """The numbers after 分别 at ``pos``, separated by 、和及与 or by 增加到/提高到."""
    seq: list[Mention] = []
    for m in mentions:
        if m.start <= pos or m.ratio_part is not None or m.subject is not None:
            continue
        if seq:
            gap = t[seq[-1].end:m.start]
            if not re.fullmatch(r"\s*(?:、|和|及|与|或)\s*", gap) and not re.search(
                    r"(?:增加|增长|提高|上升|下降|降低|减少|调整|扩大|缩小)(?:到|至|为)\s*$", gap):
                break
        elif "，" in t[pos:m.start] or "；" in t[pos:m.start] or "。" in t[pos:m.start]:
            break
        seq.append(m)
    return seq


def _assign(t: str, s0: int, pos: int, seq: list[Mention], lex: Lexicon, state: ParaState) -> bool:
    """Give each number of ``seq`` its name (or year); False when the names cannot be told."""
    c0 = clause_start(t, s0, pos)
    starts: list[int] = []
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
            reuse = state.last_enum
    years = [int(y) for y in re.findall(r"(\d{4})\s*年", enum)]
    if len(years) >= 2:
        if len(seq) != len(years):
            return False
        for m, y in zip(seq, years):
            m.year = y
        return True
    if reuse is not None and not re.search(r"\d{4}年[、和]", enum):
        subjects = list(reuse[1])
    elif re.search(r"[、和及与]|城乡", enum):
        subjects = []
        for ph in expand(enum):
            hits = lex.find(ph)
            subjects.append(hits[-1][2] if hits else None)
        if len(subjects) >= 2 and all(subjects):
            state.last_enum = (c0, subjects)
    else:
        # 第一产业增加值A亿元，第二产业增加值B亿元，…，分别增长x、y和z: the names stated before, in order
        first: dict[str, int] = {}
        subjects = []
        for a, _, name in lex.find(t, s0, pos):
            if name.phrase not in first:
                first[name.phrase] = a
                subjects.append(name)
        starts = [first[nm.phrase] for nm in subjects]
    n = len(subjects)
    if n < 2 or len(seq) not in (n, 2 * n):
        return False
    for k, m in enumerate(seq):
        s = subjects[k % n]
        if len(seq) == 2 * n:
            m.role = "from" if k < n else "to"
        start = starts[k % n] if starts else c0
        m.subject = (start, pos, s if s is not None else Name("", (), None))
        m.extra_conf = -0.05
    return True


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
