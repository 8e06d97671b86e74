"""``followup backup`` and ``followup restore``: a verified, owner-only copy of either store, and
that copy put back into an empty store, with the erasures made since re-applied when told where.

* **Backup.** One JSONL file, each line an event exactly as the store holds it (``prev``, and a
  redacted line's kept hash, included), so the copy carries the store's hash chain. A file is
  copied under its lock (no writer is half-way through); PostgreSQL is read in one
  ``REPEATABLE READ`` transaction (one consistent moment, writers not blocked). The target is
  created exclusively, 0600, never through a link; the copy is read back from the disk and
  must reach the store's head (as many events, the same last hash), else it is removed.
* **Restore.** Into an empty store only (a file that does not exist or is empty; a server
  table with no row), lines as they are, so the restored store has the same chain and head
  and ``check`` verifies it. A backup taken before an erasure holds the erased client:
  ``--erasures-from STORE`` forgets in the restored store every client that ``STORE`` (the
  live store, or a newer backup) has forgotten; without it, restore says that such clients
  come back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..core import chain
from ..core.chain import Head
from .logfile import LogStore, StoreError, write_all, create_private
from .store import is_url, open_store


@dataclass
class BackupResult:
    path: Path
    events: int
    last: str  # the hash the copy ends on (the store's head)


@dataclass
class RestoreResult:
    events: int
    erased: int = 0  # clients forgotten again from --erasures-from


def backup(location, target: Path) -> BackupResult:
    target = Path(target)
    head_path = LogStore(target).head_path
    if os.path.lexists(head_path):  # another log's head (or a link): never replaced by the copy's
        raise StoreError("backup_head_exists", path=head_path)
    try:
        fd = create_private(target)
    except FileExistsError:
        raise StoreError("backup_exists", path=target) from None
    except OSError as exc:
        raise StoreError("cannot_open", path=target, detail=exc.strerror) from None
    try:
        os.close(create_private(head_path))  # its name held now: the head written at the end replaces only ours
    except FileExistsError:
        os.close(fd)
        target.unlink(missing_ok=True)
        raise StoreError("backup_head_exists", path=head_path) from None
    try:
        try:
            head = _dump(location, lambda data: write_all(fd, data, durable=False))
            os.fsync(fd)
        finally:
            os.close(fd)
        lines = list(LogStore(target).raw_lines())
        if not lines and (head is None or not head.lines):
            raise StoreError("backup_empty", path=open_store(location).path)
        report = chain.verify(lines, head)
        if report.problems or (head is not None and report.lines != head.lines):
            first = report.problems[0].line if report.problems else report.lines
            raise StoreError("backup_unverified", path=target, line=first)
        copy = LogStore(target)  # its own head beside it: a copy cut later is seen by check
        for _ in copy.read_batches():
            pass
        copy.write_head(durable=True)
    except BaseException:
        target.unlink(missing_ok=True)
        LogStore(target).head_path.unlink(missing_ok=True)
        raise
    return BackupResult(target, len(lines), report.last)


def _dump(location, write) -> Head | None:
    """Write every line of the store (as ``write(bytes)``, newline-ended); the head they reach."""
    return open_store(location).dump(write)


def restore(source: Path, location, erasures_from=None) -> RestoreResult:
    source = Path(source)
    if not source.exists():
        raise StoreError("no_log", path=source)
    kept = LogStore(source)
    head = kept.read_head()  # written beside the backup by `backup`: where the backup must reach
    if head is None:
        raise StoreError("restore_no_head", path=source, head=kept.head_path)
    lines = list(kept.raw_lines())
    report = chain.verify(lines, head)
    cut = [p for p in report.problems if p.key in ("head_cut", "head_changed")]
    if cut or os.path.getsize(source) != head.bytes:  # cut short, changed at its end, or a torn line
        raise StoreError("restore_cut", path=source, lines=report.lines, head=head.lines)
    if report.problems:
        raise StoreError("restore_unverified", path=source, line=report.problems[0].line)
    erasures = _erasures(erasures_from) if erasures_from is not None else {}
    open_store(location).restore_lines(lines)
    result = RestoreResult(len(lines))
    if erasures:
        from .transfer import erase_in_destination

        result.erased = erase_in_destination(location, erasures)
    return result


def _erasures(location) -> dict[str, str]:
    """Every event that ``location``'s ``client_forgotten`` events say was erased: its id, and
    the id its client was given."""
    from ..core.events import ClientForgotten

    if not is_url(location) and not Path(location).exists():
        raise StoreError("no_log", path=location)
    store = open_store(location)
    if store.partial:  # a counselor sees only their own clients' markers
        raise StoreError("erasures_partial", path=store.path, role=store.role)
    found: dict[str, str] = {}
    for batch in store.read_batches():
        for event in batch.events:
            if type(event) is ClientForgotten:
                found.update(dict.fromkeys(event.events, event.client))
    return found
