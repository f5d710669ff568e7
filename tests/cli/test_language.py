"""The command line in Chinese: the language of messages, help texts, every error line.

Real commands through ``cli.main`` (and two through the installed ``xiqu``), with the
expected lines written by hand; the catalogue of error messages checked against every
raise site of the package (tests/helpers/error_templates.py walks its AST).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.error_templates import scan
from tests.helpers.scenario_text import PLAN, edit
from xiqu_analysis.cli import main
from xiqu_analysis.cli.words import ARGPARSE_TEMPLATES, language_of_locale, message_language, wrap
from xiqu_analysis.errors import InputError, Message
from xiqu_analysis.inputs.validation import LIMIT_NOTES, TYPE_TEMPLATES
from xiqu_analysis.reports.words.locales import placeholders
from xiqu_analysis.reports.words.messages import FIELD, JOIN, SOURCES, error_catalogue, error_text, message_text

ROOT = Path(__file__).resolve().parents[2]
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "XIQU_LANGUAGE")
#: the GBK refusal, in each language (a real GBK file: its first Chinese character, 亿 = D2 DA, starts at byte 71:
#: a header of 52 bytes, then 'xiqu,gdp,2021,90.1,'; DA cannot follow D2 in UTF-8)
GBK_EN = ("not UTF-8 text (invalid continuation byte at byte 71); save the file as UTF-8: in Excel File > Save As > "
          "'CSV UTF-8 (Comma delimited) (*.csv)'; in WPS Save As > file type CSV, encoding UTF-8")
GBK_ZH = ("不是 UTF-8 文本（第 71 字节：无效的后续字节），多半是 GBK 编码；请另存为 UTF-8 编码：Excel 中选择 文件 → 另存为 → "
          "“CSV UTF-8（逗号分隔）(*.csv)”；WPS 中选择 另存为 → 文件类型 CSV，编码 UTF-8")


@pytest.fixture
def locale_env(monkeypatch):
    """No locale variable set; set the ones a test names."""
    for name in LOCALE_VARS:
        monkeypatch.delenv(name, raising=False)

    def use(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return use


def _xiqu(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # --help
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def _gbk_bulletin(tmp_path: Path) -> Path:
    path = tmp_path / "公报.csv"
    path.write_bytes("region,indicator,year,value,unit,price_basis,source\n"
                     "xiqu,gdp,2021,90.1,亿元,current,西区2021年统计公报\n".encode("gbk"))
    return path


# --------------------------------------------------------------------------- the language of messages
def test_the_language_of_messages_from_the_command_line_the_variable_and_the_locale():
    assert message_language([], {}) == "en"
    assert message_language([], {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert message_language([], {"LANG": "zh_TW"}) == "zh" and message_language([], {"LANG": "zh"}) == "zh"
    assert message_language([], {"LANG": "C"}) == "en" and message_language([], {"LANG": "POSIX"}) == "en"
    assert message_language([], {"LANG": "fr_FR.UTF-8"}) == "en"  # a language without words: English
    # the POSIX order of precedence: LC_ALL, LC_MESSAGES, LANG, LANGUAGE
    assert message_language([], {"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert message_language([], {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_GB.UTF-8"}) == "zh"
    assert message_language([], {"LANGUAGE": "zh_CN:en"}) == "zh"
    # $XIQU_LANGUAGE over the locale, --language over both (anywhere, either spelling)
    assert message_language([], {"XIQU_LANGUAGE": "zh", "LANG": "en_US.UTF-8"}) == "zh"
    assert message_language(["run", "--language", "en"], {"XIQU_LANGUAGE": "zh"}) == "en"
    assert message_language(["run", "x.yaml", "--language=zh"], {}) == "zh"
    assert message_language(["--language", "zh", "--help"], {}) == "zh"
    assert message_language(["run", "--", "--language", "zh"], {}) == "en"  # after --: a file name
    assert language_of_locale("zh_CN.GB18030") == "zh" and language_of_locale("") is None


def test_chinese_is_wrapped_by_its_width_and_never_starts_a_line_with_punctuation():
    lines = wrap("地区生产总值、人均地区生产总值和财政收入的蒙特卡罗百分位数；实现目标的概率", 20)
    assert lines == ["地区生产总值、人均地", "区生产总值和财政收入", "的蒙特卡罗百分位数；", "实现目标的概率"]
    assert wrap("one two three", 7) == ["one two", "three"]


# --------------------------------------------------------------------------- help
def test_xiqu_help_in_english_is_as_before(capsys, locale_env):
    code, out, _ = _xiqu(capsys, "--help")
    assert code == 0
    assert out.startswith("usage: xiqu [-h] [--version] [--language LANG] COMMAND ...\n")
    assert "\npositional arguments:\n  COMMAND\n    project  " in out
    assert "  -h, --help       show this help message and exit\n  --version        show program's version number" in out
    assert out.rstrip().endswith("Exit codes: 0 success; 1 part of a run failed; 2 bad input (nothing ran); 130\n"
                                 "interrupted.")


@pytest.mark.parametrize("how", ["locale", "option"])
def test_xiqu_help_in_chinese(capsys, locale_env, how):
    if how == "locale":
        locale_env(LANG="zh_CN.UTF-8")
        code, out, _ = _xiqu(capsys, "--help")
    else:
        code, out, _ = _xiqu(capsys, "--language", "zh", "--help")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "用法：xiqu [-h] [--version] [--language LANG] COMMAND ..."
    assert lines[2] == "攀枝花市西区经济情景分析：预测、不确定性、数据来源核查与 papermill 报告。"
    assert "选项：" in lines and "子命令：" in lines and "options:" not in out and "usage:" not in out
    assert "  -h, --help       显示本帮助并退出" in lines and "  --version        显示程序版本号并退出" in lines
    assert "    run            并行运行报告笔记本（HTML 报告、表格、索引页、运行记录）" in lines
    assert lines[-1] == "退出状态：0 成功；1 运行中部分失败；2 输入有误（未运行）；130 已中断。"


def test_every_sub_command_help_in_chinese(capsys, locale_env):
    locale_env(LANG="zh_CN.UTF-8")
    for command in (["project"], ["targets"], ["audit"], ["simulate"], ["sensitivity"], ["forecast"], ["run"],
                    ["rebase"], ["diff"], ["extract"], ["actuals", "merge"], ["region", "init"]):
        code, out, _ = _xiqu(capsys, *command, "--help")
        assert code == 0 and out.startswith(f"用法：xiqu {' '.join(command)} "), command
        assert "  -h, --help            显示本帮助并退出" in out or "  -h, --help  " in out, command
        # every option's help is Chinese: no line of English words once the option names are removed
        for line in out.splitlines():
            text = re.sub(r"--?[\w-]+|\{[^}]*\}|[\w./<>*-]*(?:_|/|\.csv|\.yaml|\.md|\.html)[\w./<>*-]*|'[^']*'", "",
                          line)
            assert not re.search(r"[A-Za-z]{3,}(?: +[A-Za-z]{3,}){3,}", text), (command, line)
    code, out, _ = _xiqu(capsys, "run", "--help")
    assert "  --jobs N, -j N        同时执行的笔记本数（默认：处理器核数，本机为" in out
    assert "退出状态：0 全部报告成功；1 部分报告失败或超时" in out


# --------------------------------------------------------------------------- error lines
def _bad_scenario(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(edit("end_year: 2035", "end_yaer: 2035"), "utf-8")
    return path


def test_errors_in_chinese_through_the_locale_and_the_option(capsys, locale_env, tmp_path):
    bad = _bad_scenario(tmp_path)
    code, _, err = _xiqu(capsys, "project", str(bad))
    assert code == 2 and err.startswith(f"xiqu: error: {bad}: field 'end_yaer': unknown field (did you mean "
                                        "'end_year'?); allowed here: ")
    locale_env(LANG="zh_CN.UTF-8")
    code, out, err = _xiqu(capsys, "project", str(bad))
    assert code == 2 and out == ""
    assert err.startswith(f"xiqu: 错误：{bad}：字段“end_yaer”：未知字段（是否应为“end_year”？）；此处允许的字段：")
    assert err.endswith("end_year, gdp_base, sector_shares, real_growth_pct, deflator_pct, sector_deflator_pct, population, urban_income, "
                        "fiscal_revenue, indicators, indicator_rules, sources, assumptions, reasoning, uncertainty, "
                        "actuals（另有 1 处问题）\n") and err.count("\n") == 1
    # argparse's own errors
    assert _xiqu(capsys, "project", str(bad), "--bogus")[2] == "xiqu: 错误：命令行：无法识别的参数：--bogus（参见 xiqu --help）\n"
    assert _xiqu(capsys, "simulate")[2] == \
        "xiqu: 错误：命令行：缺少必需的参数：SCENARIO.yaml（参见 xiqu simulate --help）\n"
    assert _xiqu(capsys, "simulate", str(bad), "--paths", "0")[2] == \
        "xiqu: 错误：命令行：参数 --paths：须不小于 1，实为 0（参见 xiqu simulate --help）\n"
    assert _xiqu(capsys, "simulate", str(bad), "--paths", "many")[2] == \
        "xiqu: 错误：命令行：参数 --paths：不是整数：'many'（参见 xiqu simulate --help）\n"
    assert _xiqu(capsys, "targets", str(bad), "--format", "xml")[2] == \
        "xiqu: 错误：命令行：参数 --format：无效的选项 'xml'（可选：'table', 'csv'）（参见 xiqu targets --help）\n"
    assert _xiqu(capsys, "run", "--timeout", "soon")[2] == \
        "xiqu: 错误：命令行：参数 --timeout：不是秒数：'soon'（参见 xiqu run --help）\n"
    assert _xiqu(capsys, "forecast", "x.csv")[2] == \
        "xiqu: 错误：命令行：缺少必需的参数：--indicator（参见 xiqu forecast --help）\n"
    locale_env(LANG="C")
    code, _, err = _xiqu(capsys, "run", "--language", "zh", "--jobs", "0")
    assert (code, err) == (2, "xiqu: 错误：命令行：参数 --jobs/-j：须不小于 1，实为 0（参见 xiqu run --help）\n")
    code, _, err = _xiqu(capsys, "--language", "zh", "projekt")
    assert code == 2 and err.startswith("xiqu: 错误：命令行：参数 COMMAND：无效的选项 'projekt'（可选：'project', ")


def test_a_gbk_bulletin_is_refused_with_how_to_save_it_as_utf8(capsys, locale_env, tmp_path):
    path = _gbk_bulletin(tmp_path)
    code, _, err = _xiqu(capsys, "forecast", str(path), "--indicator", "gdp")
    assert (code, err) == (2, f"xiqu: error: {path}: {GBK_EN}\n")
    code, _, err = _xiqu(capsys, "forecast", str(path), "--indicator", "gdp", "--language", "zh")
    assert (code, err) == (2, f"xiqu: 错误：{path}：{GBK_ZH}\n")
    locale_env(LANG="zh_CN.UTF-8")
    code, _, err = _xiqu(capsys, "run", "--suite", "annual-review", "--year", "2021", "--actuals", str(path))
    assert (code, err) == (2, f"xiqu: 错误：{path}：{GBK_ZH}\n")


def test_pydantic_errors_by_type_in_both_languages(tmp_path):
    """The scenario schema's problems, put in words by pydantic's error type and its context."""
    from xiqu_analysis.inputs.scenario import load_scenario

    cases = {
        "must be greater than 0, got -1 (a base level must be positive)": ("gdp_base: 82.91", "gdp_base: -1",
                                                                            "须大于 0，实为-1（基期总量须为正数）"),
        "must be a number (% per year) or periods like {2021-2025: 7.5}, got text 'lots'": (
            "deflator_pct: 2.0", "deflator_pct: lots", "须为数值（%/年）或形如 {2021-2025: 7.5} 的分期，实为文本“lots”"),
        "required field is missing": ("gdp_base: 82.91              # 亿元, current prices (plan, ch.1)\n", "",
                                      "缺少必填字段"),
        "must be a finite number, got NaN (YAML .nan / .inf are not allowed)": (
            "deflator_pct: 2.0", "deflator_pct: .nan", "须为有限数值，实为NaN（非数）（不允许 YAML 的 .nan / .inf）"),
        "shares must sum to 1 (tolerance 1e-6), they sum to 1.1": ("primary: 0.02", "primary: 0.12",
                                                                    "比重之和须为 1（容差 1e-6），实为 1.1"),
    }
    for english, (old, new, chinese) in cases.items():
        path = tmp_path / "s.yaml"
        path.write_text(edit(old, new), "utf-8")
        with pytest.raises(InputError) as info:
            load_scenario(path)
        assert info.value.problem == english
        assert message_text(info.value.message, "zh") == chinese
        assert error_text(info.value, "en") == str(info.value)


def test_the_explorer_shows_the_schema_s_message_in_its_language(tmp_path):
    from xiqu_analysis.reports.explorer.state import ExplorerState

    path = tmp_path / "s.yaml"
    path.write_text(PLAN, "utf-8")
    state = ExplorerState.from_path(path)
    state.set("gdp_base", -5.0)
    assert state.problem is not None
    assert state.problem.text("en") == "must be greater than 0, got -5 (a base level must be positive)"
    assert state.problem.text("zh") == "须大于 0，实为-5（基期总量须为正数）"
    with pytest.raises(InputError) as info:
        state.save(tmp_path, "mine", "")
    assert error_text(info.value, "zh") == "情景探索器：字段“gdp_base”：输入无效：须大于 0，实为-5（基期总量须为正数）"


# --------------------------------------------------------------------------- the catalogue
def _every_template() -> set[str]:
    found = scan()
    return set(found.templates) | set(TYPE_TEMPLATES.values()) | set(LIMIT_NOTES.values()) | set(ARGPARSE_TEMPLATES) \
        | {FIELD, JOIN, *SOURCES}


def test_every_problem_is_a_literal_template():
    found = scan()
    refused = [r for r in found.refused
               if not r.startswith("xiqu_analysis/errors.py")  # the Message class itself
               and not r.startswith("xiqu_analysis/cli/run.py")]  # a notebook parameter's name put as the flag's
    assert refused == []
    assert len(found.templates) > 250  # the walk does find the raise sites


def test_the_scan_refuses_an_f_string(tmp_path):
    """Control: an f-string problem is found (and a literal one is read as a template)."""
    (tmp_path / "m.py").write_text('def f(x):\n    raise InputError("a", None, f"bad {x}")\n'
                                   'def g(x):\n    raise InputError("a", None, "bad {x}", x=x)\n', "utf-8")
    found = scan(tmp_path)
    assert found.refused == [f"{tmp_path.name}/m.py:2: InputError's problem is JoinedStr, not a literal"]
    assert list(found.templates) == ["bad {x}"]


def test_every_template_has_a_chinese_entry_with_the_same_placeholders():
    zh = error_catalogue("zh")
    words = [t for t in _every_template() if re.sub(r"\{[^{}]*\}", "", t).strip()]  # not a placeholder alone
    assert sorted(t for t in words if t not in zh) == []
    assert sorted(t for t in zh if placeholders(t) != placeholders(zh[t])) == []
    unused = sorted(set(zh) - _every_template())
    assert unused == ["the final review scores the plan period {first}-{plan_end_year}: --year must be "
                      "{plan_end_year} or later, got {review_year}"]  # run.py names the flag in that template
    # Chinese punctuation, no English sentence left
    assert not [v for v in zh.values() if re.search(r"[A-Za-z]{3,}(?: [a-z]{3,}){3,}", re.sub(r"\{[^}]*\}", "", v))]


def test_a_message_inside_a_message_is_translated_and_english_is_the_code_s_text():
    inner = InputError("command line", "--output", "folder '{folder}' does not exist", folder="/nope")
    outer = InputError("out.csv", None, "the merged file would not be valid: {problem}", problem=inner.message)
    assert str(outer) == "out.csv: the merged file would not be valid: folder '/nope' does not exist"
    assert error_text(outer, "zh") == "out.csv：合并后的文件将无效：文件夹“/nope”不存在"
    assert error_text(inner, "zh") == "命令行：字段“--output”：文件夹“/nope”不存在"
    assert message_text(Message("a template no language has: {x}", x=1), "zh") == "a template no language has: 1"


# --------------------------------------------------------------------------- the installed command
def _xiqu_process(*argv: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    environ.update(env)
    exe = Path(sys.executable).with_name("xiqu")
    return subprocess.run([str(exe), *argv], capture_output=True, text=True, encoding="utf-8", env=environ,
                          timeout=120)


@pytest.mark.process
def test_the_installed_command_speaks_chinese_in_a_chinese_locale(tmp_path):
    bad = _bad_scenario(tmp_path)
    proc = _xiqu_process("project", str(bad), LANG="zh_CN.UTF-8")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(f"xiqu: 错误：{bad}：字段“end_yaer”：未知字段（是否应为“end_year”？）")
    gbk = _gbk_bulletin(tmp_path)
    proc = _xiqu_process("forecast", str(gbk), "--indicator", "gdp", LC_ALL="zh_CN.UTF-8", LANG="en_US.UTF-8")
    assert (proc.returncode, proc.stderr) == (2, f"xiqu: 错误：{gbk}：{GBK_ZH}\n")


def test_a_problem_inside_a_notebook_parameter_s_problem_is_translated_too():
    from xiqu_analysis.reports.parameters import check_parameters

    with pytest.raises(InputError) as info:
        check_parameters("scenario_comparison", scenario_paths="[low.yaml, high.yaml", output_dir="", language="en")
    assert str(info.value).startswith("notebook parameters: field 'scenario_paths': not a list of paths: YAML does "
                                      "not parse at line 1, column ")
    assert error_text(info.value, "zh").startswith("笔记本参数：字段“scenario_paths”：不是路径列表：YAML 无法解析（第 1 行第 ")
