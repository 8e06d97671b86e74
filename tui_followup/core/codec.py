"""Turning events into log lines and log bytes back into events.

Decoding is the hot path of every start-up: whole chunks of lines are decoded in one
``decode_lines`` call and only a chunk that fails is decoded line by line, so one bad line
costs neither the events before it nor those after it. Every line that cannot be read
becomes a :class:`Problem` naming its line number; nothing is dropped silently.
"""

from __future__ import annotations

import typing
from datetime import date
from typing import Any, Callable, Iterable, Sequence

import msgspec

from .clock import DATE_RANGE, in_range
from .events import EVENT_TYPES, SCHEMA_VERSION, TYPE_BY_TAG, AnyEvent, Event

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(AnyEvent)
_raw_decoder = msgspec.json.Decoder()

CHUNK_LINES = 16384


class Problem(msgspec.Struct, frozen=True):
    """A line of the log that could not be read, or a break found in it."""

    line: int  # 1-based line number in the file
    message: str  # in English
    key: str = ""  # what kind of problem (PROBLEMS), for the shell to say in the user's language
    params: dict[str, str] = {}


# Every kind of problem with a log line, in English; the shell's catalogue translates by key.
PROBLEMS: dict[str, str] = {
    "not_json": "not valid JSON: {detail}",
    "invalid": "invalid event: {detail}",
    "not_utf8": "not valid UTF-8",
    "not_object": "not a JSON object",
    "unknown_type": "unknown event type {kind}",
    "bad_version": "bad schema version {version}",
    "newer_version": "schema version {version} is newer than this program understands ({known})",
    "date_range": "a date outside {first} to {last}: {day}",
    "too_deep": "nested too deep to be an event",
    "torn": "incomplete last line ({size} bytes without a newline): a write was cut off",
    "chain_first": "hash chain broken: the first line names a predecessor: lines before it were removed",
    "chain_broken": "hash chain broken: its prev does not match line {previous}: a line was edited, inserted, deleted or reordered",
    "chain_unchained": "hash chain broken: a line without prev inside the chain (inserted?)",
    "head_cut": "the log ends at line {lines} but its head says {head} lines: trailing events were lost or cut off",
    "head_changed": "line does not match the head kept beside the log (the last acknowledged line was changed)",
    "head_behind": "the table goes on past its head (event {head}) to event {lines}: the head did not move with these rows, so every append is refused (`followup store init`, as the tables' owner, verifies them and moves the head)",
    "redaction_unlisted": "event {event} is redacted but no client_forgotten event names it: an edit made to look like an erasure",
    "redaction_edited": "event {event} is redacted but is no longer the line its erasure wrote: what the redaction kept (type, times, ids) was edited since",
    "duplicate_key": "the key {name} is written twice in this line (a reader takes one, another the other): not an event this program wrote",
    "redacted_not_blank": "event {event} is redacted but its personal field {field} is not blank: text written back after the erasure",
    "copy_survivor": "event {event} was erased in the source but its personal text is still in the destination",
    "no_head": "no head: a cut at the log's end cannot be seen (the head beside the log is missing; `followup repair` writes it from the log as it is)",
    "duplicate_id": "event id {event} appears a second time (counted once)",
    "retraction_target": "retraction {event} names no event in the log ({target})",
    "unregistered": "{type} for client {client}, who is not registered",
    "position_gap": "the store holds {rows} events but its last position is {last}: positions are not gapless",
    "stream_version": "client {client}'s event has stream version {version}, expected {expected}",
    "copy_count": "the copy is incomplete: {source} events in the source, {dest} in the destination, {missing} missing",
}


def problem(line: int, key: str, **params: object) -> Problem:
    values = {k: str(v) for k, v in params.items()}
    return Problem(line, PROBLEMS[key].format(**values), key, values)


class LineError(ValueError):
    """A line that cannot be an event, with the kind of problem."""

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(PROBLEMS[key].format(**{k: str(v) for k, v in params.items()}))


# The dates of every event type besides the envelope's ``at`` and ``recorded_at``, found from the
# types (a date, a moment, or either or None).
_DATE_FIELDS: dict[type, tuple[str, ...]] = {}
for _cls in EVENT_TYPES:
    _hints = typing.get_type_hints(_cls)
    _names = tuple(n for n in _cls.__struct_fields__ if n not in ("at", "recorded_at")
                   and any(isinstance(t, type) and issubclass(t, date)
                           for t in (_hints[n], *typing.get_args(_hints[n]))))
    if _names:
        _DATE_FIELDS[_cls] = _names
# DATE_RANGE is whole years: a year is all there is to compare (the hot path of every start).
_FIRST_YEAR, _LAST_YEAR = DATE_RANGE[0].year, DATE_RANGE[1].year
assert DATE_RANGE == (date(_FIRST_YEAR, 1, 1), date(_LAST_YEAR, 12, 31))


def date_outside(event: Event) -> str:
    """The first date of ``event`` outside DATE_RANGE (as written), or "". A moment in the
    first or last year is also held to the range in UTC (``clock.in_range``)."""
    lo, hi = _FIRST_YEAR, _LAST_YEAR
    for name in ("at", "recorded_at", *_DATE_FIELDS.get(type(event), ())):
        value = getattr(event, name)
        if value is not None and not (lo < value.year < hi or in_range(value)):
            return value.isoformat()
    return ""


def _outside(events: Sequence[AnyEvent]) -> list[int]:
    """The indexes of the events with a date outside DATE_RANGE (a report would overflow on it)."""
    lo, hi, extra = _FIRST_YEAR, _LAST_YEAR, _DATE_FIELDS
    bad = []
    for index, event in enumerate(events):
        if lo < event.at.year < hi and lo < event.recorded_at.year < hi:
            names = extra.get(type(event))
            if names is None:
                continue
            for name in names:
                value = getattr(event, name)
                if value is not None and not lo < value.year < hi:
                    break
            else:
                continue
        if date_outside(event):  # (the first or last year: the whole check)
            bad.append(index)
    return bad


def _far_date(event: Event) -> LineError:
    first, last = (day.isoformat() for day in DATE_RANGE)
    return LineError("date_range", first=first, last=last, day=date_outside(event))


def _v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 2 added ``prev`` (the hash chain); a version 1 line is outside the chain."""
    raw.setdefault("prev", "")
    return raw


# Upcasters turn the raw dict of an older schema version into the next version, applied in
# turn up to SCHEMA_VERSION. Lines of a version >= FAST_PATH_MIN_VERSION (events.py) decode
# as they are (their upcasters only fill defaults); older ones always go through the upcasters.
UPCASTERS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def encode(event: Event) -> bytes:
    """One log line (without its newline)."""
    return _encoder.encode(event)


def decode(line: bytes | str) -> AnyEvent:
    """One log line back into its event; raises ``msgspec.DecodeError`` or ``ValueError``
    (a :class:`LineError` for a date outside DATE_RANGE or a line nested too deep)."""
    try:
        try:
            event = _decoder.decode(line)  # a ``v`` outside the direct range fails validation
        except (msgspec.DecodeError, msgspec.ValidationError):
            event = _decode_slow(line)  # upcast an old line, or explain what is wrong
    except RecursionError:
        raise LineError("too_deep") from None
    if date_outside(event):
        raise _far_date(event)
    return event


def _decode_slow(line: bytes | str) -> AnyEvent:
    """Decode via a dict, applying upcasters; explains precisely what is wrong."""
    raw = _raw_decoder.decode(line)  # raises DecodeError for malformed JSON
    if not isinstance(raw, dict):
        raise LineError("not_object")
    kind = raw.get("type")
    if kind not in TYPE_BY_TAG:
        raise LineError("unknown_type", kind=repr(kind))
    version = raw.get("v", 1)
    if not isinstance(version, int) or version < 1:
        raise LineError("bad_version", version=repr(version))
    if version > SCHEMA_VERSION:
        raise LineError("newer_version", version=version, known=SCHEMA_VERSION)
    while version < SCHEMA_VERSION:
        raw = UPCASTERS[version](raw)
        version = raw["v"] = version + 1
    return msgspec.convert(raw, AnyEvent)  # raises ValidationError naming the field


def line_problem(number: int, exc: Exception) -> Problem:
    """The problem of a line that failed to decode."""
    if isinstance(exc, LineError):
        return problem(number, exc.key, **exc.params)
    if isinstance(exc, msgspec.ValidationError):
        return problem(number, "invalid", detail=str(exc))
    if isinstance(exc, UnicodeDecodeError):
        return problem(number, "not_utf8")
    if isinstance(exc, msgspec.DecodeError):
        if "UTF-8" in str(exc) or "utf-8" in str(exc):
            return problem(number, "not_utf8")
        return problem(number, "not_json", detail=str(exc))
    return problem(number, "invalid", detail=str(exc))


def decode_lines(
    data: bytes, first_line: int = 1
) -> tuple[list[AnyEvent], list[Problem], Sequence[int]]:
    """Decode a run of complete lines (``data`` ends with a newline or is empty).

    Returns the events, the problems, and for each event its 1-based line number.
    Blank lines are ignored. The whole run is decoded in one call when every line is a good
    event (the usual case); a run with a bad line is decoded in chunks, and only a failing
    chunk line by line.
    """
    if not data:
        return [], [], range(0)
    newlines = data.count(b"\n")
    try:
        events = _decoder.decode_lines(data)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        events = None
    if events is not None and len(events) == newlines:
        far = _outside(events)
        if not far:
            return events, [], range(first_line, first_line + newlines)
    return _decode_carefully(data, first_line)


def _decode_carefully(data: bytes, first_line: int) -> tuple[list[AnyEvent], list[Problem], list[int]]:
    events: list[AnyEvent] = []
    problems: list[Problem] = []
    line_numbers: list[int] = []
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for start in range(0, len(lines), CHUNK_LINES):
        chunk = lines[start : start + CHUNK_LINES]
        base = first_line + start
        try:
            decoded = _decoder.decode_lines(b"\n".join(chunk))
        except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
            decoded = None
        if decoded is not None and len(decoded) == len(chunk) and not _outside(decoded):
            events.extend(decoded)
            line_numbers.extend(range(base, base + len(chunk)))
            continue
        for offset, line in enumerate(chunk):
            if not line.strip():
                continue
            try:
                events.append(decode(line))
                line_numbers.append(base + offset)
            except (msgspec.DecodeError, msgspec.ValidationError, ValueError, KeyError) as exc:
                problems.append(line_problem(base + offset, exc))
    return events, problems, line_numbers


def encode_lines(events: Iterable[Event]) -> bytes:
    """Many events as log lines, each ending with a newline."""
    buf = bytearray()
    for event in events:
        buf += _encoder.encode(event)
        buf += b"\n"
    return bytes(buf)
