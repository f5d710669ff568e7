"""Annual review: the district's actual figures against the plan's path and the scenarios.

Inputs: a user-supplied bulletin CSV of actuals (``data/bulletins/``, loaded
by :func:`xiqu_analysis.statistics.load_bulletin`) and scenario files. No
actual figure ships with the project (none is public); with no actuals after
the plan's base year 2020 the review still runs and says so plainly.

What it computes (all in :func:`annual_review`, returned as one frozen
:class:`Review`):

* **plan path** -- the plan's 2021-2025 floors (plan ch.2 §4.2: industry
  >= 7.5 %, services >= 8.5 %, agriculture >= 3.5 % a year, real; read from
  ``data/`` via :func:`xiqu_analysis.uncertainty.plan_targets`) applied from
  2020: each actual real growth rate is compared with its floor, and the
  cumulative real growth since 2020 (chained actual rates) with the floor's
  path ``(1 + floor)^(t - 2020)``;
* **scenario scores** -- each actual against each scenario's projection
  (:func:`xiqu_analysis.projection.project`): error of the level
  (actual - projected, and in %) and of growth (pp), and the fan band of
  :func:`xiqu_analysis.uncertainty.simulate` the actual falls in
  (``below p5``, ``p5-p10``, ..., ``above p95``);
* **re-based projections** -- each scenario's level path moved onto the
  latest actual: ``rebased_t = actual_L * projected_t / projected_L`` for
  ``t >= L`` (the same growth path from the latest actual year ``L``);
* **required growth** -- for each plan floor, the average annual growth now
  needed over the remaining years to meet the floor's 2020-2025 average:
  ``required_growth_pct(cumulative index at L, (1 + floor)^5, 2025 - L)``
  (:func:`xiqu_analysis.targets.required_growth_pct`).

Levels are compared with levels at the same price basis (current prices),
real growth rates with real growth rates; nothing derives real growth from
current-price levels. Units: 亿元 = 1e8 yuan; growth in % a year; gaps in pp.

Report text (headings, captions, messages, the notes of the required-growth
table, figure labels) lives under ``review:`` in ``locale/<lang>.yaml`` and is
read through :func:`xiqu_analysis.text.t` (:func:`text` is the same call).
Data identifiers (indicator and column names, fan band codes such as
``"below p5"``) stay as they are in every language.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from . import config
from .errors import InputError

__all__ = [
    "PLAN_BASE_YEAR",
    "BANDS",
    "ReviewParameters",
    "Review",
    "check_review_parameters",
    "load_actuals",
    "plan_floors",
    "fan_band",
    "rebase_path",
    "annual_review",
    "review_figure",
    "summary_text",
    "text",
]

#: base year of the plan (its 2020 figures, plan ch.1 §3.2)
PLAN_BASE_YEAR = 2020
_SOURCE = "notebook parameters"
#: fan bands, from the percentiles of uncertainty.simulate
BANDS = ("below p5", "p5-p10", "p10-p25", "p25-p50", "p50-p75", "p75-p90", "p90-p95", "above p95")
_PCTS = (5, 10, 25, 50, 75, 90, 95)


# --------------------------------------------------------------------------- text
def text(key: str, lang: str = "en", **values: Any) -> str:
    """Report text of ``key`` in ``lang``: the same as :func:`xiqu_analysis.text.t`.

    Kept as the name ``notebooks/annual_review`` calls. Falls back to English;
    raises KeyError if the key is defined nowhere or a placeholder value is missing.
    """
    from . import text as text_module

    return text_module.t(key, lang, **values)


# --------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class ReviewParameters:
    """Checked parameters of ``notebooks/annual_review``.

    Attributes
    ----------
    review_year : int
        Year under review; actuals after it are ignored.
    actuals_path : Path or None
        Bulletin CSV of actuals; None when there is none.
    scenario_paths : tuple of Path
    output_dir : Path
    language : str
    """

    review_year: int
    actuals_path: Path | None
    scenario_paths: tuple[Path, ...]
    output_dir: Path
    language: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly values (for ``artifacts.json``)."""
        return {"review_year": self.review_year,
                "actuals_path": str(self.actuals_path) if self.actuals_path else "",
                "scenario_paths": [str(p) for p in self.scenario_paths],
                "output_dir": str(self.output_dir), "language": self.language}


def default_actuals_path() -> Path:
    """``<data>/bulletins/xiqu_actuals.csv`` (used when ``actuals_path`` is ``""`` and the file exists)."""
    return config.data_dir() / "bulletins" / "xiqu_actuals.csv"


def check_review_parameters(review_year: Any, actuals_path: Any, scenario_paths: Any, output_dir: Any,
                            language: Any) -> ReviewParameters:
    """Validate the parameters of ``annual_review`` (papermill only warns about bad ones).

    ``review_year`` an int 2021-2100 (a string of digits from ``papermill -p``
    is accepted); ``actuals_path`` ``""`` (default file if it exists, else no
    actuals) or an existing CSV; ``scenario_paths`` a list (or ``"[a, b]"`` /
    ``"a,b"``), empty for every ``scenarios/*.yaml``; ``output_dir`` ``""``
    for ``<outputs>/notebooks/annual_review-<year>``; ``language`` en or zh.

    Raises
    ------
    InputError
        Naming the bad parameter.
    """
    from . import report as report_module

    if isinstance(review_year, str) and review_year.strip().isdigit():
        review_year = int(review_year.strip())
    if isinstance(review_year, bool) or not isinstance(review_year, (int, np.integer)):
        raise InputError(_SOURCE, "review_year", f"expected a whole year such as 2025, got {review_year!r}")
    if not PLAN_BASE_YEAR < int(review_year) <= 2100:
        raise InputError(_SOURCE, "review_year", f"{review_year} must lie in {PLAN_BASE_YEAR + 1}-2100")
    if not isinstance(actuals_path, str):
        raise InputError(_SOURCE, "actuals_path", f"expected a file path string, got {actuals_path!r}")
    if actuals_path.strip():
        path = Path(actuals_path).expanduser()
        if not path.is_absolute() and not path.exists():
            path = config.PROJECT_ROOT / path
        if not path.is_file():
            raise InputError(_SOURCE, "actuals_path", f"file {actuals_path!r} not found")
        actuals: Path | None = path.resolve()
    else:
        actuals = default_actuals_path() if default_actuals_path().is_file() else None
    items = report_module._as_path_list(scenario_paths)
    if items:
        paths = [report_module.resolve_scenario_path(p, f"scenario_paths[{i}]") for i, p in enumerate(items)]
    else:
        paths = sorted(config.scenario_dir().glob("*.yaml"))
    if not isinstance(output_dir, str):
        raise InputError(_SOURCE, "output_dir", f"expected a folder path string, got {output_dir!r}")
    out = (Path(output_dir).expanduser().resolve() if output_dir.strip()
           else report_module.default_output_dir("annual_review", str(int(review_year))))
    lang = report_module._check_language(language)
    return ReviewParameters(int(review_year), actuals, tuple(dict.fromkeys(p.resolve() for p in paths)), out, lang)


# --------------------------------------------------------------------------- inputs
def load_actuals(path: str | Path | None, region: str = config.DEFAULT_REGION, review_year: int | None = None) -> pd.DataFrame:
    """Actuals of ``region`` (years <= ``review_year``) from a bulletin CSV; empty frame if ``path`` is None."""
    from .statistics import BULLETIN_COLUMNS, load_bulletin

    if path is None:
        return pd.DataFrame(columns=[*BULLETIN_COLUMNS, "kind"]).astype({"year": "int64", "value": "float64"})
    df = load_bulletin(path)
    df = df[df["region"] == region]
    if review_year is not None:
        df = df[df["year"] <= int(review_year)]
    return df.reset_index(drop=True)


def plan_floors() -> pd.DataFrame:
    """The plan's growth floors: label, column (projection level column), start_year, end_year, floor_pct, note.

    From :func:`xiqu_analysis.uncertainty.plan_targets` (``data/`` target rows,
    plan ch.2 §4.2).
    """
    from .uncertainty import plan_targets

    rows = [dict(label=tg.label, column=tg.column, start_year=tg.start_year, end_year=tg.end_year,
                 floor_pct=tg.floor_pct, note=tg.note) for tg in plan_targets()]
    return pd.DataFrame(rows, columns=["label", "column", "start_year", "end_year", "floor_pct", "note"])


def _indicator_map() -> dict[str, tuple[str, bool]]:
    """indicator -> (projection level column, is_growth) from data/indicators.csv."""
    from . import data
    from .projection import COLUMN_UNITS

    table = data.load_indicators()
    out: dict[str, tuple[str, bool]] = {}
    for r in table.itertuples():
        col = str(getattr(r, "projection_column", "") or "").strip()
        if not col or col not in COLUMN_UNITS or col.endswith("_share"):
            continue
        growth = bool(str(getattr(r, "level_of", "") or "").strip())
        if growth and COLUMN_UNITS[col] == "%":
            continue  # growth of a rate column: not compared
        out[str(r.indicator)] = (col, growth)
    return out


# --------------------------------------------------------------------------- helpers
def fan_band(value: float, percentiles: Sequence[float]) -> str:
    """The band of :data:`BANDS` that ``value`` falls in, given p5..p95 (7 increasing values).

    A value equal to a percentile belongs to the band above it
    (``fan_band(p50, ...) == "p50-p75"``).
    """
    q = np.asarray(percentiles, dtype=float)
    if q.shape != (7,) or not np.all(np.isfinite(q)) or not math.isfinite(value):
        return "n/a"
    return BANDS[int(np.searchsorted(q, value, side="right"))]


def rebase_path(projected: pd.Series, actual_year: int, actual_value: float) -> pd.Series:
    """Move a projected level path onto an actual: ``actual * projected_t / projected_L`` for t >= L.

    Parameters
    ----------
    projected : pandas.Series
        Level path indexed by year (any unit; the actual must be in the same unit).
    actual_year : int
        Year ``L`` of the latest actual (must be in the path).
    actual_value : float
        The actual level in ``L``.

    Returns
    -------
    pandas.Series
        Years >= L; equals ``actual_value`` in L and keeps the projection's growth rates.
    """
    base = float(projected.loc[int(actual_year)])
    tail = projected.loc[projected.index >= int(actual_year)]
    return tail * (float(actual_value) / base)


def _required(start_index: float, target_index: float, years: int) -> float:
    from .targets import required_growth_pct

    return required_growth_pct(start_index, target_index, years)


# --------------------------------------------------------------------------- review
@dataclass(frozen=True)
class Review:
    """Result of :func:`annual_review`. Every table is tidy; units in the ``unit`` columns.

    Attributes
    ----------
    review_year : int
    latest_year : int or None
        Latest year with an actual after 2020 (None: no actuals after 2020).
    actuals : pandas.DataFrame
        The actuals used (bulletin columns).
    plan_comparison : pandas.DataFrame
        indicator, column, year, actual_growth_pct, floor_pct, gap_pp,
        actual_index (cumulative real growth since 2020, 2020 = 1),
        floor_index, index_gap_pct, source.
    scenario_scores : pandas.DataFrame
        scenario, indicator, column, kind (level/growth), year, unit, actual,
        projected, error (actual - projected, unit or pp), error_pct (levels),
        band (fan band, or "n/a").
    rebased : pandas.DataFrame
        scenario, indicator, column, unit, year, projected, rebased.
    required : pandas.DataFrame
        target, column, floor_pct, period, from_year, achieved_avg_pct,
        years_left, required_pct, note (text in the review's language).
    calibration : pandas.DataFrame
        Uncertainty settings estimated from the actuals' sector real growth
        series (:func:`xiqu_analysis.statistics.calibration_from_bulletin`):
        field, value, too_short, reason (defaults where the series are short).
    messages : tuple of str
        Plain-language statements (rendered text).
    scenario_errors : tuple of str
        Scenarios that could not be projected (file and one-line reason).
    """

    review_year: int
    latest_year: int | None
    actuals: pd.DataFrame = field(repr=False)
    plan_comparison: pd.DataFrame = field(repr=False)
    scenario_scores: pd.DataFrame = field(repr=False)
    rebased: pd.DataFrame = field(repr=False)
    required: pd.DataFrame = field(repr=False)
    calibration: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    messages: tuple[str, ...] = ()
    scenario_errors: tuple[str, ...] = ()

    @property
    def has_actuals(self) -> bool:
        """True if at least one actual after 2020 was supplied."""
        return self.latest_year is not None


def _growth_from_actuals(actuals: pd.DataFrame, indicator: str) -> pd.Series:
    sel = actuals[(actuals["indicator"] == indicator)]
    return pd.Series(sel["value"].to_numpy(float), index=sel["year"].to_numpy(int)).sort_index()


def _plan_comparison(actuals: pd.DataFrame, floors: pd.DataFrame, mapping: Mapping[str, tuple[str, bool]]) -> pd.DataFrame:
    rows = []
    for ind, (col, growth) in mapping.items():
        if not growth:
            continue
        fl = floors[floors["column"] == col]
        if fl.empty:
            continue
        f = fl.iloc[0]
        g = _growth_from_actuals(actuals[actuals["price_basis"] == "comparable"], ind)
        g = g[(g.index > PLAN_BASE_YEAR)]
        if g.empty:
            continue
        index = 1.0
        for year in range(PLAN_BASE_YEAR + 1, int(g.index.max()) + 1):
            if year not in g.index:
                break  # chain only consecutive years from 2021
            index *= 1.0 + float(g.loc[year]) / 100.0
            floor_index = (1.0 + float(f["floor_pct"]) / 100.0) ** (year - PLAN_BASE_YEAR)
            in_period = int(f["start_year"]) < year <= int(f["end_year"])
            rows.append(dict(indicator=ind, column=col, year=year, actual_growth_pct=float(g.loc[year]),
                             floor_pct=float(f["floor_pct"]) if in_period else math.nan,
                             gap_pp=float(g.loc[year]) - float(f["floor_pct"]) if in_period else math.nan,
                             actual_index=index, floor_index=floor_index,
                             index_gap_pct=100.0 * (index / floor_index - 1.0), source=str(f["label"])))
    cols = ["indicator", "column", "year", "actual_growth_pct", "floor_pct", "gap_pp", "actual_index",
            "floor_index", "index_gap_pct", "source"]
    return pd.DataFrame(rows, columns=cols)


def _required_table(plan_cmp: pd.DataFrame, floors: pd.DataFrame, latest: int | None,
                    language: str = "en") -> pd.DataFrame:
    rows = []
    for f in floors.itertuples():
        start, end = int(f.start_year), int(f.end_year)
        target_index = (1.0 + float(f.floor_pct) / 100.0) ** (end - start)
        got = plan_cmp[plan_cmp["column"] == f.column] if not plan_cmp.empty else plan_cmp
        if got.empty or latest is None:
            from_year, idx, achieved = start, 1.0, math.nan
            note = text("review.note_no_actual", language, base=PLAN_BASE_YEAR)
        else:
            last = got.iloc[-1]
            from_year, idx = int(last["year"]), float(last["actual_index"])
            achieved = 100.0 * (idx ** (1.0 / (from_year - start)) - 1.0)
            note = text("review.note_chained", language, indicator=last["indicator"], start=start + 1, end=from_year)
        left = end - from_year
        if left > 0:
            required = _required(idx, target_index, left)
        else:
            required = math.nan
            outcome = text("status.met" if idx >= target_index * (1 - 1e-12) else "status.missed", language)
            note = text("review.note_period_over", language, note=note, outcome=outcome)
        rows.append(dict(target=f.label, column=f.column, floor_pct=float(f.floor_pct), period=f"{start + 1}-{end}",
                         from_year=from_year, achieved_avg_pct=achieved, years_left=left, required_pct=required,
                         note=note))
    return pd.DataFrame(rows, columns=["target", "column", "floor_pct", "period", "from_year", "achieved_avg_pct",
                                       "years_left", "required_pct", "note"])


def _band_for(sim, column: str, year: int, value: float, growth: bool, years: np.ndarray) -> str:
    if sim is None:
        return "n/a"
    try:
        paths = sim.paths(column)
    except KeyError:
        return "n/a"
    j = int(np.searchsorted(years, year))
    if j >= len(years) or years[j] != year or (growth and j == 0):
        return "n/a"
    sample = 100.0 * (paths[:, j] / paths[:, j - 1] - 1.0) if growth else paths[:, j]
    return fan_band(value, np.percentile(sample, _PCTS))


def annual_review(review_year: int, actuals_path: str | Path | None, scenario_paths: Sequence[str | Path], *,
                  language: str = "en", n_paths: int = 2000, region: str = config.DEFAULT_REGION) -> Review:
    """Run the annual review (see the module docstring).

    Parameters
    ----------
    review_year : int
        Actuals after this year are ignored.
    actuals_path : str or Path or None
        Bulletin CSV of actuals (None: none).
    scenario_paths : sequence of paths
        Scenario files; one that fails to load or project is listed in
        :attr:`Review.scenario_errors` and skipped.
    language : str
        Language of :attr:`Review.messages` and of the ``note`` column of :attr:`Review.required`.
    n_paths : int
        Monte Carlo paths per scenario for the fan bands (seeded by the
        scenario's ``uncertainty.seed``: reproducible).
    """
    from .projection import COLUMN_PRICE_BASIS, COLUMN_UNITS, project
    from .scenario import load_scenario
    from .units import UNIT_FACTORS, convert

    actuals = load_actuals(actuals_path, region, review_year)
    after = actuals[actuals["year"] > PLAN_BASE_YEAR]
    latest = int(after["year"].max()) if not after.empty else None
    mapping = _indicator_map()
    floors = plan_floors()
    plan_cmp = _plan_comparison(actuals, floors, mapping)
    required = _required_table(plan_cmp, floors, latest, language)

    scores, rebased, errors = [], [], []
    try:
        from . import uncertainty
    except ImportError:  # pragma: no cover - the module is part of the package
        uncertainty = None
    for path in scenario_paths:
        try:
            sc = load_scenario(path)
            res = project(sc)
        except InputError as exc:
            errors.append(f"{path}: {exc}")
            continue
        sim = uncertainty.simulate(sc, n_paths=n_paths) if (uncertainty is not None and latest is not None) else None
        years = res.years
        for ind, grp in actuals.groupby("indicator"):
            if ind not in mapping:
                continue
            col, growth = mapping[ind]
            basis = str(grp["price_basis"].iloc[0])
            col_basis = COLUMN_PRICE_BASIS[col]
            if growth:
                want = "constant" if basis == "comparable" else "current"
                if col_basis != want:
                    continue
            elif basis != col_basis:
                continue
            unit = str(grp["unit"].iloc[0])
            col_unit = COLUMN_UNITS[col]
            if not growth:
                try:
                    factor = convert(1.0, unit, col_unit) if col_unit in UNIT_FACTORS else None
                except ValueError:
                    factor = None
                if factor is None:
                    continue
            path_series = res.column(col)
            for r in grp.itertuples():
                year = int(r.year)
                if year <= res.base_year or year > res.end_year:
                    continue
                if growth:
                    projected = 100.0 * (path_series.loc[year] / path_series.loc[year - 1] - 1.0)
                    actual = float(r.value)
                    scores.append(dict(scenario=sc.name, indicator=ind, column=col, kind="growth", year=year,
                                       unit="%", actual=actual, projected=float(projected),
                                       error=actual - float(projected), error_pct=math.nan,
                                       band=_band_for(sim, col, year, actual, True, years)))
                else:
                    actual = float(r.value) * factor
                    projected = float(path_series.loc[year])
                    scores.append(dict(scenario=sc.name, indicator=ind, column=col, kind="level", year=year,
                                       unit=col_unit, actual=actual, projected=projected, error=actual - projected,
                                       error_pct=100.0 * (actual / projected - 1.0),
                                       band=_band_for(sim, col, year, actual, False, years)))
            if not growth and latest is not None:
                last = grp[grp["year"] > PLAN_BASE_YEAR]
                if not last.empty:
                    lr = last.loc[last["year"].idxmax()]
                    ly = int(lr["year"])
                    if res.base_year < ly <= res.end_year:
                        rb = rebase_path(path_series, ly, float(lr["value"]) * factor)
                        for y, v in rb.items():
                            rebased.append(dict(scenario=sc.name, indicator=ind, column=col, unit=col_unit,
                                                year=int(y), projected=float(path_series.loc[y]), rebased=float(v)))
    score_cols = ["scenario", "indicator", "column", "kind", "year", "unit", "actual", "projected", "error",
                  "error_pct", "band"]
    reb_cols = ["scenario", "indicator", "column", "unit", "year", "projected", "rebased"]
    messages = []
    if latest is None:
        messages.append(text("review.no_actuals", language, year=review_year, base=PLAN_BASE_YEAR))
    else:
        messages.append(text("review.latest_actual", language, latest=latest, year=review_year,
                             n=int(after.shape[0]),
                             indicators=text("review.list_separator", language).join(sorted(set(after["indicator"])))))
    if not scenario_paths:
        messages.append(text("review.no_scenarios", language))
    from .statistics import calibration_from_bulletin

    calibration = calibration_from_bulletin(actuals, region).to_frame()
    return Review(review_year=int(review_year), latest_year=latest, actuals=actuals, plan_comparison=plan_cmp,
                  scenario_scores=pd.DataFrame(scores, columns=score_cols),
                  rebased=pd.DataFrame(rebased, columns=reb_cols), required=required, calibration=calibration,
                  messages=tuple(messages), scenario_errors=tuple(errors))


def summary_text(result: Review, actuals_path: str | Path | None, language: str = "en") -> str:
    """The review's opening paragraphs: its messages, where the actuals came from, skipped scenarios.

    Text from files (paths, scenario errors) is escaped for Markdown/HTML output.
    """
    from .text import esc

    parts = list(result.messages)
    parts.append(text("review.actuals_file", language, path=esc(actuals_path)) if actuals_path
                 else text("review.actuals_none", language))
    parts += [text("review.scenario_error", language, error=esc(e)) for e in result.scenario_errors]
    return "\n\n".join(parts)


def review_figure(review: Review, column: str = "gdp_nominal", language: str = "en"):
    """Figure: the actual level of ``column`` against each scenario's projection and re-based path.

    Returns a matplotlib Figure, or None when there is nothing to draw.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from . import plots  # noqa: F401 - registers the CJK font before any text is drawn
    from .text import label

    sc = review.scenario_scores
    sc = sc[(sc["column"] == column) & (sc["kind"] == "level")]
    rb = review.rebased[review.rebased["column"] == column]
    if sc.empty and rb.empty:
        return None
    fig, ax = plt.subplots(figsize=(7, 4))
    for name, grp in rb.groupby("scenario", sort=True):
        line = ax.plot(grp["year"], grp["projected"], label=text("review.fig_projected", language, scenario=name))[0]
        ax.plot(grp["year"], grp["rebased"], linestyle="--", color=line.get_color(),
                label=text("review.fig_rebased", language, scenario=name))
    act = sc.drop_duplicates("year").sort_values("year")
    ax.plot(act["year"], act["actual"], "ko", label=text("review.fig_actual", language))
    unit = str(sc["unit"].iloc[0]) if not sc.empty else str(rb["unit"].iloc[0])
    ax.set_xlabel(text("review.fig_year", language))
    ax.set_ylabel(text("review.fig_ylabel", language, column=label(column, language), unit=unit))
    ax.legend(fontsize="small")
    fig.tight_layout()
    return fig
