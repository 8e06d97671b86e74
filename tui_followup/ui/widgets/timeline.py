"""A client's timeline as a widget: every event, newest first; a retracted one struck through
with the retraction's reason, a retraction in italics naming what it cancelled."""

from __future__ import annotations

from datetime import tzinfo
from typing import Callable


from ...core.events import ENVELOPE_FIELDS, AnyEvent, EventRetracted, tag_of
from ...core.history import Step
from .visible import VisibleTable
from .visible import ShownText as Text  # (user text: shown before Rich drops a BEL)


def event_details(event, words) -> str:
    """The event's own fields, in words."""
    parts = []
    for name in event.__struct_fields__:
        if name in ENVELOPE_FIELDS:
            continue
        value = getattr(event, name)
        if value in ("", None, ()) or value is False:  # a flag not set says nothing (no_reply_needed)
            continue
        if name == "channel" or name == "scope":
            value = words.word("channel", str(value))
        elif name == "reason" and tag_of(event) == "case_closed":
            value = words.word("reason", str(value))
        parts.append(f"{words.word('field', name)}: {value}")
    return " · ".join(parts)


class Timeline(VisibleTable):
    def __init__(self, **kw) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kw)

    def on_mount(self) -> None:
        self.add_columns(self.app.words.t("col.when"), self.app.words.t("col.what"), self.app.words.t("col.by"), self.app.words.t("col.details"))

    def show(self, steps: list[Step], find: Callable[[str], AnyEvent | None], tz: tzinfo) -> None:
        """``steps`` in the order they happened (shown newest first); ``find`` looks an event up
        by id (what a retraction cancelled)."""
        words = self.app.words
        self.clear()
        for step in reversed(steps):
            event = step.event
            what = words.word("event", tag_of(event))
            details = event_details(event, words)
            style = ""
            if isinstance(event, EventRetracted):
                target = find(event.target)
                details = words.t("timeline.retracts", what=words.word("event", tag_of(target)) if target else event.target,
                            reason=event.reason)
                style = "italic"
            if step.retracted_by is not None:
                style = "strike dim"
                details = f"{details}  {words.t('timeline.retracted', reason=step.retracted_by.reason)}"
            when = event.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            self.add_row(Text(when, style=style), Text(what, style=style), Text(event.actor, style=style),
                         Text(details, style=style), key=event.id)
