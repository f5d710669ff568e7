"""``xiqu rebase`` on INVENTED actuals (tests/fixtures): the written scenario is valid and sourced, in English and
Chinese; refusals; the actuals file a re-based scenario cites is checked on every load and kept by the explorer's
Save."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xiqu_analysis.cli import main
from xiqu_analysis.economics.projection import project
from xiqu_analysis.errors import InputError
from xiqu_analysis.inputs.scenario import load_scenario, provenance
from xiqu_analysis.reports.tables.scenario import provenance_table
from tests.helpers import FIXTURES, ROOT

INVENTED = FIXTURES / "actuals_invented_2021_2025.csv"
PLAN = ROOT / "scenarios" / "plan_targets.yaml"


# --------------------------------------------------------------------------- the scenario's actuals sources
def _rebased_file(tmp_path, *extra) -> Path:
    shutil.copy(INVENTED, tmp_path / INVENTED.name)
    out = tmp_path / "rebased.yaml"
    assert main(["rebase", str(PLAN), "--actuals", str(tmp_path / INVENTED.name), "--year", "2025",
                 "--output", str(out), *extra]) == 0
    return out


def test_xiqu_rebase_writes_a_valid_sourced_scenario(tmp_path, capsys, region):
    out = _rebased_file(tmp_path)
    assert capsys.readouterr().out.strip() == str(out.absolute())
    sc = load_scenario(out)  # schema and every source, against the actuals file named in it
    assert sc.actuals == INVENTED.name and sc.name == "plan_targets_rebased_2025" and sc.base_year == 2025
    prov = provenance(sc).set_index("input")
    assert prov.loc["gdp_base", "status"] == "sourced" and prov.loc["gdp_base", "figure_id"] == "actuals:xiqu.gdp.2025"
    assert prov.loc["real_growth_pct.secondary.2026-2035", "status"] == "assumed"
    assert prov.loc["real_growth_pct.secondary.2026-2035", "reason"].startswith(
        "Carried over from the remaining path of the plan_targets scenario (2026-2035: 5%, there assumed:")
    assert prov.loc["sector_shares.primary", "reason"].startswith("Shares of the actual current-price value added")
    cites = provenance_table(sc, region).set_index("input")["citation_or_reason"]
    assert cites["gdp_base"] == "actuals:xiqu.gdp.2025: actuals_invented_2021_2025.csv: INVENTED test value"
    assert sc.title == "Plan floors to 2025, slower growth to 2035, re-based on the 2025 actuals"
    assert project(sc).at(2025, "gdp_nominal") == 128.0


def test_xiqu_rebase_in_chinese_and_refusals(tmp_path, capsys):
    out = _rebased_file(tmp_path, "--language", "zh")
    capsys.readouterr()
    before = out.read_bytes()
    rebased = load_scenario(out)
    # every text in both languages, the one asked for first
    assert rebased.title.get("zh") == "2025年前按规划增速底线增长，此后增速放缓（以2025年实际数据重新基准）"
    assert rebased.title.get("en") == "Plan floors to 2025, slower growth to 2035, re-based on the 2025 actuals"
    assert out.read_text(encoding="utf-8").index("zh:") < out.read_text(encoding="utf-8").index("en:")
    for text in (rebased.description, rebased.reasoning, *rebased.assumptions.values()):
        assert set(text.languages) == {"en", "zh"}
    # an existing file is not replaced without --force; nothing changes
    code = main(["rebase", str(PLAN), "--actuals", str(tmp_path / INVENTED.name), "--year", "2025", "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "exists already" in err and out.read_bytes() == before
    # a bad actuals file: one line naming file, row and column; nothing written
    bad = tmp_path / "bad.csv"
    bad.write_text("region,indicator,year,value,unit,price_basis,source\nxiqu,gdp,2025,128,亿,current,INVENTED\n",
                   encoding="utf-8")
    code = main(["rebase", str(PLAN), "--actuals", str(bad), "--year", "2025", "--output", str(tmp_path / "n.yaml")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and f"{bad}: field 'row 2, column unit'" in err
    assert not (tmp_path / "n.yaml").exists() and not list(tmp_path.glob(".*.tmp.yaml"))


def test_actuals_sources_are_checked_on_every_load(tmp_path):
    out = _rebased_file(tmp_path)
    text = out.read_text(encoding="utf-8")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(text.replace("gdp_base: 128.0", "gdp_base: 129.0"), encoding="utf-8")
    with pytest.raises(InputError, match=r"value 129 亿元 disagrees with figure 'actuals:xiqu.gdp.2025' = 128 亿元"):
        load_scenario(wrong)
    missing = tmp_path / "missing.yaml"
    missing.write_text(text.replace("actuals:xiqu.gdp.2025", "actuals:xiqu.gdp.2019"), encoding="utf-8")
    with pytest.raises(InputError, match="no row xiqu, gdp, 2019 in the actuals file"):
        load_scenario(missing)
    unnamed = tmp_path / "unnamed.yaml"
    unnamed.write_text(text.replace(f"actuals: {INVENTED.name}\n", ""), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_scenario(unnamed)
    assert exc.value.field == "sources.gdp_base" and "names no actuals file" in exc.value.problem
    (tmp_path / INVENTED.name).unlink()
    with pytest.raises(InputError, match=INVENTED.name):
        load_scenario(out)


def test_a_variant_of_a_rebased_scenario_saved_from_the_explorer_keeps_its_actuals(tmp_path, capsys):
    from xiqu_analysis.reports.explorer.state import ExplorerState

    out = _rebased_file(tmp_path)
    capsys.readouterr()
    state = ExplorerState.from_path(out)
    state.set("deflator_pct", 2.5)
    saved = state.save(tmp_path / "elsewhere", "variant", "a faster price rise")
    again = load_scenario(saved)  # its actuals sources checked against the same file
    assert Path(again.actuals) == (tmp_path / INVENTED.name).absolute() and again.deflator_pct == 2.5
    assert again.sources["gdp_base"] == "actuals:xiqu.gdp.2025"
