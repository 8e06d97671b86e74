"""Client status: one row per client, what a practitioner's spreadsheet had, computed."""

from __future__ import annotations

import unicodedata

from dataclasses import dataclass, field
from datetime import date, tzinfo

from .caseload import Caseload, ClientFacts
from .plans import Policy
from .policy import INTENT_CHECK, DueBoard, DueItem, earliest, follow_ups, gone_quiet, waiting_since
from .policy import ahead as coming


@dataclass(frozen=True)
class ClientStatus:
    client: str
    name: str
    state: str  # active | paused | closed
    plan: str
    channel: str
    last_contact: date | None  # either direction: session, message or reply
    sessions: int
    contacts: int  # every contact, as last_contact: sessions + messages sent + replies received
    close_reason: str | None = None
    consents: dict[str, bool] = field(default_factory=dict)  # scope -> given (False: withdrawn)
    next: DueItem | None = None
    reading: str = ""  # the name's reading (フリガナ)
    importance: str = ""  # high | normal | low ("" : not given)
    case: str = ""
    language: str = ""  # the messages' language ("" : the app's language)
    last_from_them: date | None = None  # their latest session or reply
    last_from_you: date | None = None  # your latest message
    ahead: tuple[DueItem, ...] = ()  # what comes next (policy.ahead)
    waiting_since: date | None = None  # gone quiet: your first unanswered message (the question is ahead)
    quiet: bool = False  # gone quiet as of the day (policy.gone_quiet: the audit's flag, the Clients colour)

    @property
    def next_due(self) -> date | None:
        return self.next.due if self.next else None

    @property
    def next_reason(self) -> str | None:
        """The label of the next item: 1w, respond, ..."""
        return self.next.reason if self.next else None

    @property
    def next_detail(self) -> str | None:
        """The rule that made the next item, in (English) words."""
        return self.next.detail if self.next else None


def client_status(facts: ClientFacts, policy: Policy, tz: tzinfo, as_of: date,
                  board: DueBoard | None = None) -> ClientStatus:
    """One client's row as of a day; with the due ``board`` (kept in step with the log) its
    open items are read from it instead of being worked out again."""
    if board is not None and facts.id in board.items:
        item = earliest(board.items[facts.id], as_of)
    else:
        item = earliest(follow_ups(facts, policy, tz), as_of)
    last = facts.last_contact
    return ClientStatus(
        client=facts.id,
        name=facts.name,
        state=facts.shown_state,
        plan=facts.plan,
        channel=facts.channel,
        last_contact=last.astimezone(tz).date() if last else None,
        sessions=facts.session_count,
        contacts=facts.contacts,
        close_reason=facts.close_reason,
        consents=facts.consent_states(),
        next=item,
        reading=facts.reading,
        importance=facts.importance,
        case=facts.case,
        language=facts.language,
        last_from_them=_local(max((xs[-1] for xs in (facts.sessions, facts.replies) if xs), default=None), tz),
        last_from_you=_local(facts.last_message, tz),
        ahead=tuple(coming(facts, policy, tz, as_of)),
        waiting_since=waiting_since(facts, policy, tz),
        quiet=gone_quiet(facts, policy, tz, as_of),
    )


def silence_question(item: DueItem) -> bool:
    """The one question asked of a client gone quiet (rule 2), not one at a pause's end."""
    return item.kind == INTENT_CHECK and bool(item.why) and item.why[0][0] == "silence"


def _local(moment, tz: tzinfo) -> date | None:
    return moment.astimezone(tz).date() if moment is not None else None


# katakana as hiragana (ァ..ヶ -> ぁ..ゖ): a reading typed in either is read in one kana order
_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def reading_key(text: str) -> str:
    """A name or reading as it is looked up and ordered: NFKC (half-width ｻﾄｳ is サトウ), case
    folded, katakana read as hiragana."""
    return unicodedata.normalize("NFKC", text).casefold().strip().translate(_HIRAGANA)


def name_order(name: str, reading: str = "") -> str:
    """Where a client stands in a list by name: by the reading (フリガナ) when there is one,
    in kana order (hiragana, katakana and half-width alike), else by the name, letters without
    regard to case. In code-point order that puts Latin letters first, then kana readings, then
    names written in kanji without a reading, then Hangul (whose syllables are in 가나다 order)."""
    return reading_key(reading or name)


def caseload_status(caseload: Caseload, policy: Policy, tz: tzinfo, as_of: date,
                    board: DueBoard | None = None) -> list[ClientStatus]:
    """Every registered client's status as of a day, by name (by its reading when there is one)."""
    return by_name([client_status(f, policy, tz, as_of, board) for f in caseload.registered()])


def by_name(rows: list[ClientStatus]) -> list[ClientStatus]:
    """Clients' statuses in the caseload's order by name (by the reading when there is one),
    in place: as :func:`caseload_status` gives them."""
    rows.sort(key=lambda r: (name_order(r.name, r.reading), r.client))
    return rows
