"""Growth arithmetic: the one home of compound indices and average, required and implied growth.

Rates are in per cent (7.5 means 7.5 % a year); levels in any unit, the same
for the two levels compared (the ratio is unit-free). Real growth comes from
constant-price levels, nominal growth from current-price levels; nothing here
knows which, so callers pass like with like.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..periods import parse_period

__all__ = [
    "compound_index",
    "chain_index",
    "empty_extended",
    "annual_growth_pct",
    "average_growth_pct",
    "required_growth_pct",
    "cumulative_change_pct",
    "annualised_change_pct",
    "period_average_growth_pct",
    "year_reached",
    "ImpliedGrowth",
    "implied_aggregate_growth_pct",
    "period_contributions",
]


def compound_index(rate_pct: npt.ArrayLike) -> np.ndarray:
    """Chain index of annual rates: 1 at the base, then the cumulative product.

    Parameters
    ----------
    rate_pct : array_like, shape (..., T)
        Annual rates in per cent for years 1..T (7.5 means 7.5 % a year).

    Returns
    -------
    numpy.ndarray, shape (..., T+1)
        ``index[..., 0] = 1`` and ``index[..., t] = prod_{k<=t} (1 + rate[..., k]/100)``
        (dimensionless).

    Examples
    --------
    >>> compound_index([10.0, 10.0]).tolist()
    [1.0, 1.1, 1.2100000000000002]
    """
    rate = np.asarray(rate_pct, dtype=float)
    if rate.ndim == 0:
        raise ValueError("rate_pct must have a time axis (shape (..., T))")
    core = _unbroadcast(rate)  # a rate the same on every path is chained once, then broadcast
    index = chain_index(1.0 + core / 100.0, axis=-1)
    if core.shape != rate.shape:
        return np.broadcast_to(index, rate.shape[:-1] + index.shape[-1:])
    return index


def chain_index(factors: np.ndarray, axis: int = -1) -> np.ndarray:
    """1, then the running product of ``factors`` along ``axis`` (one more entry on that axis).

    The numbers are those of ``numpy.cumprod`` (the same multiplications in
    the same order: ``index[t] = index[t-1] * factors[t]``). The result is laid
    out in memory like ``factors`` (:func:`empty_extended`). When ``axis`` is
    not the innermost axis in memory, as in the Monte Carlo's arrays of shape
    (paths, years, ...) stored year by year with the paths contiguous, the
    product runs year by year over whole contiguous slices, about ten times
    faster there than ``cumprod`` along a short strided axis.

    Parameters
    ----------
    factors : numpy.ndarray
        Growth factors (``1 + rate / 100``), dimensionless.
    axis : int, default -1
        The time axis.

    Returns
    -------
    numpy.ndarray
        ``factors``'s shape with ``T + 1`` entries on ``axis``; entry 0 is 1.
    """
    axis = axis % factors.ndim
    out = empty_extended(factors, axis)
    head = (slice(None),) * axis
    out[head + (0,)] = 1.0
    if _innermost(factors, axis):
        np.cumprod(factors, axis=axis, out=out[head + (slice(1, None),)])
    else:
        for t in range(factors.shape[axis]):
            np.multiply(out[head + (t,)], factors[head + (t,)], out=out[head + (t + 1,)])
    return out


def empty_extended(like: np.ndarray, axis: int = -1, extra: int = 1) -> np.ndarray:
    """An uninitialised float array of ``like``'s shape with ``extra`` more entries on ``axis``.

    Laid out in memory in the order of ``like``'s strides (largest first), so
    that element-wise work on the pair runs over memory in the same order.
    """
    axis = axis % like.ndim
    shape = list(like.shape)
    shape[axis] += extra
    order = sorted(range(like.ndim), key=lambda i: (-abs(like.strides[i]), i))
    buf = np.empty([shape[i] for i in order])
    return buf.transpose(np.argsort(order))


def _unbroadcast(a: np.ndarray) -> np.ndarray:
    """``a`` with each leading axis of stride 0 (a broadcast copy of one slice) cut to length 1."""
    if a.ndim < 2 or all(a.strides[:-1]):
        return a
    return a[tuple(slice(0, 1) if st == 0 else slice(None) for st in a.strides[:-1])]


def _innermost(a: np.ndarray, axis: int) -> bool:
    """True when ``axis`` of ``a`` has the smallest stride of its axes longer than 1 (or ``a`` is 1-d)."""
    others = [abs(st) for i, (st, n) in enumerate(zip(a.strides, a.shape)) if i != axis and n > 1]
    return not others or abs(a.strides[axis]) <= min(others)


def annual_growth_pct(levels: npt.ArrayLike) -> np.ndarray:
    """Year-on-year growth (per cent) along the last axis, NaN in the first position.

    ``annual_growth_pct([100, 110, 121])`` is ``[nan, 10, 10]``.
    """
    lv = np.asarray(levels, dtype=float)
    out = np.empty_like(lv)
    out[..., 0] = np.nan
    rest = out[..., 1:]
    np.divide(lv[..., 1:], lv[..., :-1], out=rest)  # (ratio - 1) * 100, in place
    rest -= 1.0
    rest *= 100.0
    return out


def average_growth_pct(start: Any, end: Any, years: float) -> Any:
    """Average annual (compound) growth from ``start`` to ``end`` over ``years`` annual steps, per cent.

    ``((end / start) ** (1 / years) - 1) * 100``: the geometric mean of the
    annual rates. Works elementwise on arrays (paths of a Monte Carlo);
    scalars give a float. ``average_growth_pct(28905, 41794, 5)`` is 7.65.

    Raises
    ------
    ValueError
        Scalar levels that are not positive, or ``years`` not positive.
    """
    if not years > 0:
        raise ValueError(f"years must be positive, got {years!r}")
    if np.ndim(start) == 0 and np.ndim(end) == 0:
        if not (start > 0 and end > 0):
            raise ValueError(f"levels must be positive, got start={start!r}, end={end!r}")
        return ((float(end) / float(start)) ** (1.0 / years) - 1.0) * 100.0
    return ((np.asarray(end, dtype=float) / np.asarray(start, dtype=float)) ** (1.0 / years) - 1.0) * 100.0


def required_growth_pct(start: float, target: float, years: float) -> float:
    """Constant annual growth taking a level from ``start`` to ``target`` in ``years`` steps, per cent.

    The same arithmetic as :func:`average_growth_pct`, read forwards: doubling
    in 15 years needs 4.729 % a year. A current-price target gives a nominal
    rate, a constant-price target a real one.
    """
    return average_growth_pct(start, target, years)


def cumulative_change_pct(start: float, end: float) -> float:
    """Change from ``start`` to ``end`` in per cent of ``start``."""
    if start <= 0:
        raise ValueError(f"start level must be positive, got {start}")
    return (end / start - 1.0) * 100.0


def annualised_change_pct(change_pct: float, years: int) -> float:
    """Annual rate (% per year) equivalent to a cumulative change over ``years`` years.

    ``annualised_change_pct(33, 5)`` = 5.87: a 33 % rise over 2015-2020 is
    5.87 % a year, compounded.
    """
    if years < 1:
        raise ValueError(f"years must be >= 1, got {years}")
    if change_pct <= -100:
        raise ValueError(f"a change of {change_pct}% leaves nothing to compound")
    return ((1.0 + change_pct / 100.0) ** (1.0 / years) - 1.0) * 100.0


def period_average_growth_pct(years: npt.ArrayLike, levels: npt.ArrayLike, period: Any) -> Any:
    """Average annual growth of a level path over a period of growth years, per cent.

    Parameters
    ----------
    years : array_like of int, shape (T+1,)
        Years of the path, increasing and consecutive.
    levels : array_like, shape (..., T+1)
        The level path(s), years on the last axis.
    period : str
        ``"YYYY-YYYY"``: ``"2021-2025"`` compares 2020 with 2025 (five steps).

    Raises
    ------
    KeyError
        When the period needs a year outside ``years``.
    """
    first, last = parse_period(period)
    y = np.asarray(years)
    lv = np.asarray(levels, dtype=float)
    where = {int(v): i for i, v in enumerate(y)}
    if first - 1 not in where or last not in where:
        raise KeyError(f"period {period} needs years {first - 1}-{last}; the path covers {int(y[0])}-{int(y[-1])}")
    return average_growth_pct(lv[..., where[first - 1]], lv[..., where[last]], last - first + 1)


def year_reached(years: npt.ArrayLike, values: npt.ArrayLike, level: float, *, rtol: float = 1e-12) -> int | None:
    """First year in which a path reaches ``level``.

    Parameters
    ----------
    years : array_like of int, shape (n,)
        Years, increasing.
    values : array_like of float, shape (n,)
        The path (any unit, the same as ``level``).
    level : float
        The level to reach.
    rtol : float, default 1e-12
        Relative tolerance. A year counts as reached when
        ``value >= level - rtol * abs(level)``: equality counts as reached, and
        a path built by compounding exactly :func:`required_growth_pct`, which
        may fall short of ``level`` by rounding error, reaches it in the
        intended year. Pass ``rtol=0`` for a strict ``value >= level``.

    Returns
    -------
    int or None
        The first such year (the first year itself if the path starts at or
        above the level), or None if never reached. NaN values never reach.
    """
    y = np.asarray(years)
    v = np.asarray(values, dtype=float)
    if y.shape != v.shape or y.ndim != 1:
        raise ValueError(f"years and values must be 1-d of equal length, got {y.shape} and {v.shape}")
    hit = np.flatnonzero(v >= level - rtol * abs(level))  # NaN compares False
    return int(y[hit[0]]) if hit.size else None


@dataclass(frozen=True)
class ImpliedGrowth:
    """Aggregate growth implied by sector growth rates.

    Attributes
    ----------
    annual_pct : numpy.ndarray, shape (..., T)
        Aggregate real growth each year, per cent:
        ``sum_s w_s(t-1) * g_s(t)`` with shares ``w`` of the previous year.
    average_pct : float or numpy.ndarray, shape (...)
        Average annual (geometric mean) aggregate growth over the T years, per cent.
    shares : numpy.ndarray, shape (..., T+1, 3)
        Real sector shares (0-1) at the start and after each year.
    """

    annual_pct: np.ndarray
    average_pct: Any
    shares: np.ndarray


def implied_aggregate_growth_pct(shares: npt.ArrayLike, growth_pct_: npt.ArrayLike) -> ImpliedGrowth:
    """Aggregate real growth implied by sector growths, shares evolving.

    Parameters
    ----------
    shares : array_like, shape (3,) or (..., 3)
        Sector shares (primary, secondary, tertiary) of real output at the
        start of the period, 0-1 (normalised here if they do not sum to 1).
    growth_pct_ : array_like, shape (..., T, 3) or (3,)
        Annual real sector growth, per cent; a (3,) vector is one year.

    Returns
    -------
    ImpliedGrowth
        Year by year ``g(t) = sum_s w_s(t-1) g_s(t)`` where
        ``w_s(t) = w_s(t-1) (1 + g_s(t)/100) / (1 + g(t)/100)``, and the
        average ``(prod (1 + g(t)/100)) ** (1/T) - 1``, per cent.

    Examples
    --------
    The plan's floors (3.5 / 7.5 / 8.5 %, 2021-2025) on shares 0.02 / 0.58 /
    0.40 imply 7.82 % in the first year and 7.83 % a year on average over five
    years, as the faster-growing sectors gain weight.
    """
    g = np.asarray(growth_pct_, dtype=float)
    if g.ndim == 1:
        g = g[np.newaxis, :]
    w0 = np.asarray(shares, dtype=float)
    w0 = w0 / w0.sum(axis=-1, keepdims=True)
    ones = np.ones(g.shape[:-2] + (1, g.shape[-1]))
    levels = w0[..., np.newaxis, :] * np.concatenate([ones, np.cumprod(1.0 + g / 100.0, axis=-2)], axis=-2)
    total = levels[..., 0] + levels[..., 1] + levels[..., 2]
    annual = (total[..., 1:] / total[..., :-1] - 1.0) * 100.0
    T = g.shape[-2]
    average = ((total[..., -1] / total[..., 0]) ** (1.0 / T) - 1.0) * 100.0
    average = float(average) if np.ndim(average) == 0 else average
    return ImpliedGrowth(annual_pct=annual, average_pct=average, shares=levels / total[..., np.newaxis])


def period_contributions(part_start: npt.ArrayLike, part_end: npt.ArrayLike, total_start: float, total_end: float,
                         years: float) -> tuple[np.ndarray, np.ndarray]:
    """Contribution rates (贡献率) and average pulls (年均拉动) of the parts of a total over a period.

    Parameters
    ----------
    part_start, part_end : array_like
        Levels of the parts (e.g. the three sectors at constant prices) at the
        start and end of the period; they sum to the total.
    total_start, total_end : float
        The total at the start and end (same unit and prices).
    years : float
        Length of the period in years.

    Returns
    -------
    contribution_pct : numpy.ndarray
        Each part's share of the change of the total, per cent
        (``100 * (part_end - part_start) / (total_end - total_start)``); they
        sum to 100. NaN when the total does not change.
    pull_pp : numpy.ndarray
        Each part's pull on the total's average annual growth, percentage
        points: that growth times the contribution rate (they sum to the
        total's average growth).

    Examples
    --------
    >>> c, p = period_contributions([10, 90], [15, 105], 100, 120, 1)
    >>> c.round(6).tolist(), p.round(6).tolist()
    ([25.0, 75.0], [5.0, 15.0])
    """
    start = np.asarray(part_start, dtype=float)
    end = np.asarray(part_end, dtype=float)
    change = float(total_end) - float(total_start)
    if change == 0 or not np.isfinite(change):
        nan = np.full(start.shape, np.nan)
        return nan, nan
    contribution = 100.0 * (end - start) / change
    growth = average_growth_pct(float(total_start), float(total_end), years)
    return contribution, growth * contribution / 100.0
