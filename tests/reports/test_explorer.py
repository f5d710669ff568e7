"""The scenario explorer without a kernel: controls from the schema, live views, messages, saving.

Controls are set as a user would (the value box of a control); the explorer
then shows what ``project()`` of the equivalent scenario gives, where the
equivalent scenario is built here by editing the YAML data by hand. The
real-kernel, Voilà and browser checks are in ``tests/end_to_end/test_explorer_browser.py``.
"""
from __future__ import annotations

import asyncio
import copy
import math
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field

from xiqu_analysis import config
from xiqu_analysis.economics.projection import project
from xiqu_analysis.economics.uncertainty import simulate
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.scenario import Scenario, load_scenario, load_scenario_with_region, scenario_from_dict
from xiqu_analysis.inputs.yamlfile import read_yaml
from xiqu_analysis.reports import explorer as ex
from xiqu_analysis.reports.explorer.charts import CHARTS
from xiqu_analysis.reports.explorer.render import file_url, reader_files
from xiqu_analysis.reports.explorer.schema import control_specs, rebalance, share_groups, slider_range
from xiqu_analysis.reports.explorer.serve import HOST, TEMPLATE, voila_command, voila_environment
from xiqu_analysis.reports.explorer.state import ExplorerState
from xiqu_analysis.reports.tables.scenario import headline_table, headline_years
from tests.helpers import ROOT

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
PLAN = ROOT / "scenarios" / "plan_targets.yaml"
SECONDARY = "real_growth_pct.secondary.2021-2025"


@pytest.fixture(scope="module")
def _shared(tmp_path_factory):
    return ex.Explorer(PLAN, "en", 200, tmp_path_factory.mktemp("explorer"), debounce=0)


@pytest.fixture()
def app(_shared, tmp_path):
    """An explorer on plan_targets with a 200-path fan, redrawing on every change (no debounce).

    One explorer per test module (building the widgets takes a second), put back at its start
    with the explorer's own reset before each test.
    """
    a = _shared
    if a.state.start.source_path != PLAN:
        a.load(PLAN)
    a.set_language("en")
    a.fan_on.value, a.fan_paths.value = True, 200
    a.reset()
    a.output_dir, a.saved_path = tmp_path / "explorer", None
    a.save_name.value, a.save_reason.value, a.save_replace.value = "plan_targets_explored", "", False
    a.save_message.value = a.render_message.value = ""
    assert a.state.changes() == {} and a.state.problem is None
    return a


def _by_hand(path: Path, **changes) -> Scenario:
    """The scenario file with dotted values replaced in its data (no explorer code involved)."""
    data = copy.deepcopy(read_yaml(path))
    for dotted, value in changes.items():
        parts = dotted.split(".")
        if parts[0] == "real_growth_pct" and len(parts) == 3:
            parts = parts[:2] + [parts[2]]
        node = data
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    return scenario_from_dict(data, source=str(path))


class _Cells(HTMLParser):
    """The text of every row of the first table in an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell, self._tables = [], None, None, 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._tables += 1
        if self._tables == 1 and tag == "tr":
            self._row = []
        if self._tables == 1 and tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(self._cell)
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def _table(html_text: str) -> list[list[str]]:
    parser = _Cells()
    parser.feed(html_text)
    return parser.rows


# --------------------------------------------------------------------------- controls from the schema
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_control_for_every_numeric_input_of_every_shipped_scenario(path):
    scenario = load_scenario(path)
    specs = control_specs(scenario)
    # the model's own hand-kept list of numeric inputs, plus the seed (an integer uncertainty setting)
    assert [s.path for s in specs] == scenario.input_paths() + ["uncertainty.seed"]
    for s in specs:
        assert s.value == scenario.value_at(s.path)
    periods = [s for s in specs if s.period]
    assert all(s.path == f"{s.field}.{s.period}" for s in periods)


def test_bounds_and_units_come_from_the_schema():
    specs = {s.path: s for s in control_specs(load_scenario(PLAN))}
    ar1 = specs["uncertainty.ar1"]
    assert (ar1.lower, ar1.upper, ar1.lower_open, ar1.upper_open) == (0.0, 1.0, False, True)
    growth = specs[SECONDARY]
    assert (growth.lower, growth.upper, growth.lower_open, growth.unit) == (-100.0, 1000.0, True, "%")
    assert specs["gdp_base"].lower == 0.0 and specs["gdp_base"].lower_open and specs["gdp_base"].unit == "亿元"
    assert specs["fiscal_revenue.buoyancy"].lower == -math.inf
    assert specs["uncertainty.seed"].kind == "int"
    assert specs["uncertainty.correlation"].lower == -0.5 and specs["uncertainty.correlation"].lower_open
    assert "base_year" not in specs and "end_year" not in specs  # the frame, not an input


def test_a_field_added_to_the_schema_gets_a_control_without_explorer_code():
    from xiqu_analysis.inputs.scenario.fields import GrowthSpec, Section

    class Investment(Section):
        rate_pct: Annotated[float, Field(ge=0, le=60)]
        growth_pct: GrowthSpec

    class Extended(Scenario):
        investment: Investment = Investment(rate_pct=25.0, growth_pct={"2021-2025": 6.0, "2026-2035": 4.0})
        spillover: Annotated[float, Field(gt=0, lt=2)] = 0.5

    data = read_yaml(PLAN)
    specs = {s.path: s for s in control_specs(Extended.model_validate(data))}
    assert specs["investment.rate_pct"].upper == 60.0 and specs["investment.rate_pct"].value == 25.0
    assert specs["investment.growth_pct.2026-2035"].value == 4.0 and specs["investment.growth_pct.2026-2035"].period
    assert specs["spillover"].upper_open and specs["spillover"].section == "spillover"
    assert ex.field_label(specs["spillover"], "zh") == "spillover"  # no words yet: its path


def test_share_groups_are_found_by_their_bounds_and_sum():
    specs = control_specs(load_scenario(PLAN))
    assert share_groups(specs) == {"sector_shares": [f"sector_shares.{s}" for s in ("primary", "secondary", "tertiary")]}
    assert all(s.group is None for s in specs if not s.path.startswith("sector_shares"))


@given(st.floats(0, 1), st.lists(st.floats(0, 1), min_size=3, max_size=3), st.integers(0, 2))
def test_rebalance_keeps_the_sum_at_one_and_the_others_in_proportion(x, raw, i):
    members = ["a", "b", "c"]
    total = sum(raw)
    values = dict(zip(members, [v / total for v in raw] if total > 0 else [1 / 3] * 3))
    out = rebalance(values, members, members[i], x)
    assert out[members[i]] == x
    assert math.isclose(sum(out.values()), 1.0, abs_tol=1e-12)
    assert all(v >= 0 for v in out.values())
    others = [m for m in members if m != members[i]]
    a, b = (values[m] for m in others)
    # the others keep their proportion (the last one absorbs the float rounding, ~1e-16 absolute)
    assert math.isclose(out[others[0]] * b, out[others[1]] * a, rel_tol=1e-9, abs_tol=1e-15)
    if a + b > 0:
        assert math.isclose(out[others[0]] + out[others[1]], 1.0 - x, abs_tol=1e-12)


def test_rebalance_leaves_an_out_of_range_share_for_the_schema_to_refuse():
    values = {"a": 0.2, "b": 0.3, "c": 0.5}
    assert rebalance(values, list(values), "a", 1.4) == {"a": 1.4, "b": 0.3, "c": 0.5}


def test_slider_ranges_hold_the_value_and_keep_inside_the_schema():
    for spec in control_specs(load_scenario(PLAN)):
        if spec.kind != "float":
            continue
        lo, hi, step = slider_range(spec)
        assert lo <= spec.value <= hi and step > 0
        assert lo >= spec.lower and hi <= spec.upper


# --------------------------------------------------------------------------- live views
def test_moving_secondary_growth_shows_project_of_the_equivalent_scenario(app):
    app.set_value(SECONDARY, 5.0)
    equivalent = _by_hand(PLAN, **{SECONDARY: 5.0})
    expected = project(equivalent)
    region = load_scenario_with_region(PLAN)[1]
    years = headline_years(expected, region)
    assert years == [2020, 2025, 2035]
    pd.testing.assert_frame_equal(app.views.projection.table, expected.table)
    pd.testing.assert_frame_equal(app.views.headline, headline_table(expected, "en", years))
    # what the page shows: the table's cells, formatted from the hand-built scenario's projection
    rows = {r[0]: r for r in _table(app.headline.value)[1:]}
    table = expected.table.set_index("year")
    real = rows["Real GDP"]
    assert real[3:9:2] == [f"{table.loc[y, 'gdp_real']:,.2f}" for y in years]
    start = project(load_scenario(PLAN)).table.set_index("year")
    assert real[4:10:2] == [f"{start.loc[y, 'gdp_real']:,.2f}" for y in years]
    assert rows["Per-capita GDP"][7] == f"{table.loc[2035, 'gdp_per_capita']:,.0f}"
    assert rows["Real GDP growth"][5] == f"{table.loc[2025, 'gdp_growth']:.1f}"
    # 7.5 -> 5.0 lowers real GDP in 2025 below the start
    assert table.loc[2025, "gdp_real"] < start.loc[2025, "gdp_real"]


def test_structure_table_shows_pulls_and_contributions_that_add_up(app):
    app.set_value(SECONDARY, 5.0)
    current, start = app.structure_frames
    table = project(_by_hand(PLAN, **{SECONDARY: 5.0})).table.set_index("year")
    assert np.isclose(current["pull_2025"].sum(), table.loc[2025, "gdp_growth"], rtol=1e-12)
    assert np.isclose(current["contribution_2025"].sum(), 100.0, rtol=1e-12)
    assert np.isclose(current["share_2035"].sum(), 100.0, rtol=1e-12)
    assert current.loc[1, "pull_2025"] == pytest.approx(table.loc[2025, "secondary_pull"])
    assert start.loc[1, "pull_2025"] > current.loc[1, "pull_2025"]
    rows = _table(app.structure.value)
    assert rows[2][0] == "Secondary sector" and f"{table.loc[2025, 'secondary_pull']:.2f}" in rows[2]


def test_charts_draw_the_changed_scenario_beside_the_start(app):
    app.set_value(SECONDARY, 5.0)
    marks = app.charts._marks
    current = project(_by_hand(PLAN, **{SECONDARY: 5.0})).table
    start = project(load_scenario(PLAN)).table
    assert np.array_equal(marks["gdp"]["current"].y[0], current["gdp_real"].to_numpy())
    assert np.array_equal(marks["gdp"]["start"].y[1], start["gdp_nominal"].to_numpy())
    assert np.array_equal(marks["per_capita"]["current"].y, current["gdp_per_capita"].to_numpy())  # one line: 1-d
    assert np.allclose(marks["pulls"]["bars"].y[1], current["secondary_pull"].to_numpy()[1:])
    gaps = marks["gaps"]
    industry = [i for i, x in enumerate(gaps["current"].x) if x.startswith("Industrial")][0]
    assert list(gaps["current"].x) == list(gaps["start"].x)
    assert np.ravel(gaps["current"].y)[industry] == pytest.approx(5.0 - 7.5)
    assert np.ravel(gaps["start"].y)[industry] == pytest.approx(0.0)
    assert set(app.charts.figures) == set(CHARTS)


def test_fan_chart_is_the_simulation_of_the_equivalent_scenario(app):
    app.set_value(SECONDARY, 5.0)
    equivalent = _by_hand(PLAN, **{SECONDARY: 5.0})
    pct = simulate(equivalent, None, n_paths=200).percentiles
    pct = pct[pct["indicator"] == "gdp_real"]
    band = app.charts._marks["fan"]["band90"]
    assert np.array_equal(band.y[0], pct["p5"].to_numpy()) and np.array_equal(band.y[1], pct["p95"].to_numpy())
    app.fan_on.value = False
    assert app.charts._marks["fan"]["band90"].x.size == 0 and "off" in app.charts.figures["fan"].title


def test_a_share_moves_the_others_and_the_projection_uses_all_three(app):
    app.set_value("sector_shares.primary", 0.1)
    shown = {p: app.controls[p].value for p in ("sector_shares.primary", "sector_shares.secondary", "sector_shares.tertiary")}
    assert math.isclose(sum(shown.values()), 1.0, abs_tol=1e-12)
    assert shown["sector_shares.secondary"] / shown["sector_shares.tertiary"] == pytest.approx(0.58 / 0.40)
    assert app.state.problem is None
    expected = project(_by_hand(PLAN, **{"sector_shares": {k.split(".")[1]: v for k, v in shown.items()}}))
    pd.testing.assert_frame_equal(app.views.projection.table, expected.table)


# --------------------------------------------------------------------------- invalid values
@pytest.mark.parametrize("path, value, words", [
    ("uncertainty.ar1", 1.0, "must be less than 1, got 1"),
    (SECONDARY, -150.0, "must be greater than -100"),
    ("gdp_base", 0.0, "must be greater than 0"),
    ("sector_shares.tertiary", 1.5, "1"),
    ("fiscal_revenue.buoyancy", -60.0, "at or below -100%"),
])
def test_an_invalid_value_shows_the_schema_message_and_keeps_the_last_valid_state(app, path, value, words):
    app.set_value("deflator_pct", 3.0)
    before = app.views.projection.table.copy()
    headline_html = app.headline.value
    app.set_value(path, value)
    problem = app.state.problem
    assert problem is not None and words in problem.message
    assert problem.control == path
    assert words in app.controls[path].message.value
    assert all(not c.message.value for p, c in app.controls.items() if p != path)
    assert "Not applied" in app.status.value
    pd.testing.assert_frame_equal(app.views.projection.table, before)
    assert app.headline.value == headline_html
    assert app.controls[path].value == value  # what the user typed stays, beside its message
    # the message is the schema's own: the same change through the schema directly
    with pytest.raises(InputError) as info:
        changed = load_scenario(PLAN).with_changes(deflator_pct=3.0, **{path: value})
        project(changed)
    assert problem.message == info.value.problem
    # a valid change elsewhere does not clear it; correcting the value does
    app.set_value("population.growth_pct.2024-2035", -0.7)  # the shipped population is given as periods
    assert app.state.problem is not None
    pd.testing.assert_frame_equal(app.views.projection.table, before)
    app.set_value(path, app.state.start_values[path])
    assert app.state.problem is None and not app.controls[path].message.value
    expected = project(_by_hand(PLAN, deflator_pct=3.0, **{"population.growth_pct.2024-2035": -0.7}))
    pd.testing.assert_frame_equal(app.views.projection.table, expected.table)


def test_nothing_raises_into_the_notebook(app):
    app._changed(SECONDARY, "fast")  # a value no control sends: reported, not raised
    assert app.state.problem is not None and "number" in app.state.problem.message
    assert app.load(ROOT / "no_such.yaml") is False and "not found" in app.status.value
    assert app.state.start.name == "plan_targets"


# --------------------------------------------------------------------------- language, loading
def test_switching_language_relabels_everything_and_keeps_the_numbers(app):
    app.set_value(SECONDARY, 5.0)
    table = app.views.projection.table.copy()
    app.set_language("zh")
    rows = _table(app.headline.value)
    assert rows[0][0] == "指标" and rows[1][0] == "地区生产总值（不变价）"
    assert rows[0][3].startswith("2020") and len(rows[1]) == len(rows[0])  # the years' columns in Chinese too
    assert app.controls[SECONDARY].label.value == "第二产业（2021—2025年）"
    assert app.charts.figures["gdp"].title.startswith("地区生产总值")
    assert app.save_button.description == "保存"
    pd.testing.assert_frame_equal(app.views.projection.table, table)
    assert app.language.value == "zh"


def test_loading_another_scenario_rebuilds_the_controls(app):
    assert app.load("high")
    assert app.state.start.name == "high"
    assert list(app.controls) == [s.path for s in control_specs(load_scenario(ROOT / "scenarios" / "high.yaml"))]
    pd.testing.assert_frame_equal(app.views.projection.table, project(load_scenario(ROOT / "scenarios" / "high.yaml")).table)


def test_reset_returns_every_input_to_the_start(app):
    app.set_value(SECONDARY, 5.0)
    app.set_value("uncertainty.ar1", 2.0)
    app.reset()
    assert app.state.problem is None and app.state.changes() == {}
    assert app.controls[SECONDARY].value == 7.5 and not app.controls["uncertainty.ar1"].message.value
    pd.testing.assert_frame_equal(app.views.projection.table, project(load_scenario(PLAN)).table)


# --------------------------------------------------------------------------- save
def test_save_then_load_round_trip(app, tmp_path):
    app.set_value(SECONDARY, 5.0)
    app.set_value("sector_shares.primary", 0.05)
    app.save_name.value = "industry_slower"
    app.save_reason.value = "Industry grows 5% a year: the power cuts of 2021 persist."
    path = app.save()
    assert path == tmp_path / "explorer" / "scenarios" / "industry_slower.yaml"
    saved = load_scenario(path)  # the schema and the sources check, as xiqu run reads it
    assert saved.name == "industry_slower"
    pd.testing.assert_frame_equal(project(saved).table, app.views.projection.table)  # identical numbers
    for p in app.state.changes():
        assert saved.assumptions[p].startswith("Industry grows 5% a year")
        assert p not in saved.sources
    assert "xiqu.industrial_va_growth.2021-2025" in saved.assumptions[SECONDARY]  # the figure it no longer equals
    assert "was 7.5 in plan_targets" in saved.assumptions[SECONDARY]
    start = load_scenario(PLAN)
    kept = {k: v for k, v in start.sources.items() if not k.startswith(SECONDARY)}
    assert saved.sources == kept
    assert saved.assumptions["deflator_pct"] == start.assumptions["deflator_pct"]
    assert path.read_text(encoding="utf-8").startswith("# Saved by the scenario explorer from plan_targets.")


def test_a_saved_scenario_passes_the_checks_of_xiqu_run(app, tmp_path):
    from xiqu_analysis.runner.suites import plan_suite
    from xiqu_analysis.runner.validate import validate_jobs

    app.set_value(SECONDARY, 5.0)
    app.save_reason.value = "A test of the explorer's saved file."
    path = app.save()
    jobs = plan_suite([str(path)])
    validate_jobs(jobs)  # every check `xiqu run` makes before a kernel starts
    assert any(j.name == "scenario_report-plan_targets_explored" for j in jobs)


def test_save_refuses_an_empty_reason_with_the_message(app):
    app.set_value(SECONDARY, 5.0)
    app.save_reason.value = "   "
    assert app.save() is None
    assert "a reason is needed" in app.save_message.value
    assert not app.save_folder.exists()


def test_save_never_overwrites_a_shipped_scenario(tmp_path, monkeypatch):
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    original = PLAN.read_text(encoding="utf-8")
    (shipped / "plan_targets.yaml").write_text(original, encoding="utf-8")
    monkeypatch.setenv("XIQU_SCENARIO_DIR", str(shipped))
    app = ex.Explorer(shipped / "plan_targets.yaml", "en", 0, tmp_path / "out", debounce=0)
    app.set_value(SECONDARY, 5.0)
    app.save_reason.value = "reason"
    app.save_name.value = "plan_targets"
    state = app.state
    for replace in (False, True):
        with pytest.raises(InputError, match="shipped scenario"):
            state.save(shipped, "plan_targets", "reason", replace=replace)
    assert (shipped / "plan_targets.yaml").read_text(encoding="utf-8") == original
    path = app.save()  # the explorer's own folder: a new file, never the shipped one
    assert path.parent == tmp_path / "out" / "scenarios"


def test_save_refuses_an_existing_file_unless_replace_is_ticked(app):
    app.save_reason.value = "first"
    assert app.save() is not None
    app.save_reason.value = "second"
    assert app.save() is None and "exists" in app.save_message.value
    app.save_replace.value = True
    path = app.save()
    assert path is not None and load_scenario(path).title.endswith("explored")


def test_save_refuses_a_name_the_schema_refuses_and_invalid_inputs(app):
    app.save_reason.value = "reason"
    app.save_name.value = "../escape"
    assert app.save() is None and "not a safe file name" in app.save_message.value
    app.save_name.value = "fine"
    app.set_value("uncertainty.ar1", 1.0)
    assert app.save() is None and "not valid" in app.save_message.value
    assert not (app.save_folder / "fine.yaml").exists()


def test_render_needs_a_saved_scenario(app):
    assert app.render() is None and "Save the scenario first" in app.render_message.value


# --------------------------------------------------------------------------- pieces
def test_debouncer_calls_at_once_after_a_quiet_spell_and_once_after_a_burst():
    """A real asyncio loop; the delay (0.3 s) is long against the burst's gaps (0.01 s), so a busy machine that
    stretches the gaps does not split the burst."""
    delay = 0.3
    calls, triggers = [], []

    async def main():
        loop = asyncio.get_running_loop()
        d = ex.Debouncer(lambda: calls.append(loop.time()), delay=delay)

        def trigger():
            triggers.append(loop.time())
            d.trigger()

        trigger()  # after a quiet spell: at the loop's next turn, no wait
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert len(calls) == 1 and calls[0] - triggers[0] < delay
        for _ in range(5):  # a burst (a slider dragged): one call, the delay after the last change
            trigger()
            await asyncio.sleep(0.01)
        assert len(calls) == 1
        await asyncio.sleep(2 * delay)
        assert len(calls) == 2 and calls[1] - triggers[-1] >= delay - 0.01

    asyncio.run(main())
    assert max(b - a for a, b in zip(triggers[1:], triggers[2:])) < delay  # the burst was one burst
    now = []
    ex.Debouncer(lambda: now.append(1), delay=0.05).trigger()  # no running loop: at once
    assert now == [1]


def test_file_links_for_voila_and_lab(tmp_path, monkeypatch):
    report = config.PROJECT_ROOT / "outputs" / "explorer" / "runs" / "r1" / "index.html"
    assert file_url(report, {"SERVER_SOFTWARE": "voila/0.5.13"}) == "voila/files/outputs/explorer/runs/r1/index.html"
    assert file_url(tmp_path / "x.html", {"SERVER_SOFTWARE": "voila/0.5.13"}) is None  # outside the project
    monkeypatch.chdir(config.PROJECT_ROOT / "notebooks")
    assert file_url(report, {}) == "../outputs/explorer/runs/r1/index.html"


def test_reader_files_from_a_manifest(tmp_path):
    run = tmp_path / "run"
    (run / "scenario_report-x").mkdir(parents=True)
    for name in ("scenario_report.html", "scenario_report.pdf", "tables.xlsx", "job.log"):
        (run / "scenario_report-x" / name).write_text("x")
    (run / "index.html").write_text("x")
    (run / "manifest.json").write_text('{"notebooks": {"scenario_report-x": {"folder": "scenario_report-x", '
                                       '"title": "X"}}}')
    files = [(t, p.name) for t, p in reader_files(run)]
    assert files == [("index", "index.html"), ("X", "scenario_report.html"), ("X", "scenario_report.pdf"),
                     ("X", "tables.xlsx")]


def test_voila_serves_on_loopback_without_code_and_with_a_template_that_loads_nothing_outside():
    cmd = voila_command(8877)
    assert f"--Voila.ip={HOST}" in cmd and HOST == "127.0.0.1" and "--port=8877" in cmd
    assert "--strip_sources=True" in cmd and f"--template={TEMPLATE}" in cmd
    assert cmd[-len(cmd) + 1].endswith("explore.ipynb") or any(c.endswith("explore.ipynb") for c in cmd)
    env = voila_environment({})
    folder = Path(env["JUPYTER_PATH"].split(":")[0]) / "voila" / "templates" / TEMPLATE
    template = (folder / "index.html.j2").read_text(encoding="utf-8")
    assert "extends 'voila/templates/lab/index.html.j2'" in template
    assert not re.search(r"https?://", template.split("-#}", 1)[1])
    assert read_yaml(folder / "conf.json") == {"base_template": "lab"}


def test_explorer_state_is_usable_without_widgets():
    state = ExplorerState.from_path(PLAN)
    state.set(SECONDARY, 5.0)
    assert state.changes() == {SECONDARY: 5.0}
    assert state.current == load_scenario(PLAN).with_changes(**{SECONDARY: 5.0})
    data = state.scenario_data("x", "because")
    assert yaml.safe_load(yaml.safe_dump(data))["real_growth_pct"]["secondary"]["2021-2025"] == 5.0
