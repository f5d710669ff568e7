"""The explorer's language: chosen by the page's address (?lang=zh) or the browser's Accept-Language
(reports/explorer/language.py, the variables Voilà gives each page's kernel), every label from the
locale files and the registry (no field's dotted path, no file name outside <code>), and its charts
(sector names, zero gaps, regular year ticks). Without a kernel; the page in headless Chromium is in
tests/end_to_end/test_explorer_browser.py."""
from __future__ import annotations

import ipywidgets as w
import numpy as np
import pytest

from xiqu_analysis.reports import explorer as ex
from xiqu_analysis.reports.explorer.charts import GAP_FORMAT
from xiqu_analysis.reports.explorer.language import accepted_languages, match_language, page_language
from xiqu_analysis.reports.explorer.schema import control_specs
from xiqu_analysis.reports.explorer.serve import voila_command
from xiqu_analysis.reports.explorer.state import shipped_titles
from xiqu_analysis.inputs.scenario import load_scenario
from tests.helpers import ROOT
from tests.helpers.english_runs import english_runs, field_names, visible_text

PLAN = ROOT / "scenarios" / "plan_targets.yaml"


# --------------------------------------------------------------------------- choosing the language
@pytest.mark.parametrize("environ, expected", [
    ({"QUERY_STRING": "lang=zh"}, "zh"),
    ({"QUERY_STRING": "language=zh-CN&x=1"}, "zh"),
    ({"QUERY_STRING": "lang=zh", "HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}, "zh"),  # the address first
    ({"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.8"}, "zh"),               # navigator.language zh-CN
    ({"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,zh;q=0.8,en;q=0.7"}, "zh"),      # the first the reports have
    ({"HTTP_ACCEPT_LANGUAGE": "en;q=0.5,zh-Hans;q=0.8"}, "zh"),                # by weight, not by order
    ({"HTTP_ACCEPT_LANGUAGE": "en-GB"}, "en"),
    ({"QUERY_STRING": "lang=fr", "HTTP_ACCEPT_LANGUAGE": "de"}, "default"),     # nothing known: the parameter
    ({}, "default"),
])
def test_the_page_opens_in_the_language_of_its_address_or_browser(environ, expected):
    assert page_language("default", environ, ("en", "zh")) == expected


def test_accept_language_and_tags():
    assert accepted_languages("zh-CN,zh;q=0.9,en;q=0.8") == ["zh-CN", "zh", "en"]
    assert accepted_languages("en;q=0, zh;q=x, *;q=0.1") == []  # refused, unreadable, any
    assert match_language("ZH_cn", ("en", "zh")) == "zh" and match_language("en-XA", ("en", "en-XA")) == "en-XA"
    assert match_language("fr", ("en", "zh")) is None


def test_voila_passes_the_browsers_languages_to_the_kernel():
    assert "--VoilaConfiguration.http_header_envs=Accept-Language" in voila_command(8866)


def test_the_notebook_start_reads_the_pages_language(monkeypatch, tmp_path):
    monkeypatch.setenv("QUERY_STRING", "lang=zh")
    monkeypatch.delenv("HTTP_ACCEPT_LANGUAGE", raising=False)
    app = ex.start({"scenario_path": str(PLAN), "output_dir": str(tmp_path), "language": "en", "n_paths": 0})
    assert app.lang == "zh" and app.language.value == "zh" and app.title.value == "<h2>情景探索器</h2>"
    monkeypatch.setenv("QUERY_STRING", "")
    assert ex.start({"scenario_path": str(PLAN), "output_dir": str(tmp_path), "language": "en", "n_paths": 0}).lang == "en"


# --------------------------------------------------------------------------- what the zh page shows
def _texts(widget) -> list[str]:
    """Every text a reader sees of a widget tree: HTML (without <code>), descriptions, placeholders,
    option labels; chart titles and legend entries."""
    out = []
    if isinstance(widget, w.HTML):
        out.append(visible_text(widget.value, skip_code=True))
    for attr in ("description", "placeholder", "tooltip"):
        value = getattr(widget, attr, None)
        if isinstance(value, str):
            out.append(value)
    if isinstance(widget, (w.Dropdown, w.ToggleButtons)):
        out += [str(label) for label, _ in widget._options_full] if hasattr(widget, "_options_full") else \
            [str(o[0] if isinstance(o, tuple) else o) for o in widget.options]
    if hasattr(widget, "marks"):  # a bqplot figure
        out.append(widget.title or "")
        out += [str(x) for m in widget.marks for x in (m.labels or [])]
        out += [a.label or "" for a in widget.axes]
    for child in getattr(widget, "children", ()):
        out += _texts(child)
    return out


@pytest.fixture(scope="module")
def zh_app(tmp_path_factory):
    return ex.Explorer(PLAN, "zh", 100, tmp_path_factory.mktemp("zh_explorer"), debounce=0)


def test_no_english_and_no_field_names_in_the_chinese_explorer(zh_app):
    text = "\n".join(_texts(zh_app.widget))
    assert "地区生产总值" in text and "基年年内人口变化" in text  # labels were read
    assert english_runs(text) == []
    assert field_names(text) == []
    # controls: one per input, each labelled from the locale files (a period as Chinese writes it)
    labels = [c.label.value for c in zh_app.controls.values()]
    assert len(labels) == len(control_specs(load_scenario(PLAN)))
    assert "第二产业（2021—2025年）" in labels and "人口增速冲击标准差" in labels
    # the shipped scenarios by their Chinese titles, each loading by its name
    options = dict(zh_app.shipped.options)
    assert options["2025年前按规划增速底线增长，此后增速放缓"] == "plan_targets"
    assert shipped_titles("zh")["plan_targets"] == "2025年前按规划增速底线增长，此后增速放缓"
    # the language buttons name each language in its own words
    assert dict(zh_app.language.options) == {"English": "en", "中文": "zh"}
    # a folder the page must show stands in <code>
    assert "<code>" in zh_app._labels["save_heading"].value


def test_the_control_detects_english_and_field_names():
    """Control: the scans find what they look for."""
    assert field_names("基年population.base_year_growth_pct和plan_targets") == [
        "population.base_year_growth_pct", "plan_targets"]
    assert english_runs("Start from plan floors to 2025") != []


def test_switching_language_relists_the_shipped_scenarios_without_loading_one(zh_app):
    start = zh_app.state.start
    zh_app.set_language("en")
    try:
        assert dict(zh_app.shipped.options)["Plan floors to 2025, slower growth to 2035"] == "plan_targets"
        assert zh_app.state.start is start and zh_app.shipped.value == "plan_targets"
    finally:
        zh_app.set_language("zh")
    assert zh_app.state.start is start


# --------------------------------------------------------------------------- its charts
def test_sector_shares_are_named_by_sector_and_start_series_in_chinese_brackets(zh_app):
    shares = zh_app.charts.figures["shares"].marks
    assert list(shares[-1].labels) == ["第一产业", "第二产业", "第三产业"]
    gdp_start = zh_app.charts.figures["gdp"].marks[0].labels
    assert gdp_start[0] == "地区生产总值（2020年不变价）（起始情景）"


def test_zero_gaps_print_their_value_and_years_are_ticked_regularly(zh_app):
    gaps = zh_app.charts.figures["gaps"].marks
    current = next(m for m in gaps if m.colors == ["#1f4e79"])
    assert current.label_display and current.label_display_format == GAP_FORMAT == ".1f"
    values = np.asarray(current.y).ravel()
    assert (values == 0).sum() == 4  # plan_targets meets four growth targets exactly: four bars of 0.0
    ticks = list(zh_app.charts.figures["gdp"].axes[0].tick_values)
    assert ticks == [2020, 2025, 2030, 2035]
    pulls = list(zh_app.charts.figures["pulls"].axes[0].tick_values)
    assert pulls[0] == 2021 and pulls[-1] == 2035 and len(set(np.diff(pulls))) == 1
