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

from .context import PLACE, SCOPE_WORDS, DocContext
from .figure import Figure, ParaState
from .lexicon import Lexicon, Name
from .lists import respectively
from .measures import is_reduction, measure_of, ratio_key, share_name
from .mentions import (MONEY_UNITS, UNIT_RE, UNITS, Mention, clause_start, find_mentions, in_closed_brackets,
                       sentences, share_unit)
from .normalise import NormText, normalise
from .scopes import region_of_mention
from .timing import from_to_years, read_heading, time_of

__all__ = ["Figure", "ParaState", "parse_paragraph", "UNITS", "MONEY_UNITS"]


_FALL = re.compile(r"(下降|减少|回落|降低|缩小|下滑|下跌|减|(?<!不)低|慢|(?<!不)少|放缓|收缩)[^，；增长高快]{0,8}$")
_RISE_AFTER_FALL = re.compile(r"降幅[^，；]{0,8}收窄[^，；]{0,4}$|降幅[^，；]{0,8}缩小[^，；]{0,4}$")
_TARGET = re.compile(r"目标[为是：:]|预期目标|主要目标|力争|争取|确保|计划(?!单列)|规划目标为|目标任务")
_PRELIM = re.compile(r"预计")
_AVERAGE = re.compile(r"年均|年平均|平均每年")
#: comparison words: a place or name right after them is not the subject or the scope
_CMP_BEFORE = re.compile(r"(?:比|较|于|占|对|与|拉动|快于|慢于|高于|低于|超过)$")
#: words a clause's head may hold besides a name without naming a new subject
_FUNCTION = re.compile(
    r"全年|年末|年初|年底|月末|期末|同期|上半年|前三季度|[一二三四]季度|今年以来|今年|去年|上年末?|同比|环比|比上年末?|"
    r"比年初|比\d{4}年|比上半年|比一季度|按可比价格计算|按不变价格计算|按现价计算|按常住人口计算|扣除价格因素|"
    r"初步核算|统一核算|其中|分别|实现|完成|达到|达|为|是|增长|下降|增加|减少|净增|回落|提高|降低|上涨|下跌|加快|"
    r"放缓|收窄|扩大|缩小|实际|名义|同口径|共|累计|年均|平均|保持在?|控制在|稳定在|约|左右|以上|以内|以下|不低于|"
    r"力争|预计|预期|目标|总量|总额|规模|增速|增幅|降幅|涨幅|比重|占比|占|的|和|及|与|、|全区|全县|我区|我县|本区|"
    r"本县|规划|但|而|并|且|确定|已经|已|比|较|高|低|快|慢|[一二三四五六七八九十两]年|进度|上升|下滑|回升|继续|持续|稳定|较快|有所|明显|大幅|小幅|进一步|仍|也|均|都|整体|总体|主要|指标|合计|"
    r"总计|全部|可|须|需|将|要|在|了|后|从|由|到|至|调整|变为|增至|降至|升至|再|又|新|报告|期内|当年|同比|"
    r"\d{4}年|\d{1,2}月末?|[（）()“”\"《》〔〕\[\]—\-:：·\s]|[0-9.%‰]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def parse_paragraph(text: str, ctx: DocContext, lex: Lexicon, state: ParaState, where: str) -> list[Figure]:
    """Figures of one paragraph of prose (``text`` as in the document)."""
    nt = normalise(text)
    t = nt.text
    read_heading(t, ctx, state)
    state.last_subject = None
    state.last_enum = None
    state.para_comparable = False
    state.para_five_year = None
    state.para_time = None
    figures: list[Figure] = []
    label = None
    m = re.match(r"^\s*([^：:，。]{2,20})[：:]", t)
    if m:
        hits = lex.find(t, m.start(1), m.end(1))
        if hits and hits[-1][1] >= m.end(1) - 1:
            label = hits[-1]
    for s0, s1 in sentences(t):
        state.sentence_time = None
        figures.extend(_sentence(nt, s0, s1, ctx, lex, state, where, label))
        if state.sentence_time is not None:
            state.para_time = state.sentence_time
        if "下同" in t[s0:s1] and re.search(r"按可比价格计算|按不变价格计算", t[s0:s1]):
            state.comparable = True
    return figures


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
            not in_closed_brackets(t, h[0], pos)]
    # a name inside 占X的比重 is the denominator
    hits = [h for h in hits if not re.search(r"占[^，；]{0,3}$", t[max(c0, h[0] - 4):h[0]])]
    if hits:
        between = t[hits[-1][1]:pos]
        if "、" in between and _unknown_noun(between.rsplit("、", 1)[1]):
            return "unknown"  # 项目46个、总投资287亿元: a new noun after the list comma
        return hits[-1]
    return "unknown" if _unknown_noun(t[c0:pos]) else None


def _abbreviates(head: str, name: Name) -> bool:
    """True when the words ``head`` names are the end of ``name`` (支出 of 一般公共预算支出)."""
    rest = _rest(head)
    return len(rest) >= 2 and name.phrase.endswith(rest) and rest != name.phrase


def _unknown_noun(head: str) -> bool:
    """True when ``head`` names something (two or more characters that are no grammar word)."""
    return len(_rest(head)) >= 2


def _rest(head: str) -> str:
    """The Chinese characters of ``head`` that are no grammar word, number, unit, place or scope."""
    head = re.sub(r"（[^）]*）|\([^)]*\)", "", head)
    head = re.sub(rf"-?\d+(?:\.\d+)?\s*(?:{UNIT_RE})?", "", head)
    # what a share, a pull or a contribution is of is not the subject: 占全部投资的比重, 拉动经济增长
    head = re.sub(r"占[^，；]{0,16}?的?(?:比重|比例)|拉动[^，；]{0,12}?增长|对[^，；]{0,12}?的?贡献率?", "", head)
    for word in SCOPE_WORDS:
        head = head.replace(word, "")
    rest = _FUNCTION.sub("", head)
    rest = PLACE.sub("", rest)
    return "".join(_HAN.findall(rest))


def _sentence(nt: NormText, s0: int, s1: int, ctx: DocContext, lex: Lexicon, state: ParaState, where: str,
              label) -> list[Figure]:
    t = nt.text
    mentions = find_mentions(t, s0, s1)
    if not mentions:
        return []
    share_unit(mentions, t)
    sent = t[s0:s1]
    respectively(t, s0, s1, mentions, lex, state)
    out: list[Figure] = []
    prev_subject = state.last_subject if re.match(r"\s*其中", t[s0:s1]) else None
    prev_subject_clause = None
    last_measure: dict[str, str] = {}
    if re.search(r"按可比价格计算|按不变价格计算", sent):
        state.para_comparable = True
    fm = re.search(r"十([一二三四五六])五", sent)
    if fm:
        from .normalise import chinese_number

        first = 2021 + (10 + int(chinese_number(fm.group(1))) - 14) * 5
        state.para_five_year = (first, first + 4)
    comparable_here = state.comparable or state.para_comparable
    for mi, mn in enumerate(mentions):
        c0 = clause_start(t, s0, mn.start)
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
            if found == "unknown" and prev_subject is not None and _abbreviates(t[c0:mn.start], prev_subject[2]):
                found = None  # 其中区本级支出58.42亿元: 支出 for the 一般公共预算支出 just named
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


def _figure(nt: NormText, s0: int, s1: int, c0: int, mn: Mention, subj, ctx: DocContext, lex: Lexicon,
            state: ParaState, where: str, comparable_here: bool, last_measure: dict, mentions, mi, label):
    t = nt.text
    name: Name = subj[2]
    if not name.keys and name.other is None:
        return None
    year, period, info = time_of(t, s0, mn.start, ctx, state)
    if mn.year is not None:
        year, period = mn.year, None
    measure = measure_of(t, s0, c0, mn, subj, lex, last_measure, info)
    if measure is None:
        return None
    lead = t[c0:mn.start]
    sent_before = t[s0:mn.start]
    # from/to years (由A提高到B, 从2015年的A增长到2020年的B, 由上年的a:b:c调整为…)
    if mn.role == "from" or (measure in ("level", "ratio", "share") and re.search(
            r"(?:由|从)[^，；到至为]*$", sent_before) and not re.search(r"(?:由|从)\d{4}年的[^，；到至]*$",
                                                                        sent_before)):
        ft = from_to_years(t, s0, mn.start) or state.from_to
        if info.get("from_prev"):
            pass
        elif ft and not re.search(r"\d{4}年的?[^，；]*$", sent_before):
            year, period = ft[0], None
    elif mn.role == "to" or (measure in ("level", "ratio", "share") and re.search(
            r"(?:由|从)[^，；]*(?:到|至|为)[^，；]*$", sent_before)):
        if re.search(r"由上年的?[^，；]*(?:调整为|提高到|降低到|缩小为|扩大为|变为|增加到|下降到)[^，；]*$",
                     sent_before):
            year, period = (state.section_year or ctx.data_year), None
        elif (from_to_years(t, s0, mn.start) or state.from_to) and \
                not re.search(r"\d{4}年的?[^，；]*$", sent_before):
            year, period = (from_to_years(t, s0, mn.start) or state.from_to)[1], None
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
        five = info.get("five_year") or state.para_five_year
        span = re.search(r"([两二三四五六七八九十])年(?:年)?平均", lead)
        if rng is None and span and year:
            from .normalise import chinese_number

            n = int(chinese_number(span.group(1).replace("两", "二")))
            rng = (year - n + 1, year)
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
    elif (measure in ("change", "cumulative") or (measure == "level" and is_reduction(name))) and \
            re.search(r"累计|〔", t[c0:mn.start]) and \
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
    if year is None and period is None and measure == "target_progress" and info.get("range"):
        year = info["range"][1]  # 2021—2022年累计降低5.2%，完成目标进度的35.9%: progress by 2022
    if year is None and period is None and kind == "target" and ctx.kind == "midterm" and ctx.plan:
        year = ctx.plan[1]  # a mid-term review's target without a year: the plan's last
    if year is None and period is None and state.from_to and kind != "target":
        # a plan's look back (“十三五”时期…) without a year: a level is its last year's, a change the period's
        if measure in ("change", "cumulative"):
            period = f"{state.from_to[0] + 1}-{state.from_to[1]}"
        elif measure in ("level", "share", "ratio"):
            year = state.from_to[1]
    span = from_to_years(t, s0, mn.start)
    if measure == "change" and span and period is None and not info.get("cmp_years") and kind != "target":
        period, year = f"{span[0] + 1}-{span[1]}", None  # 由2015年的…调整为2020年的…，比重提高6.2个百分点
    if measure == "change" and info.get("cmp_years") and year and period is None:
        period, year = f"{info['cmp_years'][-1] + 1}-{year}", None
    required = bool(re.search(r"须|需要?|才能|方能", t[c0:s1]) and average)
    if measure in ("gap_vs_target", "change_vs_h1", "change_vs_q1") and "__when__" in last_measure:
        year, period = last_measure["__when__"]  # the gap of the figure just stated
    if year is None and period is None:
        return None
    # region
    region = region_of_mention(t, s0, c0, mn, ctx)
    if region is None:
        return None
    # value and sign
    value = mn.value
    negative = value.startswith("-")
    if not negative and measure not in ("ratio", "level", "share", "contribution", "target_progress",
                                        "cumulative"):
        if _RISE_AFTER_FALL.search(lead):
            pass
        elif _FALL.search(t[max(c0, mn.start - 14):mn.start]) and not is_reduction(name):
            value = "-" + value
    # indicator
    unit = mn.unit
    if measure == "ratio":
        n = mn.ratio_part
        key = ratio_key(lex, name, n)
        if key is None:
            return None
        indicator, basis = key
    else:
        m2 = measure
        suffix = None
        if measure in ("change", "gap_vs_city", "gap_vs_province", "gap_vs_country", "change_vs_h1", "change_vs_q1",
                       "gap_vs_target", "gap_other"):
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
            if not grow and base_measure == "share" and last_measure.get("__share__" + name.phrase):
                base = (last_measure["__share__" + name.phrase], "current")  # the share just stated
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
            basis = base[1] if base else "unknown"
        elif measure in ("pull", "contribution", "share", "target_progress", "multiple", "cumulative",
                         "change_ytd"):
            if measure == "share" and name.keys and lex.is_rate(name) and lex.resolve(name, "level", "%"):
                indicator, basis = lex.resolve(name, "level", "%")
            elif measure == "share":
                indicator, basis = share_name(t[c0:mn.start], name, lex), "current"
                last_measure["__share__" + name.phrase] = indicator
            else:
                stem = name.other or (name.keys[0] if name.keys else "")
                if measure == "target_progress":
                    res = lex.resolve(name, "level", "%" if lex.is_rate(name) else mn.unit)
                    stem = res[0].replace("other:", "") if res else stem
                    indicator, basis = f"other:{stem}_target_progress", "unknown"
                else:
                    names = {"pull": "pull_on_growth", "contribution": "contribution_to_growth",
                             "multiple": "multiple", "cumulative": "cumulative", "change_ytd":
                                 "change_since_start_of_year", "share": "share"}
                    if measure in ("pull", "contribution"):
                        stem = re.sub(r"_va$", "", stem)  # 第一产业对经济增长的贡献率: primary_contribution_to_growth
                    indicator = f"other:{stem}_{names[measure]}"
                    if measure == "multiple" and info.get("cmp_years"):
                        indicator += f"_of_{info['cmp_years'][-1]}"  # 比2020年翻一番: a multiple of 2020
                    basis = "comparable" if measure in ("pull", "contribution") else (
                        "current" if measure in ("share", "cumulative", "change_ytd") else "unknown")
                    if measure == "multiple" and name.keys:  # a multiple of a level: the basis of its growth
                        growth = lex.resolve(name, "growth", "%")
                        basis = growth[1] if growth and not growth[0].startswith("other:") else basis
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
        if not (measure.startswith(("change", "gap")) and last_measure.get(name.phrase) in ("growth", "real_growth")
                and indicator.endswith(tuple(f"growth_{x}" for x in ("change_vs_prev_year", "gap_vs_city",
                                                                      "gap_vs_province", "gap_vs_country",
                                                                      "change_vs_h1", "change_vs_q1",
                                                                      "gap_vs_target")))):
            last_measure[name.phrase] = measure  # (a change of the growth keeps the growth the subject's)
    last_measure["__when__"] = (year if not period else None, period)
    if basis == "not_applicable":
        basis = "unknown"
    # quote: from the subject (or the clause) to the number and its unit
    qs = subj[0] if subj[0] <= mn.start else c0
    qe = mn.end
    if qe < len(t) and t[qe] in "）)" and t.count("（", qs, qe) + t.count("(", qs, qe) > \
            t.count("）", qs, qe) + t.count(")", qs, qe):
        qe += 1  # close the bracket the number is in: 全市（6.0%）
    qual = re.match(r"左右|以上|以内|以下|上下", t[qe:qe + 2])
    if qual:
        qe += len(qual.group())  # the qualifier stays with its number: 6.5%左右
    quote = nt.original(qs, qe).strip()
    conf = 0.9 if subj[0] >= c0 else 0.8
    conf += mn.extra_conf
    if indicator.startswith("other:"):
        conf -= 0.2
    return Figure(indicator=indicator, region=region, year=None if period else year, period=period, value=value,
                  unit=unit, price_basis=basis, kind=kind, quote=quote, location=where,
                  confidence=round(conf, 2), context=nt.original(s0, s1).strip())
