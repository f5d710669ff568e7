"""Figures: CJK glyphs without warnings, deterministic PNG bytes, marked assumptions.

The axes every chart shares (regular year ticks, price basis, zero bars, no repeated titles):
tests/reports/test_chart_axes.py."""
from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from xiqu_analysis.economics.projection import project
from xiqu_analysis.economics.uncertainty import simulate
from xiqu_analysis.inputs.scenario import load_scenario_with_region
from xiqu_analysis.reports.charts import comparison_plots, plots
from tests.helpers import ROOT



@pytest.fixture(scope="module")
def results():
    scenario, region = load_scenario_with_region(ROOT / "scenarios" / "plan_targets.yaml")
    projection = project(scenario)
    simulation = simulate(scenario, region, n_paths=200, random_state=1)
    return projection, simulation


def _all_figures(projection, simulation, lang):
    table, assumed = projection.table, projection.assumed_columns
    gaps = pd.DataFrame({"label": ["工业增加值增速 (2021-2025)", "服务业增加值增速 (2021-2025)"], "gap": [0.4, -1.1]})
    sens = pd.DataFrame({"label": ["实际增速 第二产业 ± 1", "平减指数 ± 1"], "base": [200.0, 200.0],
                         "low": [180.0, 199.0], "high": [222.0, 201.0]})
    return [
        plots.gdp_paths(table, lang, assumed),
        plots.sector_structure(table, lang, assumed),
        plots.contributions(table, lang, assumed),
        plots.per_capita_vs_benchmark(table, 85862.0, 2020, lang, assumed, reported={2020: 65801.0},
                                      region_name="攀枝花市西区", benchmark_name="攀枝花市"),
        plots.income_and_revenue(table, lang, assumed),
        plots.target_gaps(gaps, lang),
        plots.fan_chart(simulation.percentiles, "gdp_real", lang, deterministic=table, target=(2035, 165.82)),
        plots.tornado(sens, lang, unit_label="亿元"),
        comparison_plots.comparison_lines({"低": table, "高": table}, ["gdp_real", "fiscal_revenue"], lang),
        comparison_plots.comparison_gaps(gaps.assign(scenario="情景"), lang),
    ]


def test_cjk_font_is_registered_first():
    assert matplotlib.rcParams["font.sans-serif"][:2] == [plots.CJK_FAMILY, "DejaVu Sans"]
    path = font_manager.findfont(font_manager.FontProperties(family=[plots.CJK_FAMILY]), fallback_to_default=False)
    assert Path(path).name == "NotoSansCJKsc-Regular.otf"


def test_every_figure_renders_chinese_without_glyph_warnings(results):
    projection, simulation = results
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would raise
        for fig in _all_figures(projection, simulation, "zh"):
            assert isinstance(fig, Figure)
            assert plots.png_bytes(fig)[:8] == b"\x89PNG\r\n\x1a\n"


def test_glyph_check_can_fail_without_the_cjk_font():
    """Control: with DejaVu Sans alone the same label does warn, so the test above is meaningful."""
    fig = Figure()
    ax = fig.subplots()
    ax.set_title("实际地区生产总值", fontfamily="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plots.png_bytes(fig)
    assert any("missing from font" in str(w.message) for w in caught)


def _chunks(png: bytes) -> list[bytes]:
    out, i = [], 8
    while i < len(png):
        length = int.from_bytes(png[i:i + 4], "big")
        kind = png[i + 4:i + 8]
        out.append(kind)
        if kind in (b"tEXt", b"iTXt", b"zTXt"):
            out.append(png[i + 8:i + 8 + length])
        i += 12 + length
    return out


def test_png_bytes_are_deterministic_and_carry_no_metadata(results, tmp_path):
    projection, _ = results
    a = plots.png_bytes(plots.gdp_paths(projection.table, "zh", projection.assumed_columns))
    b = plots.png_bytes(plots.gdp_paths(projection.table.copy(), "zh", set(projection.assumed_columns)))
    assert a == b
    chunks = _chunks(a)
    assert b"tIME" not in chunks
    assert not any(isinstance(c, bytes) and b"matplotlib" in c.lower() for c in chunks)
    path = plots.save_png(plots.gdp_paths(projection.table, "zh", projection.assumed_columns), tmp_path / "g.png")
    assert path.read_bytes() == a
    assert [p.name for p in tmp_path.iterdir()] == ["g.png"]  # no temporary file left behind


def test_different_input_gives_different_png(results):
    projection, _ = results
    other = projection.table.assign(gdp_real=projection.table["gdp_real"] * 1.1)
    assert plots.png_bytes(plots.gdp_paths(projection.table), dpi=40) != plots.png_bytes(plots.gdp_paths(other), dpi=40)


def test_assumption_dependent_series_are_dashed_and_the_caption_says_so_once(results):
    projection, _ = results
    fig = plots.gdp_paths(projection.table, "en", assumed_columns={"gdp_nominal"})
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    nominal = next(l for k, l in lines.items() if k.startswith("Nominal"))
    real = next(l for k, l in lines.items() if k.startswith("Real"))
    assert nominal.get_linestyle() == "--" and real.get_linestyle() == "-"
    assert not any("assum" in k for k in lines)  # the legend names series; the caption carries the note
    assert "亿元" in fig.axes[0].get_ylabel()
    note = plots.assumed_note(plots.CHART_COLUMNS["gdp_paths"], {"gdp_nominal"}, "en")
    assert note == "Dashed series depend on assumptions of the scenario (see Inputs and sources)."
    assert plots.assumed_note(plots.CHART_COLUMNS["gdp_paths"], {"urban_income"}, "en") == ""
    assert plots.with_note("Real GDP.", note, "en") == f"Real GDP. {note}"
    assert plots.with_note("地区生产总值。", plots.assumed_note(["gdp_real"], ["gdp_real"], "zh"), "zh") == \
        "地区生产总值。虚线所示序列依赖情景假设（见“输入与出处”）。"


def test_contribution_bars_stack_to_growth(results):
    projection, _ = results
    fig = plots.contributions(projection.table, "en", projection.assumed_columns)
    ax = fig.axes[0]
    heights = np.zeros(len(projection.table) - 1)
    for container in ax.containers:
        heights += np.array([bar.get_height() for bar in container])
    growth = projection.table["gdp_growth"].to_numpy()[1:]
    np.testing.assert_allclose(heights, growth, rtol=1e-9)


def test_fan_chart_bands_come_from_the_percentiles(results):
    _, simulation = results
    fig = plots.fan_chart(simulation.percentiles, "fiscal_revenue", "en")
    ax = fig.axes[0]
    rows = simulation.percentiles[simulation.percentiles["indicator"] == "fiscal_revenue"]
    median = next(l for l in ax.get_lines() if l.get_label() == "Median path")
    np.testing.assert_allclose(median.get_ydata(), rows["p50"].to_numpy())
    with pytest.raises(ValueError, match="no percentiles"):
        plots.fan_chart(simulation.percentiles, "population", "en")


def test_tornado_puts_the_widest_swing_on_top():
    table = pd.DataFrame({"label": ["narrow", "wide", "middle"], "base": [10.0] * 3,
                          "low": [9.9, 5.0, 8.0], "high": [10.1, 16.0, 12.0]})
    fig = plots.tornado(table, "en")
    ax = fig.axes[0]
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert labels == ["narrow", "middle", "wide"]  # bottom to top


@pytest.mark.parametrize("lang, region, benchmark", [("en", "Xiqu district (Panzhihua)", "Panzhihua city"),
                                                     ("zh", "攀枝花市西区", "攀枝花市"), ("en", "Testville", "Testburg")])
def test_per_capita_chart_names_the_region_and_benchmark_it_is_given(results, lang, region, benchmark):
    """Names come from region.yaml through the caller (locale keys plot.per_capita.region / .benchmark)."""
    projection, _ = results
    fig = plots.per_capita_vs_benchmark(projection.table, 85862.0, 2020, lang, projection.assumed_columns,
                                        region_name=region, benchmark_name=benchmark)
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert any(region in lb for lb in labels) and any(benchmark in lb and "2020" in lb for lb in labels)
    if region == "Testville":  # no region name written into the locale or the code
        shown = " ".join(labels) + ax.get_title() + ax.get_ylabel()
        assert not any(name in shown for name in ("Xiqu", "Panzhihua", "西区", "攀枝花"))
    line = next(l for l in ax.get_lines() if region in l.get_label())
    np.testing.assert_allclose(line.get_ydata(), projection.table["gdp_per_capita"].to_numpy())
