"""The Locale object: languages are the locale folders; numbers, periods, lists and fonts per language.

Hand-computed expectations for English and Chinese, and a language made of files only
(a folder named in ``XIQU_LOCALE_DIRS``) that the code has never heard of.
"""
from __future__ import annotations

import ast
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from xiqu_analysis.inputs.scenario import LANGUAGE_TAG
from xiqu_analysis.reports.words import locales as L

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "xiqu_analysis"
LOCALE = PACKAGE / "reports" / "locale"
MAKE_PSEUDO = ROOT / "tests" / "fixtures" / "locale" / "make_pseudo.py"


@pytest.fixture
def en():
    return L.get_locale("en")


@pytest.fixture
def zh():
    return L.get_locale("zh")


# --------------------------------------------------------------------------- hand-computed formats
def test_numbers_grouped_as_each_language_writes_them(en, zh):
    assert en.number(1234567.891, 1) == "1,234,567.9"
    assert zh.number(1234567.891, 1) == "1234567.9"  # the statistical bulletins write 41794元
    assert en.number(65801.4) == "65,801" and zh.number(65801.4) == "65801"
    assert en.number(-1234.5, 2) == "-1,234.50" and zh.number(-1234.5, 2) == "-1234.50"
    assert en.integer(129406) == "129,406" and zh.integer(129406) == "129406"
    assert en.significant(1007.5) == "1,007.5" and zh.significant(1007.5) == "1007.5"
    assert en.number(float("nan")) == "n/a" and zh.number(float("nan")) == "—"  # never "n/a" in Chinese
    assert en.with_unit("41,794", "元") == "41,794 元" and zh.with_unit("41794", "元") == "41794元"
    assert en.with_unit("8.24", "%") == "8.24%" == zh.with_unit("8.24", "%")


def test_percent_and_percentage_points(en, zh):
    assert en.pct(4.94) == "4.9%" == zh.pct(4.94)
    assert en.pp(0.26) == "+0.3 pp" and zh.pp(0.26) == "+0.3个百分点"
    assert en.pp(-1.24) == "-1.2 pp" and zh.pp(-1.24) == "-1.2个百分点"
    assert en.pp(-0.04) == "+0.0 pp"  # no "-0.0"
    assert en.pp(4.3, signed=False) == "4.3 pp" and zh.pp(4.3, signed=False) == "4.3个百分点"
    assert zh.pp(float("inf")) == "—"


def test_periods_years_and_lists(en, zh):
    assert en.period(2021, 2025) == "2021-2025" and zh.period(2021, 2025) == "2021—2025年"
    assert en.period(2021, 2021) == "2021" and zh.period(2021, 2021) == "2021年"
    assert en.when("2016-2020") == "2016-2020" and zh.when("2016-2020") == "2016—2020年"
    assert en.when("2020") == "2020" and zh.when("2020") == "2020年" and zh.when("") == ""
    assert en.year(2029.0) == "2029" == zh.year(2029) and en.year(None) == ""
    assert en.join_list(["a", "b"]) == "a, b" and zh.join_list(["甲", "乙"]) == "甲、乙"
    assert en.join_sentences(["One.", "", "Two."]) == "One. Two." and zh.join_sentences(["一。", "二。"]) == "一。二。"
    assert en.comma == ", " and zh.comma == "，"
    assert en.mid_sentence("Real GDP") == "real GDP" and en.mid_sentence("GDP") == "GDP"
    assert zh.mid_sentence("地区生产总值") == "地区生产总值" and en.capitalise("real") == "Real"


def test_table_cells(en, zh):
    import numpy as np

    assert en.cell(2029, "year") == "2029" == zh.cell(2029.0, "year")
    assert en.cell(63340.6873) == "63,341" and zh.cell(63340.6873) == "63341"
    assert en.cell(7.499999999999996) == "7.50" == zh.cell(7.499999999999996)
    assert en.cell(np.int64(129406)) == "129,406" and zh.cell(129406) == "129406"
    assert en.cell(1e-9) == "1e-09" and en.cell(float("nan")) == "" and en.cell("text") == "text"
    # a difference of two equal rates computed apart is float noise, not a figure: 0.00, never 7.994e-15 or -0.00
    assert en.cell(7.5 - 7.499999999999992) == "0.00" == zh.cell(-(7.5 - 7.499999999999992))
    assert en.axis_format(1) == "{x:,.1f}" and zh.axis_format(1) == "{x:.1f}"


def test_citations_fonts_and_tags(en, zh):
    assert en.ordinal(7) == "7th" and en.ordinal(22) == "22nd" and zh.ordinal(7) == "七"
    assert en.place_name("Panzhihua City") == "Panzhihua" and zh.place_name("攀枝花市") == "攀枝花"
    assert zh.place_name("某市") == "某市"
    assert zh.plan_places_in_words and not en.plan_places_in_words
    assert en.docx_fonts()["body"] == ("Calibri", "宋体") and zh.docx_fonts()["heading"] == ("Times New Roman", "黑体")
    assert en.bold_headings and not zh.bold_headings and zh.first_line_indent_pt == 21
    assert en.html_lang == "en" and zh.html_lang == "zh-CN" and zh.word_lang == "zh-CN" and en.word_lang == "en-GB"
    assert "DejaVu Sans" in zh.pdf_fonts()  # zh takes English's PDF fonts (its file leaves them out)
    assert en.data_name(en="GDP", zh="地区生产总值") == "GDP" and zh.data_name(en="GDP", zh="地区生产总值") == "地区生产总值"
    assert zh.data_name(en="GDP", zh="") == "GDP"  # a name the data do not give in Chinese


# --------------------------------------------------------------------------- one place knows the languages
def test_the_languages_are_the_folders():
    folders = sorted(p.name for p in LOCALE.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    if not os.environ.get(L.LOCALE_DIRS_ENV):  # (a user's own folders add languages)
        assert list(L.languages()) == folders
    assert all(LANGUAGE_TAG.fullmatch(lang) for lang in folders)  # a scenario text may be given in each
    for lang in folders:
        assert (LOCALE / lang / "formats.yaml").is_file(), lang


def test_no_language_branch_outside_the_locale_module():
    """No ``== "zh"`` (or any comparison with a language literal) in the package outside locales.py."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "locales.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Compare):
                names = [n for n in [node.left, *node.comparators] if isinstance(n, ast.Constant)]
                if any(n.value in ("zh", "en", "zh-CN") for n in names):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.keyword) and node.arg == "choices" and isinstance(node.value, ast.Tuple):
                if any(isinstance(e, ast.Constant) and e.value == "zh" for e in node.value.elts):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} choices")
    templates = [p for p in (PACKAGE / "reports" / "templates").glob("*.j2") if re.search(r"==\s*['\"]zh", p.read_text("utf-8"))]
    assert found == [] and templates == []


def test_cli_language_choices_come_from_the_folders():
    from xiqu_analysis.cli import build_parser

    parser = build_parser()
    for command in ("run", "diff", "rebase"):
        sub = parser._subparsers._group_actions[0].choices[command]
        action = next(a for a in sub._actions if "--language" in a.option_strings)
        assert tuple(action.choices) == L.languages(), command


# --------------------------------------------------------------------------- a language of files only
def _pseudo_dir(tmp_path: Path) -> Path:
    runpy.run_path(str(MAKE_PSEUDO))["write"](tmp_path)
    return tmp_path


def test_a_folder_named_in_the_environment_is_a_language(tmp_path, monkeypatch):
    folder = _pseudo_dir(tmp_path)
    monkeypatch.setenv(L.LOCALE_DIRS_ENV, str(folder))
    assert "en-XA" in L.languages() and {"en", "zh"} <= set(L.languages())
    loc = L.Locale("en-XA", ("en-XA", "en"), ("en-XA", "en"), {})  # the object, without the process's cache
    words = L._read.__wrapped__("en-XA")[0]
    assert words["label.gdp_real"].startswith("[Real GDP ~") and words["label.gdp_real"].endswith("]")
    assert L._read.__wrapped__("en-XA")[1] == {"fallback": "en", "html_lang": "en-XA"}
    assert loc.tag == "en-XA"


def test_the_pseudo_language_in_a_fresh_process(tmp_path):
    """Everything the formatters do in en-XA, in a process that starts with XIQU_LOCALE_DIRS set."""
    folder = _pseudo_dir(tmp_path)
    code = (
        "from xiqu_analysis.reports.words import locales as L, text as T\n"
        "from xiqu_analysis.reports.parameters import NOTEBOOKS\n"
        "NOTEBOOKS['scenario_report'].model_validate({'scenario_path': 'x.yaml', 'language': 'en-XA'})\n"
        "loc = L.get_locale('en-XA')\n"
        "print(T.LANGUAGES)\n"
        "print(T.t('label.gdp_real', 'en-XA'))\n"
        "print(T.fmt_yuan(1234567, 'en-XA'))\n"
        "print(loc.number(1234567.891, 1), loc.period(2021, 2025), loc.html_lang, loc.docx_fonts()['body'])\n"
        "print(T.column_header('p5', 'en-XA'))\n"
    )
    env = {**os.environ, L.LOCALE_DIRS_ENV: str(folder)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert lines[0] == "('en', 'en-XA', 'zh')"
    assert re.fullmatch(r"\[Real GDP ~+\]", lines[1])
    assert re.fullmatch(r"\[1,234,567 yuan ~+\]", lines[2])
    assert lines[3] == "1,234,567.9 2021-2025 en-XA ('Calibri', '宋体')"  # English's settings, its own tag
    assert re.fullmatch(r"\[5th percentile ~+\]", lines[4])  # a header: the language's own word


def test_a_fallback_cycle_is_refused(tmp_path, monkeypatch):
    for a, b in (("xa", "xb"), ("xb", "xa")):
        (tmp_path / a).mkdir()
        (tmp_path / a / "formats.yaml").write_text(f"settings:\n  fallback: {b}\n", "utf-8")
    monkeypatch.setenv(L.LOCALE_DIRS_ENV, str(tmp_path))
    L._read.cache_clear()
    try:
        with pytest.raises(ValueError, match="cycle"):
            L._locale.__wrapped__("xa")
    finally:
        L._read.cache_clear()


def test_a_report_page_names_its_language(tmp_path):
    """The HTML page of a notebook says its language (``lang="zh"``: a browser picks a Chinese font)."""
    import nbformat

    from xiqu_analysis.runner.render import render_html

    for lang, expected in (("zh", '<html lang="zh">'), ("en", '<html lang="en">')):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 标题")])
        nb.metadata["papermill"] = {"parameters": {"language": lang}}
        render_html(nb, tmp_path / f"{lang}.html", "title")
        assert expected in (tmp_path / f"{lang}.html").read_text("utf-8")


def test_figures_are_drawn_in_the_languages_fonts(en, zh):
    """``fonts.figure`` is the order matplotlib tries families in: English's and Chinese's give the
    figures the package has always drawn; another first choice draws other glyphs."""
    from matplotlib.figure import Figure

    from xiqu_analysis.reports.charts.plots import png_bytes

    def figure():
        fig = Figure(figsize=(3, 2), layout="constrained")
        ax = fig.subplots()
        ax.plot([2021, 2025], [82.9, 120.4])
        ax.set_title("Real GDP 12,345")
        return fig

    plain = png_bytes(figure())
    assert en.figure_fonts()[0] == "Noto Sans CJK SC" and zh.figure_fonts() == en.figure_fonts()
    assert png_bytes(figure(), fonts=en.figure_fonts()) == plain == png_bytes(figure(), fonts=zh.figure_fonts())
    assert png_bytes(figure(), fonts=["DejaVu Sans"]) != plain
