"""Figures of tables: a header row that says what each column is, a label per row, a number per cell.

Columns are read from the header: a year (2020年, 2025年), a part of the year
(一季度, 上半年, 前三季度), a level (绝对数, 总量, with the unit in brackets),
growth (比上年增长, 增速), average growth (年均增长; a 〔累计〕 cell is a
cumulative change), a unit column (单位) and columns that are not figures
(序号, 类别, 属性). A row's label names the indicator (地区生产总值（亿元）,
地区生产总值增速（%）, 第一产业).
"""
from __future__ import annotations

import re

from .context import DocContext
from .grammar import UNITS, Figure
from .lexicon import Lexicon
from .normalise import normalise
from .readers import Block

__all__ = ["parse_table"]

_VALUE = re.compile(r"^\s*([<>≥≤＜＞]?)\s*([〔\[(（]?)\s*(-?\d+(?:\.\d+)?)\s*([〕\])）]?)\s*(%?)\s*$")
_IGNORE = re.compile(r"序号|编号|类别|属性|备注|说明|^$")
_UNIT_IN = re.compile(r"[（(]([^）)]+)[）)]")


def _column(header: str, ctx: DocContext) -> dict:
    h = normalise(header).text.strip()
    col: dict = {"header": h}
    if _IGNORE.search(h) and not re.search(r"\d", h):
        col["kind"] = "ignore"
        return col
    if re.fullmatch(r"指标(?:名称)?|项目|名称|地区|行业", h):
        col["kind"] = "label"
        return col
    if h == "单位" or h.startswith("计量单位"):
        col["kind"] = "unit"
        return col
    um = _UNIT_IN.search(h)
    col["unit"] = um.group(1) if um else None
    m = re.search(r"(\d{4})\s*年", h)
    if re.search(r"年均|平均", h):
        col["kind"] = "average"
        return col
    if re.search(r"增长|增速|增幅|增减|同比|比上年|±", h):
        col["kind"] = "growth"
        col["unit"] = col["unit"] or "%"
        return col
    if m:
        col["kind"], col["year"] = "year", int(m.group(1))
        return col
    for word, p in (("前三季度", "Q1-3"), ("上半年", "H1"), ("一季度", "Q1"), ("全年", None)):
        if word in h:
            col["kind"], col["period"] = "period", p
            return col
    mm = re.search(r"1\s*[-—–~至]\s*(1[01]|[2-9])\s*月", h)
    if mm:
        from .timing import months_period

        col["kind"], col["period"] = "period", months_period(int(mm.group(1)))
        return col
    if re.fullmatch(r"上年(?:同期)?(?:数)?(?:[（(][^）)]*[）)])?", h):
        col["kind"], col["year_offset"] = "year", -1
        return col
    if re.fullmatch(r"(?:本年|本期|今年|当年)(?:数|实绩|完成)?(?:[（(][^）)]*[）)])?", h):
        col["kind"], col["year_offset"] = "year", 0
        return col
    if re.search(r"绝对数|总量|数值|金额|数量|本期|现价", h):
        col["kind"] = "level"
        return col
    col["kind"] = "ignore"
    return col


def parse_table(block: Block, ctx: DocContext, lex: Lexicon, state, fmt: str) -> list[Figure]:
    """Figures of a table block (its first row is the header)."""
    rows = block.rows
    if len(rows) < 2:
        return []
    cols = [_column(h, ctx) for h in rows[0]]
    if not any(c["kind"] in ("year", "period", "level", "growth", "average") for c in cols):
        return []
    label_col = next((i for i, c in enumerate(cols) if c["kind"] == "label"), None)
    if label_col is None:
        label_col = next((i for i, c in enumerate(cols) if c["kind"] == "ignore" and not
                          re.search(r"序号|类别|属性", c["header"])), 0)
    unit_col = next((i for i, c in enumerate(cols) if c["kind"] == "unit"), None)
    notes = " ".join(b for b in [state.table_note or ""])
    points_change = bool(re.search(r"累计数单位为百分点|累计.*百分点", notes))
    figures: list[Figure] = []
    for r, row in enumerate(rows[1:], start=1):
        if len(row) <= label_col:
            continue
        raw_label = row[label_col]
        label = normalise(raw_label).text.strip()
        if not label or row == rows[0]:
            continue
        unit_label = None
        um = _UNIT_IN.search(label)
        if um and um.group(1) in UNITS:
            unit_label = um.group(1)
        name = lex.table_name(label)
        if name is None:
            continue
        growth_label = bool(re.search(r"增速|增长|增幅", re.sub(_UNIT_IN, "", label))) or \
            any(lex.registry[k].level_of for k in name.keys) and not any(not lex.registry[k].level_of
                                                                          for k in name.keys)
        row_unit = normalise(row[unit_col]).text.strip() if unit_col is not None and unit_col < len(row) else None
        for c, cell in enumerate(row):
            if c == label_col or c >= len(cols):
                continue
            col = cols[c]
            if col["kind"] in ("ignore", "label", "unit"):
                continue
            cell_n = normalise(cell).text
            vm = _VALUE.match(cell_n)
            if not vm:
                continue
            value = vm.group(3)
            bracketed = bool(vm.group(2))
            unit = col.get("unit") or unit_label or row_unit or ""
            if unit in ("%", "％"):
                unit = "%"
            year = ctx.data_year
            period = None
            kind = "actual"
            if col["kind"] == "year":
                year = col["year"] if "year" in col else (ctx.data_year + col["year_offset"] if ctx.data_year
                                                          else None)
                if year is None:
                    continue
                if ctx.date_year and year > ctx.date_year:
                    kind = "target"
            elif col["kind"] == "period":
                p = col["period"]
                period = f"{ctx.data_year}{p}" if p and ctx.data_year else None
                if p and not ctx.data_year:
                    continue
            if year is None and period is None and col["kind"] not in ("average",):
                continue
            if col["kind"] == "average" or bracketed:
                rng = ctx.plan or ((ctx.data_year - 4, ctx.data_year) if ctx.data_year else None)
                if rng is None:
                    continue
                period, year = f"{rng[0]}-{rng[1]}", None
                kind = "target" if ctx.date_year is None or rng[1] > ctx.date_year else "stated_average"
                if bracketed:
                    if lex.is_rate(name) or unit == "%":
                        unit_c = "个百分点" if points_change and lex.is_rate(name) else unit
                    else:
                        unit_c = unit
                    res = lex.resolve(name, "level", "%" if lex.is_rate(name) else unit)
                    stem = (res[0].replace("other:", "") if res else (name.other or ""))
                    if not stem:
                        continue
                    basis = res[1] if res and res[1] != "not_applicable" else "unknown"
                    if "reduction" in stem or "降低" in label:
                        indicator, unit = f"other:{stem}", "%"
                    else:
                        indicator, unit = f"other:{stem}_change", unit_c
                    if kind == "stated_average":
                        kind = "actual"
                    figures.append(_fig(indicator, ctx, year, period, value, unit, basis, kind, block, r, c,
                                        label_col, fmt, raw_label, row))
                    continue
                measure = "growth"
                unit = "%"
            else:
                measure = "growth" if (col["kind"] == "growth" or growth_label) else "level"
            if measure == "growth" and unit not in ("%",):
                unit = "%"
            res = lex.resolve(name, measure, unit)
            if res is None:
                continue
            indicator, basis = res
            if measure == "level" and lex.is_rate(name) and unit not in ("%", ""):
                continue
            if value.startswith("-") is False and measure == "growth":
                pass
            figures.append(_fig(indicator, ctx, year, period, value, unit, basis, kind, block, r, c, label_col,
                                fmt, raw_label, row))
    return figures


def _fig(indicator, ctx, year, period, value, unit, basis, kind, block: Block, r, c, label_col, fmt, raw_label,
         row) -> Figure:
    if block.source_text is not None and block.cell_spans is not None:
        spans = block.cell_spans[r]
        a = spans[label_col][0]
        b = spans[c][1]
        quote = block.source_text[a:b]
    else:
        quote = "\t".join(x for x in row[label_col:c + 1])
    where = f"{block.where()} row {r + 1} col {c + 1}".strip()
    if block.source_text is not None and block.cell_spans is not None:
        context = block.source_text[block.cell_spans[r][0][0]:block.cell_spans[r][-1][1]]
    else:
        context = "\t".join(row)
    return Figure(indicator=indicator, region=ctx.region, year=None if period else year, period=period,
                  value=value, unit=unit, price_basis=basis, kind=kind, quote=quote, location=where,
                  confidence=0.85 if not indicator.startswith("other:") else 0.65, context=context)
