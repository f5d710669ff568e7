"""``xiqu targets --solve``: the constant growth each scenario needs for a target, in CSV and as lines in
English or Chinese (hand-written expected lines); refusals."""
from __future__ import annotations


import io

import pandas as pd

from xiqu_analysis.cli import main
from tests.helpers import SCENARIO_DIR


# --------------------------------------------------------------------------- xiqu targets --solve
def test_xiqu_targets_solve(capsys):
    root = SCENARIO_DIR
    plan, low = str(root / "plan_targets.yaml"), str(root / "low.yaml")
    assert main(["targets", "--solve", "gdp_real x2 from 2020 by 2035", plan, low, "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    every = table[table["lever"] == "all_sectors"].set_index("scenario")
    assert list(every.index) == ["plan_targets", "low"]
    assert every["required_pct"].round(6).tolist() == [round(100 * (2 ** (1 / 15) - 1), 6)] * 2
    assert main(["targets", "--solve", "urban_income 60000 元 by 2030", low]) == 0
    text = capsys.readouterr().out
    # (60000 / 41794) ** (1/10) - 1 = 3.68 % a year against the scenario's 5.5 %: 1.8 points to spare
    assert text.startswith("Target: Urban per-capita disposable income of 60,000 yuan by 2030 "
                           "(urban_income 60000 元 by 2030)\n  low: the target is 60,000 yuan in 2030; ")
    assert ("    Urban disposable income (nominal): needs growth of 3.7% a year in 2021-2030; the scenario grows "
            "5.5% a year, on course with 1.8 points to spare\n") in text
    assert main(["targets", plan, low]) == 2
    assert "give one scenario file (got 2)" in capsys.readouterr().err
    assert main(["targets", "--solve", "gdp_real 150 by 2030", plan]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "field 'solve'" in err


# --------------------------------------------------------------------------- the text, in both languages
def _scenario(folder, name: str, growth: float):
    """An invented scenario: GDP 100 亿元 in 2020, every sector at ``growth`` % a year to 2025, no inflation;
    shares 0.1 / 0.5 / 0.4 (no sources: every input an assumption)."""
    path = folder / f"{name}.yaml"
    path.write_text(f"""\
name: {name}
title: Invented, {growth:g} % a year
base_year: 2020
end_year: 2025
gdp_base: 100
sector_shares: {{primary: 0.1, secondary: 0.5, tertiary: 0.4}}
real_growth_pct: {{primary: {growth}, secondary: {growth}, tertiary: {growth}}}
deflator_pct: 0.0
population: {{base: 100000, growth_pct: 0.0}}
urban_income: {{base: 40000, growth_pct: 5.0}}
fiscal_revenue: {{base: 2.0, buoyancy: 1.0}}
""", encoding="utf-8")
    return str(path)


#: By hand, c = 1.03 (rising) or 0.97 (falling) a year for 5 years. At least 110 in 2025 needs every sector at
#: 1.1**(1/5) - 1 = 1.924 %; one sector s alone ((1.1 - (1 - w_s) c**5) / w_s)**(1/5) - 1: primary -10.742,
#: secondary 0.802, tertiary 0.221 % (rising); 100 x 1.03**4 = 112.55 >= 110 > 1.03**3 first in 2024. At most 90
#: in 2025 needs a fall of 1 - 0.9**(1/5) = 2.085 %; alone (rising): primary impossible (0.9 < 0.9 x 1.03**5),
#: secondary -8.518, tertiary -12.562; (falling): primary +4.919, secondary -1.203, tertiary -0.774; falling,
#: 100 x 0.97**4 = 88.53 <= 90 < 0.97**3 from 2024 on. Margins on the favourable side: own - required for the
#: floor, required - own for the ceiling.
EXPECTED = {
    "en": """\
Target: Nominal GDP of 110.00 亿元 by 2025 (gdp_nominal 110 by 2025)
  rising: the target is 110.00 亿元 in 2025; the scenario reaches it in 2024
    Every sector alike: needs growth of 1.9% a year in 2021-2025; the scenario grows 3.0% a year, on course with 1.1 points to spare
    Primary sector alone: may fall by up to 10.7% a year in 2021-2025; the scenario grows 3.0% a year, on course with 13.7 points to spare
    Secondary sector alone: needs growth of 0.8% a year in 2021-2025; the scenario grows 3.0% a year, on course with 2.2 points to spare
    Tertiary sector alone: needs growth of 0.2% a year in 2021-2025; the scenario grows 3.0% a year, on course with 2.8 points to spare

Target: Nominal GDP of at most 90.00 亿元 by 2025 (地区生产总值2025年控制在90亿元以内)
  rising: the target is 90.00 亿元 in 2025; the scenario does not reach it by 2025
    Every sector alike: needs to fall by 2.1% a year in 2021-2025; the scenario grows 3.0% a year, 5.1 points short
    Primary sector alone: no constant rate between -90% and 500% a year reaches it
    Secondary sector alone: needs to fall by 8.5% a year in 2021-2025; the scenario grows 3.0% a year, 11.5 points short
    Tertiary sector alone: needs to fall by 12.6% a year in 2021-2025; the scenario grows 3.0% a year, 15.6 points short
  falling: the target is 90.00 亿元 in 2025; the scenario reaches it in 2024
    Every sector alike: needs to fall by 2.1% a year in 2021-2025; the scenario falls 3.0% a year, on course with 0.9 points to spare
    Primary sector alone: may grow by up to 4.9% a year in 2021-2025; the scenario falls 3.0% a year, on course with 7.9 points to spare
    Secondary sector alone: needs to fall by 1.2% a year in 2021-2025; the scenario falls 3.0% a year, on course with 1.8 points to spare
    Tertiary sector alone: needs to fall by 0.8% a year in 2021-2025; the scenario falls 3.0% a year, on course with 2.2 points to spare
""",
    "zh": """\
目标：地区生产总值（现价）到2025年达到110.00亿元（gdp_nominal 110 by 2025）
  rising：目标为2025年110.00亿元；按该情景2024年实现
    三次产业同速增长：2021—2025年需年均增长1.9%；该情景年均增长3.0%，可以实现，尚有1.1个百分点余地
    仅第一产业增长：2021—2025年年均下降不超过10.7%即可；该情景年均增长3.0%，可以实现，尚有13.7个百分点余地
    仅第二产业增长：2021—2025年需年均增长0.8%；该情景年均增长3.0%，可以实现，尚有2.2个百分点余地
    仅第三产业增长：2021—2025年需年均增长0.2%；该情景年均增长3.0%，可以实现，尚有2.8个百分点余地

目标：地区生产总值（现价）到2025年控制在90.00亿元以内（地区生产总值2025年控制在90亿元以内）
  rising：目标为2025年90.00亿元；按该情景到2025年仍未实现
    三次产业同速增长：2021—2025年需年均下降2.1%；该情景年均增长3.0%，差5.1个百分点
    仅第一产业增长：在年均-90%至500%的恒定增速内均无法实现
    仅第二产业增长：2021—2025年需年均下降8.5%；该情景年均增长3.0%，差11.5个百分点
    仅第三产业增长：2021—2025年需年均下降12.6%；该情景年均增长3.0%，差15.6个百分点
  falling：目标为2025年90.00亿元；按该情景2024年实现
    三次产业同速增长：2021—2025年需年均下降2.1%；该情景年均下降3.0%，可以实现，尚有0.9个百分点余地
    仅第一产业增长：2021—2025年年均增长不超过4.9%即可；该情景年均下降3.0%，可以实现，尚有7.9个百分点余地
    仅第二产业增长：2021—2025年需年均下降1.2%；该情景年均下降3.0%，可以实现，尚有1.8个百分点余地
    仅第三产业增长：2021—2025年需年均下降0.8%；该情景年均下降3.0%，可以实现，尚有2.2个百分点余地
""",
}


def test_the_solved_targets_read_in_english_and_chinese(capsys, tmp_path):
    rising, falling = _scenario(tmp_path, "rising", 3.0), _scenario(tmp_path, "falling", -3.0)
    for lang, note in (("en", "Each rate is constant over the years shown"), ("zh", "注：各增速为所示年份内的恒定年均增速")):
        argv = ["targets", "--solve", "gdp_nominal 110 by 2025", "--solve", "地区生产总值2025年控制在90亿元以内",
                rising, falling] + (["--language", lang] if lang != "en" else [])
        assert main(argv) == 0
        out = capsys.readouterr().out
        # the first target: only the rising scenario shown here (the falling one's lines follow it)
        first, second = EXPECTED[lang].split("\n\n")
        blocks = out.split("\n\n")
        assert blocks[0].startswith(first + "\n  falling"), blocks[0]
        assert blocks[1] == second.rstrip("\n")
        assert blocks[2].startswith(note) and blocks[2].count("\n") == 1
        assert "100,000" not in out and ".0000" not in out
