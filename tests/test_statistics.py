"""Bulletins, forecasting and calibration on synthetic series from known processes (no real Xiqu series exists
in public copies): inputs/bulletins.py, economics/forecasting.py, economics/calibration.py.

Every series here is generated from a stated process with a fixed seed; the
tests check that the estimators recover the process, that prediction
intervals cover at close to their nominal rate, and that each fallback path
is taken, with its reason, when a real statsmodels fit fails.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiqu_analysis.cli import main
from xiqu_analysis.economics.calibration import calibration_from_bulletin, estimate_persistence, trend_growth
from xiqu_analysis.economics.forecast_models import arima_candidate, ets_candidate
from xiqu_analysis.economics.forecasting import forecast_series
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.bulletins import bulletin_series, load_bulletin
from xiqu_analysis.inputs.indicators import load_indicators
from xiqu_analysis.inputs.scenario import UNCERTAINTY_DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "actuals_synthetic.csv"
HEADER = "region,indicator,year,value,unit,price_basis,source\n"


def _levels(n: int, seed: int, drift: float = 0.05, sd: float = 0.03, start: float = 100.0) -> pd.Series:
    """Random walk with drift in logs: log y_t = log y_{t-1} + drift + sd * e_t."""
    rng = np.random.default_rng(seed)
    values = start * np.exp(np.cumsum(drift + sd * rng.standard_normal(n)))
    return pd.Series(values, index=range(2000, 2000 + n), name="synthetic_level")


def _ar1(n: int, phi: float, seed: int, mean: float = 6.0, sd: float = 1.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = np.empty(n)
    x[0] = mean + sd / math.sqrt(1 - phi**2) * rng.standard_normal()
    for t in range(1, n):
        x[t] = mean + phi * (x[t - 1] - mean) + sd * rng.standard_normal()
    return x


# --------------------------------------------------------------------------- persistence, trend
def test_ar1_persistence_recovered():
    """phi = 0.5, n = 200, five seeds: each estimate within 3.5 se, their mean within 0.07 of 0.5."""
    estimates = [estimate_persistence(_ar1(200, 0.5, seed)) for seed in range(5)]
    for est in estimates:
        assert abs(est.phi - 0.5) < 3.5 * est.se
        assert 0.04 < est.se < 0.09  # OLS se ~ sqrt((1 - phi^2) / n) = 0.061
        assert est.resid_sd == pytest.approx(1.0, abs=0.15)
    assert np.mean([e.phi for e in estimates]) == pytest.approx(0.5, abs=0.07)


def test_persistence_of_white_noise_is_near_zero():
    est = estimate_persistence(_ar1(200, 0.0, 11))
    assert abs(est.phi) < 3 * est.se


def test_persistence_too_short_is_an_input_error():
    with pytest.raises(InputError, match="at least 8"):
        estimate_persistence([5.0, 6.0, 7.0])


def test_hp_trend_recovers_linear_slope():
    rng = np.random.default_rng(5)
    t = np.arange(40)
    y = pd.Series(10.0 + 0.5 * t + 0.3 * rng.standard_normal(40), index=range(1985, 2025))
    out = trend_growth(y, log=False)
    assert list(out.columns) == ["year", "value", "trend", "cycle", "trend_growth"]
    assert math.isnan(out["trend_growth"].iloc[0])
    assert out["trend_growth"].iloc[1:].mean() == pytest.approx(0.5, abs=0.02)
    assert out["trend_growth"].iloc[5:-5].to_numpy() == pytest.approx(0.5, abs=0.1)
    np.testing.assert_allclose(out["trend"] + out["cycle"], y.to_numpy())


def test_hp_trend_of_exact_line_is_the_line():
    y = pd.Series(3.0 + 2.0 * np.arange(12), index=range(2010, 2022))
    out = trend_growth(y, lamb=6.25, log=False)
    np.testing.assert_allclose(out["trend"], y.to_numpy(), atol=1e-8)


def test_hp_trend_growth_of_levels_in_percent():
    y = pd.Series(82.91 * 1.06 ** np.arange(15), index=range(2010, 2025))  # exactly 6% a year
    out = trend_growth(y)  # positive level series: log filter by default
    np.testing.assert_allclose(out["trend_growth"].iloc[1:], 6.0, atol=1e-6)


# --------------------------------------------------------------------------- forecasts
def test_random_walk_with_drift_interval_coverage():
    """Nominal 90% one-step intervals of the drift model cover about 90% of new draws."""
    hits = 0
    draws = 100  # each draw is one statsmodels fit (~70 ms): kept small for speed
    for seed in range(draws):
        full = _levels(21, seed)
        res = forecast_series(full.iloc[:20], 1, level=0.9, method="drift")
        assert res.method == "drift" and res.fallback_reason is None
        hits += res.lower[0] <= full.iloc[20] <= res.upper[0]
    assert 0.8 <= hits / draws <= 0.97


def test_fallback_interval_coverage_short_series():
    """The average-growth fallback (t interval, drift uncertainty) keeps its coverage on 6 points."""
    hits = 0
    draws = 400
    for seed in range(draws):
        full = _levels(7, 1000 + seed)
        res = forecast_series(full.iloc[:6], 1, method="fallback")
        hits += res.lower[0] <= full.iloc[6] <= res.upper[0]
    assert 0.85 <= hits / draws <= 0.95


def test_too_short_falls_back_to_average_growth_hand_computed():
    y = pd.Series([100.0, 110.0, 115.5, 127.05, 133.4025], index=range(2016, 2021))  # 5 < 6 points
    res = forecast_series(y, 2)
    assert res.method == "average_growth" and res.selection == "fallback"
    assert "too_short" in res.fallback_reason and "at least 6" in res.fallback_reason
    g = (133.4025 / 100.0) ** (1 / 4)  # geometric mean growth factor
    assert res.point == pytest.approx((133.4025 * g, 133.4025 * g**2))
    assert res.years == (2021, 2022)
    assert all(lo < p < hi for lo, p, hi in zip(res.lower, res.point, res.upper))
    assert {s.status for s in res.scores} == {"too_short"}


def test_fewer_than_three_points_is_an_input_error():
    with pytest.raises(InputError, match="at least 3"):
        forecast_series(pd.Series([1.0, 2.0], index=[2020, 2021]), 1)


def test_failed_fit_falls_back():
    # ETS heuristic initialisation on 8 points raises inside statsmodels (#7319): a real failed fit.
    cand = ets_candidate("ets_heuristic", initialization="heuristic", min_points=4)
    res = forecast_series(_levels(8, 3), 2, candidates=[cand])
    assert res.method == "average_growth"
    assert res.scores[0].status == "failed"
    assert "heuristic" in res.fallback_reason


def test_non_converged_fit_falls_back():
    cand = arima_candidate("arima110_1iter", (1, 1, 0), "t", fit_kwargs={"method_kwargs": {"maxiter": 1}},
                             min_points=6)
    res = forecast_series(_levels(10, 0), 2, candidates=[cand])
    assert res.method == "average_growth"
    assert res.scores[0].status == "not_converged"
    assert "did not converge" in res.fallback_reason
    assert any("ConvergenceWarning" in w for w in res.warnings)


def test_degenerate_forecast_falls_back():
    y = pd.Series([1.0, 1000.0] * 4, index=range(2010, 2018))  # jumps of x1000: absurd interval
    res = forecast_series(y, 2, method="drift")
    assert res.method == "average_growth"
    assert res.scores[0].status == "degenerate"
    assert "absurdly wide" in res.fallback_reason
    assert any("absurdly wide" in w for w in res.warnings)


def test_constant_rate_is_never_presented_as_a_fit():
    g = pd.Series(np.full(9, 5.0), index=range(2010, 2019))
    g.attrs["unit"] = "%"
    res = forecast_series(g, 2)
    assert res.method == "mean_rate" and res.is_fallback
    assert all(s.status in ("not_converged", "degenerate", "failed") for s in res.scores)
    assert res.point == (5.0, 5.0)
    assert any("zero or undefined width" in w for w in res.warnings)


def test_auto_selects_by_backtest_on_a_long_series():
    res = forecast_series(_levels(14, 21), 3)
    assert res.selection == "backtest"
    ok = {s.method: s.backtest_mae for s in res.scores if s.status == "ok"}
    assert res.method in ok and ok[res.method] == min(ok.values())
    assert all(s.n_origins == 6 for s in res.scores if s.status == "ok")
    frame = res.to_frame()
    assert list(frame["year"]) == [2014, 2015, 2016]
    assert (frame["lower"] < frame["point"]).all() and (frame["point"] < frame["upper"]).all()


def test_short_series_prefers_the_simplest_model():
    res = forecast_series(_levels(9, 2), 2)  # 9 points: only drift leaves 3 backtest origins
    assert res.method == "drift" and res.selection in ("simplest", "only_candidate")


def test_rate_series_kept_as_rate():
    g = pd.Series(_ar1(12, 0.3, 8), index=range(2009, 2021))
    g.attrs.update(unit="%", price_basis="comparable")
    res = forecast_series(g, 2)
    assert res.kind == "rate" and res.unit == "%" and res.price_basis == "comparable"
    assert res.method in ("mean", "ar1", "random_walk", "local_level")
    assert all(-10 < p < 20 for p in res.point)


def test_unknown_method_and_bad_horizon():
    with pytest.raises(InputError, match="unknown method"):
        forecast_series(_levels(8, 0), 1, method="prophet")
    with pytest.raises(InputError, match="horizon"):
        forecast_series(_levels(8, 0), 0)
    with pytest.raises(InputError, match="positive"):
        forecast_series(pd.Series([1.0, -2.0, 3.0], index=[1, 2, 3]), 1)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.5, 1e4, allow_nan=False), min_size=3, max_size=5), st.integers(1, 4))
def test_fallback_always_ordered_and_positive(values, horizon):
    res = forecast_series(pd.Series(values, index=range(2000, 2000 + len(values))), horizon)
    assert res.method == "average_growth"
    for lo, p, hi in zip(res.lower, res.point, res.upper):
        assert 0 < lo <= p <= hi


# --------------------------------------------------------------------------- bulletin loader
def _write(tmp_path, body: str, name: str = "b.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


GOOD_ROW = "xiqu,gdp,2021,90,亿元,current,src\n"

# Messages of the shared CSV validator (inputs/csvtable.py) where it now does the check: a missing column,
# a year that is not a whole number or out of range, a value that is not a number.
BAD_INPUTS = [
    ("region,indicator,year,value,unit,source\n" + "xiqu,gdp,2021,90,亿元,src\n", "column price_basis",
     "required column missing"),
    (HEADER + "xiqu,gdp,20x1,90,亿元,current,src\n", "row 2, column year", "expected a whole number, got '20x1'"),
    (HEADER + GOOD_ROW + "xiqu,gdp,2022,ninety,亿元,current,src\n", "row 3, column value",
     "expected a number, got 'ninety'"),
    (HEADER + "xiqu,gdp,2021,90,billion,current,src\n", "row 2, column unit", "unknown unit"),
    (HEADER + "xiqu,gdp,2021,90,亿元,real,src\n", "row 2, column price_basis", "'real'"),
    (HEADER + "xiqu,gdp,2021,90,亿元,not_applicable,src\n", "row 2, column price_basis", "money amount"),
    (HEADER + GOOD_ROW + "# a comment\n" + GOOD_ROW, "row 4, column year", "duplicate of row 2"),
    (HEADER + "xiqu,gdp_gross,2021,90,亿元,current,src\n", "row 2, column indicator", "unknown indicator"),
    (HEADER + "xiqu,gdp,2021,5.1,%,comparable,src\n", "row 2, column unit", "does not fit indicator"),
    (HEADER + "xiqu,gdp,2021,-3,亿元,current,src\n", "row 2, column value", "must be positive"),
    (HEADER + GOOD_ROW + "xiqu,gdp,2022,95,亿元,comparable,src\n", "row 3, column price_basis", "mixes"),
    (HEADER + "xiqu,gdp,2021,90,亿元,current,\n", "row 2, column source", "empty"),
    (HEADER + "xiqu,gdp,1800,90,亿元,current,src\n", "row 2, column year", "1800 is below the minimum 1949"),
    (HEADER + "xiqu,gdp,2101,90,亿元,current,src\n", "row 2, column year", "2101 is above the maximum 2100"),
    (HEADER + "xiqu,gdp_growth,2021,5,%,not_applicable,src\n", "row 2, column price_basis", "growth of a money"),
    (HEADER, None, "no data rows"),
    ("", None, "empty file"),
]


@pytest.mark.parametrize("body, where, problem", BAD_INPUTS)
def test_load_bulletin_bad_input_one_line(tmp_path, body, where, problem):
    path = _write(tmp_path, body)
    with pytest.raises(InputError) as info:
        load_bulletin(path)
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith(str(path))
    assert problem in msg
    if where:
        assert f"field '{where}'" in msg


def test_load_bulletin_checks_against_the_dictionary_given(tmp_path, indicators):
    path = _write(tmp_path, HEADER + GOOD_ROW)
    assert load_bulletin(path, indicators=indicators)["value"].tolist() == [90.0]
    without_gdp = indicators[indicators["indicator"] != "gdp"]
    with pytest.raises(InputError, match="unknown indicator 'gdp'") as info:
        load_bulletin(path, indicators=without_gdp)
    assert info.value.field == "row 2, column indicator"


def test_load_bulletin_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_bulletin(tmp_path / "nope.csv")


def test_template_loads_and_holds_only_plan_figures():
    df = load_bulletin(ROOT / "data" / "bulletins" / "TEMPLATE.csv")
    assert set(df["year"]) <= {2015, 2020}
    assert df["source"].str.startswith("plan ch.1 §3.2").all()
    gdp = df[(df["indicator"] == "gdp")]
    assert gdp["value"].tolist() == [82.91]


def test_fixture_loads_with_kinds_kept_apart():
    df = load_bulletin(FIXTURE)
    assert set(df.loc[df["unit"] == "%", "kind"]) == {"rate"}
    assert set(df.loc[df["unit"] == "亿元", "kind"]) == {"level"}
    s = bulletin_series(df, "gdp_growth")
    assert s.attrs["kind"] == "rate" and s.attrs["price_basis"] == "comparable"
    assert list(s.index) == [2021, 2022, 2023]


def test_bulletin_series_with_gap_is_an_error(tmp_path):
    path = _write(tmp_path, HEADER + GOOD_ROW + "xiqu,gdp,2023,95,亿元,current,src\n")
    with pytest.raises(InputError, match="missing 2022"):
        bulletin_series(load_bulletin(path), "gdp")


# --------------------------------------------------------------------------- calibration
@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    """The data dictionary (names each sector's real growth indicator)."""
    return load_indicators()


def test_calibration_short_data_uses_documented_defaults(indicators):
    cal = calibration_from_bulletin(load_bulletin(FIXTURE), indicators)
    assert cal.uncertainty == {"sd_pct": UNCERTAINTY_DEFAULTS["sd_pct"], "ar1": UNCERTAINTY_DEFAULTS["ar1"]}
    assert all(cal.too_short.values())
    assert "too short" in cal.reasons["sd_pct.secondary"]
    assert set(cal.to_frame()["field"]) == {"sd_pct.primary", "sd_pct.secondary", "sd_pct.tertiary", "ar1"}


def test_calibration_from_long_synthetic_series(tmp_path, indicators):
    rows = []
    for k, ind in enumerate(("agriculture_va_growth", "industrial_va_growth", "services_va_growth")):
        for year, v in zip(range(1991, 2021), _ar1(30, 0.4, 50 + k, mean=7.0, sd=1.5 + k)):
            rows.append(f"xiqu,{ind},{year},{v:.4f},%,comparable,SYNTHETIC")
    path = _write(tmp_path, HEADER + "\n".join(rows) + "\n")
    cal = calibration_from_bulletin(load_bulletin(path), indicators,
                                    defaults=({"primary": 9, "secondary": 9, "tertiary": 9}, 0.9))
    assert not any(cal.too_short.values())
    sd = cal.uncertainty["sd_pct"]
    assert sd["primary"] == pytest.approx(1.5, rel=0.35)
    assert sd["secondary"] == pytest.approx(2.5, rel=0.35)
    assert sd["tertiary"] == pytest.approx(3.5, rel=0.35)
    assert 0.0 <= cal.uncertainty["ar1"] <= 0.95
    assert "AR(1)" in cal.reasons["ar1"]
    # the sectors' growth indicators are named by the dictionary (projection_column): without that mapping
    # these series belong to no sector and the defaults given are kept
    unmapped = indicators.assign(projection_column="")
    cal = calibration_from_bulletin(load_bulletin(path), unmapped,
                                    defaults=({"primary": 9, "secondary": 9, "tertiary": 9}, 0.9))
    assert cal.uncertainty == {"sd_pct": {"primary": 9.0, "secondary": 9.0, "tertiary": 9.0}, "ar1": 0.9}
    assert all(cal.too_short.values()) and "no real growth series" in cal.reasons["sd_pct.secondary"]


# --------------------------------------------------------------------------- CLI
def test_cli_forecast_table(capsys):
    assert main(["forecast", str(FIXTURE), "--indicator", "gdp", "--horizon", "2"]) == 0
    out = capsys.readouterr().out
    assert "method: average_growth" in out and "fallback reason: no model usable with 4 points" in out
    assert "2024" in out and "2025" in out


def test_cli_forecast_csv(capsys):
    assert main(["forecast", str(FIXTURE), "--indicator", "gdp_growth", "--format", "csv", "--horizon", "3"]) == 0
    frame = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert list(frame["year"]) == [2024, 2025, 2026]
    assert frame["point"].to_numpy() == pytest.approx(np.full(3, (5.0 + 4.0 + 8.0) / 3))
    assert (frame["method"] == "mean_rate").all()


def test_cli_forecast_bad_indicator_exit_2(capsys):
    assert main(["forecast", str(FIXTURE), "--indicator", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no rows for 'nope'" in err
