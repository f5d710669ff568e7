"""The ``xiqu project`` and ``xiqu targets`` commands, run as a user runs them.

Every kind of bad input a scenario file can hold goes through the real command line in its
own process (``python -m xiqu_analysis project FILE``) and must exit 2 with
exactly one line on stderr naming the file and the field, and no traceback.
The full table of bad inputs (BAD) also runs in-process through ``cli.main``.
"""
from __future__ import annotations

import concurrent.futures
import csv
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.helpers import ROOT
from tests.helpers.scenario_text import PLAN, edit

SCENARIOS = ROOT / "scenarios"


REQUIRED_CSV_COLUMNS = [
    "year", "gdp_real", "gdp_nominal", "primary", "secondary", "tertiary", "gdp_growth",
    "population", "gdp_per_capita", "urban_income", "fiscal_revenue",
]  # fmt: skip


@dataclass(frozen=True)
class Case:
    id: str
    text: str | bytes | None  # None: the file does not exist; "DIR": a folder
    expect: str  # text that must be in the error line (the field, or the problem)
    extra_args: tuple[str, ...] = ()


PRIMARY = "  primary:   {2021-2025: 3.5, 2026-2035: 3.0}"
SHARES_TERTIARY = "  tertiary: 0.40\n"
SHARES_BLOCK = PLAN[PLAN.index("sector_shares:") : PLAN.index("real_growth_pct:")]
# nominal GDP growth about -8 % a year times buoyancy 20: revenue growth below -100 % in 2021
REVENUE_BELOW_MINUS_100 = edit("deflator_pct: 2.0", "deflator_pct: -15").replace("buoyancy: 1.0", "buoyancy: 20")

BAD = [
    # -- the file itself
    Case("missing-file", None, "file not found"),
    Case("folder-not-file", "DIR", "is a folder"),
    Case("not-utf8", "name: x\ntitle: \xff\n".encode("latin-1"), "UTF-8"),
    Case("yaml-syntax", edit("gdp_base: 82.91 ", "gdp_base: [82.91 "), "line"),
    Case("yaml-two-documents", PLAN + "---\nname: other\n", "line"),
    Case("top-level-list", "- name\n- title\n", "top level must be a mapping"),
    Case("empty-file", "", "top level must be a mapping"),
    Case("top-level-number", "42\n", "top level must be a mapping"),
    # -- YAML 1.1 surprises and duplicate keys
    Case("name-no-is-boolean", edit("name: plan_targets", "name: no"), "field 'name'"),
    Case("duplicate-top-key", PLAN + "gdp_base: 90\n", "field 'gdp_base'"),
    Case("duplicate-nested-key", edit("{base: 129406, growth_pct: -1.0}", "{base: 129406, base: 1, growth_pct: -1.0}"),
         "field 'population.base'"),
    Case("duplicate-period-key", edit(PRIMARY, "  primary:   {2021-2025: 3.5, 2021-2025: 3.0}"),
         "field 'real_growth_pct.primary.2021-2025'"),
    Case("period-given-twice", edit(PRIMARY, "  primary:   {2021: 3.5, '2021-2021': 3.6, 2022-2035: 3.0}"),
         "field 'real_growth_pct.primary"),
    Case("octal-looking-number", PLAN + "uncertainty: {seed: 0123}\n", "line"),
    # -- unknown keys, missing fields, wrong types
    Case("unknown-top-key", PLAN + "gdp_bsae: 1\n", "field 'gdp_bsae'"),
    Case("unknown-nested-key", edit("{base: 1.85, buoyancy: 1.0}", "{base: 1.85, buoyancy: 1.0, elasticity: 1}"),
         "field 'fiscal_revenue.elasticity'"),
    Case("missing-required", edit("gdp_base: 82.91              # 亿元, current prices (plan, ch.1)\n", ""),
         "field 'gdp_base'"),
    Case("missing-nested", edit("{base: 1.85, buoyancy: 1.0}", "{base: 1.85}"), "field 'fiscal_revenue.buoyancy'"),
    Case("number-as-text", edit("gdp_base: 82.91", 'gdp_base: "82.91"'), "field 'gdp_base'"),
    Case("bool-as-number", edit("deflator_pct: 2.0", "deflator_pct: true"), "field 'deflator_pct'"),
    Case("percent-text-growth", edit(PRIMARY, "  primary: 3.5%"), "field 'real_growth_pct.primary'"),
    Case("year-as-float", edit("base_year: 2020", "base_year: 2020.0"), "field 'base_year'"),
    Case("year-as-text", edit("base_year: 2020", "base_year: '2020'"), "field 'base_year'"),
    Case("list-not-mapping", edit(SHARES_BLOCK, "sector_shares: [0.02, 0.58, 0.40]\n"), "field 'sector_shares'"),
    # -- sectors and shares
    Case("shares-do-not-sum", edit("tertiary: 0.40", "tertiary: 0.41"), "field 'sector_shares'"),
    Case("unknown-sector-share", edit(SHARES_TERTIARY, SHARES_TERTIARY + "  mining: 0.0\n"),
         "field 'sector_shares.mining'"),
    Case("missing-sector-share", edit(SHARES_TERTIARY, ""), "field 'sector_shares.tertiary'"),
    Case("unknown-sector-growth", edit(PRIMARY, PRIMARY + "\n  mining: 3.0"), "field 'real_growth_pct.mining'"),
    Case("negative-share", edit("primary: 0.02\n  secondary: 0.58", "primary: -0.02\n  secondary: 0.62"),
         "field 'sector_shares.primary'"),
    # -- growth at or below -100%
    Case("sector-growth-minus-100", edit("{2021-2025: 7.5, 2026-2035: 5.0}", "{2021-2025: -100, 2026-2035: 5.0}"),
         "field 'real_growth_pct.secondary.2021-2025'"),
    Case("deflator-below-minus-100", edit("deflator_pct: 2.0", "deflator_pct: -150"), "field 'deflator_pct'"),
    Case("population-growth-minus-100", edit("growth_pct: -1.0", "growth_pct: -100"), "field 'population.growth_pct'"),
    Case("income-growth-below-minus-100", edit("growth_pct: 7.0", "growth_pct: -101"), "field 'urban_income.growth_pct'"),
    Case("growth-absurdly-high", edit("deflator_pct: 2.0", "deflator_pct: 1.0e+300"), "field 'deflator_pct'"),
    # (revenue growth is refused by the projection, not the schema: `project` projects; see
    # test_every_command_that_projects_refuses_vanishing_revenue)
    Case("revenue-growth-below-minus-100", REVENUE_BELOW_MINUS_100, "field 'fiscal_revenue.buoyancy'"),
    # -- years and periods
    Case("end-not-after-base", edit("end_year: 2035", "end_year: 2020"), "field 'end_year'"),
    Case("end-before-base", edit("end_year: 2035", "end_year: 2010"), "field 'end_year'"),
    Case("period-malformed", edit(PRIMARY, "  primary:   {2021/2025: 3.5, 2026-2035: 3.0}"),
         "field 'real_growth_pct.primary.2021/2025'"),
    Case("period-reversed", edit(PRIMARY, "  primary:   {2025-2021: 3.5, 2026-2035: 3.0}"),
         "field 'real_growth_pct.primary.2025-2021'"),
    Case("period-overlap", edit(PRIMARY, "  primary:   {2021-2025: 3.5, 2025-2035: 3.0}"),
         "field 'real_growth_pct.primary.2025-2035'"),
    Case("period-gap", edit(PRIMARY, "  primary:   {2021-2024: 3.5, 2026-2035: 3.0}"),
         "field 'real_growth_pct.primary.2026-2035'"),
    Case("period-short-of-end", edit(PRIMARY, "  primary:   {2021-2025: 3.5, 2026-2034: 3.0}"),
         "field 'real_growth_pct.primary'"),
    Case("period-after-end", edit(PRIMARY, "  primary:   {2021-2025: 3.5, 2026-2040: 3.0}"),
         "field 'real_growth_pct.primary.2026-2040'"),
    Case("period-from-base-year", edit(PRIMARY, "  primary:   {2020-2025: 3.5, 2026-2035: 3.0}"),
         "field 'real_growth_pct.primary.2020-2025'"),
    Case("periods-empty", edit(PRIMARY, "  primary:   {}"), "field 'real_growth_pct.primary'"),
    # -- NaN and infinity
    Case("nan-level", edit("gdp_base: 82.91", "gdp_base: .nan"), "field 'gdp_base'"),
    Case("inf-buoyancy", edit("buoyancy: 1.0", "buoyancy: .inf"), "field 'fiscal_revenue.buoyancy'"),
    Case("nan-in-period", edit("{2021-2025: 8.5, 2026-2035: 6.0}", "{2021-2025: .nan, 2026-2035: 6.0}"),
         "field 'real_growth_pct.tertiary.2021-2025'"),
    Case("minus-inf-deflator", edit("deflator_pct: 2.0", "deflator_pct: -.inf"), "field 'deflator_pct'"),
    Case("nan-uncertainty", PLAN + "uncertainty: {deflator_sd_pct: .nan}\n", "field 'uncertainty.deflator_sd_pct'"),
    # -- unsafe names
    Case("name-path", edit("name: plan_targets", "name: ../../etc/passwd"), "field 'name'"),
    Case("name-leading-dash", edit("name: plan_targets", "name: -rf"), "field 'name'"),
    Case("name-space", edit("name: plan_targets", "name: plan targets"), "field 'name'"),
    Case("name-too-long", edit("name: plan_targets", "name: " + "a" * 65), "field 'name'"),
    Case("name-empty", edit("name: plan_targets", "name: ''"), "field 'name'"),
    # -- levels
    Case("zero-gdp-base", edit("gdp_base: 82.91", "gdp_base: 0"), "field 'gdp_base'"),
    Case("negative-population", edit("base: 129406", "base: -129406"), "field 'population.base'"),
    Case("zero-revenue-base", edit("base: 1.85", "base: 0"), "field 'fiscal_revenue.base'"),
    Case("negative-income-base", edit("base: 41794", "base: -1"), "field 'urban_income.base'"),
    # -- uncertainty settings
    Case("ar1-one", PLAN + "uncertainty: {ar1: 1.0}\n", "field 'uncertainty.ar1'"),
    Case("correlation-minus-half", PLAN + "uncertainty: {correlation: -0.5}\n", "field 'uncertainty.correlation'"),
    Case("negative-sd", PLAN + "uncertainty: {sd_pct: {primary: -1, secondary: 3.5, tertiary: 2}}\n",
         "field 'uncertainty.sd_pct.primary'"),
    Case("seed-float", PLAN + "uncertainty: {seed: 1.5}\n", "field 'uncertainty.seed'"),
    # -- the region the scenario's data come from
    Case("unknown-region", PLAN + "region: renhe\n", "field 'region'"),
    Case("region-not-a-key", PLAN + "region: Xi/qu\n", "field 'region'"),
    Case("region-uppercase", PLAN + "region: Xiqu\n", "field 'region'"),
    # -- sources and assumptions
    Case("source-unknown-field", PLAN + "sources: {gdp_bas: xiqu.gdp.2020}\n", "field 'sources.gdp_bas'"),
    Case("source-unknown-figure", PLAN + "sources: {gdp_base: xiqu.gdp.1999}\n", "field 'sources.gdp_base'"),
    Case("source-disagrees", edit("gdp_base: 82.91", "gdp_base: 80.0") + "sources: {gdp_base: xiqu.gdp.2020}\n",
         "field 'gdp_base'"),
    Case("source-wrong-unit", PLAN + "sources: {gdp_base: xiqu.resident_population.2020.census}\n",
         "field 'sources.gdp_base'"),
    Case("assumption-unknown-field", PLAN + "assumptions: {sector_share: guess}\n", "field 'assumptions.sector_share'"),
    Case("sourced-and-assumed", PLAN + "sources: {gdp_base: xiqu.gdp.2020}\nassumptions: {gdp_base: why}\n",
         "field 'assumptions.gdp_base'"),
    # -- the command line
    Case("output-folder-missing", PLAN, "field '--output'", ("--output", "{tmp}/no/such/folder/out.csv")),
    Case("output-is-folder", PLAN, "field '--output'", ("--output", "{tmp}")),
    Case("bad-format", PLAN, "--format", ("--format", "xlsx")),
]


def _xiqu(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "xiqu_analysis", *args],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=cwd, timeout=120,
    )  # fmt: skip


# One case of each layer that can refuse an input runs as a real process (the file, YAML,
# the schema's fields, a cross-field check, the projection's check, the data, the output
# path); every case of BAD also runs in-process through cli.main (the same code path,
# milliseconds each), so the table stays exhaustive while the fast suite stays fast.
SUBPROCESS = (
    "missing-file", "yaml-syntax", "unknown-nested-key", "number-as-text", "shares-do-not-sum",
    "inf-buoyancy", "source-disagrees", "output-folder-missing",
)  # fmt: skip
BY_ID = {c.id: c for c in BAD}
assert set(SUBPROCESS) <= set(BY_ID) and len(BY_ID) == len(BAD)


def _materialise(case: Case, folder: Path) -> tuple[str, list[str]]:
    """Write the case's file into ``folder``; return its path and the command's arguments."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{case.id}.yaml"
    if case.text == "DIR":
        path.mkdir()
    elif isinstance(case.text, bytes):
        path.write_bytes(case.text)
    elif case.text is not None:
        path.write_text(case.text, encoding="utf-8")
    return str(path), ["project", str(path), *(a.format(tmp=folder) for a in case.extra_args)]


@pytest.fixture(scope="module")
def prefetched(tmp_path_factory) -> dict:
    """Without xdist, start the SUBPROCESS cases together (two cores stay busy); under xdist
    each test runs its own process (so no worker repeats the others' work)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return {}
    tmp = tmp_path_factory.mktemp("bad")
    jobs = {cid: (tmp / cid, *_materialise(BY_ID[cid], tmp / cid)) for cid in SUBPROCESS}
    with concurrent.futures.ThreadPoolExecutor(max(2, (os.cpu_count() or 2) * 2)) as pool:
        futures = {cid: pool.submit(_xiqu, *argv) for cid, (_, _, argv) in jobs.items()}
        return {cid: (jobs[cid][0], jobs[cid][1], f.result()) for cid, f in futures.items()}


def _check_error_line(case: Case, folder: Path, path: str, rc: int, stdout: str, stderr: str) -> None:
    assert rc == 2, (rc, stdout, stderr)
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    line = lines[0]
    assert line.startswith("xiqu: error: "), line
    assert case.expect in line, line
    if case.id != "bad-format":
        named = folder.name if case.id.startswith("output") else Path(path).name
        assert named in line, line  # the file the problem is in
    assert stdout == "", stdout  # nothing ran


@pytest.mark.parametrize("cid", SUBPROCESS)
@pytest.mark.process
def test_bad_input_via_process_is_one_line_exit_2(cid: str, prefetched, tmp_path):
    case = BY_ID[cid]
    if cid in prefetched:
        folder, path, proc = prefetched[cid]
    else:
        folder = tmp_path / cid
        path, argv = _materialise(case, folder)
        proc = _xiqu(*argv)
    _check_error_line(case, Path(folder), path, proc.returncode, proc.stdout, proc.stderr)


@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_bad_input_via_cli_main_is_one_line_exit_2(case: Case, tmp_path, capsys):
    from xiqu_analysis.cli import main

    folder = tmp_path / case.id
    path, argv = _materialise(case, folder)
    rc = main(argv)  # any exception but InputError would escape here and fail the test
    out = capsys.readouterr()
    _check_error_line(case, folder, path, rc, out.out, out.err)


@pytest.mark.parametrize("argv", [
    ["project"], ["targets"], ["simulate", "--paths", "10"], ["sensitivity"],
    ["project", "--format", "csv"],
], ids=lambda a: " ".join(a))
def test_every_command_that_projects_refuses_vanishing_revenue(argv, tmp_path, capsys):
    """Loading such a file succeeds (the check left the schema); each command projects, so each refuses it."""
    from xiqu_analysis.cli import main

    path = tmp_path / "revenue.yaml"
    path.write_text(REVENUE_BELOW_MINUS_100, encoding="utf-8")
    out = tmp_path / "out.csv"
    rc = main([argv[0], str(path), *argv[1:], "--output", str(out)])
    captured = capsys.readouterr()
    assert rc == 2 and captured.out == "" and not out.exists()
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.err.startswith(f"xiqu: error: {path}: field 'fiscal_revenue.buoyancy': buoyancy 20 x nominal GDP growth")
    assert "at or below -100%" in captured.err


@pytest.mark.process
def test_bad_output_folder_is_reported_before_the_scenario(tmp_path):
    """--output is checked first: a broken scenario and a bad folder report the folder."""
    bad = tmp_path / "broken.yaml"
    bad.write_text("name: no\n", encoding="utf-8")
    proc = _xiqu("project", str(bad), "--output", str(tmp_path / "missing" / "x.csv"))
    assert proc.returncode == 2
    assert "field '--output'" in proc.stderr and "does not exist" in proc.stderr


@pytest.mark.process
def test_yaml_error_names_line_and_column(tmp_path):
    path = tmp_path / "syntax.yaml"
    path.write_text(edit("gdp_base: 82.91 ", "gdp_base: [82.91 "), encoding="utf-8")
    proc = _xiqu("project", str(path))
    assert proc.returncode == 2
    assert "line " in proc.stderr and "column " in proc.stderr


@pytest.mark.process
def test_name_no_explains_yaml_booleans(tmp_path):
    path = tmp_path / "no.yaml"
    path.write_text(edit("name: plan_targets", "name: no"), encoding="utf-8")
    proc = _xiqu("project", str(path))
    assert "boolean" in proc.stderr and "quote it" in proc.stderr


# --------------------------------------------------------------------------- success


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.process
def test_project_csv_has_the_columns_and_years(tmp_path):
    path = tmp_path / "plan_targets.yaml"
    path.write_text(PLAN, encoding="utf-8")
    proc = _xiqu("project", str(path), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    rows = _rows(proc.stdout)
    header = proc.stdout.splitlines()[0].split(",")
    for col in REQUIRED_CSV_COLUMNS:
        assert col in header
    assert [int(r["year"]) for r in rows] == list(range(2020, 2036))
    first = rows[0]
    assert float(first["gdp_nominal"]) == pytest.approx(82.91)
    assert float(first["population"]) == pytest.approx(129406)
    assert first["gdp_growth"] == ""  # no growth in the base year
    # 2021 secondary: 82.91 * 0.58 * 1.075 = 51.6943... 亿元 (real, constant 2020 prices)
    assert float(rows[1]["secondary"]) == pytest.approx(82.91 * 0.58 * 1.075, abs=1e-6)
    # 2021 fiscal revenue: 1.85 * (1 + 1.0 * nominal GDP growth)
    g_nom = float(rows[1]["gdp_nominal"]) / 82.91 - 1
    assert float(rows[1]["fiscal_revenue"]) == pytest.approx(1.85 * (1 + g_nom), abs=1e-5)


@pytest.mark.process
def test_project_csv_is_byte_identical_on_two_runs(tmp_path):
    path = SCENARIOS / "plan_targets.yaml"
    a = _xiqu("project", str(path), "--format", "csv")
    b = _xiqu("project", str(path), "--format", "csv")
    assert a.returncode == b.returncode == 0, a.stderr
    assert a.stdout.encode() == b.stdout.encode()
    assert "e-" not in a.stdout and "e+" not in a.stdout  # no scientific notation
    assert "-0," not in a.stdout and "nan" not in a.stdout.lower()


@pytest.mark.process
def test_project_output_is_written_atomically_and_equals_stdout(tmp_path):
    path = SCENARIOS / "plan_targets.yaml"
    out = tmp_path / "plan.csv"
    out.write_text("old content\n", encoding="utf-8")
    proc = _xiqu("project", str(path), "--format", "csv", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    stdout_csv = _xiqu("project", str(path), "--format", "csv").stdout
    assert out.read_text(encoding="utf-8") == stdout_csv
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv"]  # no temporary file left


@pytest.mark.process
def test_failed_run_keeps_previous_output(tmp_path):
    out = tmp_path / "plan.csv"
    out.write_text("previous good report\n", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(edit("gdp_base: 82.91", "gdp_base: -1"), encoding="utf-8")
    proc = _xiqu("project", str(bad), "--format", "csv", "--output", str(out))
    assert proc.returncode == 2
    assert out.read_text(encoding="utf-8") == "previous good report\n"


@pytest.mark.process
def test_project_table_shows_title_and_units():
    proc = _xiqu("project", str(SCENARIOS / "low.yaml"))
    assert proc.returncode == 0, proc.stderr
    assert "Constraints bind" in proc.stdout
    assert "[亿元]" in proc.stdout and "[persons]" in proc.stdout
    assert "2035" in proc.stdout


@pytest.mark.process
def test_targets_csv_reports_the_plan_floors():
    proc = _xiqu("targets", str(SCENARIOS / "plan_targets.yaml"), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = _rows(proc.stdout)
    floors = [r for r in rows if r["section"] == "target" and r["period"] == "2021-2025"]
    assert {float(r["target"]) for r in floors} == {3.5, 7.5, 8.5}
    # plan_targets grows exactly at the floors: every floor is met with a zero gap
    assert all(r["status"] == "met" and abs(float(r["gap"])) < 1e-6 for r in floors)
    low = _rows(_xiqu("targets", str(SCENARIOS / "low.yaml"), "--format", "csv").stdout)
    assert all(r["status"] == "missed" for r in low if r["section"] == "target" and r["period"] == "2021-2025")


@pytest.mark.process
def test_targets_bad_input_is_one_line(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(edit("end_year: 2035", "end_year: 2019"), encoding="utf-8")
    proc = _xiqu("targets", str(path))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "field 'end_year'" in proc.stderr and "t.yaml" in proc.stderr


@pytest.mark.parametrize("command", ["project", "targets"])
@pytest.mark.process
def test_help_explains_units(command):
    proc = _xiqu(command, "--help")
    assert proc.returncode == 0
    assert "亿元" in proc.stdout and "1e8" in proc.stdout and "%" in proc.stdout
