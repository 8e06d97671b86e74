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

from .events import ENVELOPE_FIELDS
from .templates import LABELS

# Free text and names, per event type. Everything else is structure: types, times, channels,
# plans, template labels, consent scopes, the close reason category.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "client_registered": ("name", "note", "reading", "case"),
    "session_held": ("summary", "next_step", "achieved", "challenges"),
    "message_sent": ("summary",),
    "reply_received": ("summary",),
    "follow_up_snoozed": ("reason",),
    "promise_made": ("what",),
    "client_paused": ("reason",),
    "client_resumed": (),
    "case_closed": ("summary",),
    "case_reopened": ("reason",),
    "note_added": ("text",),
    "consent_recorded": ("note",),
    "consent_withdrawn": ("note",),
    "event_retracted": ("reason",),
    "client_forgotten": (),
    "client_updated": ("name", "reading", "case"),
    "session_missed": ("reason",),
    "feedback_received": ("comment",),
    "client_assigned": ("reason",),  # ``to`` names a counselor: a pseudonym like every actor
    "appointment_booked": (),
    "appointment_cancelled": ("reason",),
}

STRUCTURE_FIELDS = {"type", *ENVELOPE_FIELDS}
FORGOTTEN_NAME = "(forgotten)"
DATE_FIELDS = {"follow_up_snoozed": ("until",), "promise_made": ("due",)}
MOMENT_FIELDS = {"appointment_booked": ("when",)}  # moments besides the envelope's, shifted like them


def forgotten_id(client_id: str, salt: bytes) -> str:
    return "forgotten-" + hashlib.sha256(salt + client_id.encode()).hexdigest()[:10]


def erase(raw: dict[str, Any], new_client_id: str) -> dict[str, Any]:
    """A line of the forgotten client with its personal fields blanked, its id replaced."""
    out = dict(raw)
    out["client"] = new_client_id
    for name in PERSONAL_FIELDS.get(str(raw.get("type")), ()):
        if name in out:
            out[name] = FORGOTTEN_NAME if name == "name" and out[name] else ""
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
    """A case-review copy of one event: pseudonyms for ids, no names, no free text, dates
    shifted; None for an event of a kind this program does not know."""
    kind = raw.get("type")
    if kind not in PERSONAL_FIELDS:
        return None
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "prev":
            continue  # the copy gets a chain of its own
        if key in PERSONAL_FIELDS[kind]:
            value = clients(raw["client"]).replace("client-", "Client ") if key == "name" and value else ""
        elif key == "client":
            value = clients(value)
        elif key == "actor" or (key == "to" and kind == "client_assigned"):
            value = actors(value)
        elif key in ("id", "target") or (key == "appointment" and kind == "appointment_cancelled"):
            value = ids(value)
        elif key in MOMENT_FIELDS.get(kind, ()):
            value = shift_moment(value, shift_days) if shift_days else value
        elif key in ("at", "recorded_at") and shift_days:
            value = shift_moment(value, shift_days)
        elif key in DATE_FIELDS.get(kind, ()) and shift_days:
            value = shift_day(value, shift_days)
        elif key == "template" and value not in LABELS:
            value = ""  # a free-text template name could say anything
        elif key == "previous_head":
            value = ""
        elif key not in STRUCTURE_FIELDS and isinstance(value, str) and key not in _CATEGORY_FIELDS:
            value = ""  # a text field this program does not know: never carried over
        out[key] = value
    return out


# Fields whose values are categories from a fixed list, safe to keep.
_CATEGORY_FIELDS = {"plan", "channel", "template", "scope", "reason", "until", "due", "kind", "importance",
                    "language", "answers"}
