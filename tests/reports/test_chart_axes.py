"""What every chart's axes share (reports/charts/axes.py), read off the matplotlib figures themselves:
year ticks at one regular step, value axes that name the price basis of the series drawn, a zero bar
that can be seen, legends without the assumption note (said once, in the caption) and no title that
repeats the caption."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from xiqu_analysis.economics.projection import project
from xiqu_analysis.economics.uncertainty import simulate
from xiqu_analysis.inputs.scenario import load_scenario_with_region
from xiqu_analysis.reports.charts import axes as chart_axes
from xiqu_analysis.reports.charts import comparison_plots, plots
from xiqu_analysis.reports.parameters import check_parameters, resolve
from xiqu_analysis.reports.sections import scenario_report
from xiqu_analysis.reports.words.text import t
from tests.helpers import ROOT


@pytest.fixture(scope="module")
def results():
    scenario, region = load_scenario_with_region(ROOT / "scenarios" / "plan_targets.yaml")
    return project(scenario), simulate(scenario, region, n_paths=100, random_state=1)


def _scenario_figures(projection, simulation, lang):
    table, assumed = projection.table, projection.assumed_columns
    gaps = pd.DataFrame({"label": ["a", "b"], "gap": [0.4, -1.1]})
    sens = pd.DataFrame({"label": ["x", "y"], "base": [200.0] * 2, "low": [180.0, 199.0], "high": [222.0, 201.0]})
    return {
        "gdp_paths": plots.gdp_paths(table, lang, assumed),
        "sector_structure": plots.sector_structure(table, lang, assumed),
        "contributions": plots.contributions(table, lang, assumed),
        "per_capita": plots.per_capita_vs_benchmark(table, 85862.0, 2020, lang, assumed, reported={2020: 65801.0},
                                                    column="gdp_per_capita_real"),
        "income_revenue": plots.income_and_revenue(table, lang, assumed),
        "target_gaps": plots.target_gaps(gaps, lang),
        "fan": plots.fan_chart(simulation.percentiles, "gdp_real", lang, deterministic=table),
        "tornado": plots.tornado(sens, lang, unit_label="亿元"),
        "comparison_lines": comparison_plots.comparison_lines({"甲": table, "乙": table}, ["gdp_real", "gdp_per_capita"],
                                                              lang),
        "comparison_gaps": comparison_plots.comparison_gaps(gaps.assign(scenario="甲"), lang),
    }


# --------------------------------------------------------------------------- years
@pytest.mark.parametrize("first, last, expected", [
    (2020, 2035, [2020, 2025, 2030, 2035]),            # was 2020, 2022, ... 2032, 2035
    (2020, 2025, [2020, 2021, 2022, 2023, 2024, 2025]),
    (2021, 2035, list(range(2021, 2036, 2))),
    (2020, 2030, list(range(2020, 2031, 2))),
    (2020, 2033, list(range(2020, 2033, 2))),          # no step divides 13 years: round years, one step
    (2020, 2020, [2020]),
])
def test_year_ticks_take_one_regular_step(first, last, expected):
    assert chart_axes.year_ticks(range(first, last + 1)) == expected


def _year_ticks(ax) -> list[int]:
    ticks = [float(x) for x in ax.get_xticks()]
    labels = [tick.get_text() for tick in ax.get_xticklabels()]
    assert labels == [str(int(x)) for x in ticks]  # plain integers: never 2,029 or 2029.0
    return [int(x) for x in ticks]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_year_axis_is_regular_from_the_first_to_the_last_year(results, lang):
    projection, simulation = results
    years = projection.table["year"].astype(int).tolist()
    for name, fig in _scenario_figures(projection, simulation, lang).items():
        for ax in fig.axes:
            if not ax.get_visible() or name in ("target_gaps", "tornado", "comparison_gaps"):
                continue
            ticks = _year_ticks(ax)
            assert len(set(np.diff(ticks))) == 1, (name, ticks)
            last = years[-1]
            assert ticks[-1] == last and ticks[0] in (years[0], years[1]), (name, ticks)  # pulls start a year later


# --------------------------------------------------------------------------- price basis
@pytest.mark.parametrize("lang, constant, current", [("en", "constant 2020 prices", "current prices"),
                                                     ("zh", "2020年不变价", "现价")])
def test_value_axes_name_the_price_basis_of_the_series_drawn(results, lang, constant, current):
    projection, simulation = results
    figs = _scenario_figures(projection, simulation, lang)
    per_capita = figs["per_capita"].axes[0].get_ylabel()  # gdp_per_capita_real: the report's 图4
    assert constant in per_capita and current not in per_capita
    table = projection.table
    nominal = plots.per_capita_vs_benchmark(table, 85862.0, 2020, lang, column="gdp_per_capita").axes[0].get_ylabel()
    assert current in nominal and constant not in nominal
    assert constant in figs["fan"].axes[0].get_ylabel()
    assert current in plots.fan_chart(simulation.percentiles, "fiscal_revenue", lang).axes[0].get_ylabel()
    assert [current in ax.get_ylabel() for ax in figs["income_revenue"].axes] == [True, True]
    real, per_head = figs["comparison_lines"].axes[:2]
    assert constant in real.get_ylabel() and current not in real.get_ylabel()
    assert current in per_head.get_ylabel()
    # one axis with both bases: the legend names each, the axis only the unit
    assert constant not in figs["gdp_paths"].axes[0].get_ylabel()
    assert current not in figs["gdp_paths"].axes[0].get_ylabel()


def test_axis_unit_reads_the_basis_of_each_column():
    assert chart_axes.axis_unit("gdp_real", "zh", 2020) == "亿元，2020年不变价"
    assert chart_axes.axis_unit("gdp_per_capita", "zh", 2020) == "元，现价"
    assert chart_axes.axis_unit("gdp_per_capita_real", "en", 2021) == "yuan, constant 2021 prices"
    assert chart_axes.axis_unit("gdp_growth", "zh", 2020) == "%/年"
    assert chart_axes.axis_unit("secondary_pull", "en", 2020) == "percentage points"
    assert chart_axes.axis_unit("population", "zh", 2020) == "人"


# --------------------------------------------------------------------------- zero bars
def _zero_ticks(ax) -> list[float]:
    """The y positions of the zero markers drawn at x = 0."""
    return [float(line.get_ydata()[0]) for line in ax.get_lines()
            if line.get_marker() == chart_axes.ZERO_MARKER and list(line.get_xdata()) == [0.0]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_zero_gap_shows_a_marker_and_its_value(lang):
    gaps = pd.DataFrame({"label": ["met exactly", "above", "below"], "gap": [0.0, 0.8, -1.2]})
    ax = plots.target_gaps(gaps, lang).axes[0]
    bars = {round(p.get_y() + p.get_height() / 2, 6): p.get_width() for p in ax.patches}
    assert sorted(bars.values()) == [-1.2, 0.0, 0.8]
    zero_y = next(y for y, w in bars.items() if w == 0.0)
    assert _zero_ticks(ax) == [pytest.approx(zero_y)]  # only the zero bar is marked
    texts = [a.get_text() for a in ax.texts]
    assert texts.count("0.0") == 1 and "+0.8" in texts and "-1.2" in texts
    marker = next(line for line in ax.get_lines() if line.get_marker() == chart_axes.ZERO_MARKER)
    assert marker.get_markersize() >= 6 and marker.get_visible()


def test_zero_gaps_of_the_comparison_are_marked_in_the_scenarios_colour():
    gaps = pd.DataFrame({"scenario": ["plan", "plan", "low", "low"], "label": ["a", "b", "a", "b"],
                         "gap": [0.0, 0.0, -1.0, 0.3]})
    fig = comparison_plots.comparison_gaps(gaps, "zh")
    ax = fig.axes[0]
    ticks = _zero_ticks(ax)
    assert len(ticks) == 2
    colours = {line.get_color() for line in ax.get_lines() if line.get_marker() == chart_axes.ZERO_MARKER}
    assert colours == {comparison_plots.bar_style(0)["color"]}
    assert [a.get_text() for a in ax.texts] == ["0.0", "0.0"]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["plan", "low"]  # the markers add no legend entry
    no_zero = comparison_plots.comparison_gaps(gaps.assign(gap=[0.2, 0.1, -1.0, 0.3]), "zh").axes[0]
    assert _zero_ticks(no_zero) == [] and len(no_zero.texts) == 0  # control


# --------------------------------------------------------------------------- legends, titles, captions
@pytest.mark.parametrize("lang, note", [("en", "assumption"), ("zh", "依赖假设")])
def test_no_legend_entry_carries_the_assumption_note_and_no_figure_a_title(results, lang, note):
    projection, simulation = results
    for name, fig in _scenario_figures(projection, simulation, lang).items():
        entries = [text.get_text() for legend in [*fig.legends, *(ax.get_legend() for ax in fig.axes)] if legend
                   for text in legend.get_texts()]
        assert not any(note in e for e in entries), (name, entries)
        assert fig._suptitle is None, name
        if name != "income_revenue" and name != "comparison_lines":  # panels of two columns are titled by column
            assert all(ax.get_title() == "" for ax in fig.axes), name
        assert fig._supxlabel is None, name  # no note inside the figure: it is in the caption


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_caption_says_once_that_dashed_series_rest_on_assumptions(tmp_path, lang):
    run = scenario_report.open_run(resolve(check_parameters("scenario_report", language=lang, output_dir=str(tmp_path),
                                                            scenario_path="plan_targets", n_paths=100)))
    scenario_report.section_gdp(run)
    scenario_report.section_per_capita(run)
    captions = json.loads((tmp_path / "artifacts.json").read_text("utf-8"))["captions"]
    note = t("plot.note_assumed", lang)
    for name in ("gdp_paths", "per_capita"):
        caption = captions[f"figures/{name}.png"]
        assert caption.count(note) == 1 and caption.endswith(note), caption
    assert t("caption.gdp_paths", lang, year=2020) in captions["figures/gdp_paths.png"]
    per_capita = captions["figures/per_capita.png"]
    assert ("现价" not in per_capita) if lang == "zh" else ("current prices" not in per_capita)
    # nothing assumed, no note: an invented chart of columns no assumption touches
    assert plots.assumed_note(["year"], run.projection.assumed_columns, lang) == ""
