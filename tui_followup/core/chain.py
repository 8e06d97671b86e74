"""The hash chain that makes tampering with the log visible.

Every line the app writes carries ``prev``: the hash of the line before it (``""`` on the
first line). Editing, inserting, deleting or reordering a line breaks the chain at the next
line. A chain cannot see its own tail cut off, so the store also keeps a *head* beside the
log (``events.jsonl.head``: the line count and the hash of the last line), updated after
every append; ``followup check`` compares the two.

Lines of schema version 1 (before the chain) carry no ``prev``: the chain is verified from
the first line that has one, and every chained line must name its true predecessor.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable

import msgspec

from .codec import Problem

GENESIS = ""


def line_hash(line: bytes) -> str:
    """The hash of one log line (without its newline): 128 bits of SHA-256, in hex."""
    return hashlib.sha256(line).hexdigest()[:32]


class Head(msgspec.Struct):
    lines: int
    bytes: int
    last: str  # line_hash of the last line


_prev_decoder = msgspec.json.Decoder(dict)


def _prev_of(line: bytes) -> str | None:
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


def verify(lines: Iterable[bytes], head: Head | None = None) -> ChainReport:
    """Check every line's ``prev`` against its predecessor, and the end against the head."""
    problems: list[Problem] = []
    previous = GENESIS
    number = 0
    chained = 0
    started = False
    hashes_at_head: str | None = None
    for number, line in enumerate(lines, 1):
        claimed = _prev_of(line)
        if claimed is not None:
            chained += 1
            if claimed != previous:
                where = "the start of the log" if number == 1 else f"line {number - 1}"
                if number == 1:
                    why = "the first line names a predecessor: lines before it were removed"
                else:
                    why = f"its prev does not match {where}: a line was edited, inserted, deleted or reordered"
                problems.append(Problem(number, f"hash chain broken: {why}"))
            started = True
        elif started:
            problems.append(Problem(number, "hash chain broken: a line without prev inside the chain (inserted?)"))
        previous = line_hash(line)
        if head is not None and number == head.lines:
            hashes_at_head = previous
    if head is not None:
        if number < head.lines:
            problems.append(Problem(number + 1, f"the log ends at line {number} but its head says {head.lines} "
                                                "lines: trailing events were lost or cut off"))
        elif hashes_at_head != head.last:
            problems.append(Problem(head.lines, "line does not match the head kept beside the log "
                                                "(the last acknowledged line was changed)"))
    return ChainReport(problems, number, chained, previous)
