"""Catalogues as read before: the table a catalogue's TOML gave, kept by the hash of its bytes.

Reading the three built-in catalogues as TOML (the standard library's ``tomllib``, written in
Python) took 85 ms of every start on a slow machine (30 on a fast one): a tenth of ``due --json``
from a snapshot. The same table kept as MessagePack decodes in 3 ms. It is kept in the user's
cache folder (``$FOLLOWUP_CACHE_DIR``, else platformdirs' ``user_cache_dir``), one file per
catalogue named by the BLAKE2 hash of the file's bytes: a catalogue changed in any way (a
translator's edit, a newer version) is read as TOML again. Words are never at stake: a kept table
that cannot be read, or is not a table, is read from the TOML; a folder that cannot be written
costs the time only.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Callable

import msgspec

CACHE_DIR = "FOLLOWUP_CACHE_DIR"  # where kept tables go (a test's, a read-only home's)
_SUFFIX = ".msgpack"


def folder() -> Path:
    given = os.environ.get(CACHE_DIR)
    if given:
        return Path(given).expanduser()
    from platformdirs import user_cache_dir

    from ..paths import APP

    return Path(user_cache_dir(APP)) / "catalogues"


def read(path: Path, raw: bytes, parse: Callable[[bytes], dict]) -> dict:
    """What ``parse(raw)`` gives for the catalogue at ``path``, kept from the last time these
    bytes were read if it was (``parse`` raises as it would: a table is only kept once read)."""
    name = f"{path.stem}-{hashlib.blake2b(raw, digest_size=16).hexdigest()}{_SUFFIX}"
    try:
        kept = folder() / name
        table = msgspec.msgpack.decode(kept.read_bytes())
        if type(table) is dict:
            return table
    except (OSError, ValueError, msgspec.DecodeError):
        pass
    table = parse(raw)
    _keep(name, path.stem, table)
    return table


def _keep(name: str, stem: str, table: dict) -> None:
    """Keep ``table`` as ``name``, in place of the tables an older version of the file gave."""
    try:
        data = msgspec.msgpack.encode(table)
        if msgspec.msgpack.decode(data) != table:
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
    except (OSError, TypeError, ValueError):
        pass  # (a folder that cannot be written: the TOML is read again next time)
