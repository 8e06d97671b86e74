"""Operations that rewrite or copy the whole log: repair, forget, anonymized export.

Each holds the log's exclusive lock for its whole run, never deletes a byte it was not asked
to remove, and writes owner-only files.
"""

from __future__ import annotations

import glob
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from ..core import privacy
from ..core.caseload import Caseload
from ..core import chain
from ..core.chain import GENESIS, Head, line_hash, link_hash
from ..core.commands import CommandError, resolve_client
from ..core.events import AnyEvent, ClientForgotten
from .journal import Journal
from .logfile import (
    LogStore,
    StoreError,
    copy_private,
    create_private_temp,
    fsync_dir,
    readable_by_others,
    write_private,
)
from .store import REDACT

_raw = msgspec.json.Decoder()


@dataclass
class Report:
    """What an operation did, line by line, as message keys with their values (``m.*`` in the
    catalogues): the command line says them in the user's words (``text``)."""

    lines: list[list[tuple[str, dict]]] = field(default_factory=list)
    unresolved: bool = False  # something is left for the user to decide

    def say(self, key: str, **params: object) -> None:
        self.lines.append([(key, params)])

    def say_more(self, key: str, **params: object) -> None:
        """Go on with the last line."""
        self.lines[-1].append((key, params))

    def text(self, words) -> list[str]:
        """The lines in ``words`` (an ``i18n.Words``)."""
        return ["".join(words.t(key, **params) for key, params in line) for line in self.lines]


@dataclass
class CheckResult:
    problems: list
    events: int
    clients: int
    lines: int
    chain: str  # in English, for logs and tests
    chain_state: str = "intact"  # intact | from | none | partial
    chain_from: int = 1
    visible: int = 0  # partial: the rows this session sees, of ``total``, and the links verified
    total: int = 0
    links: int = 0


def check(path: Path | str, parallel_min_bytes: int | None = None) -> CheckResult:
    """Read the whole log: every unreadable line, semantic slip and break of the hash chain.
    ``path`` may be a server store's URL: its rows are checked as lines (and its positions and
    stream versions for gaps).

    The facts come from the same fold as a cold start's (a million events are not held in
    memory: 0.8 GB at 1M events before); a second pass over the lines finds repeated ids,
    retractions of nothing and events of clients never registered."""
    from ..core.codec import problem
    from ..core.events import EventRetracted, tag_of
    from .store import COLD_START, open_store

    store = open_store(path)
    if COLD_START in store.capabilities:
        caseload, problems, folded_lines = _facts(path, parallel_min_bytes)
    else:
        caseload, problems, folded_lines = _facts_in_order(open_store(path))
    seen: set[str] = set()
    listed: set[str] = set()  # the events a client_forgotten says it redacted
    kept: dict[str, str] = {}  # ... and the hash of each as it redacted it (since skeletons)
    retraction_line: dict[str, int] = {}
    unregistered: dict[str, tuple[int, AnyEvent]] = {}  # the last line an id is on, as before
    for batch in store.read_batches():
        if batch.replaced:  # read again from the first row (a forget since): count each event once
            seen.clear()
            listed.clear()
            kept.clear()
            retraction_line.clear()
            unregistered.clear()
        for event, number in zip(batch.events, batch.lines):
            if number > folded_lines:
                break  # appended since the facts were read: the next check sees it
            if event.id in seen:
                problems.append(problem(number, "duplicate_id", event=event.id))
            seen.add(event.id)
            if type(event) is ClientForgotten:
                listed.update(event.events)
                kept.update(zip(event.events, event.skeletons))
            if type(event) is EventRetracted:
                retraction_line[event.id] = number
            elif not caseload.clients[event.client].registered and not caseload.is_retracted(event.id):
                unregistered[event.id] = (number, event)
    tail = store.tail_problem()
    if tail is not None:
        problems.append(tail)
    for target, retraction in caseload.retracted.items():
        if target not in seen:
            problems.append(problem(retraction_line.get(retraction.id, 0), "retraction_target", event=retraction.id,
                                    target=target))
    for number, event in unregistered.values():
        problems.append(problem(number, "unregistered", type=tag_of(event), client=repr(event.client)))
    if store.partial:
        return _check_partial(store, caseload, problems, listed, kept)
    head = store.read_head()
    report = chain.verify(store.raw_lines(), head)
    problems.extend(report.problems)
    for event_id, number in report.redacted.items():
        if event_id not in listed:
            problems.append(problem(number, "redaction_unlisted", event=event_id))
        elif event_id in kept and kept[event_id] != report.skeletons[event_id]:
            problems.append(problem(number, "redaction_edited", event=event_id))
    if head is None and report.chained:  # deleted with the last lines, the cut is unseen
        problems.append(problem(report.lines, "no_head"))
    problems.extend(store.order_problems())
    problems.sort(key=lambda p: p.line)
    start = report.lines - report.chained + 1
    if report.chained == report.lines:
        state, described = "intact", "hash chain intact"
    elif report.chained:
        state, described = "from", f"hash chain intact from line {start}"
    else:
        state, described = "none", "no hash chain (schema version 1 log)"
    return CheckResult(problems, caseload.count, len(caseload.registered()),
                       store.line_count + (1 if tail else 0), described, state, start)


def _check_partial(store, caseload, problems: list, listed: set[str], kept: dict[str, str]) -> CheckResult:
    """A counselor's check: the links between neighbouring rows they can see, their clients'
    stream versions, and the head as the server reports it (``followup_reach``); what lies in
    rows they cannot see is a supervisor's check to prove."""
    from ..core.codec import problem

    rows = list(store.raw_rows())
    report = chain.verify_visible(rows)
    problems.extend(report.problems)
    for position, line in rows:
        digest = chain.redacted_digest(line)
        if digest is None:
            continue
        event_id, wrong = chain.redaction_of(position, line)
        problems.extend(wrong)
        if event_id not in listed:
            problems.append(problem(position, "redaction_unlisted", event=event_id))
        elif event_id in kept and kept[event_id] != chain.line_hash(line):
            problems.append(problem(position, "redaction_edited", event=event_id))
    high, at_head, _ = store.reach()
    head = store.read_head()
    if head is not None:
        if high < head.lines or at_head is None:
            problems.append(problem(high + 1, "head_cut", lines=high, head=head.lines))
        elif at_head != head.last:
            problems.append(problem(head.lines, "head_changed"))
    problems.extend(store.order_problems())
    problems.sort(key=lambda p: p.line)
    return CheckResult(problems, caseload.count, len(caseload.registered()), len(rows),
                       "hash chain verified between the rows this role can see", "partial",
                       visible=len(rows), total=high, links=report.links)


def readable_files(path: Path) -> list[tuple[Path, int]]:
    """The log and the files beside it (head, snapshot, backups, torn tails) that others than their
    owner may read, with their modes: ``check`` says each (a warning; the chain is not at stake)."""
    beside = sorted(path.parent.glob(glob.escape(path.name) + ".*"))
    return [(p, mode) for p in (path, *beside) if (mode := readable_by_others(p)) is not None]


def _facts(path: Path, parallel_min_bytes: int | None = None) -> tuple[Caseload, list, int]:
    """The log's facts, its unreadable lines, and how many lines were read for them."""
    from . import cold_start

    folded = cold_start.fold_log(LogStore(path), parallel_min_bytes=parallel_min_bytes)
    if folded is not None:
        return folded.caseload, list(folded.problems), folded.lines
    return _facts_in_order(LogStore(path))  # retractions only an in-order read can apply: events kept


def _facts_in_order(store) -> tuple[Caseload, list, int]:
    caseload, problems = Caseload(), []
    for batch in store.read_batches():
        caseload.apply_all(batch.events)
        problems += batch.problems
    return caseload, problems, store.line_count


def copies_beside(path: Path) -> list[Path]:
    """Backups and side files next to the log (they may hold what the log no longer does)."""
    return sorted(p for p in path.parent.glob(path.name + ".*")
                  if any(tag in p.name for tag in (".bak-", ".torn-")))


def repair(path: Path, accept_shorter: bool = False) -> Report:
    """Move a torn last line aside (after a backup of the whole log); report the rest.

    A log that no longer reaches its head (events missing at the end, or the last one
    changed) is never made to look whole on its own: the report says what is missing and
    the choice; only ``accept_shorter`` moves the head back to where the log ends (the old
    head kept beside it)."""
    report = Report()
    store = LogStore(path)
    if not path.exists():
        raise StoreError("no_log", path=path)
    with store.locked() as fd:
        batch = store.read_new()
        head = store.read_head()
        try:
            store.check_head()
            head_lost = None
        except StoreError as exc:
            if exc.key not in ("behind_head", "head_not_reached", "no_head"):
                raise
            head_lost = exc
        if head_lost is not None and head is None:  # deleted: written from the log as it is, said
            store.write_head(durable=True)
            report.say("m.head_written", lines=store.line_count)
        elif head_lost is not None:
            if head_lost.key == "behind_head":
                report.say("m.head_missing", lines=store.line_count, head=head.lines, n=head.lines - store.line_count)
            else:
                report.say("m.head_changed", line=head.lines)
            if accept_shorter:
                kept = store.side_path("oldhead")
                write_private(kept, msgspec.json.encode(head))
                store.write_head(durable=True)
                report.say("m.head_accepted", lines=store.line_count, head=head.lines, path=kept)
            else:
                report.say("m.head_choice")
                report.unresolved = True
        if store.pending_tail:
            backup = copy_private(path, store.side_path("bak"))
            report.say("m.backup", path=backup)
            moved = store.set_aside_torn_tail(fd)
            report.say("m.torn_moved", size=moved.size, path=moved.side_file)
            report.say("m.clean_end")
        elif head_lost is None:
            report.say("m.nothing_to_repair", path=path)
    if batch.problems:
        report.say("m.middle_problems", n=len(batch.problems), line=batch.problems[0].line)
    return report


def forget(journal: Journal, ref: str, keep_backup: bool = False, new_id: str | None = None) -> Report:
    """Erase a client's personal fields from the store, keeping the skeleton of their events.

    Each of the client's events is *redacted* in place (``privacy.erase`` with the hash of its
    line as first written, see core/chain.py): every other line or row keeps its bytes, the
    chain still verifies from the first line to the head, and a ``client_forgotten`` event
    (who, whom, when, which events) is appended. On a file the log is rewritten under its
    lock; on PostgreSQL the rows are updated under the table lock, in one transaction.
    ``new_id``: the client's new id (``store copy`` passes the one the source gave)."""
    if REDACT in journal.store.capabilities:
        return _forget_by_redact(journal, ref, new_id)
    report = Report()
    path, store = journal.path, journal.store
    with store.locked() as fd:
        journal.take(store.read_new())
        store.check_head()  # a log cut short is not rewritten: its new head would hide the loss
        facts = resolve_client(journal.caseload, ref)
        if store.pending_tail:
            moved = store.set_aside_torn_tail(fd)
            report.say("m.torn_moved", size=moved.size, path=moved.side_file)
        data = path.read_bytes()
        lines = data.split(b"\n")
        lines.pop()
        new_id = new_id or privacy.forgotten_id(facts.id, secrets.token_bytes(16))
        erased_ids: list[str] = []
        skeletons: list[str] = []
        for number, line in enumerate(lines):
            try:
                raw = _raw.decode(line)
            except (msgspec.DecodeError, RecursionError):
                continue  # not JSON (or nested too deep to be an event): kept as it is
            if not isinstance(raw, dict) or raw.get("client") != facts.id:
                continue
            why = privacy.unerasable(raw)
            if why is not None:  # never an erasure that leaves what it cannot read: nothing written
                raise StoreError(why[0], path=path, row=number + 1, **why[1])
            lines[number] = msgspec.json.encode(privacy.erase(raw, new_id, link_hash(line)))
            erased_ids.append(str(raw.get("id", "")))
            skeletons.append(line_hash(lines[number]))
        backup = copy_private(path, store.side_path("bak"))
        marker_line = msgspec.json.encode(_marker(journal, new_id, erased_ids, link_hash(lines[-1]) if lines else GENESIS,
                                                   skeletons))
        lines.append(marker_line)
        payload = b"\n".join(lines) + b"\n"
        write_private(path, payload, atomic=True)  # through a new temporary file of its own, renamed over
        fsync_dir(path.parent)
        write_private(store.head_path, msgspec.json.encode(Head(len(lines), len(payload), line_hash(marker_line))),
                      atomic=True)
    snapshot = journal.snapshot_path  # and any temporary copy of it a killed writer left (.tmp-…)
    for cache in (snapshot, *snapshot.parent.glob(glob.escape(snapshot.name) + ".tmp*")):
        cache.unlink(missing_ok=True)  # it held the name; the next start rebuilds it from the log
    report.say("m.erased", name=facts.name, client=facts.id, n=len(erased_ids), new=new_id)
    report.say("m.redacted")
    if keep_backup:
        report.say("m.backup_kept", path=backup)
    else:
        backup.unlink()
        report.say("m.backup_deleted")
    others = copies_beside(path)
    if others:
        report.say("m.copies", paths=", ".join(str(p) for p in others))
    report.say("m.outside")
    return report


def _marker(journal: Journal, new_id: str, erased: list[str], prev: str, skeletons: list[str]) -> ClientForgotten:
    now = journal.clock.now()
    # who erased: the database role that did it, if any (not $FOLLOWUP_ACTOR nor the login)
    actor = journal.store.role or journal.actor
    return ClientForgotten(id=journal.context(now).new_id(), at=now, recorded_at=now, actor=actor,
                           client=new_id, lines_rewritten=len(erased), events=tuple(erased), prev=prev,
                           skeletons=tuple(skeletons))


def _forget_by_redact(journal: Journal, ref: str, new_id: str | None) -> Report:
    """``forget`` by the store's own ``redact`` (PostgreSQL): the client's rows redacted and the marker appended in one
    transaction under the table lock (a writer waiting for it then reads the store again, so
    it neither loses its event nor writes to the erased client)."""
    report = Report()
    store = journal.store
    chosen: list = []

    def pick(batch):
        journal.take(batch)
        facts = resolve_client(journal.caseload, ref)
        chosen[:] = [facts]
        return facts.id, new_id or privacy.forgotten_id(facts.id, secrets.token_bytes(16))

    def marker(new: str, erased: list[str], prev: str, skeletons: list[str]):
        return _marker(journal, new, erased, prev, skeletons)

    new, erased, vacuumed = store.redact(pick, marker)
    store.offset = store.line_count = 0  # read it all again: nothing erased kept in memory
    store.last_hash = GENESIS
    again = store.read_new()
    again.replaced = True
    journal.take(again)
    facts = chosen[0]
    report.say("m.erased", name=facts.name, client=facts.id, n=len(erased), new=new)
    report.say("m.redacted")
    report.say("m.vacuumed" if vacuumed else "m.not_vacuumed")
    report.say("m.outside_server")
    return report


def _write_new_log(out: Path, events: list) -> None:
    """``events`` as a new log at ``out`` with its head: built at a private name of its own
    (created exclusively, 0600, never through a link), then renamed into place, so whatever was
    at ``out`` (an empty file others can read, a link) is replaced, never written through."""
    fd, temp = create_private_temp(out)
    os.close(fd)
    built = LogStore(temp)
    try:
        built.append(events)
        if built.head_path.exists():
            os.replace(built.head_path, LogStore(out).head_path)
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        built.head_path.unlink(missing_ok=True)
        raise
    fsync_dir(out.parent)


def export_anonymized(journal: Journal, out: Path, shift_dates: bool = False,
                      consented_only: bool = False) -> Report:
    """Write a case-review copy: pseudonyms, no names, no free text, dates optionally shifted."""
    report = Report()
    if out.exists() and out.stat().st_size:
        raise CommandError("export_exists", path=str(out))
    allowed = None
    if consented_only:
        allowed = {f.id for f in journal.caseload.registered() if f.consent_given("case_review")}
    shift = secrets.choice([d for d in range(-180, 181) if d]) if shift_dates else 0
    clients, actors, ids = privacy.Pseudonyms("client"), privacy.Pseudonyms("counselor"), privacy.Pseudonyms("e")
    events = []
    skipped = 0
    data = b"".join(line + b"\n" for line in journal.store.raw_lines())
    for line in data[: data.rfind(b"\n") + 1].split(b"\n")[:-1]:
        try:
            raw = _raw.decode(line)
        except (msgspec.DecodeError, RecursionError):
            skipped += 1
            continue
        if not isinstance(raw, dict) or (allowed is not None and raw.get("client") not in allowed):
            continue
        try:
            copy = privacy.anonymize(raw, clients, actors, ids, shift)
        except (ValueError, TypeError, OverflowError):  # a date that is no date, or shifted out of range
            copy = None
        if copy is None:
            skipped += 1
            continue
        try:
            from ..core.codec import decode

            events.append(decode(msgspec.json.encode(copy)))
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
            skipped += 1
    _write_new_log(out, events)
    report.say("m.exported", path=out, events=len(events), clients=len(clients.table))
    if shift:
        report.say_more("m.shifted")
    if skipped:
        report.say("m.left_out", n=skipped)
    return report
