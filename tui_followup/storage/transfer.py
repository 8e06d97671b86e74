"""``followup store copy``: every event from one store to another (a JSONL log to a server
store, or back), idempotently: an event whose id the destination holds is not copied again,
so a rerun (or a copy cut short and started again) adds only what is missing. At the end the
destination is read back: every source event must be there and its hash chain intact.

An erasure travels with the copy: an event the source holds redacted (its client
``forgotten-…``) that the destination still holds under the client's old id has that client
forgotten in the destination first (``forget``, with the source's new id), and the end's check
names any such event still holding its text (``copy_survivor``): never "verified" over it."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from ..core import chain
from ..core.codec import Problem
from .logfile import StoreError, create_private, make_private_dirs, readable_by_others
from .store import EventStore, is_url, open_store

CHUNK = 20_000  # events appended per transaction (per fsync, for a file)


@dataclass
class CopyResult:
    source_events: int  # distinct events in the source
    copied: int  # appended to the destination now
    already: int  # there before (an earlier copy, or written there)
    dest_events: int  # in the destination at the end
    erased: int = 0  # clients erased in the destination because the source had forgotten them
    unreadable: list[Problem] = field(default_factory=list)  # source lines that could not be copied
    problems: list[Problem] = field(default_factory=list)  # what the verification found
    was_readable: int | None = None  # the mode of a destination file others could read (now 0600)

    @property
    def ok(self) -> bool:
        return not self.problems


def _ids(store: EventStore) -> list[str]:
    return list(store.ids())


def _ids_to(store: EventStore) -> tuple[set[str], int | None]:
    """Every event id in the store; for a server store also the position those ids were read to
    (the rows after it, appended by others meanwhile, are searched when appending)."""
    ids_to = getattr(store, "ids_to", None)
    if ids_to is None:
        return set(_ids(store)), None
    return ids_to()


def _private_dest(dest: str | os.PathLike[str]) -> int | None:
    """A destination file ready for the copy, owner-only: never a link (refused: the copy would
    be written into whatever it points at); a new file created exclusively (0600); a file that is
    there (the copy adds what it misses) made 0600, its old mode returned when others could read it."""
    path = Path(dest)
    if path.is_symlink():
        raise StoreError("dest_link", path=path)
    if not path.exists():
        make_private_dirs(path.parent)
        try:
            os.close(create_private(path))
        except FileExistsError:
            raise StoreError("dest_link", path=path) from None  # planted meanwhile
        return None
    if not _a_log(path):  # a text file, a folder: never appended to, never made 0600
        raise StoreError("dest_not_log", path=path)
    mode = readable_by_others(path)
    if mode is not None:
        path.chmod(0o600)
    return mode


def _a_log(path: Path) -> bool:
    """An empty file, or one whose first line is an event (an object with a type and an id)."""
    if not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            first = f.readline(1 << 20)
    except OSError:
        return False
    if not first.strip():
        return path.stat().st_size == 0
    try:
        raw = msgspec.json.decode(first)
    except (msgspec.DecodeError, RecursionError):
        return False
    return isinstance(raw, dict) and isinstance(raw.get("type"), str) and isinstance(raw.get("id"), str)


def copy_store(source: str | os.PathLike[str], dest: str | os.PathLike[str], chunk: int = CHUNK) -> CopyResult:
    if not is_url(source) and not os.path.exists(source):
        raise StoreError("no_log", path=source)
    was_readable = None if is_url(dest) else _private_dest(dest)  # a file named: made owner-only
    src, dst = open_store(source), open_store(dest)
    have, known_to = _ids_to(dst)
    forgotten: dict[str, str] = {}
    others: list = []  # events to copy recorded by someone else than a bound destination's role
    bound = dst.bound
    for batch in (src.read_batches() if have or bound else ()):  # (into an empty store as its owner: nothing to find)
        for e in batch.events:
            if e.client.startswith(FORGOTTEN) and e.id in have:
                forgotten[e.id] = e.client
            elif bound and e.id not in have and e.actor != dst.role:
                others.append(e)
    if others:  # the database would refuse them part-way, after an erasure: refused before anything
        from ..core.events import tag_of

        raise StoreError("copy_not_owner", path=dst.path, role=dst.role, n=len(others), event=others[0].id,
                         type=tag_of(others[0]), actor=others[0].actor)
    erased = erase_in_destination(dest, forgotten) if forgotten else 0
    if erased:
        dst = open_store(dest)
        have, known_to = _ids_to(dst)  # with the destination's own client_forgotten events
    src = open_store(source)
    before = len(have)
    seen: set[str] = set()
    unreadable: list[Problem] = []
    pending: list = []
    copied = already = 0

    def flush() -> None:
        nonlocal copied, known_to
        if pending:
            if known_to is None:
                written = dst.append(pending)
            else:  # a server store: only rows it has not read are searched for these ids
                written = dst.append(pending, absent_to=known_to)
                if dst.offset - len(written) == known_to:  # no one else's rows in between: all known
                    known_to = dst.offset
            copied += len(written)
            pending.clear()

    for batch in src.read_batches():
        unreadable += batch.problems
        for event in batch.events:
            if event.id in seen:
                continue  # a line repeated in the source counts once, as in the fold
            seen.add(event.id)
            if event.id in have:
                already += 1
                continue
            pending.append(event)
            if len(pending) >= chunk:
                flush()
    flush()
    tail = src.tail_problem()
    if tail is not None:
        unreadable.append(tail)
    vacuum = getattr(dst, "vacuum", None)
    if copied and vacuum is not None:  # a server's table, just grown: its planner told (PgStore.vacuum)
        vacuum()
    # Verify: read the destination back, as a new reader would.
    dst = open_store(dest)
    verify_chain = getattr(dst, "verify_chain", None)
    if verify_chain is not None:  # a server's: the ids read with the rows; the order of positions
        # and versions checked meanwhile by the server, on a connection of its own
        other = open_store(dest)
        try:
            with ThreadPoolExecutor(1) as pool:
                ordered = pool.submit(other.order_problems)
                after, chained = verify_chain()
                order = ordered.result()
        finally:
            other.close()
    else:
        after = _ids(dst)
        chained = chain.verify(dst.raw_lines(), dst.read_head()).problems
        order = dst.order_problems()
    problems: list[Problem] = []
    from ..core.codec import problem

    missing = seen.difference(after)
    if missing or len(after) != before + copied:
        problems.append(problem(0, "copy_count", source=len(seen), dest=len(after), missing=len(missing)))
    problems += chained
    problems += order
    problems += _survivors(dst, forgotten)
    return CopyResult(len(seen), copied, already, len(after), erased, unreadable, problems, was_readable)


FORGOTTEN = "forgotten-"


def _clients_to_forget(dst: EventStore, forgotten: dict[str, str]) -> dict[str, str]:
    """The destination's clients whose events the source holds erased: their id there, and
    the id the source gave them."""
    found: dict[str, str] = {}
    if not forgotten:
        return found
    if not dst.offset:
        for _ in dst.read_batches():  # look-ups search what was read (a file's; a table's search it all)
            pass
    for event_id, new_id in forgotten.items():
        there = dst.find(event_id)
        if there is not None and there.client != new_id:
            found.setdefault(there.client, new_id)
    return found


def erase_in_destination(dest, forgotten: dict[str, str]) -> int:
    """Forget in the destination every client the source had forgotten; how many."""
    from .journal import Journal
    from .maintenance import forget

    clients = _clients_to_forget(open_store(dest), forgotten)
    for client, new_id in clients.items():
        forget(Journal.open(dest, use_snapshot=False), client, new_id=new_id)
    return len(clients)


def _survivors(dst: EventStore, forgotten: dict[str, str]) -> list[Problem]:
    from ..core.codec import problem

    survivors = _clients_to_forget(dst, forgotten)
    return [problem(0, "copy_survivor", event=event_id) for event_id, new_id in forgotten.items()
            if (there := dst.find(event_id)) is not None and there.client in survivors][:20]
