"""Files in and out: bounded reads, atomic writes, content hashes.

Reads
-----
:func:`read_bytes_limited` and :func:`read_text_limited` read a *regular* file
of at most a given size: a folder, a device (``/dev/zero``), a FIFO or a file
that grows past the limit while it is read is refused with an
:class:`~xiqu_analysis.errors.InputError` naming the file, before any of it is
parsed. Every input file of the package is read through them.

Hashes
------
:func:`sha256_file` (``hashlib.file_digest``) and :func:`hash_files` give the
content hashes recorded in run manifests.

Writes
------
Atomic: a reader sees the old file or the new one, never half of one.

Every file the package writes (CLI ``--output`` files, report tables and figures,
manifests, index pages, executed notebooks) goes through these two functions:
the content is written to a unique temporary name in the same folder, flushed to
disk, then moved over the target with :func:`os.replace`. A failed write leaves
the previous file untouched and no temporary file behind; two processes writing
the same path never share a temporary name.
"""
from __future__ import annotations

import hashlib
import os
import secrets
import stat
from pathlib import Path
from typing import Iterable

from .errors import InputError, Message

__all__ = [
    "MAX_INPUT_BYTES",
    "read_bytes_limited",
    "read_text_limited",
    "sha256_file",
    "hash_files",
    "atomic_write_bytes",
    "atomic_write_text",
]

#: largest input file read by default (data tables, scenario files, actuals), bytes
MAX_INPUT_BYTES = 16 * 1024 * 1024


def _open_regular(path: Path) -> int:
    """A read-only descriptor of ``path``, checked to be a regular file *after* opening.

    ``O_NONBLOCK`` keeps ``open`` from waiting forever on a FIFO with no
    writer; the checks use ``fstat`` on the open descriptor, so a file swapped
    for a device or a pipe between a check and the read cannot slip through.

    Raises
    ------
    InputError
        Missing, unreadable, a folder, or not a regular file.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(path, None, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, None, "is a folder, not a file") from None
    except PermissionError:
        raise InputError(path, None, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(path, None, "cannot be read ({reason})", reason=exc.strerror or exc) from None
    info = os.fstat(fd)
    if stat.S_ISREG(info.st_mode):
        return fd
    os.close(fd)
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, None, "is a folder, not a file")
    raise InputError(path, None, "is not a regular file (a device, pipe or socket)")


def read_bytes_limited(path: str | os.PathLike, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises
    ------
    InputError
        The file is missing, unreadable, a folder, not a regular file (a
        device such as ``/dev/zero``, a FIFO or socket), or larger than
        ``limit`` (checked on the open file, and while reading too, so a file
        that grows is caught; at most ``limit + 1`` bytes are ever read).
    """
    path = Path(path)
    fd = _open_regular(path)
    try:
        size = os.fstat(fd).st_size
        if size > limit:
            raise InputError(path, None, "file is {size} bytes; at most {limit} are read", size=size, limit=limit)
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(path, None, "cannot be read ({reason})", reason=exc.strerror or exc) from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > limit:
        raise InputError(path, None, "file is larger than {limit} bytes", limit=limit)
    return data


#: why bytes are not UTF-8, in the words of Python's codec (other languages: their errors.yaml)
_UTF8_REASONS = {"invalid start byte": Message("invalid start byte"),
                 "invalid continuation byte": Message("invalid continuation byte"),
                 "unexpected end of data": Message("unexpected end of data")}


def read_text_limited(path: str | os.PathLike, limit: int = MAX_INPUT_BYTES) -> str:
    """UTF-8 text (a byte-order mark is dropped) of a regular file of at most ``limit`` bytes.

    Raises
    ------
    InputError
        As :func:`read_bytes_limited`, or the bytes are not UTF-8 (the
        message names the byte offset and asks for UTF-8; GBK files are the
        usual case).
    """
    data = read_bytes_limited(path, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if Path(path).suffix.lower() == ".csv":  # a table saved from Excel or WPS in the system's code page (GBK)
            raise InputError(path, None, "not UTF-8 text ({reason} at byte {start}); save the file as UTF-8: in Excel "
                             "File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'; in WPS Save As > file type CSV, "
                             "encoding UTF-8", reason=_UTF8_REASONS.get(exc.reason, exc.reason),
                             start=exc.start) from None
        raise InputError(path, None, "not UTF-8 text ({reason} at byte {start}); save the file as UTF-8",
                         reason=_UTF8_REASONS.get(exc.reason, exc.reason), start=exc.start) from None


def sha256_file(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a regular file's bytes (``hashlib.file_digest``).

    Raises
    ------
    InputError
        Missing, unreadable, a folder, a device, FIFO or socket (a device
        such as ``/dev/zero`` would never end).
    """
    path = Path(path)
    fd = _open_regular(path)
    try:
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        raise InputError(path, None, "cannot be read ({reason})", reason=exc.strerror or exc) from None
    finally:
        if fd >= 0:
            os.close(fd)


def hash_files(paths: Iterable[str | os.PathLike]) -> dict[str, str]:
    """``{absolute path: sha256}`` of ``paths``, sorted by path.

    Raises
    ------
    InputError
        A path is not a readable file.
    """
    out: dict[str, str] = {}
    for p in sorted(Path(p).resolve() for p in paths):
        try:
            out[str(p)] = sha256_file(p)
        except InputError as exc:
            raise InputError(p, None, "cannot hash: {problem}", problem=exc.message) from None
    return out


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, make_parents: bool = False,
                       durable: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file + ``os.replace``).

    Parameters
    ----------
    path : str or PathLike
        Target file.
    data : bytes
        The whole new content.
    make_parents : bool, default False
        Create missing parent folders first.
    durable : bool, default True
        ``fsync`` the data before the rename, so it survives a power cut too.
        ``False`` for files rewritten many times a second (the executed
        notebook papermill saves after every cell): the rename alone keeps a
        reader, a crash or a full disk from ever seeing half a file.

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
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():  # only when os.replace did not happen
            tmp.unlink()
    return path


def atomic_write_text(path: str | os.PathLike, text: str, *, make_parents: bool = False,
                      durable: bool = True) -> Path:
    """Write ``text`` as UTF-8 (line ends as given) to ``path`` atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"), make_parents=make_parents, durable=durable)
