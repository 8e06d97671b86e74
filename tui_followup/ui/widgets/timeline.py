"""A client's timeline as a widget: every event, newest first; a retracted one struck through
with the retraction's reason, a retraction in italics naming what it cancelled.

A client of 500 events: the rows in view are drawn first and the rest added after (a
:class:`LazyTable`), every column as wide from the start as its widest row makes it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Callable


from rich.cells import cell_len

from ...core.events import AnyEvent, EventRetracted
from .lazy_table import LazyTable
from .visible import ShownText as Text  # (user text: shown before Rich drops a BEL)
from .visible import cut, shown


def event_details(event, words, find=None, tz=None, erased: bool = False) -> str:
    """The event's own fields, in words (see ``Words.details``; ``erased``: an erased client's)."""
    return words.details(event, find, tz, erased)


class Timeline(LazyTable):
    def __init__(self, **kw) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kw)

    def on_mount(self) -> None:
        self.add_columns(self.app.words.t("col.when"), self.app.words.t("col.what"), self.app.words.t("col.by"), self.app.words.t("col.details"))

    def show(self, events: Sequence[tuple[AnyEvent, EventRetracted | None]],
             find: Callable[[str], AnyEvent | None], tz: tzinfo, erased: bool = False) -> None:
        """``events`` in the order they happened (shown newest first), each with the retraction
        that cancelled it, if any (``core.history.in_order``); ``find`` looks an event up by id
        (what a retraction cancelled); ``erased``: the client's been erased (``forget``)."""
        words = self.app.words
        rows = []
        for event, retracted_by in reversed(events):
            what = words.event_name(event)
            details = event_details(event, words, find, tz, erased)
            style = ""
            if isinstance(event, EventRetracted):
                details = words.retraction_text(event, find, tz)
                style = "italic"
            if retracted_by is not None:
                style = "strike dim"
                details = f"{details}  {words.t('timeline.retracted', reason=retracted_by.reason)}"
            when = words.moment(event.at.astimezone(tz))
            rows.append((Text(when, style=style), Text(what, style=style), Text(event.actor, style=style),
                         Text(details, style=style), event.id))
        # Details, the last column, cut with "…" where the screen ends (it was cut mid-word)
        used = sum(max([cell_len(str(row[n])) for row in rows] + [cell_len(str(column.label))]) + 2
                   for n, column in enumerate(self.ordered_columns[:3]))
        room = max(12, (self.app.size.width or 160) - used - 4)  # the cell's padding, the scrollbar
        for row in rows:
            cut(shown(row[3], lines=False), room)  # (Rich's own cut put a space before the "…" after a wide character)
        # every column as wide as its widest row from the first frame on (the rows' own texts)
        self.fill(rows, lambda row: (row[:4], row[4]), widths=lambda row: [cell.plain for cell in row[:4]])
