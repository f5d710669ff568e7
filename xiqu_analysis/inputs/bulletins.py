"""User-supplied annual series from the district's statistical bulletins.

No annual series of Xiqu's GDP, value added, income or budget revenue exists
in the public copies this project was built from: users supply the figures of
the district's statistical bulletins (西区国民经济和社会发展统计公报) as a CSV
(``data/bulletins/TEMPLATE.csv``, documented in ``data/bulletins/README.md``),
read by :func:`load_bulletin` with the package's one CSV validator
(:func:`~xiqu_analysis.inputs.csvtable.validate_table`).

Two kinds of series are kept apart and never mixed: **level** series (亿元,
元, 万人, ...; money at ``current`` or ``comparable`` prices) and **rate**
series (``%``; real growth at ``comparable`` prices).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..units import UNIT_FACTORS
from .csvtable import Column, fail, read_csv_table, unit_check, validate_table
from .figures import PRICE_BASES, REGION_KEY
from .indicators import data_root, load_indicators

__all__ = ["BULLETIN_COLUMNS", "BULLETIN_SPEC", "YEAR_RANGE", "load_bulletin", "empty_bulletin",
           "bulletin_series", "series_kind"]

#: columns of a bulletin CSV, in order
BULLETIN_COLUMNS = ("region", "indicator", "year", "value", "unit", "price_basis", "source")
#: years a bulletin row may have
YEAR_RANGE = (1949, 2100)
_MONEY = "yuan"

BULLETIN_SPEC: dict[str, Column] = {
    "region": Column(pattern=REGION_KEY.pattern),
    "indicator": Column(pattern=r"[a-z][a-z0-9_]*"),
    "year": Column("int", minimum=YEAR_RANGE[0], maximum=YEAR_RANGE[1]),
    "value": Column("float", thousands=True),
    "unit": Column(check=unit_check),
    "price_basis": Column(choices=PRICE_BASES),
    "source": Column(),
}
"""Column specification of a bulletin CSV (every cell required)."""

#: unit families and the base units that fit them
_UNIT_FAMILY_BASES = {"yuan": {"yuan"}, "persons": {"persons"}, "percent": {"percent"}, "ratio": {"ratio", "percent"}}


def empty_bulletin() -> pd.DataFrame:
    """A bulletin frame with no rows (the columns and dtypes :func:`load_bulletin` returns)."""
    return pd.DataFrame(columns=[*BULLETIN_COLUMNS, "kind"]).astype({"year": "int64", "value": "float64"})


def load_bulletin(path: str | Path, *, indicators: pd.DataFrame | None = None,
                  data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load and validate a user-supplied bulletin CSV.

    Parameters
    ----------
    path : str or Path
        UTF-8 CSV with the columns :data:`BULLETIN_COLUMNS`; lines starting
        with ``#`` are comments.
    indicators : pandas.DataFrame, optional
        The data dictionary (:func:`~xiqu_analysis.inputs.indicators.load_indicators`);
        read from ``data_dir`` when None. Every indicator must be defined in it
        and its unit must belong to the indicator's unit family.
    data_dir : str or Path, optional
        Data folder holding ``indicators.csv`` when ``indicators`` is None.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BULLETIN_COLUMNS` plus ``kind`` (``"rate"`` for unit
        ``%``, else ``"level"``), sorted by region, indicator, year; ``year``
        int, ``value`` float. Values keep the unit of the file.

    Raises
    ------
    InputError
        One line naming the file, ``row N, column C`` and the problem, where
        N is the line number in the file (header = line 1; comment and blank
        lines count): missing file or columns, bad year or number, unknown
        unit, indicator or price basis, money at ``not_applicable`` prices, a
        non-money level with a price basis, a non-positive level, a series
        mixing units or price bases, or a duplicate (region, indicator, year).
    """
    path = Path(path)
    if indicators is None:
        indicators = load_indicators(data_root(data_dir))
    raw = read_csv_table(path, comments=True)
    df = validate_table(raw, BULLETIN_SPEC, path)
    if df.empty:
        raise InputError(path, None, "no data rows (only a header or comments)")
    families = dict(zip(indicators["indicator"], indicators["unit_family"]))
    level_of = {k: v for k, v in zip(indicators["indicator"], indicators["level_of"]) if v}
    seen: dict[tuple[str, str, int], int] = {}
    kinds = []
    for row in df.to_dict("records"):
        line, ind, unit, basis, value = row["_line"], row["indicator"], row["unit"], row["price_basis"], row["value"]
        base = UNIT_FACTORS[unit][0]
        if base == _MONEY and basis == "not_applicable":
            fail(path, line, "price_basis", "a money amount ({unit}) needs 'current' or 'comparable' prices", unit=unit)
        if base != _MONEY and unit != "%" and basis != "not_applicable":
            fail(path, line, "price_basis", "{unit} is not money; use 'not_applicable'", unit=unit)
        if ind not in families:
            fail(path, line, "indicator", "unknown indicator {ind!r}; define it in data/indicators.csv", ind=ind)
        fam = families[ind]
        if base not in _UNIT_FAMILY_BASES.get(fam, {fam}):
            fail(path, line, "unit", "{unit} does not fit indicator {ind!r} (unit family {fam})", unit=unit, ind=ind,
                 fam=fam)
        if ind in level_of and families.get(level_of[ind]) == _MONEY and basis == "not_applicable":
            fail(path, line, "price_basis",
                 "{ind} is the growth of a money amount: use 'comparable' (real) or 'current' (nominal)", ind=ind)
        kind = "rate" if unit == "%" else "level"
        if kind == "level" and value <= 0 and base in (_MONEY, "persons"):
            fail(path, line, "value", "{value:g} {unit}: a level must be positive", value=value, unit=unit)
        key = (row["region"], ind, int(row["year"]))
        if key in seen:
            fail(path, line, "year", "duplicate of row {seen} ({region}, {ind}, {year})", seen=seen[key], region=key[0],
                 ind=ind, year=key[2])
        seen[key] = line
        kinds.append(kind)
    df["kind"] = kinds
    # A series keeps one unit and one price basis (never splice current and comparable).
    for (region, ind), grp in df.groupby(["region", "indicator"], sort=False):
        for col in ("unit", "price_basis"):
            if grp[col].nunique() > 1:
                first = int(grp.loc[grp[col] != grp[col].iloc[0], "_line"].iloc[0])
                fail(path, first, col, "{region}/{ind} mixes {col} values {set}; one series keeps one {col}",
                     region=region, ind=ind, col=col, set=sorted(set(grp[col])))
    out = df[[*BULLETIN_COLUMNS, "kind"]].astype({"year": "int64", "value": "float64"})
    return out.sort_values(["region", "indicator", "year"], kind="stable").reset_index(drop=True)


def bulletin_series(df: pd.DataFrame, indicator: str, region: str = "xiqu", *, source: str = "bulletin",
                    latest_run: bool = False) -> pd.Series:
    """One indicator of a loaded bulletin as a year-indexed float Series.

    The Series carries ``attrs`` ``unit``, ``price_basis``, ``kind``
    (``"level"``/``"rate"``), ``indicator`` and ``region``, which
    :func:`forecast_series` reads. Years must be consecutive (a gap would make
    a one-step model a two-step one without saying so); with ``latest_run``
    a series with gaps gives its latest consecutive years instead.

    Raises
    ------
    InputError
        If the indicator/region is absent or the years have gaps (without ``latest_run``).
    """
    sel = df[(df["region"] == region) & (df["indicator"] == indicator)]
    if sel.empty:
        have = sorted(set(df.loc[df["region"] == region, "indicator"]))
        where = f"region {region!r}"
        if not have:
            regions = sorted(set(df["region"]))
            raise InputError(source, "region", "no rows for {where}; regions present: {items}", where=where,
                             items=', '.join(regions))
        raise InputError(source, "indicator", "no rows for {indicator!r} in {where}; indicators present: {items}",
                         indicator=indicator, where=where, items=', '.join(have))
    years = sel["year"].to_numpy()
    gaps = [int(y) for y in range(int(years.min()), int(years.max()) + 1) if y not in set(years.tolist())]
    if gaps and latest_run:
        sel = sel[sel["year"] > max(gaps)]
        years = sel["year"].to_numpy()
    elif gaps:
        raise InputError(source, "year", "{region}/{indicator} has gaps (missing {items}); supply consecutive years",
                         region=region, indicator=indicator, items=', '.join(map(str, gaps)))
    s = pd.Series(sel["value"].to_numpy(dtype=float), index=pd.Index(years.astype(int), name="year"), name=indicator)
    s.attrs.update(unit=str(sel["unit"].iloc[0]), price_basis=str(sel["price_basis"].iloc[0]),
                   kind=str(sel["kind"].iloc[0]), indicator=indicator, region=region)
    return s


def series_kind(series: pd.Series) -> str:
    """``"rate"`` if the series' unit (``attrs["unit"]``) is ``%`` or ``attrs["kind"] == "rate"``, else ``"level"``."""
    kind = series.attrs.get("kind")
    if kind in ("level", "rate"):
        return kind
    return "rate" if series.attrs.get("unit") == "%" else "level"


