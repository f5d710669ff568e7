"""Atomic writes keep the old file when a write fails and leave no temporary file."""
from __future__ import annotations

import pytest

from xiqu_analysis.fileio import atomic_write_bytes, atomic_write_text


def test_write_then_replace(tmp_path):
    target = tmp_path / "a.csv"
    atomic_write_text(target, "x\n1\n")
    atomic_write_text(target, "x\n2\n")
    assert target.read_text(encoding="utf-8") == "x\n2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_failed_write_keeps_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "report.png"
    atomic_write_bytes(target, b"old")
    with pytest.raises(TypeError):
        atomic_write_bytes(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.png"]


def test_make_parents(tmp_path):
    target = tmp_path / "tables" / "deep" / "t.csv"
    with pytest.raises(FileNotFoundError):
        atomic_write_text(target, "a")
    atomic_write_text(target, "a", make_parents=True)
    assert target.read_text(encoding="utf-8") == "a"
