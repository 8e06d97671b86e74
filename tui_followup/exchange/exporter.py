"""Leave to a spreadsheet or a calendar: client status as CSV, due follow-ups as iCalendar."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from ..core.status import caseload_status
from ..storage.journal import Journal
from ..storage.logfile import write_private

CSV_HEADERS = {
    "ja": ["氏名", "ケース", "状態", "プラン", "連絡手段", "最終接触日", "次回予定", "予定の内容", "理由",
           "面談数", "接触数", "担当"],
    "en": ["name", "case", "state", "plan", "channel", "last contact", "next planned contact", "due for",
           "why", "sessions", "contacts", "owner"],
}


def status_csv(journal: Journal, lang: str = "en") -> bytes:
    """Client status as the spreadsheet had it: UTF-8 with a BOM, so Excel opens it right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS.get(lang, CSV_HEADERS["en"]))
    for r in caseload_status(journal.caseload, journal.policy, journal.tz, journal.today(), journal.board):
        facts = journal.caseload.get(r.client)
        owner = facts.last_actor if facts is not None else ""  # a fact: the same however the log was opened
        writer.writerow([r.name, r.client, r.state, r.plan, r.channel,
                         r.last_contact.isoformat() if r.last_contact else "",
                         r.next_due.isoformat() if r.next_due else "", r.next_reason or "", r.next_detail or "",
                         r.sessions, r.contacts, owner])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def due_calendar(journal: Journal, days: int = 30, today: date | None = None) -> bytes:
    """The follow-ups and promises due up to ``days`` ahead (and the overdue ones) as all-day
    events with stable UIDs: a re-export updates the calendar instead of adding to it."""
    from icalendar import Calendar, Event

    today = today or journal.today()
    calendar = Calendar()
    calendar.add("prodid", "-//tui-followup//followup//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Follow-ups")
    stamp = journal.clock.now()
    for item in journal.board.due(today, days):
        event = Event()
        event.add("uid", f"{item.uid}@tui-followup")
        event.add("summary", f"{item.reason}: {item.name}")
        event.add("description", f"{item.detail}\nchannel: {item.channel}\nclient: {item.client}")
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("categories", [item.kind])
        if item.due < today:
            event.add("x-followup-overdue-days", str(item.overdue_days(today)))
        calendar.add_component(event)
    return calendar.to_ical()


def write(path, data: bytes) -> None:
    write_private(path, data, atomic=True)


__all__ = ["status_csv", "due_calendar", "write", "CSV_HEADERS", "datetime"]
