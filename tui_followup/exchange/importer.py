"""Arrive from a spreadsheet: the sheet practitioners keep today, turned into events.

One row is one client: name, case, importance, last contact, next planned contact, mood
memo, what was done, owner. Headers may be Japanese or English (recognised by their usual
names) or mapped by a TOML file::

    [columns]
    name = "お名前"
    last_contact = "前回"

Each event's id is derived from the row's content, so importing the same sheet again, or an
updated one, never records anything twice. A row that cannot be read is listed with its row
number and the reason, and nothing is written unless the user accepts those rows being skipped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from pathlib import Path

from ..core import events as ev
from ..core.caseload import Caseload, project
from ..core.commands import CommandError, admit, typed
from ..i18n import LANGUAGES
from .exporter import from_text

FIELDS = ("name", "case", "importance", "last_contact", "next_contact", "mood", "done", "owner", "plan", "channel",
          "reading", "case_name")

ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("氏名", "名前", "お名前", "相手の名前", "クライアント", "相談者", "利用者", "name", "client", "clientname",
             "fullname"),
    "case": ("ケース", "ケース番号", "案件", "案件名", "案件番号", "番号", "id", "case", "caseid", "caseno", "casenumber"),
    "importance": ("重要度", "優先度", "importance", "priority"),
    "last_contact": ("最終接触日", "最終接点日", "最終接触", "最終接点", "最終連絡日", "前回連絡日", "前回接触日", "lastcontact",
                     "lastcontactdate", "lastcontacted"),
    "next_contact": ("次回予定", "次回予定日", "次回連絡予定", "次回連絡日", "nextplannedcontact", "nextcontact",
                     "nextcontactdate", "next"),
    "mood": ("気分メモ", "感情メモ", "様子", "気分", "ムード", "moodmemo", "mood", "memo"),
    "done": ("実施内容", "対応内容", "フォロー内容", "やったこと", "実施したこと", "whatwasdone", "done", "action", "actions",
             "followup"),
    "owner": ("担当", "担当者", "owner", "counselor", "counsellor"),
    "plan": ("プラン", "plan"),
    "channel": ("連絡手段", "チャネル", "channel"),
    "reading": ("フリガナ", "ふりがな", "よみがな", "読み", "reading", "furigana", "kana"),
    # The case's name when another column already gave the case (the export writes both).
    "case_name": ("案件名", "casename"),
}
IMPORTANCE_WORDS = {"高": "high", "high": "high", "中": "normal", "普通": "normal", "normal": "normal",
                    "medium": "normal", "低": "low", "low": "low"}
CHANNEL_WORDS = {"メール": "email", "電話": "phone", "ビデオ": "video", "オンライン": "video", "チャット": "chat",
                 "line": "chat", "対面": "in_person", "面談": "in_person"}


def _from_catalogues() -> None:
    """Every language's export titles (``[csv]``) and channel words are read back too: a sheet
    exported in Korean imports as one exported in Japanese does."""
    from ..core.events import CHANNELS
    from ..i18n import CATALOGUES

    for data in CATALOGUES.values():
        for field in FIELDS:
            title = data.get("csv", {}).get(field)
            if title and title not in ALIASES[field]:
                ALIASES[field] = (*ALIASES[field], title)
        for channel in CHANNELS:
            said = data["messages"].get(f"channel.{channel}")
            if said:
                CHANNEL_WORDS.setdefault(said.casefold(), channel)
        for level in ("high", "normal", "low"):
            said = data["messages"].get(f"importance.{level}")
            if said:
                IMPORTANCE_WORDS.setdefault(said.casefold(), level)


_from_catalogues()


SHEET_PROBLEMS = {
    "encoding": "{path}: neither UTF-8 nor Shift_JIS (CP932): save the sheet as CSV UTF-8",
    "mapping_unreadable": "{path}: cannot read the mapping: {detail}",
    "mapping_too_deep": "{path}: cannot read the mapping: nested too deep (brackets inside brackets thousands of times)",
    "mapping_not_utf8": "{path}: line {line}: not UTF-8 text (byte {byte}): save the mapping as UTF-8",
    "mapping_field": "{path}: columns.{field}: unknown field (known: {known})",
    "mapping_column": "the mapping names column {title!r} for {field}, but the sheet has no such column",
    "no_name_column": "no name column (氏名 / name): map it with --mapping",
    "empty": "{path}: the sheet is empty",
    "cannot_read": "{path}: cannot read: {detail}",
    "unclosed_quote": "{path}: line {line}: a quote opened here is not closed where its cell ends: the rows after it would be read as part of this cell",
    "bad_csv": "{path}: line {line}: cannot read the row: {detail}",
}


class ImportError_(Exception):
    """The sheet as a whole cannot be read (encoding, no name column, bad mapping)."""

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(SHEET_PROBLEMS[key].format(**params))


def _key(header: str) -> str:
    return re.sub(r"[\s_\-・/()（）]", "", unicodedata.normalize("NFKC", header)).casefold()


def _decode_sheet(data: bytes, path: Path) -> tuple[str, str]:
    """The text and the encoding it was read in: UTF-8 (with or without BOM), else
    Shift_JIS/CP932 as Excel in Japan saves it ("utf-8" or "cp932")."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            raise ImportError_("encoding", path=path) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        raise ImportError_("encoding", path=path) from None


@dataclass
class Sheet:
    rows: list[list[str]]
    encoding: str  # "utf-8", or "cp932" when the sheet was not UTF-8 (the report says so)


def read_sheet(path: Path) -> Sheet:
    """The sheet's rows. Line ends may be CRLF, LF or CR alone (an old Mac's); a quote that is
    not closed where its cell ends is an ImportError_ naming the line it opened on (it would
    swallow the rows after it into one cell); a cell of any length is read (the command
    layer refuses one longer than MAX_TEXT as a bad row, with its row number)."""
    text, encoding = _decode_sheet(path.read_bytes(), path)
    if path.suffix.lower() == ".tsv":
        delimiter = "\t"
    else:
        first = (text.splitlines() or [""])[0]
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
    limit = csv.field_size_limit(max(len(text), 131072))  # the whole sheet is in memory already
    try:
        rows = _rows(text, delimiter, path)
    finally:
        csv.field_size_limit(limit)
    return Sheet(rows, encoding)


def _rows(text: str, delimiter: str, path: Path) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    columns = 0
    start = 1  # the line the row being read starts on
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            if "unexpected end of data" in str(exc) or "expected after" in str(exc):
                raise ImportError_("unclosed_quote", path=path, line=start) from None
            raise ImportError_("bad_csv", path=path, line=start, detail=exc) from None
        columns = columns or len(row)
        if reader.line_num > start and _swallowed(row, delimiter, columns):
            raise ImportError_("unclosed_quote", path=path, line=start)
        rows.append(row)
        start = reader.line_num + 1


def _swallowed(row: list[str], delimiter: str, columns: int) -> bool:
    """A cell of several lines where one of its later lines reads as a whole row of the sheet
    (as many delimiters as the header has between its columns): a quote left open swallowed
    the rows after it, rather than a memo of several lines."""
    needed = max(2, columns - 1)
    return any(line.count(delimiter) >= needed for cell in row for line in cell.splitlines()[1:])


def load_mapping(path: Path) -> dict[str, str]:
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ImportError_("mapping_unreadable", path=path, detail=exc) from None
    except RecursionError:  # brackets nested thousands deep
        raise ImportError_("mapping_too_deep", path=path) from None
    except UnicodeDecodeError as exc:  # (saved as Shift_JIS by an editor)
        line = exc.object[: exc.start].count(b"\n") + 1
        raise ImportError_("mapping_not_utf8", path=path, line=line, byte=f"0x{exc.object[exc.start]:02x}") from None
    columns = data.get("columns", {})
    unknown = [k for k in columns if k not in FIELDS]
    if unknown or not isinstance(columns, dict):
        raise ImportError_("mapping_field", path=path, field=unknown[0] if unknown else "?", known=", ".join(FIELDS))
    return {k: str(v) for k, v in columns.items()}


def match_columns(header: list[str], mapping: dict[str, str] | None = None) -> dict[str, int]:
    """Our field -> column index, by the mapping or by the usual header names."""
    keys = [_key(h) for h in header]
    found: dict[str, int] = {}
    if mapping:
        for name, title in mapping.items():
            if _key(title) not in keys:
                raise ImportError_("mapping_column", title=title, field=name)
            found[name] = keys.index(_key(title))
    for name, aliases in ALIASES.items():
        if name in found:
            continue
        wanted = {_key(a) for a in aliases}
        for index, key in enumerate(keys):
            if key in wanted and index not in found.values():
                found[name] = index
                break
    if "name" not in found:
        raise ImportError_("no_name_column")
    return found


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]


def parse_sheet_date(text: str) -> date:
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"\s*\(.\)$|\s+\d{1,2}:\d{2}(:\d{2})?$", "", text)  # a weekday or a time after it
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                break
    raise ValueError(f"{text!r} is not a date (use 2026-11-01, 2026/11/01 or 2026年11月1日)", text)


@dataclass
class Row:
    number: int  # the row's number in the sheet (the header is row 1)
    client: str
    name: str
    events: list[ev.Event] = field(default_factory=list)


@dataclass
class Plan:
    rows: list[Row]
    bad: list[tuple[int, tuple[str, dict]]]  # (row number, (reason key, params)); see i18n "import.*"


def stable_id(*parts: str) -> str:
    return "imp" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:19]


def client_id_for(case: str, name: str) -> str:
    case = re.sub(r"\s+", "-", unicodedata.normalize("NFKC", case).strip())
    if case:
        return case
    return "sheet-" + hashlib.sha256(unicodedata.normalize("NFKC", name).strip().encode()).hexdigest()[:8]


def plan_rows(rows: list[list[str]], columns: dict[str, int], tz: tzinfo, now: datetime,
              plans: set[str], default_actor: str) -> Plan:
    """What each row would record: pure, so --dry-run and the real import agree."""
    good: list[Row] = []
    bad: list[tuple[int, str]] = []
    seen: dict[str, tuple[int, str]] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue

        def cell(name: str) -> str:
            index = columns.get(name)
            return from_text(cells[index].strip()) if index is not None and index < len(cells) else ""

        name = cell("name")
        if not name:
            bad.append((number, ("no_name", {})))
            continue
        client = client_id_for(cell("case"), name)
        if client in seen and seen[client][1] != name:
            bad.append((number, ("same_case", {"case": client, "row": seen[client][0], "name": seen[client][1]})))
            continue
        seen[client] = (number, name)
        try:
            last = parse_sheet_date(cell("last_contact")) if cell("last_contact") else None
            upcoming = parse_sheet_date(cell("next_contact")) if cell("next_contact") else None
        except ValueError as exc:
            bad.append((number, ("bad_date", {"text": exc.args[1] if len(exc.args) > 1 else str(exc)})))
            continue
        plan = cell("plan") or ""
        if plan and plan not in plans:
            bad.append((number, ("unknown_plan", {"plan": plan})))
            continue
        raw_channel = cell("channel")
        channel = CHANNEL_WORDS.get(raw_channel.casefold(), raw_channel.casefold()) if raw_channel else "email"
        if channel not in ev.CHANNELS:
            bad.append((number, ("unknown_channel", {"channel": raw_channel})))
            continue
        actor = cell("owner") or default_actor
        noon = lambda d: datetime.combine(d, time(12, 0), tzinfo=tz)  # noqa: E731
        first = noon(last) if last else now
        envelope = lambda kind, moment, *key: dict(  # noqa: E731
            id=stable_id(client, kind, *key), at=moment, recorded_at=now, actor=actor, client=client)
        note_parts = [p for p in (f"重要度: {cell('importance')}" if cell("importance") else "",) if p]
        row = Row(number, client, name)
        importance = IMPORTANCE_WORDS.get(unicodedata.normalize("NFKC", cell("importance")).casefold(), "")
        row.events.append(ev.ClientRegistered(**envelope("registered", first), name=name, plan=plan or "standard",
                                              channel=channel, note=" / ".join(note_parts),  # type: ignore[arg-type]
                                              reading=cell("reading"), importance=importance,  # type: ignore[arg-type]
                                              case=cell("case_name") or cell("case")))
        if last:
            row.events.append(ev.MessageSent(**envelope("contact", noon(last), last.isoformat()), channel=channel,  # type: ignore[arg-type]
                                             summary=cell("done")))
        if cell("mood"):
            row.events.append(ev.NoteAdded(**envelope("mood", noon(last) if last else now, cell("mood")),
                                           text=cell("mood")))
        if upcoming:
            # made at the last contact, else now; a planned contact already past with no contact
            # before it (an overdue row of the sheet) was planned by its day at the latest
            made = noon(last) if last else min(now, noon(upcoming))
            row.events.append(ev.PromiseMade(**envelope("next", made, upcoming.isoformat()),
                                             due=upcoming, what=cell("done") or "次回予定の連絡"))
        good.append(row)
    return Plan(good, bad)


def same_name(a: str, b: str) -> bool:
    """Whether two spellings are one name: width (ＡＢ, ｱｵｷ), case and spaces of any kind aside."""
    fold = lambda text: "".join(unicodedata.normalize("NFKC", text).casefold().split())  # noqa: E731
    return bool(fold(a)) and fold(a) == fold(b)


def is_the_client(name: str, facts) -> bool:
    """Whether a row's name is the recorded client's: their name now, the name they were
    registered under, or their reading (フリガナ)."""
    registered = facts.registration.name if facts.registration is not None else ""
    return any(same_name(name, known) for known in (facts.name, registered, facts.reading) if known)


def admit_rows(plan: Plan, caseload: Caseload, policy, tz: tzinfo,
               trust_case_ids: bool = False) -> tuple[list[tuple[Row, ev.Event]], int, list]:
    """The events of each row not in the log yet, each validated by the command layer as
    ``followup record`` validates it (a row for a closed case, or a message on a channel whose
    consent was withdrawn, is refused like the command). Returns (the events to record with
    their row, how many are in the log already, the refused rows as (row number, CommandError
    or (reason key, params) as in ``Plan.bad``)). A row is recorded whole or not at all.

    A row whose case id is a recorded client's but whose name is someone else's is refused
    (Bob's note would be filed in Aoki's record), unless ``trust_case_ids``: the user says the
    sheet's case ids are the log's."""
    fresh: list[tuple[Row, ev.Event]] = []
    existing = 0
    refused: list[tuple[int, CommandError | tuple[str, dict]]] = []
    for row in plan.rows:
        known = caseload.get(row.client)
        if known is not None and known.registered and not trust_case_ids and not is_the_client(row.name, known):
            refused.append((row.number, ("other_person", {"case": row.client, "name": row.name,
                                                          "recorded": known.name})))
            continue
        view = Caseload(clients={row.client: known}) if known is not None else Caseload()
        todo: list[ev.Event] = []
        try:
            for event in row.events:
                if isinstance(event, ev.ClientRegistered) and known is not None:
                    existing += 1  # the client is in the log: the sheet does not register them again
                    continue
                if not isinstance(event, ev.ClientRegistered) and caseload.event(event.id) is not None:
                    existing += 1
                    continue
                made = admit(view, event, policy, tz, LANGUAGES)
                typed(made)  # a name holding a control or an invisible character is not the name it looks like
                todo.append(made)
                if isinstance(made, ev.ClientRegistered):
                    view = project([made])  # the row's next events are about this client
        except CommandError as exc:
            refused.append((row.number, exc))
            continue
        fresh.extend((row, event) for event in todo)
    return fresh, existing, refused
