"""The ``followup`` command: the same commands as the app, for the shell and for scripts.

Tables for people, ``--json`` for scripts. A refused command prints one line to stderr and
exits 2, writing nothing; a traceback never reaches the user.
"""

from __future__ import annotations

import os
import sys
from typing import Sequence

from ..core import commands as cmd
from ..i18n import CATALOGUE_PROBLEM, words_for
from ..storage.journal import in_background
from ..storage.logfile import StoreError
from ..storage.sizes import Sizes
from .admin import (
    run_app,
    run_backup,
    run_check,
    run_config,
    run_demo,
    run_demo_app,
    run_forget,
    run_repair,
    run_restore,
    run_schema,
    run_store,
)
from .common import OPENED, REWRITTEN, UsageError, VisibleText, check_counts, open_journal, store_location
from .exchange import run_export, run_import
from .parser import build_parser
from .record import run_record
from .reports import run_audit, run_due, run_history, run_status, run_trend
from .serve import run_serve

COMMANDS = {
    "record": run_record, "due": run_due, "status": run_status, "history": run_history,
    "serve": run_serve,
    "config": run_config, "import": run_import, "audit": run_audit, "trend": run_trend, "check": run_check, "repair": run_repair, "forget": run_forget, "export": run_export, "demo": run_demo, "schema": run_schema, "app": run_app, "store": run_store, "backup": run_backup, "restore": run_restore,
}


def _save_snapshots(background: bool) -> None:
    """Leave a snapshot beside a big log that had none (or an old one), so that the next
    command starts from it. In the background when the command runs as the console script:
    the answer is out already, and the snapshot (about 0.3 s at 1M events) follows it."""
    if background:
        sys.stdout.flush()
        sys.stderr.flush()
    for journal in OPENED:  # (kept, not popped: tearing a big caseload down costs 0.1 s)
        if journal.until is None:
            journal.save_snapshot_if_stale(background=background)
    for args in REWRITTEN:
        # `forget` deleted the snapshot, which held the erased name: the next start would read
        # the whole log. The new file is read again (never the facts read before it) for one.
        def read_again(args=args) -> None:
            open_journal(args, write_snapshot=True)

        if not (background and in_background(read_again)):
            read_again()


def _not_utf8(argv: Sequence[str]) -> str:
    """The first argument holding bytes that are not UTF-8 (Python keeps them as lone surrogates),
    shown with each such byte as ``\\x9b``; "" when every argument is text."""
    for arg in argv:
        if any("\udc80" <= ch <= "\udcff" for ch in arg):
            return "".join(f"\\x{ord(ch) - 0xDC00:02x}" if "\udc80" <= ch <= "\udcff" else ch for ch in arg)
    return ""


def main(argv: Sequence[str] | None = None, background: bool = False, sizes: Sizes | None = None) -> int:
    """Run one command; whatever it prints shows control characters visibly (VisibleText).
    ``sizes``: where the ways of opening a log change (None: ``sizes.DEFAULT_SIZES``)."""
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = VisibleText(sys.stdout), VisibleText(sys.stderr)
    try:
        return _main(argv, background, sizes)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: Sequence[str] | None, background: bool, sizes: Sizes | None = None) -> int:
    from .. import settings

    OPENED.clear()
    REWRITTEN.clear()

    try:
        loaded, problem = settings.load(), None
    except settings.SettingsError as exc:
        loaded, problem = settings.Settings(), exc
    words = words_for(loaded.lang())  # the user's language, passed to every command as args.words
    if CATALOGUE_PROBLEM is not None:  # a language of $FOLLOWUP_I18N_DIR that cannot be used: --help and the app too
        print(f"followup: {words.error_text(CATALOGUE_PROBLEM)}", file=sys.stderr)
        return 2
    undecodable = _not_utf8(sys.argv[1:] if argv is None else argv) or \
        _not_utf8([f"FOLLOWUP_ACTOR={os.environ.get('FOLLOWUP_ACTOR', '')}"])  # who records, as bytes too
    if undecodable:
        print(f"followup: {words.t('cli.argv_not_utf8', arg=undecodable)}", file=sys.stderr)
        return 2
    parser = build_parser(words)
    args = parser.parse_args(argv)
    args.log_path = store_location(args, loaded)  # a JSONL file, or a server store's URL
    if problem is not None and args.command != "config":
        print(f"followup: {words.error_text(problem)}", file=sys.stderr)
        return 2
    args.settings = loaded
    args.words = words
    args.sizes = sizes
    try:
        check_counts(args, words)
        if args.demo:
            return run_demo_app(args)
        code = COMMANDS.get(args.command or "app", run_app)(args)
        _save_snapshots(background)
        return code
    except (cmd.CommandError, settings.SettingsError, StoreError, PermissionError) as exc:
        print(f"followup: {words.error_text(exc)}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"followup: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last guard: one line for the user, the rest on request
        if args.debug or os.environ.get("FOLLOWUP_DEBUG", "") not in ("", "0"):
            import traceback

            traceback.print_exc(file=sys.stderr)
        print(f"followup: {words.t('cli.internal_error', kind=type(exc).__name__, detail=exc)}", file=sys.stderr)
        return 3


def entry() -> None:
    """The console script: run, flush, and leave without tearing down a million objects
    one by one (the log is already fsynced; nothing else is pending)."""
    code = main(background=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(code)


if __name__ == "__main__":
    entry()
