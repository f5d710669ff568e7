"""A region's files, loaded once: ``region.yaml``, figures, the data dictionary, projects.

:func:`load_region` reads and validates everything a region's computations
and reports need and returns it as one frozen :class:`RegionData` record
(with the benchmark region's record inside it). The economics and the reports
receive that record; they never open a file.

``region.yaml`` (validated by :class:`RegionInfo`)::

    key: xiqu                     # the folder name
    code: "510403"                # 6-digit administrative code, in quotes
    name_en: Xiqu district (Panzhihua)
    name_zh: 攀枝花市西区
    parent: panzhihua             # or null
    benchmark_region: panzhihua   # compared in the audit and the reports, or null
    base_year: 2020               # base year of the region's plan and scenarios
    plan_end_year: 2025           # last year of the plan period (optional)
    long_range_year: 2035         # year of the plan's long-range goals (optional)
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from .. import config
from ..config import data_root
from ..errors import InputError, Message
from .csvtable import Table, check_rows
from .figures import Figure, check_figures, figures_from_rows, list_regions
from .indicators import check_indicators
from .projects import COLUMN_COLUMNS, PART_COLUMNS, check_project_columns, check_project_parts, check_projects
from .region_info import REGION_KEY, RegionInfo, data_field, load_region_info

if TYPE_CHECKING:  # a region is read and checked without pandas; its frames are made when first asked for
    import pandas as pd

__all__ = ["RegionInfo", "RegionData", "data_field", "load_region_info", "load_region", "data_files"]

class _Frame:
    """A frame of :class:`RegionData`: the one given to the constructor, else made from the region's checked
    table when first read (so that what needs only the figures' records starts without pandas)."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return None  # the field's default: made from the table
        frame = obj.__dict__.get(self.name)
        if frame is None:
            table = obj.tables.get(self.name)
            if table is None and self.name in _EMPTY:  # a record built without the file: its columns, no rows
                table = check_rows(Table({c: [] for c in _EMPTY[self.name]}, {}, []), _EMPTY[self.name], self.name)
            frame = obj.__dict__[self.name] = table.frame()
        return frame

    def __set__(self, obj, value) -> None:
        obj.__dict__[self.name] = value


_EMPTY = {"project_parts": PART_COLUMNS, "project_columns": COLUMN_COLUMNS}


@dataclass(frozen=True, eq=False, repr=False)
class RegionData:
    """Everything the computations and reports of one region read, loaded once.

    Attributes
    ----------
    info : RegionInfo
        ``region.yaml``.
    figures : pandas.DataFrame
        Validated ``figures.csv`` (:func:`~xiqu_analysis.inputs.figures.load_figures`).
    indicators : pandas.DataFrame
        The data dictionary ``indicators.csv``.
    projects : pandas.DataFrame
        ``projects.csv`` (empty with its columns when the region has none).
    benchmark : RegionData or None
        The benchmark region's record (its own benchmark not loaded).
    data_dir : Path
        The data folder the files came from.
    project_parts : pandas.DataFrame
        ``project_parts.csv``: the parts the plan lists for some projects
        (empty with its columns when the region has none).
    project_columns : pandas.DataFrame
        ``project_columns.csv``: each 专栏's title and plan section (empty
        with its columns when the region has none).
    tables : mapping of str to Table
        The checked files by the name of their frame (:func:`load_region` gives them; no pandas).
        A frame not given is made from its table when first read (so that what needs only the
        figures' records, such as ``xiqu project``, starts without pandas).

    The frames are shared: treat them as read-only.
    """

    info: RegionInfo
    figures: pd.DataFrame = _Frame()
    indicators: pd.DataFrame = _Frame()
    projects: pd.DataFrame = _Frame()
    benchmark: "RegionData | None" = field(default=None, repr=False)
    data_dir: Path = field(default_factory=config.data_dir, repr=False)
    project_parts: pd.DataFrame | None = _Frame()
    project_columns: pd.DataFrame | None = _Frame()
    tables: Mapping[str, Table] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"RegionData(info={self.info!r})"

    @property
    def key(self) -> str:
        """The region key (folder name)."""
        return self.info.key

    @cached_property
    def _records(self) -> dict[str, Figure]:
        given = self.__dict__.get("figures")  # a frame given (or made already), else the checked table
        rows = given.to_dict("records") if given is not None else self.tables["figures"].records()
        return {f.id: f for f in figures_from_rows(rows)}

    def figure(self, figure_id: str) -> Figure:
        """The figure with id ``figure_id`` of this region or its benchmark.

        Raises
        ------
        InputError
            No such id (the message suggests close ids).
        """
        if figure_id in self._records:
            return self._records[figure_id]
        if self.benchmark is not None and figure_id in self.benchmark._records:
            return self.benchmark._records[figure_id]
        known = list(self._records) + (list(self.benchmark._records) if self.benchmark is not None else [])
        hint = difflib.get_close_matches(figure_id, known, n=2)
        raise InputError(self.data_dir / "regions" / self.key / "figures.csv", "id",
                         Message("no figure with id {figure_id!r} (close: {close})", figure_id=figure_id,
                                 close=", ".join(hint))
                         if hint else Message("no figure with id {figure_id!r}", figure_id=figure_id))

    def has_figure(self, figure_id: str) -> bool:
        """True when :meth:`figure` finds ``figure_id``."""
        return figure_id in self._records or (self.benchmark is not None and figure_id in self.benchmark._records)

    def records(self) -> list[Figure]:
        """Every figure of the region as a :class:`Figure`, in file order."""
        return list(self._records.values())

    def label(self, indicator: str, lang: str) -> str:
        """The registry's name of ``indicator`` in ``lang`` (``label_<lang>``, then English; the key when unknown)."""
        rows = self.indicators[self.indicators["indicator"] == indicator]
        if rows.empty:
            return indicator
        row = rows.iloc[0]
        for column in (data_field("label", lang, rows.columns), "label_en"):  # an empty name falls back to English
            text = row.get(column)
            if isinstance(text, str) and text.strip():
                return text.strip()
        return indicator


def load_region(region: str = config.DEFAULT_REGION, data_dir: str | Path | None = None, *,
                benchmark: bool = True) -> RegionData:
    """Load and validate a region's files once (see the module docstring).

    Parameters
    ----------
    region : str
        Folder under ``data/regions/`` (default ``"xiqu"``).
    data_dir : path, optional
        Data folder (default :func:`xiqu_analysis.config.data_dir`).
    benchmark : bool
        Also load the benchmark region named in ``region.yaml``.

    Raises
    ------
    InputError
        The first problem in any of the files, naming file, field and problem.
    """
    return _load_region(region, data_root(data_dir), None, benchmark)


def _load_region(region: str, root: Path, indicators: Table | None, benchmark: bool) -> RegionData:
    """:func:`load_region` in the data folder ``root``; ``indicators``: the data dictionary already read
    (the benchmark region's record shares its region's)."""
    if not REGION_KEY.fullmatch(region or ""):
        raise InputError(root / "regions", "region", "bad region key {region!r} (a-z, 0-9, _)", region=region)
    folder = root / "regions" / region
    if not folder.is_dir():
        known = list_regions(root)
        raise InputError(folder, "region", "unknown region {region!r}; known regions: {known}", region=region,
                         known=', '.join(known) or 'none')
    info = load_region_info(region, root)
    indicators = check_indicators(root) if indicators is None else indicators
    figures = check_figures(region, root, indicators=indicators)
    projects = check_projects(region, root)
    parts = check_project_parts(projects, region, root)
    columns = check_project_columns(projects, region, root)
    bench = None
    if benchmark and info.benchmark_region:
        if info.benchmark_region not in list_regions(root):
            raise InputError(folder / "region.yaml", "benchmark_region",
                             "no region {benchmark_region!r} with a figures.csv under {folder}",
                             benchmark_region=info.benchmark_region, folder=root / 'regions')
        bench = _load_region(info.benchmark_region, root, indicators, False)
    tables = {"figures": figures, "indicators": indicators, "projects": projects, "project_parts": parts,
              "project_columns": columns}
    return RegionData(info=info, tables=tables, benchmark=bench, data_dir=root)


def data_files(data_dir: str | Path | None = None) -> list[Path]:
    """Every regular file under the data folder (hidden files and folders skipped), absolute, sorted.

    What a run's manifest hashes: the data dictionary, every region's files
    and the bulletins users add.
    """
    root = data_root(data_dir)
    if not root.is_dir():
        return []
    out = []
    for p in root.rglob("*"):
        rel = p.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or "__pycache__" in rel.parts:
            continue
        if p.is_file():
            out.append(p.resolve())
    return sorted(out)
