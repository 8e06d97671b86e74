"""Catalogues as read before: the table a catalogue's TOML gave, kept by the hash of its bytes.

Reading the three built-in catalogues as TOML (the standard library's ``tomllib``, written in
Python) took 85 ms of every start on a slow machine (30 on a fast one): a tenth of ``due --json``
from a snapshot. The same table kept as MessagePack decodes in 3 ms. It is kept in the user's
cache folder (``$FOLLOWUP_CACHE_DIR``, else ``paths.cache_dir()``), one file per
catalogue, which says the BLAKE2 hash of the TOML's bytes it was read from: a catalogue changed
in any way (a translator's edit, a newer version) is read as TOML again, and so is a kept file
that is not a regular file of a sane size, does not decode, or was read from other bytes (a
file copied over another's name, another language's). A folder that cannot be written costs the
time only.

A file written there on purpose, with the right hash and other words, is believed: the cache is
trusted as the user's own files are (config.toml's templates, the installed code itself, as
Python trusts its ``__pycache__``); whoever can write it can write those.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Callable

import msgspec

CACHE_DIR = "FOLLOWUP_CACHE_DIR"  # where kept tables go (a test's, a read-only home's)
_SUFFIX = ".msgpack"


class _Kept(msgspec.Struct, frozen=True):
    of: str  # the hash of the TOML's bytes the table was read from
    table: dict


_decoder = msgspec.msgpack.Decoder(_Kept)


def folder() -> Path:
    given = os.environ.get(CACHE_DIR)
    if given:
        return Path(given).expanduser()
    from ..paths import cache_dir

    return cache_dir() / "catalogues"


def read(path: Path, raw: bytes, parse: Callable[[bytes], dict]) -> dict:
    """What ``parse(raw)`` gives for the catalogue at ``path``, kept from the last time these
    bytes were read if it was (``parse`` raises as it would: a table is only kept once read)."""
    of = hashlib.blake2b(raw, digest_size=16).hexdigest()
    name = f"{path.stem}-{of}{_SUFFIX}"
    table = _kept(folder() / name, of, limit=4 * len(raw) + 65536)
    if table is not None:
        return table
    table = parse(raw)
    _keep(name, path.stem, of, table)
    return table


def _kept(where: Path, of: str, limit: int) -> dict | None:
    """The table kept at ``where`` if it is one read from the bytes hashed ``of``, else None."""
    try:  # (never a link, a pipe or a device: one that blocked or never ended hung the start)
        fd = os.open(where, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            kept = _decoder.decode(f.read(limit + 1))
    except (OSError, ValueError, msgspec.DecodeError):
        return None
    finally:
        os.close(fd)
    return kept.table if kept.of == of else None


def _keep(name: str, stem: str, of: str, table: dict) -> None:
    """Keep ``table`` as ``name``, in place of the tables an older version of the file gave."""
    try:
        data = msgspec.msgpack.encode(_Kept(of, table))
        if _decoder.decode(data).table != table:
            return  # (a TOML date, say: kept, it would not come back the same)
        where = folder()
        where.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=where, prefix=".keeping-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(temporary, where / name)  # whole or not at all, whoever else reads it
        except BaseException:
            os.unlink(temporary)
            raise
        for older in where.glob(f"{stem}-*{_SUFFIX}"):
            if older.name != name:
                older.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError, msgspec.DecodeError):
        pass  # (a folder that cannot be written: the TOML is read again next time)
