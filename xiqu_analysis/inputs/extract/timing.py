"""The time of a figure: the year or period words before it in its sentence, the heading's year, the document's.

2024年, 今年 and 去年 (from the document's date), 上年 in 由上年的…, 前三季度, 上半年,
一季度, 9月末, 十三五 and 十四五, 2021—2022年, 后三年; a year after 比 is a comparison.
"""
from __future__ import annotations

import re

from .context import DocContext
from .figure import ParaState
from .mentions import in_closed_brackets

__all__ = ["YEAR", "read_heading", "time_of", "from_to_years"]

YEAR = re.compile(r"(\d{4})\s*年(?!\s*\d{1,2}\s*月\s*\d)")


_YEAR_RANGE = re.compile(r"(\d{4})\s*年?\s*[—–\-~～至到]\s*(\d{4})\s*年")


_MONTH_END = re.compile(r"(\d{1,2})\s*月(?:末|底|份)")


_PERIOD = re.compile(r"前三季度|上半年|(?:第?一季度)|1\s*[-—–~至]\s*(1[01]|[2-9])\s*月(?:份)?|全年|今年|去年|上年|明年|"
                     r"十([一二三四五六])五|后([一二三四五])年|今后五年")


PERIOD_OF = {"前三季度": "Q1-3", "上半年": "H1", "一季度": "Q1", "第一季度": "Q1"}


def months_period(n: int) -> str:
    """The period of January to month ``n``: Q1, H1, Q1-3, or M1-n (1-10月 -> M1-10)."""
    return {3: "Q1", 6: "H1", 9: "Q1-3"}.get(n, f"M1-{n}")


def read_heading(t: str, ctx: DocContext, state: ParaState) -> None:
    """A heading's year (一、2024年工作回顾), whether its section sets targets, and the past plan it reviews."""
    m = re.match(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+(?:章|节|部分))\s*(.*)$", t)
    if m and len(t) < 40:
        body = m.group(1)
        ym = YEAR.search(body)
        state.section_year = int(ym.group(1)) if ym else None
        if state.section_year is None and ctx.date_year and re.search(r"过去一年|去年|上年", body):
            state.section_year = ctx.date_year - 1
        elif state.section_year is None and ctx.date_year and re.search(r"今年|本年", body):
            state.section_year = ctx.date_year
        state.section_target = bool(re.search(r"目标|任务|展望|安排|计划草案|打算", body)) and \
            not re.search(r"回顾|成就|进展|执行情况|完成情况", body)
        five = re.search(r"十([一二三四五六])五", body)
        if five and re.search(r"成就|回顾|进展|基础|成效|总结", body) and not state.section_target:
            from .normalise import chinese_number

            last = 2020 + (10 + int(chinese_number(five.group(1))) - 13) * 5
            state.from_to = (last - 5, last)  # the period a plan looks back on: from its base to its end
        elif five or "远景" in body or state.section_target:
            state.from_to = None


def time_of(t: str, s0: int, pos: int, ctx: DocContext, state: ParaState) -> tuple[int | None, str | None, dict]:
    """Year and period of a number at ``pos`` from the words before it in its sentence."""
    info: dict = {}
    year = state.section_year or ctx.data_year
    period = ctx.period if state.section_year is None else None
    if ctx.kind in ("plan", "midterm") and state.section_year is None:
        # a plan's undated statement of the present (its 发展基础) is of the year it was written
        present = ctx.kind == "plan" and not state.section_target and state.from_to is None and \
            not state.para_five_year and not re.search(r"目标|预期|力争|到\d{4}年|展望|引进|培育|打造|建成|确保|争取",
                                                       t[s0:pos])
        year = ctx.date_year if present else None
        if ctx.kind == "plan" and ctx.plan and not state.from_to and \
                re.search(r"引进|培育|打造|建成|力争|确保|争取|到\d{4}年", t[s0:pos]):
            year = ctx.plan[1]  # what the plan sets out to do: by its last year
    marks = []
    for m in _YEAR_RANGE.finditer(t, s0, pos):
        marks.append((m.start(), "range", (int(m.group(1)), int(m.group(2)))))
    for m in YEAR.finditer(t, s0, pos):
        if any(a <= m.start() < a + 12 and k == "range" for a, k, _ in marks):
            continue
        before = t[max(s0, m.start() - 2):m.start()]
        if re.search(r"(?:比|较|与|于)$", before):
            info.setdefault("cmp_years", []).append(int(m.group(1)))
            continue
        marks.append((m.start(), "year", int(m.group(1))))
    for m in _MONTH_END.finditer(t, s0, pos):
        marks.append((m.start(), "month", int(m.group(1))))
    for m in _PERIOD.finditer(t, s0, pos):
        before = t[max(s0, m.start() - 2):m.start()]
        w = m.group()
        if re.search(r"(?:比|较|与|于|快于|慢于)$", before) or (w in ("上年", "去年", "今年") and
                                                          t[m.end():m.end() + 2] == "同期"):
            if w in ("一季度", "第一季度", "上半年"):
                info["cmp_period"] = w
            continue
        if w == "上年" and not re.search(r"由$|从$", t[max(s0, m.start() - 1):m.start()]):
            continue
        marks.append((m.start(), "word", m))
    marks = [mk for mk in marks if not in_closed_brackets(t, mk[0], pos)]
    marks.sort(key=lambda x: x[0])
    timed = [mk for mk in marks if mk[1] in ("year", "month") or
             (mk[1] == "word" and mk[2].group() in ("今年", "去年", "明年", "上半年", "前三季度", "一季度", "第一季度"))]
    if not timed and state.para_time is not None and ctx.kind not in ("plan", "midterm"):
        year, period = state.para_time  # the time the paragraph's previous sentence named
        if period:
            marks = [mk for mk in marks if mk[1] not in ("word",) or mk[2].group() != "全年"]
    years_seen = []
    for _, kind, val in marks:
        if kind == "year":
            year, period = val, None
            years_seen.append(val)
        elif kind == "range":
            info["range"] = val
        elif kind == "month":
            if year:
                period = f"{year}-{val:02d}"
        else:
            w = val.group()
            if w == "今年":
                year, period = ctx.date_year or year, None
            elif w == "去年":
                year, period = (ctx.date_year - 1) if ctx.date_year else year, None
                info["last_year"] = True
            elif w == "明年":
                year, period = (ctx.date_year + 1) if ctx.date_year else year, None
            elif w == "上年":
                base = state.section_year or ctx.data_year
                year, period = (base - 1) if base else None, None
                info["from_prev"] = True
            elif w == "全年":
                period = None
            elif w in PERIOD_OF or val.group(1):
                period = PERIOD_OF[w] if w in PERIOD_OF else months_period(int(val.group(1)))
                if year is None:
                    year = ctx.date_year
            elif val.group(2):  # 十N五
                from .normalise import chinese_number

                n = 10 + int(chinese_number(val.group(2)))
                first = 2021 + (n - 14) * 5
                info["five_year"] = (first, first + 4)
            elif val.group(3):  # 后N年
                from .normalise import chinese_number

                info["last_n"] = int(chinese_number(val.group(3)))
            elif w == "今后五年" and ctx.plan:
                info["five_year"] = ctx.plan
    info["years_seen"] = years_seen
    if period and not re.match(r"\d{4}", period):
        if year is None:
            return None, None, info
        period = f"{year}{period}"
    inside = t.count("（", s0, pos) + t.count("(", s0, pos) > t.count("）", s0, pos) + t.count(")", s0, pos)
    if timed and not info.get("from_prev") and not inside:  # a bracketed aside's time is not the sentence's
        state.sentence_time = (year, period)
    return year, period, info


def from_to_years(t: str, s0: int, pos: int) -> tuple[int, int] | None:
    """The years of the sentence's last 从YYYY年的A…到YYYY年的B before ``pos``."""
    found = None
    for m in re.finditer(r"(?:从|由)(\d{4})年[^，；]*?(?:到|至|为)(\d{4})年", t[s0:pos]):
        found = (int(m.group(1)), int(m.group(2)))
    return found
