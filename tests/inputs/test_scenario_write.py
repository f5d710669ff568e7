"""inputs.scenario.write: the one scenario writer (xiqu rebase, the explorer's Save) and its round trip."""
from __future__ import annotations

import pytest

from xiqu_analysis import config
from xiqu_analysis.inputs.scenario import FIELD_ORDER, load_scenario, scenario_yaml, write_scenario
from xiqu_analysis.inputs.yamlfile import read_yaml

SHIPPED = sorted(config.scenario_dir().glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_write_then_read_gives_the_same_scenario(path, tmp_path):
    data = read_yaml(path)
    written = write_scenario(tmp_path / path.name, data)
    assert load_scenario(written).model_dump() == load_scenario(path).model_dump()
    # the written file's fields in the documented order, then any other in the order given
    keys = [k for k in read_yaml(written)]
    known = [k for k in keys if k in FIELD_ORDER]
    assert known == sorted(known, key=FIELD_ORDER.index)
    assert keys[:len(known)] == known


def test_text_style_paragraphs_unicode_comment_and_no_aliases(tmp_path):
    data = read_yaml(SHIPPED[0])
    shared = {"primary": 3.5, "secondary": 7.5, "tertiary": 8.5}
    data = {**data, "title": {"en": "A test", "zh": "测试情景"},
            "reasoning": "First paragraph.\n\n第二段：增长。\n",
            "real_growth_pct": shared, "uncertainty": {**data.get("uncertainty", {}), "sd_pct": shared},
            "description": None}
    comment = "Saved from the explorer\nbased on plan_targets"
    text = scenario_yaml(data, comment=comment)
    assert text.startswith("# Saved from the explorer\n# based on plan_targets\n")
    assert "reasoning: |\n  First paragraph.\n\n  第二段：增长。\n" in text  # a paragraph as a block, unescaped
    assert "测试情景" in text and "\\u" not in text
    assert "&" not in text and "*" not in text  # every value in full, no YAML anchors or aliases
    assert "description" not in text  # missing values are left out
    path = write_scenario(tmp_path / "sub" / "s.yaml", data, comment, make_parents=True)
    assert path.read_text(encoding="utf-8") == text
    back = load_scenario(path)
    assert str(back.reasoning) == "First paragraph.\n\n第二段：增长。\n"
    assert back.real_growth_pct.model_dump() == back.uncertainty.sd_pct.model_dump() == shared
