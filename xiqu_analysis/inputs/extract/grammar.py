"""The sentence grammar: figures of Chinese economic prose.

A paragraph is normalised (:mod:`.normalise`), split into sentences (。！？)
and clauses (，；：). Each number with its unit is a *mention*; the grammar
gives it

* a **subject**: the last indicator name (:mod:`.lexicon`) before it in its
  clause, else the previous clause's subject when the clause names nothing
  else (``地区生产总值412.36亿元，按可比价格计算，比上年增长5.6%``); a clause
  whose head is an unknown noun (``第一产业投资下降11.6%``) has no registry subject;
* a **measure** from its unit and the words before it: a level (亿元, 元, 万人),
  growth (增长/下降 … %), a share (占…比重), a change or gap in 个百分点
  (比上年提高, 比全市高, 比上半年加快, 低于规划目标), a contribution (贡献率),
  a pull (拉动), target progress (完成目标进度);
* a **sign**: negative after a fall word (下降, 减少, 回落, 降低, 缩小, 低),
  positive for 降幅收窄;
* a **time**: the last year or period word before it in the sentence (2024年,
  今年, 去年, 上年 in 由上年的, 前三季度, 上半年, 一季度, 9月末, 十三五, 2021—2022年),
  else the heading's year or the document's;
* a **kind**: preliminary after 预计, target after 目标/力争/预期, in a plan's
  future years, or as 年均 growth ahead; stated_average for past 年均 growth;
* a **region**: the document's, or the place or scope word that opens the
  clause (全市, 经开区, 区本级, a neighbouring county), never one named in a
  comparison (比全市, 比岑河县).

分别 lists (``第一、二、三产业…分别为5.3%、44.7%和50.0%``), ranges (6%—7%) and
structures (a:b:c) give one mention per number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .context import DocContext, PLACE, SCOPE_WORDS
from .lexicon import Lexicon, Name
from .normalise import NormText, normalise

__all__ = ["Figure", "ParaState", "parse_paragraph", "UNITS", "MONEY_UNITS"]

MONEY_UNITS = ("亿元", "万元", "元", "亿美元", "万美元", "美元")
#: units after a number, longest first
UNITS = ("个百分点", "百分点", "万平方米", "平方米", "万千瓦时", "千瓦时", "万人次", "人次", "亿美元", "万美元",
         "美元", "亿元", "万元", "元", "万公顷", "公顷", "万人", "人", "万亩", "亩", "万吨", "吨", "万头", "头",
         "万户", "户", "万辆", "辆", "万套", "套", "公里", "千米", "家", "个", "件", "岁", "倍", "成", "%", "‰",
         "年", "项", "所", "张", "床", "名", "天", "小时")
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)
_NUM = r"-?\d+(?:\.\d+)?"
_NUMBER = re.compile(rf"(?<![\d.A-Za-z])({_NUM})(?![\d])\s*({_UNIT_RE})?")
_RATIO = re.compile(rf"(?<![\d.]){_NUM}(?:[:：]{_NUM}){{2,}}")
_RANGE = re.compile(rf"(?<![\d.])({_NUM})(%|‰)?\s*[—–~～\-至到]{{1,2}}\s*({_NUM})(%|‰|{_UNIT_RE})")

_FALL = re.compile(r"(下降|减少|回落|降低|缩小|下滑|下跌|减|低|慢|少|放缓|收缩)[^，；增长高快]{0,8}$")
_RISE_AFTER_FALL = re.compile(r"降幅[^，；]{0,8}收窄[^，；]{0,4}$|降幅[^，；]{0,8}缩小[^，；]{0,4}$")
_GROWTH = re.compile(r"增长|下降|增速|增幅|降幅|涨幅|同比|比上年|比上月|上涨|下跌|减少|回落|回升|下滑|增|降")
_SHARE = re.compile(r"占|比重|比例|占比")
_TARGET = re.compile(r"目标[为是：:]|预期目标|主要目标|力争|争取|确保|计划(?!单列)|规划目标为|目标任务")
_PRELIM = re.compile(r"预计")
_AVERAGE = re.compile(r"年均|年平均|平均每年")
_CITY_CMP = re.compile(r"(?:比|较|高于|低于|快于|慢于)(全市|全省|全国|[\u4e00-\u9fff]{2}市)")
#: comparison words: a place or name right after them is not the subject or the scope
_CMP_BEFORE = re.compile(r"(?:比|较|于|占|对|与|拉动|快于|慢于|高于|低于|超过)$")
_YEAR = re.compile(r"(\d{4})\s*年(?!\s*\d{1,2}\s*月\s*\d)")
_YEAR_RANGE = re.compile(r"(\d{4})\s*年?\s*[—–\-~～至到]\s*(\d{4})\s*年")
_MONTH_END = re.compile(r"(\d{1,2})\s*月(?:末|底|份)")
_PERIOD = re.compile(r"前三季度|1[-—~]9月|上半年|1[-—~]6月|(?:第?一季度)|1[-—~]3月|全年|今年|去年|上年|明年|"
                     r"十([一二三四五六])五|后([一二三四五])年|今后五年")
_PERIOD_OF = {"前三季度": "Q1-3", "1-9月": "Q1-3", "1—9月": "Q1-3", "1~9月": "Q1-3", "上半年": "H1",
              "1-6月": "H1", "1—6月": "H1", "1~6月": "H1", "一季度": "Q1", "第一季度": "Q1", "1-3月": "Q1",
              "1—3月": "Q1", "1~3月": "Q1"}
_SKIP_AFTER = re.compile(r"\s*(?:年(?!均)|月|日|时|号|位|季度|批|届|次会议|期|章|节|条|款|号线|路|栋|楼|层|级)")
_SKIP_BEFORE = re.compile(r"(?:第|表|专栏|附表|图|No\.|NO\.)\s*$")
#: words a clause's head may hold besides a name without naming a new subject
_FUNCTION = re.compile(
    r"全年|年末|年初|年底|月末|期末|同期|上半年|前三季度|[一二三四]季度|今年以来|今年|去年|上年末?|同比|环比|比上年末?|"
    r"比年初|比\d{4}年|比上半年|比一季度|按可比价格计算|按不变价格计算|按现价计算|按常住人口计算|扣除价格因素|"
    r"初步核算|统一核算|其中|分别|实现|完成|达到|达|为|是|增长|下降|增加|减少|净增|回落|提高|降低|上涨|下跌|加快|"
    r"放缓|收窄|扩大|缩小|实际|名义|同口径|共|累计|年均|平均|保持在?|控制在|稳定在|约|左右|以上|以内|以下|不低于|"
    r"力争|预计|预期|目标|总量|总额|规模|增速|增幅|降幅|涨幅|比重|占比|占|的|和|及|与|、|全区|全县|我区|我县|本区|"
    r"本县|规划|但|而|并|且|确定|已经|已|比|较|高|低|快|慢|上升|下滑|回升|继续|持续|稳定|较快|有所|明显|大幅|小幅|进一步|仍|也|均|都|整体|总体|主要|指标|合计|"
    r"总计|全部|可|须|需|将|要|在|了|后|从|由|到|至|调整|变为|增至|降至|升至|再|又|新|报告|期内|当年|同比|"
    r"\d{4}年|\d{1,2}月末?|[（）()“”\"《》〔〕\[\]—\-:：·\s]|[0-9.%‰]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Figure:
    """One figure found in a document, before it becomes a row."""

    indicator: str
    region: str
    year: int | None
    period: str | None
    value: str
    unit: str
    price_basis: str
    kind: str
    quote: str
    location: str
    confidence: float
    note: str = ""


@dataclass
class ParaState:
    """What carries from paragraph to paragraph: the section's year and kind, 下同 price basis, from/to years."""

    section_year: int | None = None
    section_target: bool = False
    comparable: bool = False
    from_to: tuple[int, int] | None = None
    label: tuple[Name, str] | None = None  # a paragraph's label subject (地区生产总值：…)
    last_subject: object = None
    last_enum: object = None  # the subjects of the paragraph's last 分别 enumeration  # the subject the previous sentence ended with
    table_note: str = ""  # the document's notes (注：…), which say what table cells mean


@dataclass
class _Mention:
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


def _sentences(text: str) -> list[tuple[int, int]]:
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


def _clause_start(text: str, s0: int, pos: int) -> int:
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


def _in_closed_brackets(text: str, a: int, pos: int) -> bool:
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


def parse_paragraph(text: str, ctx: DocContext, lex: Lexicon, state: ParaState, where: str) -> list[Figure]:
    """Figures of one paragraph of prose (``text`` as in the document)."""
    nt = normalise(text)
    t = nt.text
    _heading(t, ctx, state)
    state.last_subject = None
    state.last_enum = None
    figures: list[Figure] = []
    label = None
    m = re.match(r"^\s*([^：:，。]{2,20})[：:]", t)
    if m:
        hits = lex.find(t, m.start(1), m.end(1))
        if hits and hits[-1][1] >= m.end(1) - 1:
            label = hits[-1]
    for s0, s1 in _sentences(t):
        figures.extend(_sentence(nt, s0, s1, ctx, lex, state, where, label))
        if "下同" in t[s0:s1] and re.search(r"按可比价格计算|按不变价格计算", t[s0:s1]):
            state.comparable = True
    return figures


def _heading(t: str, ctx: DocContext, state: ParaState) -> None:
    m = re.match(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[章节])\s*(.*)$", t)
    if m and len(t) < 40:
        body = m.group(1)
        ym = _YEAR.search(body)
        state.section_year = int(ym.group(1)) if ym else None
        state.section_target = bool(re.search(r"目标|任务|展望", body)) and not re.search(r"回顾|成就|进展", body)
        if "十三五" in body:
            state.from_to = (2015, 2020)
        elif "十四五" in body or "远景" in body:
            state.from_to = None


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


def _find_mentions(t: str, s0: int, s1: int) -> list[_Mention]:
    out: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    for rm in _RATIO.finditer(t, s0, s1):
        parts = [p for p in re.split(r"[:：]", rm.group())]
        pos = rm.start()
        for k, p in enumerate(parts):
            out.append(_Mention(pos, pos + len(p), p, "", ratio_part=k + 1))
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
        out.append(_Mention(rg.start(1), rg.end(1) + (len(rg.group(2)) if rg.group(2) else 0), rg.group(1),
                            rg.group(2) or unit))
        out.append(_Mention(rg.start(3), rg.end(4), rg.group(3), unit))
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
        out.append(_Mention(m.start(1), end, m.group(1), unit))
    out.sort(key=lambda x: x.start)
    return out


def _share_unit(mentions: list[_Mention], t: str) -> None:
    """Numbers of a list (5.3、44.7和50.0个百分点) take the unit of the list's last number."""
    for i in range(len(mentions) - 2, -1, -1):
        a, b = mentions[i], mentions[i + 1]
        if a.unit == "" and a.ratio_part is None and b.unit and re.fullmatch(r"\s*(?:、|和|及|与|或)\s*",
                                                                            t[a.end:b.start]):
            a.unit = b.unit


def _masked(t: str, a: int, s0: int) -> bool:
    """A name right after a comparison word (比, 占, 对, 拉动...) is not the subject."""
    before = t[max(s0, a - 4):a]
    return bool(_CMP_BEFORE.search(before)) or bool(re.search(r"(?:比|占|较)[\u4e00-\u9fff]{0,4}$", before)
                                                     and re.search(r"比重|比例", t[a:a + 20]) and
                                                     "占" in t[max(s0, a - 6):a])


def _subject(t: str, lex: Lexicon, s0: int, c0: int, pos: int) -> tuple[int, int, Name] | None | str:
    """The subject of a number at ``pos`` whose clause starts at ``c0``: a name, None (carry the
    previous clause's), or "unknown" (the clause names something the lexicon does not know)."""
    hits = [h for h in lex.find(t, c0, pos) if not _masked(t, h[0], c0) and
            not _in_closed_brackets(t, h[0], pos)]
    # a name inside 占X的比重 is the denominator
    hits = [h for h in hits if not re.search(r"占[^，；]{0,3}$", t[max(c0, h[0] - 4):h[0]])]
    if hits:
        return hits[-1]
    head = t[c0:pos]
    head = re.sub(r"（[^）]*）|\([^)]*\)", "", head)
    head = re.sub(rf"-?\d+(?:\.\d+)?\s*(?:{_UNIT_RE})?", "", head)
    for word in SCOPE_WORDS:
        head = head.replace(word, "")
    rest = _FUNCTION.sub("", head)
    rest = PLACE.sub("", rest)
    if len(_HAN.findall(rest)) >= 2:
        return "unknown"
    return None


def _time(t: str, s0: int, pos: int, ctx: DocContext, state: ParaState) -> tuple[int | None, str | None, dict]:
    """Year and period of a number at ``pos`` from the words before it in its sentence."""
    info: dict = {}
    year = state.section_year or ctx.data_year
    period = ctx.period if state.section_year is None else None
    if ctx.kind in ("plan", "midterm") and state.section_year is None:
        year = None
    marks = []
    for m in _YEAR_RANGE.finditer(t, s0, pos):
        marks.append((m.start(), "range", (int(m.group(1)), int(m.group(2)))))
    for m in _YEAR.finditer(t, s0, pos):
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
    marks = [mk for mk in marks if not _in_closed_brackets(t, mk[0], pos)]
    marks.sort(key=lambda x: x[0])
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
            elif w in _PERIOD_OF:
                period = _PERIOD_OF[w]
                if year is None:
                    year = ctx.date_year
            elif val.group(1):  # 十N五
                from .normalise import chinese_number

                n = 10 + int(chinese_number(val.group(1)))
                first = 2021 + (n - 14) * 5
                info["five_year"] = (first, first + 4)
            elif val.group(2):  # 后N年
                from .normalise import chinese_number

                info["last_n"] = int(chinese_number(val.group(2)))
            elif w == "今后五年" and ctx.plan:
                info["five_year"] = ctx.plan
    info["years_seen"] = years_seen
    if period and not re.match(r"\d{4}", period):
        if year is None:
            return None, None, info
        period = f"{year}{period}"
    return year, period, info


def _sentence(nt: NormText, s0: int, s1: int, ctx: DocContext, lex: Lexicon, state: ParaState, where: str,
              label) -> list[Figure]:
    t = nt.text
    mentions = _find_mentions(t, s0, s1)
    if not mentions:
        return []
    _share_unit(mentions, t)
    sent = t[s0:s1]
    _respectively(t, s0, s1, mentions, lex, state)
    out: list[Figure] = []
    prev_subject = state.last_subject if re.match(r"\s*其中", t[s0:s1]) else None
    prev_subject_clause = None
    last_measure: dict[str, str] = {}
    comparable_here = state.comparable or bool(re.search(r"按可比价格计算|按不变价格计算", sent))
    for mi, mn in enumerate(mentions):
        c0 = _clause_start(t, s0, mn.start)
        if re.search(r"(?:突破|超过|逾)\s*$", t[max(s0, mn.start - 3):mn.start]) and mi + 1 < len(mentions) and \
                mentions[mi + 1].unit == mn.unit and re.fullmatch(r"[，,]?\s*(?:达到?|为|增至|至)\s*",
                                                                 t[mn.end:mentions[mi + 1].start]):
            found = _subject(t, lex, s0, c0, mn.start)
            if not isinstance(found, str) and found is not None:
                prev_subject = found
            continue
        if mn.ratio_part is not None:
            sm = re.search(r"(?:三次)?产业(?:结构|比例)", t[s0:mn.start])
            if sm:
                mn.subject = (s0 + sm.start(), s0 + sm.end(), Name(sm.group(), (), "industry_structure"))
            else:
                continue
        subj = mn.subject
        if subj is None:
            found = _subject(t, lex, s0, c0, mn.start)
            if found == "unknown":
                prev_subject = None
                prev_subject_clause = c0
                continue
            if found is None:
                # carry across clauses of the sentence, then the paragraph's label
                subj = prev_subject if prev_subject is not None else None
                if subj is None and label is not None and prev_subject_clause is None:
                    subj = label
                if subj is None and label is not None and s0 > 0:
                    subj = label
            else:
                subj = found
        if subj is None:
            continue
        prev_subject = subj
        prev_subject_clause = c0
        fig = _figure(nt, s0, s1, c0, mn, subj, ctx, lex, state, where, comparable_here, last_measure, mentions,
                      mi, label)
        if fig is not None:
            out.append(fig)
    state.last_subject = prev_subject
    return out


def _respectively(t: str, s0: int, s1: int, mentions: list[_Mention], lex: Lexicon, state: ParaState) -> None:
    """Give the numbers of 分别 lists their own subject (or year)."""
    for fm in re.finditer(r"分别", t[s0:s1]):
        pos = s0 + fm.start()
        c0 = _clause_start(t, s0, pos)
        # the enumeration: from the clause start (or the earlier 分别 clause's) to 分别
        enum = t[c0:pos]
        reuse = None
        if re.search(r"\d", enum) and not re.search(r"\d{4}年[、和]", enum):
            enum = ""
        if not re.search(r"[、和及与]|城乡", enum):
            # a second 分别 (…、分别增长4.7%和6.5%) reuses the earlier enumeration
            prev = [m for m in re.finditer(r"分别", t[s0:pos])]
            if prev:
                c0 = _clause_start(t, s0, s0 + prev[0].start())
                enum = t[c0:s0 + prev[0].start()]
            if not re.search(r"[、和及与]|城乡", enum):
                if state.last_enum is None or re.search(r"\d{4}年[、和]", enum):
                    continue
                reuse = state.last_enum
        after_list = [m for m in mentions if m.start > pos and m.ratio_part is None and m.subject is None]
        # the list: consecutive numbers after 分别 separated by 、和及与 or by 增加到/提高到
        seq: list[_Mention] = []
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
            phrases = _expand(enum)
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


def _expand(enum: str) -> list[str]:
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


def _from_to_years(t: str, s0: int, pos: int) -> tuple[int, int] | None:
    """The years of the sentence's last 从YYYY年的A…到YYYY年的B before ``pos``."""
    found = None
    for m in re.finditer(r"(?:从|由)(\d{4})年[^，；]*?(?:到|至|为)(\d{4})年", t[s0:pos]):
        found = (int(m.group(1)), int(m.group(2)))
    return found


def _measure(t: str, s0: int, c0: int, mn: _Mention, subj, lex: Lexicon, last_measure: dict,
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
        if _CITY_CMP.search(lead):
            return "gap_vs_city"
        if info.get("cmp_period") in ("上半年",) or re.search(r"比上半年|较上半年", lead):
            return "change_vs_h1"
        if info.get("cmp_period") in ("一季度", "第一季度") or re.search(r"比一季度|较一季度", lead):
            return "change_vs_q1"
        if re.search(r"(?:比|较|快于|慢于|高于|低于)[\u4e00-\u9fff]{2,8}(?:高|低|快|慢|多|少)?\s*$", lead) and \
                not re.search(r"比上年|比\d{4}年|比上年末|比年初|较上年", lead):
            return "gap_other"
        return "change"
    if unit in ("%", "‰", "成"):
        if "贡献率" in after_subject:
            return "contribution"
        if re.search(r"完成[^，；]{0,6}进度|目标进度", lead):
            return "target_progress"
        if _SHARE.search(after_subject) and not re.search(r"比重[^，；]{0,6}(?:提高|下降|增长)", lead):
            return "share"
        if lex.is_rate(name) and not re.search(r"增长|增速|下降", after_subject):
            return "level"
        if re.search(r"实际增长|实际下降|扣除价格因素", lead) and not lex.is_rate(name):
            return "real_growth"
        if _GROWTH.search(after_subject) or _GROWTH.search(lead) or unit == "成":
            return "growth"
        if any(lex.registry[k].level_of for k in name.keys):
            return "growth"
        if lex.is_rate(name):
            return "level"
        return None
    if unit in ("倍",):
        return "multiple"
    if unit == "":
        return "level" if name.kind == "ratio" else None
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


def _figure(nt: NormText, s0: int, s1: int, c0: int, mn: _Mention, subj, ctx: DocContext, lex: Lexicon,
            state: ParaState, where: str, comparable_here: bool, last_measure: dict, mentions, mi, label):
    t = nt.text
    name: Name = subj[2]
    if not name.keys and name.other is None:
        return None
    year, period, info = _time(t, s0, mn.start, ctx, state)
    if mn.year is not None:
        year, period = mn.year, None
    measure = _measure(t, s0, c0, mn, subj, lex, last_measure, info)
    if measure is None:
        return None
    lead = t[c0:mn.start]
    sent_before = t[s0:mn.start]
    # from/to years (由A提高到B, 从2015年的A增长到2020年的B, 由上年的a:b:c调整为…)
    if mn.role == "from" or (measure in ("level", "ratio", "share") and re.search(
            r"(?:由|从)[^，；到至为]*$", sent_before) and not re.search(r"(?:由|从)\d{4}年的[^，；到至]*$",
                                                                        sent_before)):
        ft = _from_to_years(t, s0, mn.start) or state.from_to
        if info.get("from_prev"):
            pass
        elif ft and not re.search(r"\d{4}年的?[^，；]*$", sent_before):
            year, period = ft[0], None
    elif mn.role == "to" or (measure in ("level", "ratio", "share") and re.search(
            r"(?:由|从)[^，；]*(?:到|至|为)[^，；]*$", sent_before)):
        if re.search(r"由上年的?[^，；]*(?:调整为|提高到|降低到|缩小为|扩大为|变为|增加到|下降到)[^，；]*$",
                     sent_before):
            year, period = (state.section_year or ctx.data_year), None
        elif (_from_to_years(t, s0, mn.start) or state.from_to) and \
                not re.search(r"\d{4}年的?[^，；]*$", sent_before):
            year, period = (_from_to_years(t, s0, mn.start) or state.from_to)[1], None
    # kind
    kind = "actual"
    target = bool(_TARGET.search(sent_before)) and not re.search(r"(?:低于|高于|高出|完成)[^，；]{0,4}目标", lead)
    if re.match(r"[^，；。]{0,6}?的?(?:预期|规划|计划)?目标", t[mn.end:s1]) and \
            not re.search(r"进度|低于|高于|高出", t[mn.end:s1][:12]):
        target = True
    if state.section_target:
        target = True
    if _PRELIM.search(sent_before):
        kind = "preliminary"
    if target:
        kind = "target"
    if re.search(r"^到\d{4}年|[，；]到\d{4}年|^\s*到\d{4}年", t[s0:mn.start]) and year and ctx.date_year and \
            year > ctx.date_year:
        kind = "target"
    if ctx.kind in ("plan", "midterm") and year and ctx.date_year and year > ctx.date_year:
        kind = "target"
    if re.search(r"须|需要?|才能|方能", t[c0:s1]) and re.search(r"年均", lead) and info.get("last_n"):
        kind = "target"
    average = bool(_AVERAGE.search(lead)) and measure in ("growth", "real_growth")
    if average:
        rng = info.get("range")
        five = info.get("five_year")
        if info.get("last_n") and ctx.plan:
            rng = (ctx.plan[1] - info["last_n"] + 1, ctx.plan[1])
        elif rng is None and five:
            rng = five
        elif rng is None and state.from_to and kind != "target":
            rng = (state.from_to[0] + 1, state.from_to[1])
        elif rng is None and kind == "target" and ctx.plan:
            rng = ctx.plan
        elif rng is None and ctx.plan and info.get("years_seen"):
            ys = info["years_seen"]
            rng = (ctx.plan[0], max(ys)) if max(ys) >= ctx.plan[0] else (min(ys) + 1, max(ys))
        elif rng is None and info.get("years_seen") and len(set(info["years_seen"])) >= 2:
            ys = info["years_seen"]
            rng = (min(ys) + 1, max(ys))
        if rng is None:
            return None
        period, year = f"{rng[0]}-{rng[1]}", None
        if kind not in ("target",):
            kind = "stated_average" if not (ctx.date_year and rng[1] > ctx.date_year) else "target"
    elif measure in ("change", "cumulative") and re.search(r"累计|〔", t[c0:mn.start]) and \
            (info.get("five_year") or info.get("range") or kind == "target" or state.from_to):
        rng = info.get("range") or info.get("five_year") or (ctx.plan if kind == "target" else None)
        if rng is None and state.from_to:
            rng = (state.from_to[0] + 1, state.from_to[1])
        if rng is None and ctx.plan:
            rng = ctx.plan
        if rng:
            period, year = f"{rng[0]}-{rng[1]}", None
    elif info.get("five_year") and measure in ("change",) and kind != "target":
        rng = info["five_year"]
        period, year = f"{rng[0]}-{rng[1]}", None
    if measure == "change" and info.get("cmp_years") and year and period is None:
        period, year = f"{info['cmp_years'][-1] + 1}-{year}", None
    required = bool(re.search(r"须|需要?|才能|方能", t[c0:s1]) and average)
    if year is None and period is None:
        return None
    # region
    region = _region(t, s0, c0, mn, ctx)
    if region is None:
        return None
    # value and sign
    value = mn.value
    negative = value.startswith("-")
    if not negative and measure not in ("ratio", "level", "share", "contribution", "target_progress",
                                        "cumulative"):
        if _RISE_AFTER_FALL.search(lead):
            pass
        elif _FALL.search(t[max(c0, mn.start - 14):mn.start]) and not _reduction(name):
            value = "-" + value
    elif not negative and measure == "level" and unit_is_growthless(mn.unit) and False:
        pass
    # indicator
    unit = mn.unit
    if measure == "ratio":
        n = mn.ratio_part
        key = _ratio_key(lex, name, n)
        if key is None:
            return None
        indicator, basis = key
    else:
        m2 = measure
        suffix = None
        if measure in ("change", "gap_vs_city", "change_vs_h1", "change_vs_q1", "gap_vs_target", "gap_other"):
            base_measure = last_measure.get(name.phrase)
            grow = base_measure in ("growth", "real_growth") or bool(re.search(
                r"增速|增幅|降幅|加快|放缓|回落|收窄|快于|慢于", lead))
            if measure == "gap_other":
                return None
            if measure == "change" and grow:
                suffix = "change_vs_prev_year"
            elif measure == "change":
                suffix = "change"
            else:
                suffix = measure
            base = lex.resolve(name, "growth" if grow else ("share" if base_measure == "share" else "level"),
                               "%" if grow else "%")
            if base is None and not grow:
                base = lex.resolve(name, "level", "")
            if base is None:
                stem = name.other or (name.keys[0] if name.keys else None)
                if stem is None:
                    return None
                indicator = f"other:{stem}_{suffix}"
            else:
                indicator = f"{'other:' if not base[0].startswith('other:') else ''}{base[0]}_{suffix}"
                indicator = indicator.replace("other:other:", "other:")
            basis = "comparable" if (grow and base and base[1] == "comparable") else (
                base[1] if base and measure != "change" else ("comparable" if grow and base and
                                                               base[1] == "comparable" else
                                                               (base[1] if base else "unknown")))
        elif measure in ("pull", "contribution", "share", "target_progress", "multiple", "cumulative",
                         "change_ytd"):
            if measure == "share" and name.keys:
                res = lex.resolve(name, "level", "%")
                if res is not None and lex.is_rate(name):
                    indicator, basis = res
                else:
                    stem = name.keys[0]
                    indicator, basis = f"other:{stem}_share", "current"
            else:
                stem = name.other or (name.keys[0] if name.keys else "")
                if measure == "target_progress":
                    lm = last_measure.get(name.phrase)
                    res = lex.resolve(name, "level", "%" if lex.is_rate(name) else mn.unit)
                    stem = res[0].replace("other:", "") if res else stem
                    indicator, basis = f"other:{stem}_target_progress", "unknown"
                else:
                    names = {"pull": "pull_on_growth", "contribution": "contribution_to_growth",
                             "multiple": "multiple", "cumulative": "cumulative", "change_ytd":
                                 "change_since_start_of_year", "share": "share"}
                    indicator = f"other:{stem}_{names[measure]}"
                    basis = "comparable" if measure in ("pull", "contribution") else (
                        "current" if measure in ("share", "cumulative", "change_ytd") else "unknown")
        else:
            res = lex.resolve(name, m2, unit)
            if res is None:
                return None
            indicator, basis = res
            semi = max(t.rfind("；", s0, mn.start), s0)
            qual = re.search(r"扣除(?!价格)([^，；]{1,12}?)(?:因素)?后", t[semi:mn.start])
            if qual:
                hits = lex.find(qual.group(1))
                stem = next((h[2].other for h in hits if h[2].other), None)
                if stem is None:
                    return None
                indicator = f"other:{indicator.replace('other:', '')}_excl_{stem}"
            if required:
                indicator = f"other:{indicator.replace('other:', '')}_required"
                kind = "target"
            if m2 == "growth" and indicator.startswith("other:") and (comparable_here or "实际" in lead) and \
                    ("_va" in indicator or "output" in indicator):
                basis = "comparable"
        last_measure[name.phrase] = measure
    if basis == "not_applicable":
        basis = "unknown"
    # quote: from the subject (or the clause) to the number and its unit
    qs = subj[0] if subj[0] <= mn.start else c0
    quote = nt.original(qs, mn.end).strip()
    conf = 0.9 if subj[0] >= c0 else 0.8
    conf += mn.extra_conf
    if indicator.startswith("other:"):
        conf -= 0.2
    return Figure(indicator=indicator, region=region, year=None if period else year, period=period, value=value,
                  unit=unit, price_basis=basis, kind=kind, quote=quote, location=where,
                  confidence=round(conf, 2))


def unit_is_growthless(unit: str) -> bool:  # pragma: no cover - kept for clarity
    return unit in MONEY_UNITS


def _reduction(name: Name) -> bool:
    return "降低" in name.phrase or "reduction" in (name.other or "") or any("reduction" in k for k in name.keys)


def _ratio_key(lex: Lexicon, name: Name, n: int):
    for phrase in (f"第{'一二三'[n - 1]}产业比重", f"第{'一二三'[n - 1]}产业占比"):
        nm = lex.names.get(phrase)
        if nm is not None and nm.keys:
            return nm.keys[0], _basis_of(lex, nm.keys[0])
    return None


def _basis_of(lex: Lexicon, key: str) -> str:
    b = lex.registry[key].price_basis
    return b if b in ("current", "comparable", "constant") else "unknown"


def _region(t: str, s0: int, c0: int, mn: _Mention, ctx: DocContext) -> str | None:
    """The region of a number: a place or scope word opening its clause or an earlier clause of the sentence."""
    region = ctx.region
    # a number in brackets right after a place: 全市（6.0%）
    before = t[max(s0, mn.start - 8):mn.start]
    br = re.search(r"(全市|全省|全国)[（(]\s*$", before) or re.search(r"([\u4e00-\u9fff]{2}[市县区])[（(]\s*$", before)
    if br:
        r = ctx.region_of(br.group(1))
        if r:
            return r
    words = list(SCOPE_WORDS) + sorted(ctx.region_names | ctx.city_names | set(ctx.places), key=len, reverse=True)
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    if not pattern:
        return region
    for m in re.finditer(pattern, t[s0:mn.start]):
        a = s0 + m.start()
        before = t[max(s0, a - 4):a]
        if re.search(r"(?:比|较|于|占|对|与|拉动|快于|慢于|高于|低于|超过|经|根据|在)$", before) or \
                re.search(r"占[^，；]{0,2}$", before):
            continue
        if re.search(r"^[）)]|^(?:统计局|人民政府|政府|委|人大|第|前列|首位|排名|平均|同类)",
                     t[s0 + m.end():s0 + m.end() + 4]) or re.search(r"(?:位居|居|列|位列|领跑)$", before):
            continue
        if _in_closed_brackets(t, a, mn.start):
            continue
        if re.match(r"(?:（|\()?(?:含|不含|以下简称)", t[s0 + m.end():s0 + m.end() + 4]) and \
                SCOPE_WORDS.get(m.group()) in ("jingkaiqu", "kaifaqu", "gaoxinqu"):
            pass
        r = ctx.region_of(m.group())
        if r is not None:
            region = r
    if region in ("province", "country"):
        return None
    return region
