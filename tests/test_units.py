"""Units: 亿 = 1e8, 万 = 1e4, conversions, and no file that misstates 亿元 as billions."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiqu_analysis.inputs.figures import load_all_figures
from xiqu_analysis.inputs.projects import load_projects
from xiqu_analysis.units import KNOWN_UNITS, UNIT_FACTORS, base_unit, convert, wan_to_units, yi_to_yuan, yuan_to_yi
from tests.helpers import ROOT



def test_yi_yuan():
    assert convert(82.91, "亿元", "元") == 8.291e9
    assert convert(82.91, "亿元", "yuan") == 8_291_000_000
    assert yi_to_yuan(82.91) == 8.291e9 and yuan_to_yi(8.291e9) == 82.91
    assert convert(1.85, "亿元", "万元") == 18_500
    assert convert(8700, "万元", "亿元") == 0.87


def test_wan_persons_and_areas():
    assert convert(12.5, "万人", "人") == 125_000 and wan_to_units(13.7) == 137_000
    assert convert(129_406, "persons", "万人") == 12.9406
    assert convert(2.9945, "万亩", "亩") == 29_945
    assert convert(28.8, "万平方米", "m2") == 288_000
    assert convert(123.96, "平方千米", "km2") == 123.96


def test_different_bases_do_not_convert():
    with pytest.raises(ValueError, match="cannot convert"):
        convert(1, "亿元", "万人")
    with pytest.raises(KeyError):
        base_unit("billion")


def test_every_unit_in_the_data_is_known():
    figs = load_all_figures()
    projects = load_projects("xiqu")
    used = set(figs["unit"])
    for col in ("investment_unit", "area_unit", "capacity_unit", "output_unit"):
        used |= {u for u in projects[col] if u}
    assert used <= KNOWN_UNITS, used - KNOWN_UNITS


@given(value=st.floats(-1e12, 1e12, allow_nan=False),
       pair=st.sampled_from([("亿元", "元"), ("万元", "亿元"), ("万人", "人"), ("万亩", "亩"), ("亿吨", "万吨")]))
def test_round_trip(value, pair):
    a, b = pair
    assert convert(convert(value, a, b), b, a) == pytest.approx(value, rel=1e-11, abs=1e-9)


def test_factors_are_powers_of_ten():
    for unit, (_, factor) in UNIT_FACTORS.items():
        assert factor > 0 and float(f"{factor:.0e}") == factor, unit


# The phrase is assembled so that this file does not contain it.
_FORBIDDEN = re.compile(re.escape("82.91") + r"\s*" + "bil" + "lion", re.IGNORECASE)
_SKIP_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", "outputs", "node_modules",
              ".ipynb_checkpoints", "build", "dist"}


def _text_files(root: Path):
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part in _SKIP_DIRS or part.endswith(".egg-info") for part in rel.parts):
            continue
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        try:
            yield rel, path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary files


def _says_it(text: str) -> bool:
    """True if ``text`` uses the phrase; a warning that quotes it after "not"/"never" is a mention."""
    for m in _FORBIDDEN.finditer(text):
        before = text[max(0, m.start() - 30):m.start()]
        quoted = before.endswith(("\"", "'", "`", "“")) and text[m.end():m.end() + 1] in "\"'`”"
        if not (quoted and re.search(r"\b(not|never)\b", before, re.IGNORECASE)):
            return True
    return False


def test_no_file_says_82_91_billion():
    """82.91 亿元 is 8.291 billion yuan; the other reading is a factor-of-ten error."""
    offenders = [str(rel) for rel, text in _text_files(ROOT) if _says_it(text)]
    assert not offenders, f"files saying the forbidden phrase: {offenders}"


def test_the_scan_would_catch_the_phrase(tmp_path):
    phrase = "82.91 Bil" + "lion"
    (tmp_path / "note.md").write_text(f"GDP was {phrase} yuan", encoding="utf-8")
    (tmp_path / "quoted.md").write_text(f'GDP was "{phrase}" yuan', encoding="utf-8")
    (tmp_path / "warning.md").write_text(f'Never write "{phrase}".', encoding="utf-8")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "x.txt").write_text(phrase, encoding="utf-8")
    found = sorted(str(rel) for rel, text in _text_files(tmp_path) if _says_it(text))
    assert found == ["note.md", "quoted.md"]
