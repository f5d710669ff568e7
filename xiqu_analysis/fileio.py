"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every file the package writes (CLI ``--output`` files, report tables and figures,
manifests, index pages, executed notebooks) goes through these two functions:
the content is written to a unique temporary name in the same folder, flushed to
disk, then moved over the target with :func:`os.replace`. A failed write leaves
the previous file untouched and no temporary file behind; two processes writing
the same path never share a temporary name.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text"]


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, make_parents: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file + ``os.replace``).

    Parameters
    ----------
    path : str or PathLike
        Target file.
    data : bytes
        The whole new content.
    make_parents : bool, default False
        Create missing parent folders first.

    Returns
    -------
    Path
        ``path`` as a :class:`~pathlib.Path`.
    """
    path = Path(path)
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():  # only when os.replace did not happen
            tmp.unlink()
    return path


def atomic_write_text(path: str | os.PathLike, text: str, *, make_parents: bool = False) -> Path:
    """Write ``text`` as UTF-8 (line ends as given) to ``path`` atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"), make_parents=make_parents)
