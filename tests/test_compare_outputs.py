"""scripts/compare_outputs.py: how two saved output folders are compared (no tree is run here)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "compare_outputs.py"


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("compare_outputs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def test_identical_folders_have_no_difference(tool, tmp_path):
    files = {"cli/project/trend.csv.txt": b"year,gdp\n2020,82.91\n", "run/en/report/tables/a.csv": "增长\n".encode()}
    a, b = _write(tmp_path / "a", files), _write(tmp_path / "b", files)
    assert tool.compare(a, b, "A", "B") == []


def test_every_difference_is_named_byte_for_byte(tool, tmp_path):
    a = _write(tmp_path / "a", {"cli/x.txt": b"1.0\n", "cli/same.txt": b"s", "run/en/r/tables/only_a.csv": b""})
    b = _write(tmp_path / "b", {"cli/x.txt": b"1.0\r\n", "cli/same.txt": b"s", "cli/audit/all.table.exit": b"exit 2\n"})
    assert tool.compare(a, b, "A", "B") == [
        "only in A: run/en/r/tables/only_a.csv",
        "only in B: cli/audit/all.table.exit",
        "differs: cli/x.txt",
    ]


def test_files_outside_the_outputs_are_not_compared(tool, tmp_path):
    a = _write(tmp_path / "a", {"cli/x.txt": b"1", "HOW.txt": b"made by ..."})
    b = _write(tmp_path / "b", {"cli/x.txt": b"1"})
    assert tool.compare(a, b, "A", "B") == []


def test_a_folder_without_saved_outputs_is_refused(tool, tmp_path):
    with pytest.raises(SystemExit) as exc:
        tool.main(["--against", str(tmp_path)])
    assert exc.value.code == 2
