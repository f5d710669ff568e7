"""``xiqu run --suite annual-review``: the actuals checked before any kernel starts (no kernel in this file).

The actuals files are the INVENTED and SYNTHETIC fixtures (tests/fixtures, labelled in their comments).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xiqu_analysis import config
from xiqu_analysis.cli import main
from xiqu_analysis.errors import InputError
from xiqu_analysis.runner.execute import run_jobs
from xiqu_analysis.runner.suites import Job, plan_suite, review_actuals
from xiqu_analysis.runner.validate import validate_jobs
from tests.helpers import FIXTURES, ROOT
from tests.helpers.actuals import without_rows

INVENTED = FIXTURES / "actuals_invented_2021_2025.csv"
SYNTHETIC = FIXTURES / "actuals_synthetic.csv"
PLAN = ROOT / "scenarios" / "plan_targets.yaml"


@pytest.fixture()
def data(tmp_path, monkeypatch):
    """A copy of data/ without a default bulletin file."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    (folder / "bulletins" / "xiqu_actuals.csv").unlink(missing_ok=True)
    monkeypatch.setenv("XIQU_DATA_DIR", str(folder))
    return folder


def _run(capsys, tmp_path, *argv):
    out = tmp_path / "outputs"
    code = main(["run", str(PLAN), "--out", str(out), "--suite", "annual-review", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err, out


def test_a_review_without_actuals_is_refused_naming_the_file_to_fill_in(data, tmp_path, capsys):
    code, out, err, folder = _run(capsys, tmp_path, "--year", "2025")
    default = data / "bulletins" / "xiqu_actuals.csv"
    assert code == 2 and out == "" and err.count("\n") == 1 and not folder.exists()
    assert err.startswith(f"xiqu: error: {default}: field 'actuals': no actuals file: enter the bulletin figures "
                          "of xiqu up to 2025 in this file")
    assert err.endswith("or allow a review without actuals (--allow-empty)\n")


def test_a_review_year_without_a_figure_is_refused(data, tmp_path, capsys):
    code, out, err, folder = _run(capsys, tmp_path, "--year", "2025", "--actuals", str(SYNTHETIC))
    assert code == 2 and out == "" and err.count("\n") == 1 and not folder.exists()
    assert err == (f"xiqu: error: {SYNTHETIC}: field 'year': no actual figure of xiqu for the review year 2025 "
                   "(the latest is of 2023): fill in the 2025 bulletin figures in this file (format: "
                   "data/bulletins/README.md; copy data/bulletins/TEMPLATE.csv), or allow a review without them "
                   "(--allow-empty)\n")


@pytest.mark.parametrize("removed, rows", [
    (["industrial_va_growth,2025"], "industrial_va_growth 2025"),
    (["services_va_growth,2022", "services_va_growth,2023", "agriculture_va_growth,2025"],
     "services_va_growth 2022, 2023; agriculture_va_growth 2025"),
])
def test_a_file_without_a_row_the_review_needs_is_refused_naming_the_rows(data, tmp_path, capsys, removed, rows):
    """The plan's growth targets need a row every year of their period up to the review year: one missing is
    exit 2 on one line (file, indicators, years, what to do), before any kernel: no run folder."""
    actuals = without_rows(tmp_path / "actuals.csv", *removed)
    code, out, err, folder = _run(capsys, tmp_path, "--year", "2025", "--actuals", str(actuals))
    assert code == 2 and out == "" and not folder.exists()
    assert err == (f"xiqu: error: {actuals}: field 'indicator': the annual review of 2025 needs rows of xiqu this "
                   f"file lacks (indicator and years: {rows}): fill in these rows of this file (format: "
                   "data/bulletins/README.md), or run the review regardless (--allow-empty)\n")


def test_allow_empty_runs_a_review_without_a_needed_row_and_says_so(data, tmp_path):
    actuals = without_rows(tmp_path / "actuals.csv", "industrial_va_growth,2025")
    found = review_actuals("xiqu", 2025, actuals, allow_empty=True)
    assert (found.status, found.latest, found.missing) == ("missing rows", 2025, ("industrial_va_growth",))
    job = plan_suite([PLAN], suite="annual-review", year=2025, actuals=actuals, allow_empty=True)[-1]
    assert job.title == "Annual review 2025: Xiqu district (Panzhihua) (some figures missing)"
    job = plan_suite([PLAN], suite="annual-review", year=2025, actuals=actuals, allow_empty=True, language="zh")[-1]
    assert job.title == "2025年度规划实施评估：攀枝花市西区（部分实际数据缺失）"
    with pytest.raises(InputError) as exc:  # the library names the option by its field
        review_actuals("xiqu", 2025, actuals)
    assert exc.value.params["allow"] == "allow_empty" and exc.value.problem.endswith("(allow_empty)")


def test_optional_rows_are_left_to_the_review(data, tmp_path):
    """GDP's growth and level of the review year are not required: the review says they are missing."""
    actuals = without_rows(tmp_path / "actuals.csv", "gdp_growth,2025", "gdp,2025")
    assert review_actuals("xiqu", 2025, actuals) == review_actuals("xiqu", 2025, actuals, allow_empty=True)
    assert review_actuals("xiqu", 2025, actuals).status == "ok"


def test_a_bad_actuals_file_is_one_line_before_anything_runs(data, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("# INVENTED\nregion,indicator,year,value,unit,price_basis,source\n"
                   "xiqu,gdp,2025,128,亿元,comparable,INVENTED\nxiqu,gdp,2025,129,亿元,current,INVENTED\n",
                   encoding="utf-8")
    code, out, err, folder = _run(capsys, tmp_path, "--year", "2025", "--actuals", str(bad))
    assert code == 2 and out == "" and err.count("\n") == 1 and not folder.exists()
    assert err.startswith(f"xiqu: error: {bad}: field 'row 4, column year': duplicate of row 3")
    code, out, err, folder = _run(capsys, tmp_path, "--year", "2025", "--actuals", str(tmp_path / "none.csv"))
    assert code == 2 and "none.csv: field 'actuals': file not found" in err and not folder.exists()


@pytest.mark.parametrize("argv, field", [
    # the command line names its flags (the notebook's review_year is --year)
    (["--year", "2024", "--final", "--actuals", str(INVENTED)], "argument --final: the final review scores the plan "
     "period 2021-2025: --year must be 2025 or later, got 2024"),
    (["--year", "2025", "--actuals", str(INVENTED), "--target", "gdp_real 150 by 2030"],
     "annual_review.ipynb: field 'targets"),
])
def test_final_and_targets_are_checked_by_the_notebook_model(data, tmp_path, capsys, argv, field):
    code, out, err, folder = _run(capsys, tmp_path, *argv)
    assert code == 2 and err.count("\n") == 1 and field in err and not folder.exists(), err


def test_review_options_only_with_the_review_suite(tmp_path):
    for kwargs in ({"actuals": str(INVENTED)}, {"allow_empty": True}, {"final": True}, {"targets": ["x"]}):
        with pytest.raises(InputError) as exc:
            plan_suite([PLAN], **kwargs)
        assert exc.value.source == "command line" and "only applies to the annual-review suite" in exc.value.problem


def test_allow_empty_runs_and_says_so(data):
    jobs = plan_suite([PLAN], suite="annual-review", year=2025, allow_empty=True)
    review = jobs[-1]
    assert review.title == "Annual review 2025: Xiqu district (Panzhihua) (no actuals)" and review.parameters["actuals_path"] == ""
    jobs = plan_suite([PLAN], suite="annual-review", year=2025, actuals=SYNTHETIC, allow_empty=True)
    assert jobs[-1].title == "Annual review 2025: Xiqu district (Panzhihua) (no actuals for 2025)"
    assert jobs[-1].parameters["actuals_path"] == str(SYNTHETIC) and SYNTHETIC in jobs[-1].inputs
    assert review_actuals("xiqu", 2023, SYNTHETIC).status == "ok"


def test_the_review_job_with_actuals_final_and_targets(data):
    jobs = plan_suite([PLAN], suite="annual-review", year=2025, actuals=INVENTED, final=True,
                      targets=["gdp_nominal 200 by 2030"])
    review = jobs[-1]
    assert review.name == "annual_review-2025-final" and review.title == "Final review 2025: Xiqu district (Panzhihua)"
    assert review.parameters == {"review_year": 2025, "region": "xiqu", "actuals_path": str(INVENTED),
                                 "scenario_paths": [str(PLAN)], "language": "en", "final": True,
                                 "targets": ["gdp_nominal 200 by 2030"]}
    assert review.inputs == (PLAN, INVENTED)  # the actuals are hashed into the manifest with the scenarios
    validate_jobs(jobs)
    # the default bulletin file is found and validated too
    shutil.copy(INVENTED, data / "bulletins" / "xiqu_actuals.csv")
    found = plan_suite([PLAN], suite="annual-review", year=2025)[-1]
    assert found.parameters["actuals_path"] == str(data / "bulletins" / "xiqu_actuals.csv")


def test_a_rebased_scenario_brings_its_actuals_into_the_run(data, tmp_path, capsys):
    shutil.copy(INVENTED, tmp_path / INVENTED.name)
    rebased = tmp_path / "rebased.yaml"
    assert main(["rebase", str(PLAN), "--actuals", str(tmp_path / INVENTED.name), "--year", "2025",
                 "--output", str(rebased)]) == 0
    capsys.readouterr()
    jobs = plan_suite([rebased])
    assert jobs[0].inputs == (rebased, tmp_path / INVENTED.name)
    validate_jobs(jobs)


def _review_job(actuals: Path) -> Job:
    """An annual-review job built by hand, as a script or another front end would build it (not by plan_suite,
    which reads the actuals file itself)."""
    return Job("annual_review-2025", config.notebook_dir() / "annual_review.ipynb",
               {"review_year": 2025, "region": "xiqu", "actuals_path": str(actuals),
                "scenario_paths": [str(PLAN)], "language": "en"},
               title="Annual review 2025", inputs=(PLAN, actuals))


def _gbk(path: Path) -> Path:
    """The invented actuals saved as GBK, as a spreadsheet on a Chinese Windows desktop saves them."""
    text = INVENTED.read_text(encoding="utf-8").replace("INVENTED", "西区统计公报（虚构）")
    path.write_bytes(text.encode("gbk"))
    return path


def _malformed(path: Path) -> Path:
    """The invented actuals with one row's value not a number."""
    lines = INVENTED.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("xiqu,"))
    fields = lines[row].split(",")
    fields[3] = "about 80"
    lines[row] = ",".join(fields)
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("make, problem", [(_gbk, "not UTF-8"), (_malformed, "about 80")])
def test_a_hand_built_review_job_with_a_bad_actuals_file_is_refused_before_anything_runs(tmp_path, make, problem):
    """The pre-run check reads the actuals file itself: a job that did not come through plan_suite is refused
    (an InputError, which the command line reports as exit 2) naming the file, and no run folder is made."""
    bad = make(tmp_path / "actuals.csv")
    good = _review_job(INVENTED)
    validate_jobs([good])  # the same job with the UTF-8 file passes
    with pytest.raises(InputError) as exc:
        validate_jobs([_review_job(bad)])
    assert exc.value.source == str(bad) and problem in exc.value.problem
    out = tmp_path / "outputs"
    with pytest.raises(InputError) as exc:
        run_jobs([_review_job(bad)], out, max_jobs=1)
    assert exc.value.source == str(bad) and not out.exists()


def test_the_review_actuals_messages_have_their_chinese(data, tmp_path):
    """Each refusal of review_actuals is a template whose Chinese (locale/zh/errors.yaml) has the same placeholders."""
    import re

    from xiqu_analysis.inputs.yamlfile import read_yaml
    from xiqu_analysis.reports.words.locales import ERRORS_FILE

    catalogue = read_yaml(ROOT / "xiqu_analysis" / "reports" / "locale" / "zh" / ERRORS_FILE)
    empty = tmp_path / "empty.csv"
    empty.write_text("region,indicator,year,value,unit,price_basis,source\nxiqu,gdp,2020,82.91,亿元,current,x\n",
                     encoding="utf-8")
    calls = [lambda: review_actuals("xiqu", 2025), lambda: review_actuals("xiqu", 2025, SYNTHETIC),
             lambda: review_actuals("xiqu", 2025, empty),
             lambda: review_actuals("xiqu", 2025, without_rows(tmp_path / "a.csv", "industrial_va_growth,2025"))]
    for call in calls:
        with pytest.raises(InputError) as exc:
            call()
        zh = catalogue[exc.value.template]
        assert set(re.findall(r"\{(\w+)", zh)) == set(re.findall(r"\{(\w+)", exc.value.template)) <= set(exc.value.params)
    assert zh.format(**{**exc.value.params, "allow": "--allow-empty"}) == (
        "2025年度评估所需的xiqu数据行在此文件中缺失（指标及年份：industrial_va_growth 2025）：请在此文件中补齐这些行"
        "（格式见 data/bulletins/README.md），或仍然进行评估（--allow-empty）")
