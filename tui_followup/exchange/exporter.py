"""Leave to a spreadsheet or a calendar: client status as CSV, due follow-ups as iCalendar."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from ..core.status import caseload_status
from ..core.visible import visible
from ..i18n import words_for
from ..storage.journal import Journal
from ..storage.logfile import write_private

# The spreadsheet's columns, by code; their titles are the catalogue's ``[csv]`` (written back, a
# sheet re-imports to the same clients: ケース/case is the client's id, 案件名/case name the client's
# case); mood is the latest note, follow-up the latest message's summary.
CSV_COLUMNS = ("name", "case", "state", "plan", "channel", "last_contact", "next_contact", "due_for", "why",
               "sessions", "contacts", "owner", "reading", "case_name", "importance", "mood", "done")


# A cell that begins with one of these is run as a formula by Excel, LibreOffice and Google Sheets
# (=HYPERLINK(...), +cmd|...): OWASP's advice is to begin it with ' instead, which they show as text.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def as_text(cell):
    """A cell a spreadsheet shows as the text it is: one beginning as a formula gets a leading
    ``'``; nothing else is changed (numbers and every other text are left as they are)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_LEADS):
        return "'" + cell
    return cell


def from_text(cell: str) -> str:
    """A cell as ``as_text`` received it: the ``'`` before a formula's first character taken off
    (an exported sheet imports back exact); any other cell as it is."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_LEADS):
        return cell[1:]
    return cell


def _latest_message_summary(journal: Journal, client: str) -> str:
    from ..core.events import MessageSent

    messages = [e for e in journal.caseload.events_of(client)
                if type(e) is MessageSent and not journal.caseload.is_retracted(e.id)]
    latest = max(messages, key=lambda e: e.at, default=None)
    return latest.summary if latest is not None else ""


def status_csv(journal: Journal, lang: str = "en") -> bytes:
    """Client status as the spreadsheet had it: UTF-8 with a BOM, so Excel opens it right; no cell
    that the spreadsheet would run as a formula (``as_text``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(words_for(lang).csv_headers(CSV_COLUMNS))
    for r in caseload_status(journal.caseload, journal.policy, journal.tz, journal.today(), journal.board):
        facts = journal.caseload.get(r.client)
        owner = facts.last_actor if facts is not None else ""  # a fact: the same however the log was opened
        mood = facts.latest_note.text if facts is not None and facts.latest_note is not None else ""
        writer.writerow([as_text(cell) for cell in (r.name, r.client, r.state, r.plan, r.channel,
                         r.last_contact.isoformat() if r.last_contact else "",
                         r.next_due.isoformat() if r.next_due else "", r.next_reason or "", r.next_detail or "",
                         r.sessions, r.contacts, owner, r.reading, r.case, r.importance, mood,
                         _latest_message_summary(journal, r.client))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def calendar_items(journal: Journal, days: int = 30, today: date | None = None) -> list:
    """The items due up to ``days`` ahead (and the overdue ones), and every upcoming checkpoint of
    the current ladder (for 24-72-7 all three reminders), not only each client's next one."""
    return journal.board.due(today or journal.today(), days, coming=True)


def due_calendar(journal: Journal, days: int = 30, today: date | None = None) -> bytes:
    """The follow-ups and promises due up to ``days`` ahead (and the overdue ones), every
    upcoming checkpoint of the ladder included, as all-day events with stable UIDs: a re-export
    updates the calendar instead of adding to it."""
    from icalendar import Calendar, Event

    today = today or journal.today()
    calendar = Calendar()
    calendar.add("prodid", "-//tui-followup//followup//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Follow-ups")
    stamp = journal.clock.now()
    for item in calendar_items(journal, days, today):
        event = Event()
        event.add("uid", f"{item.uid}@tui-followup")
        # (RFC 5545 allows no control characters in text: shown, as on a terminal)
        event.add("summary", visible(f"{item.reason}: {item.name}", lines=False))
        event.add("description", visible(f"{item.detail}\nchannel: {item.channel}\nclient: {item.client}"))
        booked = _appointment(journal, item)
        if booked is not None:  # a booked session: its time and length
            event.add("dtstart", booked.when.astimezone(journal.tz))
            event.add("dtend", booked.when.astimezone(journal.tz) + timedelta(minutes=booked.minutes))
        else:
            event.add("dtstart", item.due)
            event.add("dtend", item.due + timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("categories", [item.kind])
        if item.due < today:
            event.add("x-followup-overdue-days", str(item.overdue_days(today)))
        calendar.add_component(event)
    return calendar.to_ical()


def _appointment(journal: Journal, item):
    """The appointment an item of kind ``appointment`` stands for (None for any other item)."""
    if item.kind != "appointment":
        return None
    facts = journal.caseload.get(item.client)
    return next((b for b in facts.appointments if b.id == item.ref), None) if facts is not None else None


def write(path, data: bytes) -> None:
    write_private(path, data, atomic=True)


__all__ = ["status_csv", "due_calendar", "calendar_items", "write", "CSV_COLUMNS", "datetime"]
