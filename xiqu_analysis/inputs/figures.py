"""Sourced figures: ``data/regions/<region>/figures.csv``, validated, as frames or records.

Every figure the package uses is a row with its unit, price basis, kind,
source, quote and trust level (format: ``data/README.md``). Values stay in the
unit written in the file (亿元, 万人, 元, %, ...); :meth:`Figure.value_in` and
:mod:`xiqu_analysis.units` convert.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from .. import config
from ..errors import InputError, Message
from ..periods import YEAR_MAX, YEAR_MIN, check_period_text, parse_period
from ..units import KNOWN_UNITS, UNIT_FACTORS, convert
from .csvtable import Column, Table, check_rows, fail, is_empty, read_csv_rows, unit_check
from .indicators import check_indicators, data_root
from .region_info import REGION_KEY

if TYPE_CHECKING:  # the checks need no pandas; load_figures gives a frame
    import pandas as pd

__all__ = [
    "KINDS",
    "PRICE_BASES",
    "TRUST_LEVELS",
    "REGION_KEY",
    "FIGURE_COLUMNS",
    "Figure",
    "list_regions",
    "load_figures",
    "check_figures",
    "load_all_figures",
    "figures_from_frame",
    "figures_from_rows",
    "decimals_written",
    "figure",
]

#: what a figure is: a measured level or rate, a goal, an average or a
#: cumulative change stated over a period, a census count, an estimate.
KINDS = ("actual", "target", "stated_average", "stated_change", "census", "estimate")
#: ``current``: current prices (levels, nominal rates); ``comparable``: constant
#: (real) prices; ``not_applicable``: persons, areas, shares of counts, ...
PRICE_BASES = ("current", "comparable", "not_applicable")
#: from the plan itself (``primary``) to weak copies (``low``)
TRUST_LEVELS = ("primary", "high", "medium-high", "medium", "medium-low", "low-medium", "low")
#: a region key: the folder name under ``data/regions/``

FIGURE_COLUMNS: dict[str, Column] = {
    "id": Column(pattern=r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.\d{4}(-\d{4})?(\.[A-Za-z0-9_-]+)?"),
    "indicator": Column(pattern=r"[a-z][a-z0-9_]*"),
    "region": Column(pattern=REGION_KEY.pattern),
    "year": Column("int", nullable=True, minimum=YEAR_MIN, maximum=YEAR_MAX),
    "period": Column(nullable=True, check=check_period_text),
    "value": Column("float"),
    "unit": Column(check=unit_check),
    "price_basis": Column(choices=PRICE_BASES),
    "kind": Column(choices=KINDS),
    "source": Column(),
    "quote": Column(),
    "trust": Column(choices=TRUST_LEVELS),
    "note": Column(nullable=True),
}
"""Columns of ``figures.csv`` (``data/README.md``)."""


@dataclass(frozen=True)
class Figure:
    """One sourced figure (a row of ``figures.csv``).

    ``value`` is in ``unit`` (亿元, 万人, 元, %, ...). ``year`` is set for a
    point in time, ``period`` ("2016-2020": growth years, i.e. from 2015 to
    2020) for averages, changes and multi-year targets; exactly one is set.
    ``decimals`` is the number of decimals written in the file (its stated
    precision: half a unit of the last digit is the rounding).
    """

    id: str
    indicator: str
    region: str
    year: int | None
    period: str | None
    value: float
    unit: str
    price_basis: str
    kind: str
    source: str
    quote: str
    trust: str
    note: str = ""
    decimals: int = 0

    def value_in(self, unit: str) -> float:
        """The value converted to ``unit`` (``value_in("元")`` of 82.91 亿元 is 8.291e9).

        Raises
        ------
        ValueError
            ``unit`` is unknown or of another base (yuan vs persons).
        """
        if unit not in UNIT_FACTORS:
            raise ValueError(f"unknown unit {unit!r}; known units: {', '.join(sorted(KNOWN_UNITS))}")
        return convert(self.value, self.unit, unit)

    @property
    def rounding(self) -> float:
        """Half a unit of the last stated digit, in ``unit`` (82.91 -> 0.005)."""
        return 0.5 * 10.0 ** (-self.decimals)

    @property
    def years(self) -> tuple[int, int]:
        """First and last year covered: ``(2020, 2020)`` or ``(2016, 2020)`` for a period."""
        if self.period:
            return parse_period(self.period)
        assert self.year is not None
        return int(self.year), int(self.year)

    @property
    def when(self) -> str:
        """The year or the period as text."""
        return self.period if self.period else str(self.year)


def list_regions(data_dir: str | Path | None = None) -> list[str]:
    """Region keys: folders of ``data/regions/`` holding a ``figures.csv``, sorted."""
    base = data_root(data_dir) / "regions"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / "figures.csv").is_file())


def decimals_written(text: str) -> int:
    """Decimals a number is written with (``"95.30"`` -> 2, ``"1.2e3"`` -> -2): its stated precision."""
    text = text.strip().lower()
    mantissa, _, exp = text.partition("e")
    dec = len(mantissa.split(".", 1)[1]) if "." in mantissa else 0
    return dec - int(exp or 0)


def load_figures(region: str = config.DEFAULT_REGION, data_dir: str | Path | None = None, *,
                 indicators: pd.DataFrame | Table | None = None) -> pd.DataFrame:
    """Validated ``data/regions/<region>/figures.csv`` (:func:`check_figures`) as a frame."""
    return check_figures(region, data_dir, indicators=indicators).frame()


def check_figures(region: str = config.DEFAULT_REGION, data_dir: str | Path | None = None, *,
                  indicators: pd.DataFrame | Table | None = None) -> Table:
    """Validated ``data/regions/<region>/figures.csv``, as a :class:`~.csvtable.Table` (no pandas).

    Parameters
    ----------
    region : str
        Folder name under ``data/regions/`` (default ``"xiqu"``).
    data_dir : path, optional
        Data folder; default :func:`xiqu_analysis.config.data_dir` (env
        ``XIQU_DATA_DIR``).
    indicators : Table or DataFrame, optional
        The data dictionary already loaded (:func:`~.indicators.check_indicators`,
        :func:`~.indicators.load_indicators`); read from ``data_dir`` when None.

    Returns
    -------
    Table
        Columns of :data:`FIGURE_COLUMNS` (``year`` int, None when empty; as a frame ``Int64``;
        ``value`` float in ``unit``; empty ``period``/``note`` are ``""``), then
        ``decimals`` (decimals written in the file).
    Raises
    ------
    InputError
        ``<file>: field 'row N, column C': <problem>`` for missing columns,
        bad types, unknown units, kinds, price bases or trust levels,
        duplicate ids, both or neither of year and period, a bad period, an
        indicator not defined in ``data/indicators.csv``, a unit not of the
        indicator's unit family, a region other than the folder, or an id not
        of the form ``<region>.<indicator>.<year or period>[.<qualifier>]``.
    """
    root = data_root(data_dir)
    if not REGION_KEY.fullmatch(region or ""):
        raise InputError(root / "regions", "region", "bad region key {region!r} (a-z, 0-9, _)", region=region)
    path = root / "regions" / region / "figures.csv"
    if not path.is_file():
        known = list_regions(root)
        raise InputError(path, None, "no figures for region {region!r}; known regions: {known}", region=region,
                         known=', '.join(known) or 'none')
    if indicators is None:
        indicators = check_indicators(root)
    families = dict(zip(indicators["indicator"], indicators["unit_family"]))
    raw = read_csv_rows(path)
    df = check_rows(raw, FIGURE_COLUMNS, path)
    decimals = []
    seen: dict[str, int] = {}
    for row, written in zip(df.records(), raw["value"]):
        line = row._line
        has_year = not is_empty(row.year)
        if has_year == bool(row.period):
            fail(path, line, "year" if not has_year else "period",
                  "give exactly one of year and period (both are set)" if has_year else
                  "give exactly one of year and period (both are empty)")
        if row.id in seen:
            fail(path, line, "id", "duplicate id {id!r} (first on row {seen})", id=row.id, seen=seen[row.id])
        seen[row.id] = line
        if row.region != region:
            fail(path, line, "region", "{region!r} in the file of region {region2!r}", region=row.region,
                 region2=region)
        if row.indicator not in families:
            hint = difflib.get_close_matches(row.indicator, list(families), n=1)
            fail(path, line, "indicator", Message("{indicator!r} is not defined in data/indicators.csv (did you mean "
                                                  "{close!r}?)", indicator=row.indicator, close=hint[0]) if hint else
                 Message("{indicator!r} is not defined in data/indicators.csv", indicator=row.indicator))
        when = row.period if row.period else str(int(row.year))
        prefix = f"{region}.{row.indicator}.{when}"
        if not (row.id == prefix or row.id.startswith(prefix + ".")):
            fail(path, line, "id", "{id!r} should be {prefix!r} or {prefix}.<qualifier>", id=row.id, prefix=prefix)
        family = families[row.indicator]
        if UNIT_FACTORS[row.unit][0] != family:
            fail(path, line, "unit", "unit {unit!r} is not a {family} unit, as indicator {indicator!r} requires",
                 unit=row.unit, family=family, indicator=row.indicator)
        decimals.append(decimals_written(written))
    return Table({**df.columns, "decimals": decimals}, {**df.dtypes, "decimals": "int"}, df.lines)


def load_all_figures(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Figures of every region under ``data/regions/``, concatenated (region order sorted)."""
    root = data_root(data_dir)
    import pandas as pd

    frames = [load_figures(r, root) for r in list_regions(root)]
    if not frames:
        raise InputError(root / "regions", None, "no region folder with a figures.csv")
    return pd.concat(frames, ignore_index=True)


def figures_from_frame(df: pd.DataFrame) -> list[Figure]:
    """Rows of a figures frame as :class:`Figure` records."""
    return figures_from_rows(df.to_dict("records"))


def figures_from_rows(rows) -> list[Figure]:
    """Rows of figures (a frame's records, :meth:`Table.records`) as :class:`Figure` records."""
    out = []
    for row in rows:
        year = None if is_empty(row["year"]) else int(row["year"])
        out.append(Figure(
            id=row["id"], indicator=row["indicator"], region=row["region"], year=year,
            period=row["period"] or None, value=float(row["value"]), unit=row["unit"],
            price_basis=row["price_basis"], kind=row["kind"], source=row["source"],
            quote=row["quote"], trust=row["trust"], note=row["note"] or "",
            decimals=int(row.get("decimals", 0) or 0),
        ))
    return out


def figure(figure_id: str, data_dir: str | Path | None = None) -> Figure:
    """The figure with id ``figure_id`` (``"xiqu.gdp.2020"``) as a frozen :class:`Figure`.

    Raises
    ------
    InputError
        No such region or no such id (the message suggests close ids).
    """
    region = figure_id.split(".", 1)[0]
    root = data_root(data_dir)
    if region not in list_regions(root):
        raise InputError(root / "regions", "id",
                         "no region {region!r} for figure id {figure_id!r}; known regions: {known}", region=region,
                         figure_id=figure_id, known=', '.join(list_regions(root)) or 'none')
    df = load_figures(region, root)
    match = df[df["id"] == figure_id]
    if match.empty:
        hint = difflib.get_close_matches(figure_id, df["id"].tolist(), n=3)
        raise InputError(root / "regions" / region / "figures.csv", "id",
                         Message("no figure with id {figure_id!r} (close: {close})", figure_id=figure_id,
                                 close=", ".join(hint))
                         if hint else Message("no figure with id {figure_id!r}", figure_id=figure_id))
    return figures_from_frame(match)[0]
