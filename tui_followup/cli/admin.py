"""Looking after the log and the app: ``check``, ``repair``, ``forget``, ``demo``, ``schema``, ``config``, ``app``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..core import commands as cmd
from ..storage.logfile import LogStore, StoreError
from ..wallclock import local_timezone
from .common import (
    REWRITTEN,
    UsageError,
    clock_from_env,
    needs,
    open_journal,
    parse_day,
)


def run_check(args) -> int:
    from ..storage.maintenance import check, readable_files
    from ..storage.store import is_url

    words = args.words
    if is_url(args.log_path):  # said as the URL without its password; a file must be there
        from ..storage.pgstore import label

        path: object = label(args.log_path)
        result = check(args.log_path)
    else:
        path = Path(args.log_path)
        if not path.exists():
            print(words.t("cli.no_log", path=path), file=sys.stderr)
            return 1
        result = check(path)
        for beside, mode in readable_files(path):
            print(words.t("cli.readable_by_others", path=beside, mode=f"{mode:04o}"), file=sys.stderr)
    for problem in result.problems:
        print(f"{path}:{problem.line}: {words.problem_text(problem)}")
    if result.problems:
        print(words.t("cli.check_problems", path=path, n=len(result.problems), lines=result.lines), file=sys.stderr)
        return 1
    chain = {"intact": words.t("chain.intact"), "none": words.t("chain.none"),
             "partial": words.t("chain.partial", links=result.links, visible=result.visible, total=result.total)}.get(
        result.chain_state, words.t("chain.from", line=result.chain_from))
    print(words.t("cli.check_ok", path=path, events=result.events, clients=result.clients, lines=result.lines, chain=chain))
    return 0


def run_demo(args) -> int:
    from ..core.demo import generate

    words = args.words
    tz = local_timezone()
    now = clock_from_env(tz).now().astimezone(tz)
    today = parse_day(args.today, words) if args.today else now.date()
    from ..storage.store import is_url

    if is_url(args.out) or "://" in args.out:  # a URL is no file name (it made folders named after it)
        raise UsageError(words.t("cli.demo_url", path=args.out))
    out = Path(args.out)
    if out.exists() and out.stat().st_size > 0:
        raise UsageError(words.t("cli.demo_exists", path=out))
    events = generate(today, tz, clients=args.clients, events=args.events, seed=args.seed, lang=args.lang,
                      now=now if today == now.date() else None)  # (nothing of it after now)
    LogStore(out).append(events)
    written = words.t("cli.demo_written", path=out, events=len(events), clients=len({e.client for e in events}),
                      day=words.long_day(today))
    del events
    # Read back as any command reads a log, leaving its snapshot when it is big enough: the
    # first start on a big demo is then as quick as every later one (1.8 s more at 1M events).
    args.log_path = str(out)
    open_journal(args, write_snapshot=True)
    print(written)
    return 0


def run_schema(args) -> int:
    from ..core.schema import schema_json

    text = schema_json()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def run_app(args) -> int:
    from ..storage.store import is_url
    from ..ui.app import run

    where = args.log_path if is_url(args.log_path) else Path(args.log_path)
    return run(where, clock=clock_from_env(local_timezone()), settings=args.settings)


def run_demo_app(args) -> int:
    """``--demo``: a fresh demo, dated today, in the log named by ``--log`` / ``--store`` /
    ``FOLLOWUP_LOG`` / ``FOLLOWUP_STORE`` (else the demo's own file), and the app on it. A log
    that holds something other than a demo is never written over."""
    import os

    from ..core.demo import generate
    from ..storage.store import is_url

    tz = local_timezone()
    from .. import paths

    words = args.words
    named = (getattr(args, "store", None) or getattr(args, "log", None) or os.environ.get("FOLLOWUP_STORE")
             or os.environ.get("FOLLOWUP_LOG"))  # (not config.toml's store: that is the real caseload)
    if named and is_url(named):
        raise UsageError(words.t("cli.demo_not_a_file"))
    path = Path(named).expanduser() if named else paths.demo_log_path()
    if not _demo_or_empty(path):
        raise UsageError(words.t("cli.demo_not_over", path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in (path, path.with_name(path.name + ".head"), path.with_name(path.name + ".snapshot")):
        old.unlink(missing_ok=True)  # a fresh demo every time, dated today
    now = clock_from_env(tz).now().astimezone(tz)
    LogStore(path).append(generate(now.date(), tz, lang=args.settings.chosen_lang(), now=now))
    args.log_path = str(path)
    return run_app(args)


def _demo_or_empty(path: Path) -> bool:
    """Whether ``path`` may take a fresh demo: missing, empty, or a demo (its first event is
    the demo's, actor "demo")."""
    from ..core.codec import decode_lines

    try:
        with open(path, "rb") as f:
            first = f.readline(1 << 20)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if not first.strip():
        return path.stat().st_size == 0 or not path.read_bytes().strip()
    events, _, _ = decode_lines(first)
    return bool(events) and events[0].actor == "demo"


def run_repair(args) -> int:
    from ..storage.maintenance import repair
    from ..storage.store import REPAIR

    needs(args, REPAIR, "repair")
    report = repair(Path(args.log_path), accept_shorter=args.accept_shorter)
    for line in report.text(args.words):
        print(line)
    return 1 if report.unresolved else 0


def run_forget(args) -> int:
    from ..storage.maintenance import forget
    from ..storage.store import SNAPSHOT

    words = args.words
    journal = open_journal(args, use_snapshot=False)
    try:
        facts = cmd.resolve_client(journal.caseload, args.client)
    except cmd.CommandError as exc:
        raise UsageError(str(exc)) from None
    if not args.yes and sys.stdin.isatty():  # a person at a terminal is asked once; scripts are not
        answer = input(words.t("cli.forget_confirm", name=words.name_of(facts), client=facts.id, path=journal.store.path))
        if answer.strip().lower() not in ("y", "yes"):
            print(words.t("cli.nothing_changed"))
            return 1
    for line in forget(journal, facts.id, keep_backup=args.keep_backup).text(words):
        print(line)
    if SNAPSHOT in journal.store.capabilities:  # its snapshot was deleted: rebuilt before exit
        REWRITTEN.append(args)
    return 0


def run_config(args) -> int:
    from .. import settings

    words = args.words
    if args.path:
        print(settings.config_path())
        return 0
    print(words.t("cli.config_written", path=settings.init()))
    return 0


def run_store(args) -> int:
    """``followup store init`` (the server's schema, idempotent) and ``followup store copy``."""
    from ..storage.store import ROLES, SCHEMA, RolesStore, SchemaStore, is_url, open_store

    words = args.words
    if args.store_command in ("grant", "revoke"):
        store = open_store(args.log_path)
        if ROLES not in store.capabilities:
            raise UsageError(words.t("cli.store_grant_file"))
        assert isinstance(store, RolesStore)
        if args.store_command == "revoke":
            held = store.assigned_to(args.name)  # never forgotten: no client left visible to no counselor
            if held and not args.reassign_to:
                raise StoreError("revoke_assigned", path=store.path, role=args.name, count=len(held), client=held[0])
            if held:
                granted = store.granted()
                if args.reassign_to == args.name or args.reassign_to not in granted:
                    raise StoreError("reassign_not_granted", path=store.path, to=args.reassign_to, role=args.name,
                                     roles=", ".join(r for r in granted if r != args.name))
                journal = open_journal(args)
                for client in held:
                    journal.record(cmd.assign, ref=client, to=args.reassign_to,
                                   reason=words.t("cli.revoke_reason", role=args.name))
            store.revoke(args.name)
            if held:
                print(words.t("cli.store_reassigned", count=len(held), name=args.name, to=args.reassign_to))
            print(words.t("cli.store_revoked", name=args.name, path=store.path))
            return 0
        created = store.grant(args.name, args.role)
        print(words.t("cli.store_granted", name=args.name, role=words.t(f"cli.role_{args.role}"), path=store.path))
        if created:
            print(words.t("cli.store_role_created", name=args.name))
        return 0
    if args.store_command == "init":
        store = open_store(args.log_path)
        if SCHEMA not in store.capabilities:  # a file needs no preparing
            print(words.t("cli.store_init_file", path=args.log_path))
            return 0
        assert isinstance(store, SchemaStore)
        applied = store.init()
        if applied:
            print(words.t("cli.store_init_done", path=store.path, version=store.schema_latest,
                          applied=", ".join(str(n) for n in applied)))
        else:
            print(words.t("cli.store_init_current", path=store.path, version=store.schema_latest))
        restored = store.restore_head()
        if restored is not None:  # its row was deleted: written again from the rows there, said
            print(words.t("cli.store_head_written", path=store.path, lines=restored))
        moved = store.move_head_forward()
        if moved is not None:  # rows past the head, each following the one before: acknowledged now
            print(words.t("cli.store_head_moved", path=store.path, head=moved[0], lines=moved[1]))
        database = store.public_connects()
        if database is not None:  # advice, once per init while it holds
            plain = database.isidentifier() and database == database.lower()
            quoted = database if plain else '"' + database.replace('"', '""') + '"'
            print(words.t("cli.store_public_connect", database=quoted))
        return 0
    from ..storage.pgstore import label
    from ..storage.transfer import copy_store

    source = args.source if is_url(args.source) else str(Path(args.source).expanduser())
    dest = args.dest if is_url(args.dest) else str(Path(args.dest).expanduser())
    result = copy_store(source, dest)
    if result.was_readable is not None:  # made owner-only now; what was there may have been copied
        print(words.t("cli.copy_was_readable", path=dest, mode=f"{result.was_readable:04o}"), file=sys.stderr)
    for problem in result.unreadable[:5]:
        print(f"followup: {words.t('cli.warning')}: {label(source)}:{problem.line}: {words.problem_text(problem)}", file=sys.stderr)
    for problem in result.problems:
        print(f"{label(dest)}:{problem.line}: {words.problem_text(problem)}", file=sys.stderr)
    if not result.ok:
        print(words.t("cli.store_copy_failed", dest=label(dest), n=len(result.problems)), file=sys.stderr)
        return 1
    if result.erased:
        print(words.t("cli.store_copy_erased", dest=label(dest), n=result.erased))
    print(words.t("cli.store_copied", source=label(source), dest=label(dest), copied=result.copied,
                  already=result.already, total=result.dest_events, unreadable=len(result.unreadable)))
    return 0


def _where(location: str):
    from ..storage.pgstore import label
    from ..storage.store import is_url

    return location if is_url(location) else str(Path(location).expanduser()), label(location)


def run_backup(args) -> int:
    from ..storage.backup import backup

    words = args.words
    source, shown = _where(args.log_path)
    result = backup(source, Path(args.target).expanduser())
    print(words.t("cli.backup_done", path=result.path, source=shown, events=result.events, last=result.last))
    return 0


def run_restore(args) -> int:
    from ..storage.backup import restore
    from ..storage.maintenance import check

    words = args.words
    dest, shown = _where(args.log_path)
    erasures = _where(args.erasures_from)[0] if args.erasures_from else None
    result = restore(Path(args.source).expanduser(), dest, erasures_from=erasures)
    print(words.t("cli.restore_done", path=args.source, dest=shown, events=result.events))
    if erasures is not None:
        print(words.t("cli.restore_reapplied", n=result.erased, source=_where(args.erasures_from)[1]))
    else:
        print(words.t("cli.restore_warning", dest=shown), file=sys.stderr)
    checked = check(dest)
    for problem in checked.problems:
        print(f"{shown}:{problem.line}: {words.problem_text(problem)}")
    if checked.problems:
        print(words.t("cli.check_problems", path=shown, n=len(checked.problems), lines=checked.lines), file=sys.stderr)
        return 1
    chain = {"intact": words.t("chain.intact"), "none": words.t("chain.none")}.get(
        checked.chain_state, words.t("chain.from", line=checked.chain_from))
    print(words.t("cli.check_ok", path=shown, events=checked.events, clients=checked.clients, lines=checked.lines,
                  chain=chain))
    return 0
