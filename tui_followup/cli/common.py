"""What every command shares: the clock, dates typed by the user, the journal opened with the settings, JSON out."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import msgspec

from ..core.clock import DATE_RANGE, MAX_DAYS, Clock, FixedClock, OutOfRange, parse_date, parse_moment
from ..core.visible import json_escaped, visible
from ..i18n import LANGUAGES, Words
from ..storage.journal import Journal
from ..wallclock import SystemClock, local_timezone


class UsageError(Exception):
    """Bad input from the user (a date that is not a date, ...)."""


def clock_from_env(tz) -> Clock:
    """The wall clock, or ``FOLLOWUP_NOW`` (an ISO time) for scripted, repeatable runs."""
    fixed = os.environ.get("FOLLOWUP_NOW")
    if fixed:
        return FixedClock(parse_moment(fixed, tz))
    return SystemClock(tz)


def _today() -> date:
    tz = local_timezone()
    return clock_from_env(tz).now().astimezone(tz).date()


def parse_day(text: str, words: Words) -> date:
    """A day as people type it (2026-12-05, 2026/12/05, 12/5, 12-05, +3d, +1w)."""
    try:
        return parse_date(text, _today())
    except OutOfRange:
        raise UsageError(out_of_range(text, words)) from None
    except ValueError:
        raise UsageError(words.t("cli.bad_date", text=text)) from None


def parse_time(text: str | None, tz, words: Words) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_moment(text, tz, _today())
    except OutOfRange:
        raise UsageError(out_of_range(text, words)) from None
    except ValueError:
        raise UsageError(words.t("cli.bad_moment", text=text)) from None


def check_counts(args, words: Words) -> None:
    """Refuse a count of days (or weeks) beyond MAX_DAYS, before anything is read: a date
    counted that far is no date (``due --days 999999999`` overflowed)."""
    for option, name, unit in (("--days", "days", 1), ("--weeks", "weeks", 7)):
        n = getattr(args, name, None)
        if isinstance(n, int) and abs(n) > MAX_DAYS // unit:
            raise UsageError(words.t("cli.count_too_big", option=option, n=n, max=MAX_DAYS // unit))


def out_of_range(text: str, words: Words) -> str:
    first, last = (day.isoformat() for day in DATE_RANGE)
    return words.t("date.out_of_range", text=text, first=first, last=last)


# -- parser -----------------------------------------------------------------------------


def store_location(args, settings) -> str:
    """Where the events are: ``--store``, ``--log``, ``$FOLLOWUP_STORE``, ``$FOLLOWUP_LOG``,
    ``store`` in config.toml, else the JSONL log in the user data directory. A
    ``postgresql://`` URL is a server store, anything else a file path."""
    from ..storage.store import is_url

    named = (getattr(args, "store", None) or getattr(args, "log", None) or os.environ.get("FOLLOWUP_STORE")
             or os.environ.get("FOLLOWUP_LOG") or settings.store)
    if named:
        return named if is_url(named) else str(Path(named).expanduser())
    from .. import paths  # (platformdirs: only when the log is not named)

    return str(paths.default_log_path())


def needs(args, capability: str, command: str) -> None:
    """Refuse, before anything is read, a command the store cannot do (``repair`` on a server
    store: it has no torn tail to set aside)."""
    from ..storage.logfile import StoreError
    from ..storage.store import open_store

    store = open_store(args.log_path)  # (a server store connects only when first asked)
    if capability not in store.capabilities:
        raise StoreError("file_only", path=store.path, command=command)


def open_journal(args, **kw) -> Journal:
    """The log, read with the user's settings (policy, actor) and the clock."""
    tz = local_timezone()
    conf = args.settings
    extra = {"actor": conf.counselor()} if conf.counselor() and not os.environ.get("FOLLOWUP_ACTOR") else {}
    kw.setdefault("write_snapshot", False)  # written once the command has answered (main)
    if getattr(args, "sizes", None) is not None:
        kw.setdefault("sizes", args.sizes)
    journal = Journal.open(args.log_path, clock=clock_from_env(tz), tz=tz, policy=conf.policy(),
                           languages=LANGUAGES, **extra, **kw)
    OPENED.append(journal)
    return journal


OPENED: list[Journal] = []  # journals this command read: their snapshots are saved at the end


REWRITTEN: list = []  # logs this command rewrote (forget): their snapshot is read afresh


def report_journal(args) -> tuple[Journal, date]:
    """The journal as it stood at the end of --as-of (default: today), unreadable lines warned
    about, and that day."""
    as_of = parse_day(args.as_of, args.words) if args.as_of else None
    journal = open_journal(args, as_of=as_of)
    warn_problems(journal, args.words)
    return journal, as_of or journal.today()


def warn_problems(journal: Journal, words: Words) -> None:
    problems = list(journal.problems)
    tail = journal.store.tail_problem()
    if tail is not None:
        problems.append(tail)
    for problem in problems[:5]:
        print(f"followup: {words.t('cli.warning')}: {journal.path}:{problem.line}: {words.problem_text(problem)}", file=sys.stderr)
    if len(problems) > 5:
        print(f"followup: {words.t('cli.warning')}: {words.t('cli.more_problems', n=len(problems) - 5)}", file=sys.stderr)


class VisibleText:
    """The terminal as the command writes to it: every table, message and refusal passes through
    here, its control characters shown (``core.visible``: ESC as ␛), never obeyed. ``main`` puts
    one in front of stdout and stderr while a command runs; what scripts read (``--json``) goes
    to the stream behind it, exact."""

    def __init__(self, stream: Any) -> None:
        self.exact = stream

    def write(self, text: str) -> int:
        return self.exact.write(visible(text))

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding, ...
        return getattr(self.exact, name)


def emit_json(value: Any) -> None:
    out = getattr(sys.stdout, "exact", sys.stdout)  # the text exactly as recorded
    # exact JSON, but a bidi override, a C1 control or an invisible character is written escaped
    out.write(json_escaped(msgspec.json.format(msgspec.json.encode(value), indent=2).decode()) + "\n")

