"""fileio: atomic writes keep the old file and leave no temporary; bounded reads refuse what is not a
regular file of bounded size; content hashes."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from xiqu_analysis.errors import InputError
from xiqu_analysis.fileio import (
    atomic_write_bytes,
    atomic_write_text,
    hash_files,
    read_bytes_limited,
    read_text_limited,
    sha256_file,
)


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


# --------------------------------------------------------------------------- bounded reads


def _one_line_input_error(path, call) -> str:
    with pytest.raises(InputError) as info:
        call(path)
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith(f"{path}: "), msg
    return msg


def test_read_bytes_limited_reads_a_regular_file(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes(b"x\n1\n")
    assert read_bytes_limited(p) == b"x\n1\n"
    assert read_bytes_limited(str(p), limit=4) == b"x\n1\n"  # exactly at the limit


def test_read_bytes_limited_refuses_a_folder(tmp_path):
    assert "is a folder" in _one_line_input_error(tmp_path, read_bytes_limited)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_read_bytes_limited_refuses_a_device():
    # /dev/zero never ends: reading it would fill memory, so it must be refused before any read
    assert "not a regular file" in _one_line_input_error(Path("/dev/zero"), read_bytes_limited)
    assert "not a regular file" in _one_line_input_error(Path("/dev/zero"), read_text_limited)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_read_bytes_limited_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    # opening a FIFO with no writer would block for ever; the check happens before any open
    assert "not a regular file" in _one_line_input_error(fifo, read_bytes_limited)


def test_read_bytes_limited_refuses_missing_and_too_large_files(tmp_path):
    assert "file not found" in _one_line_input_error(tmp_path / "missing.csv", read_bytes_limited)
    big = tmp_path / "big.csv"
    big.write_bytes(b"12345")
    with pytest.raises(InputError, match="5 bytes; at most 4 are read"):
        read_bytes_limited(big, limit=4)


def test_read_text_limited_drops_a_bom_and_refuses_other_encodings(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes("\ufeffregion,值\n".encode("utf-8"))
    assert read_text_limited(p) == "region,值\n"
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("地区\n".encode("gbk"))
    msg = _one_line_input_error(gbk, read_text_limited)
    assert "not UTF-8" in msg and "at byte 0" in msg


# --------------------------------------------------------------------------- hashes


def test_hash_files_keys_are_absolute_resolved_and_sorted(tmp_path, monkeypatch):
    (tmp_path / "b.csv").write_bytes(b"abc")
    (tmp_path / "a.csv").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    hashes = hash_files(["b.csv", Path("sub") / ".." / "a.csv"])  # relative, unsorted, with '..'
    assert list(hashes) == [str((tmp_path / "a.csv").resolve()), str((tmp_path / "b.csv").resolve())]
    assert hashes[str((tmp_path / "b.csv").resolve())] == hashlib.sha256(b"abc").hexdigest()
    assert hashes[str((tmp_path / "a.csv").resolve())] == hashlib.sha256(b"").hexdigest()
    assert sha256_file(tmp_path / "b.csv") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    with pytest.raises(InputError, match="cannot hash"):
        hash_files([tmp_path / "missing.csv"])
