"""The explorer's tables: the headline figures and the sector structure, current beside start, as HTML.

The numbers are those of :func:`~xiqu_analysis.reports.tables.scenario.headline_table`
and of the projection table (shares, 拉动 pulls, 贡献率 contributions); this
module only lays them out, formats them and escapes every text.
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd

from ...inputs.scenario import SECTORS
from ..tables.scenario import HEADLINE_COLUMNS
from ..words.text import fmt_number, persons_scale, t

__all__ = ["DECIMALS", "structure_frame", "headline_html", "structure_html"]

#: decimals shown per kind of quantity (亿元 two, yuan none, per cent one; persons: :func:`_decimals`)
DECIMALS = {"yi": 2, "persons": 0, "yuan": 0, "pct": 1, "pp": 2}

_STYLE = ("<style>.xiqu-table{border-collapse:collapse;font-size:12px;margin:4px 0}"
          ".xiqu-table th,.xiqu-table td{padding:2px 8px;border-bottom:1px solid #e0e0e0;text-align:right}"
          ".xiqu-table th:first-child,.xiqu-table td:first-child{text-align:left}"
          ".xiqu-table .start{color:#8a8a8a}.xiqu-table .txt{text-align:left}"
          ".xiqu-note{font-size:11px;color:#666}</style>")


def _cell(value: float, decimals: int, lang: str = "en") -> str:
    return fmt_number(value, decimals, lang) if np.isfinite(value) else "–"


def _decimals(kind: str, lang: str) -> int:
    """Decimals of a kind of quantity; a population in the readers' unit (12.94万人) as the language writes it."""
    return persons_scale(lang)[1] if kind == "persons" else DECIMALS[kind]


def headline_html(current: pd.DataFrame, start: pd.DataFrame, years: list[int], lang: str) -> str:
    """The headline table: one row per indicator, each year's value for the current and the starting scenario.

    Parameters
    ----------
    current, start : DataFrame
        :func:`~xiqu_analysis.reports.tables.scenario.headline_table` of each scenario (same language, same years).
    """
    ind, unit, basis = (t(f"label.{k}", lang) for k in ("indicator", "unit", "basis"))
    status = t("label.status_projected", lang)
    cols = [(y, t("unit.year", lang, year=y)) for y in years if t("unit.year", lang, year=y) in current.columns]
    head = [f"<th>{html.escape(ind)}</th>", f"<th class='txt'>{html.escape(unit)}</th>",
            f"<th class='txt'>{html.escape(basis)}</th>"]
    for y, _ in cols:
        head.append(f"<th>{html.escape(t('explorer.headline.current', lang, year=y))}</th>")
        head.append(f"<th class='start'>{html.escape(t('explorer.headline.start', lang, year=y))}</th>")
    head.append(f"<th class='txt'>{html.escape(status)}</th>")
    rows = []
    for i, (_, kind) in enumerate(HEADLINE_COLUMNS):
        r, s = current.iloc[i], start.iloc[i]
        cells = [f"<td>{html.escape(str(r[ind]))}</td>", f"<td class='txt'>{html.escape(str(r[unit]))}</td>",
                 f"<td class='txt'>{html.escape(str(r[basis]))}</td>"]
        for _, col in cols:
            cells.append(f"<td>{_cell(float(r[col]), _decimals(kind, lang), lang)}</td>")
            cells.append(f"<td class='start'>{_cell(float(s[col]), _decimals(kind, lang), lang)}</td>")
        cells.append(f"<td class='txt'>{html.escape(str(r[status]))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (_STYLE + "<table class='xiqu-table xiqu-headline-table'><thead><tr>" + "".join(head) + "</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>"
            + f"<div class='xiqu-note'>{html.escape(t('explorer.headline.note', lang))}</div>")


def structure_frame(table: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Shares (%), pulls (pp) and contributions (%) of each sector in ``years``.

    One row per sector (:data:`~xiqu_analysis.inputs.scenario.SECTORS`);
    columns ``share_<year>``, and for years after the base ``pull_<year>``
    and ``contribution_<year>``, straight from the projection table.
    """
    all_years = table["year"].to_numpy()
    base = int(all_years[0])
    rows = {int(y): int(np.flatnonzero(all_years == y)[0]) for y in years}
    data: dict[str, list] = {"sector": list(SECTORS)}
    for y, i in rows.items():
        data[f"share_{y}"] = [float(table[f"{s}_share"].to_numpy()[i]) * 100.0 for s in SECTORS]
        if y > base:
            data[f"pull_{y}"] = [float(table[f"{s}_pull"].to_numpy()[i]) for s in SECTORS]
            data[f"contribution_{y}"] = [float(table[f"{s}_contribution"].to_numpy()[i]) for s in SECTORS]
    return pd.DataFrame(data)


def structure_html(current: pd.DataFrame, start: pd.DataFrame, years: list[int], lang: str) -> str:
    """The structure table of :func:`structure_frame`, current beside start, headers in ``lang``."""
    measures = [c for c in current.columns if c != "sector"]
    head = [f"<th>{html.escape(t('explorer.structure.sector', lang))}</th>"]
    for c in measures:
        kind, year = c.rsplit("_", 1)
        text = t(f"explorer.structure.{kind}", lang, year=year)
        head.append(f"<th>{html.escape(text)}</th>")
        head.append(f"<th class='start'>{html.escape(t('explorer.structure.start_suffix', lang))}</th>")
    rows = []
    for i, s in enumerate(current["sector"]):
        name = t(f"sector.{s}", lang)  # the sector (its share, pull, contribution), not its real value added
        cells = [f"<td>{html.escape(name[:1].upper() + name[1:])}</td>"]
        for c in measures:
            decimals = 2 if c.startswith("pull") else 1
            cells.append(f"<td>{_cell(float(current.iloc[i][c]), decimals, lang)}</td>")
            cells.append(f"<td class='start'>{_cell(float(start.iloc[i][c]), decimals, lang)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return ("<table class='xiqu-table xiqu-structure-table'><thead><tr>" + "".join(head) + "</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>"
            + f"<div class='xiqu-note'>{html.escape(t('explorer.structure.note', lang))}</div>")
