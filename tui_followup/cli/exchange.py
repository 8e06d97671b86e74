"""Spreadsheets in and out: ``import`` and ``export``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..core.events import (
    ClientRegistered,
)
from .common import (
    UsageError,
    open_journal,
    warn_problems,
)
from .tables import render


def run_export(args) -> int:
    from ..exchange import exporter
    from ..storage.logfile import readable_by_others
    from ..storage.maintenance import export_anonymized

    words = args.words
    target = args.csv or args.ics or args.anonymized
    if target and Path(target).is_dir():  # a file is written, never over a folder
        raise UsageError(words.t("cli.export_is_dir", path=target))
    if target and not Path(target).parent.is_dir():
        raise UsageError(words.t("cli.export_no_folder", path=target, folder=Path(target).parent))
    journal = open_journal(args)
    warn_problems(journal, words)  # a line left out of the export is named
    mode = readable_by_others(Path(target)) if target else None
    if mode is not None:  # the new file is owner-only; what was there may have been copied already
        print(words.t("cli.export_was_readable", path=target, mode=f"{mode:04o}"), file=sys.stderr)
    if args.csv:
        exporter.write(Path(args.csv), exporter.status_csv(journal, args.settings.lang()))
        print(words.counted("cli.csv_written", len(journal.caseload.registered()), path=args.csv))
        return 0
    if args.ics:
        exporter.write(Path(args.ics), exporter.due_calendar(journal, max(0, args.days)))
        print(words.t("cli.ics_written", path=args.ics, n=len(exporter.calendar_items(journal, max(0, args.days)))))
        return 0
    report = export_anonymized(journal, Path(args.anonymized), shift_dates=args.shift_dates,
                               consented_only=args.consented_only or (journal.policy.consent_required
                                                                      and not args.all_clients))
    for line in report.text(words):
        print(line)
    return 0


def run_import(args) -> int:
    from ..exchange import importer

    words = args.words
    sheet = Path(args.sheet)
    try:
        read = importer.read_sheet(sheet)
        rows = read.rows
        if not rows:
            raise importer.ImportError_("empty", path=sheet)
        mapping = importer.load_mapping(Path(args.mapping)) if args.mapping else None
        columns = importer.match_columns(rows[0], mapping)
    except importer.ImportError_ as exc:
        raise UsageError(words.t(f"sheet.{exc.key}", **exc.params)) from None
    except OSError as exc:
        raise UsageError(words.t("sheet.cannot_read", path=sheet, detail=exc.strerror)) from None
    journal = open_journal(args, use_snapshot=False)  # every id in memory: re-imports look them all up
    plan = importer.plan_rows(rows, columns, journal.tz, journal.clock.now(), set(journal.policy.plans),
                              journal.actor)
    fresh, existing, refused = importer.admit_rows(plan, journal.caseload, journal.policy, journal.tz,
                                                   trust_case_ids=args.trust_case_ids)
    bad = sorted([(number, words.t(f"import.{why[0]}", **why[1])) for number, why in plan.bad]
                 + [(number, words.t(f"import.{why[0]}", **why[1]) if isinstance(why, tuple) else words.error_text(why))
                    for number, why in refused])
    for number, why in bad:
        print(words.t("cli.bad_row", sheet=sheet, row=number, why=why), file=sys.stderr)
    if read.encoding == "cp932":  # not UTF-8: said, in case the sheet was meant to be
        print(words.t("cli.import_cp932", sheet=sheet))
    good_rows = len(plan.rows) - len(refused)
    if args.dry_run:
        table = [(row.number, row.name, row.client, words.event_name(e),
                  words.long_day(e.at.astimezone(journal.tz).date())) for row, e in fresh]
        if table:
            print(render([words.t(f"h.{h}") for h in ("row", "client", "id", "would_record", "on")], table))
        print("\n" + words.t("cli.import_dry", rows=good_rows, fresh=len(fresh), existing=existing, bad=len(bad)))
        return 0
    if bad and not args.skip_bad:
        question = words.t("cli.import_ask", bad=len(bad), rows=good_rows)
        if not sys.stdin.isatty() or input(question).strip().lower() not in ("y", "yes"):
            raise UsageError(words.t("cli.import_refused", bad=len(bad)))
    written = journal.append_events([e for _, e in fresh]) if fresh else []
    clients = sum(1 for e in written if isinstance(e, ClientRegistered))
    print(words.t("cli.import_done", sheet=sheet, rows=good_rows, clients=clients, events=len(written),
                  existing=existing) + (words.t("cli.import_skipped", bad=len(bad)) if bad else ""))
    return 0
