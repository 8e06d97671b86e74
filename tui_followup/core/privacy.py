"""What in an event is personal, and the pure transforms that remove it.

Used by ``followup forget`` (the right to erasure in an append-only log) and by
``followup export --anonymized`` (a copy for supervision or peer case review). Both work on
the raw JSON objects of log lines, so a field this program does not know is never silently
carried over into an anonymized copy.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any

import msgspec.inspect as mi

from .events import ENVELOPE_FIELDS, STRUCTURAL_TEXT, TYPE_BY_TAG
from .templates import LABELS

# Names and free text, per event type: what each type declares itself (``personal`` in
# core/events.py). Everything else is structure: types, times, channels, plans, template labels,
# consent scopes, the close reason category, references to events, counselors.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {tag: cls.personal for tag, cls in TYPE_BY_TAG.items()}

# Every field each event type declares (the envelope's and "type" included): what an erased
# event may keep. Any other field (a hand-edited "phone", a newer version's field) is removed.
DECLARED_FIELDS: dict[str, tuple[str, ...]] = {tag: ("type", *cls.__struct_fields__) for tag, cls in TYPE_BY_TAG.items()}

_STRUCTURE = {"type", *ENVELOPE_FIELDS}
FORGOTTEN_NAME = "(forgotten)"


def _kind_of_date(info: Any) -> str:
    """"moment" or "day" for a field typed datetime or date (or Optional of one), else ""."""
    if isinstance(info, mi.DateTimeType):
        return "moment"
    if isinstance(info, mi.DateType):
        return "day"
    if isinstance(info, mi.UnionType):
        return next((kind for kind in map(_kind_of_date, info.types) if kind), "")
    return ""


def _is_code(info: Any) -> bool:
    """A field whose text can only be one of a fixed list (a Literal, or a union of them)."""
    if isinstance(info, mi.LiteralType):
        return True
    if isinstance(info, mi.UnionType):
        return all(_is_code(t) or isinstance(t, mi.NoneType) for t in info.types)
    return False


_INFO = {tag: mi.type_info(cls).fields for tag, cls in TYPE_BY_TAG.items()}
# Every date and time of every event type, found from the types: the envelope's too.
DATE_FIELDS: dict[str, dict[str, str]] = {
    tag: {f.name: _kind_of_date(f.type) for f in fields if _kind_of_date(f.type)} for tag, fields in _INFO.items()}
# The text an anonymized copy keeps as it is, per type: codes (Literals) and STRUCTURAL_TEXT.
_KEPT_TEXT: dict[str, frozenset[str]] = {
    tag: frozenset(f.name for f in fields if _is_code(f.type) or f.name in STRUCTURAL_TEXT) for tag, fields in _INFO.items()}


def forgotten_id(client_id: str, salt: bytes) -> str:
    return "forgotten-" + hashlib.sha256(salt + client_id.encode()).hexdigest()[:10]


def unerasable(raw: dict[str, Any]) -> tuple[str, dict[str, object]] | None:
    """Why ``erase`` cannot be trusted with this line (its message key and what it names), or
    None: a type this program does not know, or a schema version newer than it (fields it
    cannot tell personal from structure)."""
    from .events import SCHEMA_VERSION

    kind = raw.get("type")
    if not isinstance(kind, str) or kind not in DECLARED_FIELDS:
        return "forget_unknown", {}
    version = raw.get("v", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version > SCHEMA_VERSION:
        return "forget_newer", {"version": version}
    return None


def erase(raw: dict[str, Any], new_client_id: str, digest: str = "") -> dict[str, Any]:
    """A line of the forgotten client keeping only what its type declares, its personal fields
    blanked and its id replaced: every field its type does not declare (a hand-edited "phone")
    is removed. With ``digest`` (the hash of the line as written, ``chain.link_hash``), a
    redaction that keeps it so the hash chain still runs through the line (``"redacted"``, see
    core/chain.py). Check ``unerasable`` first: an unknown type keeps only the envelope."""
    kind = str(raw.get("type"))
    declared = DECLARED_FIELDS.get(kind, tuple(_STRUCTURE))
    personal = PERSONAL_FIELDS.get(kind, ())
    out = {key: value for key, value in raw.items() if key in declared}
    out["client"] = new_client_id
    for name in personal:
        if name in out:
            out[name] = FORGOTTEN_NAME if name == "name" and out[name] else ""
    if digest:
        out.pop("redacted", None)
        out["redacted"] = digest
    return out


class Pseudonyms:
    """Stable within one export: the n-th client met is client-00n, and so on."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.table: dict[str, str] = {}

    def __call__(self, value: str) -> str:
        if value not in self.table:
            self.table[value] = f"{self.prefix}-{len(self.table) + 1:03d}"
        return self.table[value]


def shift_moment(text: str, days: int) -> str:
    return (datetime.fromisoformat(text) + timedelta(days=days)).isoformat()


def shift_day(text: str, days: int) -> str:
    return (date.fromisoformat(text) + timedelta(days=days)).isoformat()


def anonymize(raw: dict[str, Any], clients: Pseudonyms, actors: Pseudonyms, ids: Pseudonyms,
              shift_days: int = 0) -> dict[str, Any] | None:
    """A case-review copy of one event: pseudonyms for ids (references to events included, so
    they still point at the same event), no names, no free text, every date shifted; None for
    an event of a kind this program does not know."""
    kind = raw.get("type")
    cls = TYPE_BY_TAG.get(kind) if isinstance(kind, str) else None
    if cls is None:
        return None
    dates, kept = DATE_FIELDS[kind], _KEPT_TEXT[kind]
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "prev":
            continue  # the copy gets a chain of its own
        if key in cls.personal:
            value = clients(raw["client"]).replace("client-", "Client ") if key == "name" and value else ""
        elif key == "client":
            value = clients(value)
        elif key == "actor" or key in cls.actors:
            value = actors(value)
        elif key == "id" or key in cls.refs:
            if isinstance(value, list):
                value = [ids(v) for v in value if isinstance(v, str)]
            else:
                value = ids(value) if value else ""
        elif key == "redacted":
            continue  # the copy gets a chain of its own
        elif key in dates:
            if shift_days and isinstance(value, str):
                value = shift_moment(value, shift_days) if dates[key] == "moment" else shift_day(value, shift_days)
        elif key == "template" and value not in LABELS:
            value = ""  # a free-text template name could say anything
        elif key == "previous_head":
            value = ""
        elif key not in kept and key not in _STRUCTURE and isinstance(value, str):
            value = ""  # a text field this program does not know: never carried over
        out[key] = value
    return out
