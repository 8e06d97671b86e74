"""The hash chain that makes tampering with the log visible.

Every line the app writes carries ``prev``: the hash of the line before it (``""`` on the
first line). Editing, inserting, deleting or reordering a line breaks the chain at the next
line. A chain cannot see its own tail cut off, so the store also keeps a *head* beside the
log (``events.jsonl.head``: the line count and the hash of the last line), updated after
every append; ``followup check`` compares the two.

Lines of schema version 1 (before the chain) carry no ``prev``: the chain is verified from
the first line that has one, and every chained line must name its true predecessor.

**Redaction** (``followup forget``): a line whose personal fields were erased carries
``"redacted": <the line_hash of the line as first written>``. The chain runs through that
stored digest (``link_hash``), so every other line keeps its bytes, the next line's ``prev``
still matches, and ``check`` proves the rest untouched without trusting the eraser. A redacted
line must be named by a later ``client_forgotten`` event (its ``events``): a line edited and
dressed up as a redaction is reported (``redaction_unlisted``). The marker also keeps the hash
of each redacted line as the erasure wrote it (``skeletons``); the marker is chained like any
line, so a later edit of what a redaction left (its type, times, ids) is reported
(``redaction_edited``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import msgspec

from .codec import Problem, encode, problem
from .events import SCHEMA_VERSION, Event

GENESIS = ""


def line_hash(line: bytes) -> str:
    """The hash of one log line (without its newline): 128 bits of SHA-256, in hex."""
    return hashlib.sha256(line).hexdigest()[:32]


REDACTED_KEY = b'"redacted":"'


def redacted_digest(line: bytes) -> str | None:
    """The digest of the original line that a redacted line keeps (None if not redacted)."""
    key = line.find(REDACTED_KEY)
    if key == -1:
        return None
    start = key + len(REDACTED_KEY)
    digest = line[start : start + 32]
    if len(digest) != 32 or line[start + 32 : start + 33] != b'"':
        return None
    return digest.decode("ascii", "replace")


def link_hash(line: bytes) -> str:
    """What the next line's ``prev`` names: the line's hash, or for a redacted line the hash of
    the line as it was first written (kept in it)."""
    digest = redacted_digest(line)
    return line_hash(line) if digest is None else digest


def event_id_of(line: bytes) -> str:
    key = line.find(b'"id":"')
    if key == -1:
        return ""
    end = line.find(b'"', key + 6)
    return line[key + 6 : end].decode("utf-8", "replace") if end != -1 else ""


def _no_twice(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _KeyTwice(next(key for key in keys if keys.count(key) > 1))
    return dict(pairs)


class _KeyTwice(ValueError):
    pass


def redaction_of(number: int, line: bytes) -> tuple[str, list[Problem]]:
    """A redacted line read as the decoder reads it (not trusting the eraser): its event id, and
    what is wrong with it: a key written twice (a second ``"id"`` hides which event it is), a
    personal field of its type (``personal`` in core/events.py) that is not blank."""
    import json

    from .privacy import FORGOTTEN_NAME, PERSONAL_FIELDS

    try:
        raw = json.loads(line, object_pairs_hook=_no_twice)
    except _KeyTwice as twice:
        return event_id_of(line), [problem(number, "duplicate_key", name=twice.args[0])]
    except (ValueError, RecursionError):
        return event_id_of(line), []  # not JSON: the reader's problem, said by check already
    if not isinstance(raw, dict):
        return "", []
    found: list[Problem] = []
    for name in PERSONAL_FIELDS.get(str(raw.get("type")), ()):
        value = raw.get(name, "")
        if value not in ("", None) and not (name == "name" and value == FORGOTTEN_NAME):
            found.append(problem(number, "redacted_not_blank", event=raw.get("id", ""), field=name))
    return str(raw.get("id", "")), found


class Head(msgspec.Struct):
    lines: int
    bytes: int
    last: str  # line_hash of the last line


def prev_of(line: bytes) -> str | None:
    """The ``prev`` a line claims, or None if it has none (or is not a JSON object)."""
    key = line.find(b'"prev":"')
    if key == -1:
        return None
    start = key + 8
    end = line.find(b'"', start)
    return line[start:end].decode("ascii", "replace") if end != -1 else None


@dataclass
class ChainReport:
    problems: list[Problem]
    lines: int
    chained: int  # lines that carry a prev
    last: str
    redacted: dict[str, int] = field(default_factory=dict)  # event id of each redacted line: its line
    skeletons: dict[str, str] = field(default_factory=dict)  # event id of each redacted line: its line_hash


def verify(lines: Iterable[bytes], head: Head | None = None) -> ChainReport:
    """Check every line's ``prev`` against its predecessor, and the end against the head."""
    problems: list[Problem] = []
    previous = GENESIS
    number = 0
    chained = 0
    started = False
    hashes_at_head: str | None = None
    redacted: dict[str, int] = {}
    skeletons: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        claimed = prev_of(line)
        if claimed is not None:
            chained += 1
            if claimed != previous:
                if number == 1:
                    problems.append(problem(number, "chain_first"))
                else:
                    problems.append(problem(number, "chain_broken", previous=number - 1))
            started = True
        elif started:
            problems.append(problem(number, "chain_unchained"))
        digest = redacted_digest(line)
        if digest is None:
            previous = line_hash(line)
        else:
            previous = digest
            event_id, wrong = redaction_of(number, line)
            problems.extend(wrong)
            redacted[event_id] = number
            skeletons[event_id] = line_hash(line)
        if head is not None and number == head.lines:
            hashes_at_head = previous
    if head is not None:
        if number < head.lines:
            problems.append(problem(number + 1, "head_cut", lines=number, head=head.lines))
        elif hashes_at_head != head.last:
            problems.append(problem(head.lines, "head_changed"))
    return ChainReport(problems, number, chained, previous, redacted, skeletons)


@dataclass
class VisibleReport:
    problems: list[Problem]
    rows: int  # rows seen
    links: int  # links verified: rows whose predecessor was seen too


def verify_visible(rows: Iterable[tuple[int, bytes]]) -> VisibleReport:
    """Check the chain where a session sees only some rows (a counselor's, under row-level
    security): each row whose predecessor (position - 1) is seen must name its link hash; the
    first row must name none. Links across a hidden row cannot be checked here."""
    problems: list[Problem] = []
    previous_position, previous = 0, GENESIS
    seen = links = 0
    for position, line in rows:
        seen += 1
        claimed = prev_of(line)
        if claimed is not None and position == previous_position + 1:
            links += 1
            if claimed != previous:
                problems.append(problem(position, "chain_first") if position == 1
                                else problem(position, "chain_broken", previous=previous_position))
        previous_position, previous = position, link_hash(line)
    return VisibleReport(problems, seen, links)


def chained(events: Iterable[Event], prev: str) -> Iterator[tuple[Event, bytes, str]]:
    """Each event as the next line after one whose link hash is ``prev``: the event linked to it
    (a copy, when it says another link or schema version), its line, and its line's link hash
    (what the line after it links to). The one way both stores chain what they write."""
    for event in events:
        if event.prev != prev or event.v != SCHEMA_VERSION:
            event = msgspec.structs.replace(event, prev=prev, v=SCHEMA_VERSION)
        line = encode(event)
        prev = link_hash(line)
        yield event, line, prev
