"""The command line's grammar: every command and option, with help in the user's language."""

from __future__ import annotations

import argparse

from ..core.events import (
    CHANNELS,
    CLOSE_REASONS,
    IMPORTANCES,
    LANGUAGES,
    MISSED_KINDS,
    SNOOZE_ITEMS,
)
from ..i18n import (
    t,
)


def _log_anywhere(parser: argparse.ArgumentParser) -> None:
    """Let `--log PATH` also follow the command (`followup due --log x.jsonl`), as scripts write it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in set(action.choices.values()):
                child.add_argument("--log", metavar="PATH", default=argparse.SUPPRESS, help=t("help.log"))
                child.add_argument("--store", metavar="URL", default=argparse.SUPPRESS, help=t("help.store"))
                _log_anywhere(child)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="followup",
        description=t("help.description"),
    )
    p.add_argument("--log", metavar="PATH",
                   help=t("help.log"))
    p.add_argument("--store", metavar="URL", help=t("help.store"))
    p.add_argument("--demo", action="store_true",
                   help=t("help.demo"))
    p.add_argument("--debug", action="store_true", help=t("help.debug"))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    rec = sub.add_parser("record", help=t("help.record"))
    kinds = rec.add_subparsers(dest="kind", metavar="KIND", required=True)

    def kind(name: str, help: str, client: bool = True) -> argparse.ArgumentParser:
        k = kinds.add_parser(name, help=help)
        if client:
            k.add_argument("client", metavar="CLIENT", help=t("opt.client"))
        k.add_argument("--at", metavar="TIME", help=t("opt.at"))
        return k

    k = kind("client", t("kind.client"), client=False)
    k.add_argument("--id", required=True, dest="client_id")
    k.add_argument("--name", required=True)
    k.add_argument("--plan", default=None, help=t("opt.plan"))
    k.add_argument("--channel", default="email", choices=CHANNELS)
    k.add_argument("--note", default="")
    k.add_argument("--reading", default="", help=t("opt.reading"))
    k.add_argument("--importance", default="", choices=IMPORTANCES)
    k.add_argument("--case", default="", help=t("opt.case"))
    k.add_argument("--language", default="", choices=LANGUAGES, help=t("opt.language"))
    k.add_argument("--consent", default="", metavar="SCOPES", help=t("opt.consent"))
    k = kind("update", t("kind.update"))
    k.add_argument("--name")
    k.add_argument("--reading", help=t("opt.reading"))
    k.add_argument("--plan", help=t("opt.plan"))
    k.add_argument("--channel", choices=CHANNELS)
    k.add_argument("--importance", choices=IMPORTANCES)
    k.add_argument("--case", help=t("opt.case"))
    k.add_argument("--language", choices=LANGUAGES, help=t("opt.language"))
    k = kind("session", t("kind.session"))
    k.add_argument("--minutes", type=int, default=50)
    k.add_argument("--summary", default="")
    k.add_argument("--next-step", default="")
    k.add_argument("--achieved", default="", help=t("opt.achieved"))
    k.add_argument("--challenges", default="", help=t("opt.challenges"))
    k = kind("missed", t("kind.missed"))
    k.add_argument("--kind", required=True, dest="missed_kind", choices=MISSED_KINDS)
    k.add_argument("--reason", default="")
    k = kind("feedback", t("kind.feedback"))
    k.add_argument("--score", required=True, type=int, choices=range(1, 6), metavar="1..5")
    k.add_argument("--comment", default="")
    k = kind("message", t("kind.message"))
    k.add_argument("--channel", choices=CHANNELS, help=t("opt.channel_default"))
    k.add_argument("--template", default="")
    k.add_argument("--summary", default="")
    k.add_argument("--keeps", default="", metavar="PROMISE_ID", help=t("opt.keeps"))
    k = kind("reply", t("kind.reply"))
    k.add_argument("--channel", choices=CHANNELS)
    k.add_argument("--summary", default="")
    k = kind("pause", t("kind.pause"))
    k.add_argument("--reason", default="")
    k.add_argument("--until", metavar="DATE", help=t("opt.until_pause"))
    kind("resume", t("kind.resume"))
    k = kind("close", t("kind.close"))
    k.add_argument("--reason", required=True, choices=CLOSE_REASONS)
    k.add_argument("--summary", default="")
    k = kind("reopen", t("kind.reopen"))
    k.add_argument("--reason", default="")
    k = kind("snooze", t("kind.snooze"))
    k.add_argument("--until", required=True, metavar="DATE")
    k.add_argument("--reason", default="")
    k.add_argument("--item", default="checkpoint", choices=SNOOZE_ITEMS, help=t("opt.item"))
    k = kind("promise", t("kind.promise"))
    k.add_argument("--due", required=True, metavar="DATE")
    k.add_argument("--what", required=True)
    k = kind("note", t("kind.note"))
    k.add_argument("--text", required=True)
    k = kind("consent", t("kind.consent"))
    k.add_argument("--scope", required=True)
    k.add_argument("--note", default="")
    k = kind("withdraw-consent", t("kind.withdraw"))
    k.add_argument("--scope", required=True)
    k.add_argument("--note", default="")
    k = kind("assign", t("kind.assign"))
    k.add_argument("--to", required=True, metavar="NAME", help=t("opt.to"))
    k.add_argument("--reason", default="")
    k = kinds.add_parser("kept", help=t("kind.kept"))
    k.add_argument("promise", metavar="PROMISE_ID")
    k.add_argument("--at", metavar="TIME", help=t("opt.at"))
    k = kinds.add_parser("reschedule", help=t("kind.reschedule"))
    k.add_argument("promise", metavar="PROMISE_ID")
    k.add_argument("--due", required=True, metavar="DATE")
    k.add_argument("--reason", default="")
    k = kinds.add_parser("retract", help=t("kind.retract"))
    k.add_argument("event_id", metavar="EVENT_ID")
    k.add_argument("--reason", required=True)

    def report(name: str, help: str) -> argparse.ArgumentParser:
        r = sub.add_parser(name, help=help)
        r.add_argument("--as-of", metavar="DATE", help=t("help.as_of"))
        r.add_argument("--json", action="store_true", help=t("help.json"))
        return r

    r = report("due", t("help.due"))
    r.add_argument("--days", type=int, default=0, metavar="N", help=t("help.days"))
    r.add_argument("--mine", action="store_true", help=t("help.mine"))
    report("status", t("help.status"))
    r = report("history", t("help.history"))
    r.add_argument("client", metavar="CLIENT")
    report("audit", t("help.audit"))
    r = report("trend", t("help.trend"))
    r.add_argument("--weeks", type=int, default=8, metavar="N", help=t("opt.weeks"))

    i = sub.add_parser("import", help=t("help.import"))
    i.add_argument("sheet", metavar="SHEET")
    i.add_argument("--mapping", metavar="TOML", help=t("opt.mapping"))
    i.add_argument("--dry-run", action="store_true", help=t("opt.dry_run"))
    i.add_argument("--skip-bad", action="store_true", help=t("opt.skip_bad"))

    sub.add_parser("check", help=t("help.check"))
    sub.add_parser("repair", help=t("help.repair"))
    f = sub.add_parser("forget", help=t("help.forget"))
    f.add_argument("client", metavar="CLIENT")
    f.add_argument("--keep-backup", action="store_true",
                   help=t("opt.keep_backup"))
    f.add_argument("--yes", action="store_true", help=t("opt.yes"))  # asked only at a terminal
    e = sub.add_parser("export", help=t("help.export"))
    what = e.add_mutually_exclusive_group(required=True)
    what.add_argument("--anonymized", metavar="PATH",
                      help=t("opt.anonymized"))
    what.add_argument("--csv", metavar="PATH", help=t("opt.csv"))
    what.add_argument("--ics", metavar="PATH", help=t("opt.ics"))
    e.add_argument("--days", type=int, default=30, metavar="N", help=t("opt.days"))
    e.add_argument("--shift-dates", action="store_true", help=t("opt.shift"))
    e.add_argument("--consented-only", action="store_true",
                   help=t("opt.consented"))
    e.add_argument("--all-clients", action="store_true", help=t("opt.all_clients"))

    d = sub.add_parser("demo", help=t("help.demo_cmd"))
    d.add_argument("--out", required=True, metavar="PATH")
    d.add_argument("--clients", type=int)
    d.add_argument("--events", type=int)
    d.add_argument("--seed", type=int, default=7)
    d.add_argument("--today", metavar="DATE", help=t("opt.today"))
    d.add_argument("--lang", choices=("ja", "en"), help=t("opt.lang"))

    s = sub.add_parser("schema", help=t("help.schema"))
    s.add_argument("--out", metavar="PATH")

    c = sub.add_parser("config", help=t("help.config"))
    group = c.add_mutually_exclusive_group(required=True)
    group.add_argument("--path", action="store_true", help=t("opt.path"))
    group.add_argument("--init", action="store_true", help=t("opt.init"))

    sub.add_parser("app", help=t("help.app"))

    w = sub.add_parser("serve", help=t("help.serve"))
    w.add_argument("--host", default="127.0.0.1", help=t("opt.host"))
    w.add_argument("--port", type=int, default=8765, help=t("opt.port"))
    w.add_argument("--public-url", metavar="URL", help=t("opt.public_url"))
    w.add_argument("--user", metavar="NAME", help=t("opt.user"))
    st = sub.add_parser("store", help=t("help.store_cmd"))
    doing = st.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    doing.add_parser("init", help=t("help.store_init"))
    cp = doing.add_parser("copy", help=t("help.store_copy"))
    cp.add_argument("--from", dest="source", required=True, metavar="SRC", help=t("opt.store_from"))
    cp.add_argument("--to", dest="dest", required=True, metavar="DST", help=t("opt.store_to"))
    _log_anywhere(p)
    return p


# -- running ----------------------------------------------------------------------------
