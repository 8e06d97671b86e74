"""The command line's grammar: every command and option, with help in the user's language."""

from __future__ import annotations

import argparse
import functools
from contextlib import contextmanager
from typing import Iterator

from ..core.events import (
    CHANNELS,
    CLOSE_REASONS,
    IMPORTANCES,
    MISSED_KINDS,
    SNOOZE_ITEMS,
)
from ..core.policy import MESSAGE_FOR
from ..i18n import LANGUAGES, Words


@contextmanager
def _argparse_says(words: Words) -> Iterator[None]:
    """argparse's own words ("usage: ", "options", its errors) in ``words`` for the time of the
    block. argparse looks each one up through its module's ``_`` (gettext's, in 3.11 to 3.13)
    at the moment it says it, and offers no other hook: ``_`` is swapped for the block and put
    back in ``finally``, so nothing outlives the call (the next parser may speak another
    language)."""
    before = argparse._  # type: ignore[attr-defined]
    argparse._ = words.argparse  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = before  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks the user's language: its group titles and ``-h``'s help
    are made in ``words``, and what it says while parsing, formatting help or reporting an
    error too (see ``_argparse_says``); its subcommands' parsers are Parsers with the same words."""

    def __init__(self, *args, words: Words, **kw) -> None:
        self.words = words
        with _argparse_says(words):  # "positional arguments", "options", "show this help ..."
            super().__init__(*args, **kw)

    def add_subparsers(self, **kw):
        kw.setdefault("parser_class", functools.partial(Parser, words=self.words))
        with _argparse_says(self.words):
            return super().add_subparsers(**kw)

    def parse_args(self, *args, **kw):  # type: ignore[override]
        with _argparse_says(self.words):  # "unrecognized arguments" is said here
            return super().parse_args(*args, **kw)

    def parse_known_args(self, *args, **kw):  # type: ignore[override]
        with _argparse_says(self.words):
            return super().parse_known_args(*args, **kw)

    def format_usage(self) -> str:
        with _argparse_says(self.words):
            return super().format_usage()

    def format_help(self) -> str:
        with _argparse_says(self.words):
            return super().format_help()

    def error(self, message: str):  # type: ignore[override]
        with _argparse_says(self.words):
            super().error(message)


def _log_anywhere(parser: argparse.ArgumentParser, words: Words) -> None:
    """Let `--log PATH` also follow the command (`followup due --log x.jsonl`), as scripts write it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in set(action.choices.values()):
                child.add_argument("--log", metavar="PATH", default=argparse.SUPPRESS, help=words.t("help.log"))
                child.add_argument("--store", metavar="URL", default=argparse.SUPPRESS, help=words.t("help.store"))
                _log_anywhere(child, words)


def build_parser(words: Words) -> Parser:
    p = Parser(
        prog="followup",
        description=words.t("help.description"),
        words=words,
    )
    p.add_argument("--log", metavar="PATH",
                   help=words.t("help.log"))
    p.add_argument("--store", metavar="URL", help=words.t("help.store"))
    p.add_argument("--demo", action="store_true",
                   help=words.t("help.demo"))
    p.add_argument("--debug", action="store_true", help=words.t("help.debug"))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    rec = sub.add_parser("record", help=words.t("help.record"))
    kinds = rec.add_subparsers(dest="kind", metavar="KIND", required=True)

    def kind(name: str, help: str, client: bool = True) -> argparse.ArgumentParser:
        k = kinds.add_parser(name, help=help)
        if client:
            k.add_argument("client", metavar="CLIENT", help=words.t("opt.client"))
        k.add_argument("--at", metavar="TIME", help=words.t("opt.at"))
        return k

    k = kind("client", words.t("kind.client"), client=False)
    k.add_argument("--id", required=True, dest="client_id")
    k.add_argument("--name", required=True)
    k.add_argument("--plan", default=None, help=words.t("opt.plan"))
    k.add_argument("--channel", default="email", choices=CHANNELS)
    k.add_argument("--note", default="")
    k.add_argument("--reading", default="", help=words.t("opt.reading"))
    k.add_argument("--importance", default="", choices=IMPORTANCES)
    k.add_argument("--case", default="", help=words.t("opt.case"))
    k.add_argument("--language", default="", choices=LANGUAGES, help=words.t("opt.language"))
    k.add_argument("--consent", default="", metavar="SCOPES", help=words.t("opt.consent"))
    k = kind("update", words.t("kind.update"))
    k.add_argument("--name")
    k.add_argument("--reading", help=words.t("opt.reading"))
    k.add_argument("--plan", help=words.t("opt.plan"))
    k.add_argument("--channel", choices=CHANNELS)
    k.add_argument("--importance", choices=IMPORTANCES)
    k.add_argument("--case", help=words.t("opt.case"))
    k.add_argument("--language", choices=LANGUAGES, help=words.t("opt.language"))
    k = kind("session", words.t("kind.session"))
    k.add_argument("--minutes", type=int, default=50)
    k.add_argument("--summary", default="")
    k.add_argument("--next-step", default="")
    k.add_argument("--achieved", default="", help=words.t("opt.achieved"))
    k.add_argument("--challenges", default="", help=words.t("opt.challenges"))
    k = kind("missed", words.t("kind.missed"))
    k.add_argument("--kind", required=True, dest="missed_kind", choices=MISSED_KINDS)
    k.add_argument("--reason", default="")
    k = kind("feedback", words.t("kind.feedback"))
    k.add_argument("--score", required=True, type=int, choices=range(1, 6), metavar="1..5")
    k.add_argument("--comment", default="")
    k = kind("message", words.t("kind.message"))
    k.add_argument("--channel", choices=CHANNELS, help=words.t("opt.channel_default"))
    k.add_argument("--template", default="", metavar="LABEL", help=words.t("opt.template"))
    k.add_argument("--summary", default="", help=words.t("opt.summary"))
    k.add_argument("--keeps", default="", metavar="PROMISE_ID", help=words.t("opt.keeps"))
    k.add_argument("--for", dest="answers", default=None, choices=MESSAGE_FOR, metavar="KIND",
                   help=words.t("opt.for"))
    k.add_argument("--no-reply-needed", action="store_true", help=words.t("opt.no_reply_needed"))
    k = kind("reply", words.t("kind.reply"))
    k.add_argument("--channel", choices=CHANNELS)
    k.add_argument("--summary", default="")
    k = kind("pause", words.t("kind.pause"))
    k.add_argument("--reason", default="")
    k.add_argument("--until", metavar="DATE", help=words.t("opt.until_pause"))
    kind("resume", words.t("kind.resume"))
    k = kind("close", words.t("kind.close"))
    k.add_argument("--reason", required=True, choices=CLOSE_REASONS)
    k.add_argument("--summary", default="")
    k = kind("reopen", words.t("kind.reopen"))
    k.add_argument("--reason", default="")
    k = kind("snooze", words.t("kind.snooze"))
    k.add_argument("--until", required=True, metavar="DATE")
    k.add_argument("--reason", default="")
    k.add_argument("--item", default="checkpoint", choices=SNOOZE_ITEMS, help=words.t("opt.item"))
    k = kind("promise", words.t("kind.promise"))
    k.add_argument("--due", required=True, metavar="DATE")
    k.add_argument("--what", required=True)
    k = kind("note", words.t("kind.note"))
    k.add_argument("--text", required=True)
    k = kind("consent", words.t("kind.consent"))
    k.add_argument("--scope", required=True)
    k.add_argument("--note", default="")
    k = kind("withdraw-consent", words.t("kind.withdraw"))
    k.add_argument("--scope", required=True)
    k.add_argument("--note", default="")
    k = kind("assign", words.t("kind.assign"))
    k.add_argument("--to", required=True, metavar="NAME", help=words.t("opt.to"))
    k.add_argument("--reason", default="")
    k = kind("appointment", words.t("kind.appointment"))
    k.add_argument("--when", required=True, metavar="TIME", help=words.t("opt.when"))
    k.add_argument("--minutes", type=int, default=50)
    k.add_argument("--channel", default="", choices=("", *CHANNELS))
    k = kinds.add_parser("cancel-appointment", help=words.t("kind.cancel_appointment"))
    k.add_argument("appointment", metavar="APPOINTMENT_ID")
    k.add_argument("--reason", default="")
    k.add_argument("--at", metavar="TIME", help=words.t("opt.at"))
    k = kinds.add_parser("kept", help=words.t("kind.kept"))
    k.add_argument("promise", metavar="PROMISE_ID")
    k.add_argument("--at", metavar="TIME", help=words.t("opt.at"))
    k = kinds.add_parser("reschedule", help=words.t("kind.reschedule"))
    k.add_argument("promise", metavar="PROMISE_ID")
    k.add_argument("--due", required=True, metavar="DATE")
    k.add_argument("--reason", default="")
    k.add_argument("--at", metavar="TIME", help=words.t("opt.at"))
    k = kinds.add_parser("retract", help=words.t("kind.retract"))
    k.add_argument("event_id", metavar="EVENT_ID")
    k.add_argument("--reason", required=True)
    k.add_argument("--at", metavar="TIME", help=words.t("opt.at"))

    def report(name: str, help: str) -> argparse.ArgumentParser:
        r = sub.add_parser(name, help=help)
        r.add_argument("--as-of", metavar="DATE", help=words.t("help.as_of"))
        r.add_argument("--json", action="store_true", help=words.t("help.json"))
        return r

    r = report("due", words.t("help.due"))
    r.add_argument("--days", type=int, default=0, metavar="N", help=words.t("help.days"))
    r.add_argument("--mine", action="store_true", help=words.t("help.mine"))
    report("status", words.t("help.status"))
    r = report("history", words.t("help.history"))
    r.add_argument("client", metavar="CLIENT")
    report("audit", words.t("help.audit"))
    r = report("trend", words.t("help.trend"))
    r.add_argument("--weeks", type=int, default=8, metavar="N", help=words.t("opt.weeks"))

    i = sub.add_parser("import", help=words.t("help.import"))
    i.add_argument("sheet", metavar="SHEET")
    i.add_argument("--mapping", metavar="TOML", help=words.t("opt.mapping"))
    i.add_argument("--dry-run", action="store_true", help=words.t("opt.dry_run"))
    i.add_argument("--skip-bad", action="store_true", help=words.t("opt.skip_bad"))
    i.add_argument("--trust-case-ids", action="store_true", help=words.t("opt.trust_case_ids"))

    sub.add_parser("check", help=words.t("help.check"))
    rp = sub.add_parser("repair", help=words.t("help.repair"))
    rp.add_argument("--accept-shorter", action="store_true", help=words.t("opt.accept_shorter"))
    f = sub.add_parser("forget", help=words.t("help.forget"))
    f.add_argument("client", metavar="CLIENT")
    f.add_argument("--keep-backup", action="store_true",
                   help=words.t("opt.keep_backup"))
    f.add_argument("--yes", action="store_true", help=words.t("opt.yes"))  # asked only at a terminal
    b = sub.add_parser("backup", help=words.t("help.backup"), description=words.t("help.backup_long"))
    b.add_argument("--to", dest="target", required=True, metavar="PATH", help=words.t("opt.backup_to"))
    rs = sub.add_parser("restore", help=words.t("help.restore"), description=words.t("help.restore_long"))
    rs.add_argument("--from", dest="source", required=True, metavar="BACKUP", help=words.t("opt.restore_from"))
    rs.add_argument("--erasures-from", metavar="STORE", help=words.t("opt.erasures_from"))
    e = sub.add_parser("export", help=words.t("help.export"))
    what = e.add_mutually_exclusive_group(required=True)
    what.add_argument("--anonymized", metavar="PATH",
                      help=words.t("opt.anonymized"))
    what.add_argument("--csv", metavar="PATH", help=words.t("opt.csv"))
    what.add_argument("--ics", metavar="PATH", help=words.t("opt.ics"))
    e.add_argument("--days", type=int, default=30, metavar="N", help=words.t("opt.days"))
    e.add_argument("--shift-dates", action="store_true", help=words.t("opt.shift"))
    e.add_argument("--consented-only", action="store_true",
                   help=words.t("opt.consented"))
    e.add_argument("--all-clients", action="store_true", help=words.t("opt.all_clients"))

    d = sub.add_parser("demo", help=words.t("help.demo_cmd"))
    d.add_argument("--out", required=True, metavar="PATH")
    d.add_argument("--clients", type=int)
    d.add_argument("--events", type=int)
    d.add_argument("--seed", type=int, default=7)
    d.add_argument("--today", metavar="DATE", help=words.t("opt.today"))
    d.add_argument("--lang", choices=LANGUAGES, help=words.t("opt.lang"))

    s = sub.add_parser("schema", help=words.t("help.schema"))
    s.add_argument("--out", metavar="PATH")

    c = sub.add_parser("config", help=words.t("help.config"))
    group = c.add_mutually_exclusive_group(required=True)
    group.add_argument("--path", action="store_true", help=words.t("opt.path"))
    group.add_argument("--init", action="store_true", help=words.t("opt.init"))

    sub.add_parser("app", help=words.t("help.app"))

    w = sub.add_parser("serve", help=words.t("help.serve"))
    w.add_argument("--host", default="127.0.0.1", help=words.t("opt.host"))
    w.add_argument("--port", type=int, default=8765, help=words.t("opt.port"))
    w.add_argument("--public-url", metavar="URL", help=words.t("opt.public_url"))
    w.add_argument("--user", metavar="NAME", help=words.t("opt.user"))
    st = sub.add_parser("store", help=words.t("help.store_cmd"))
    doing = st.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    doing.add_parser("init", help=words.t("help.store_init"))
    gr = doing.add_parser("grant", help=words.t("help.store_grant"), description=words.t("help.store_grant_long"))
    gr.add_argument("name", metavar="NAME", help=words.t("opt.role_name"))
    gr.add_argument("--role", required=True, choices=("counselor", "supervisor"), help=words.t("opt.role"))
    rv = doing.add_parser("revoke", help=words.t("help.store_revoke"))
    rv.add_argument("name", metavar="NAME", help=words.t("opt.role_name"))
    rv.add_argument("--reassign-to", metavar="NAME", help=words.t("opt.reassign_to"))
    cp = doing.add_parser("copy", help=words.t("help.store_copy"))
    cp.add_argument("--from", dest="source", required=True, metavar="SRC", help=words.t("opt.store_from"))
    cp.add_argument("--to", dest="dest", required=True, metavar="DST", help=words.t("opt.store_to"))
    _log_anywhere(p, words)
    return p


# -- running ----------------------------------------------------------------------------
