"""The message catalogue: every word the app and the command line show, in English and Japanese.

``t(key, **params)`` says a message in the current language (``set_language``: from the
settings, else LANG). Codes that scripts rely on (JSON keys and values, labels such as ``1w``
in ``--json`` output) are never translated; only what people read is.
"""

from __future__ import annotations

from datetime import date

from .core.commands import CommandError

LANGUAGES = ("en", "ja")
_current = "en"

WEEKDAYS_JA = "月火水木金土日"

M: dict[str, tuple[str, str]] = {
    # -- screens and navigation
    "screen.today": ("Today", "今日"),
    "screen.clients": ("Clients", "クライアント"),
    "screen.audit": ("Audit", "監査"),
    "screen.review": ("Weekly review", "週次レビュー"),
    "screen.past": ("Today, as it was", "過去の今日"),
    "screen.replay": ("Replay · {name}", "再生 · {name}"),
    "key.today": ("Today", "今日"),
    "key.clients": ("Clients", "一覧"),
    "key.audit": ("Audit", "監査"),
    "key.review": ("Review", "レビュー"),
    "key.past": ("Past day", "過去の日"),
    "key.keys": ("Keys", "キー"),
    "key.open": ("Open", "開く"),
    "key.undo": ("Undo", "取り消し"),
    "key.back": ("Back", "戻る"),
    "key.close_screen": ("Close", "閉じる"),
    "key.sort": ("Sort", "並べ替え"),
    "key.filter": ("Filter", "絞り込み"),
    "key.state": ("State", "状態"),
    "key.add_client": ("Add client", "新規登録"),
    "key.step_back": ("Back", "前へ"),
    "key.step_forward": ("Forward", "次へ"),
    "key.first": ("First", "最初"),
    "key.last": ("Last", "最後"),
    "key.cancel": ("Cancel", "取消"),
    "key.copy": ("Copy text", "文面をコピー"),
    "note.copied": ("Copied to the clipboard", "クリップボードにコピーしました"),
    "form.copy_help": (" · Ctrl+Y: copy the text again", " · Ctrl+Y: 文面をもう一度コピー"),
    "key.save": ("Save", "保存"),
    "key.yes": ("Yes", "はい"),
    "key.no": ("No", "いいえ"),
    "key.message": ("Message", "連絡"),
    "key.session": ("Session", "面談"),
    "key.reply": ("Reply", "返信"),
    "key.snooze": ("Snooze", "延期"),
    "key.promise": ("Promise", "約束"),
    "key.pause": ("Pause", "休止"),
    "key.resume": ("Resume", "再開"),
    "key.close": ("Close", "終結"),
    "key.reopen": ("Reopen", "再開案件"),
    "key.note": ("Note", "メモ"),
    "key.replay": ("Replay", "再生"),
    "tip.message": ("Record a message sent (template ready to copy)", "送った連絡を記録（文面はコピー済み）"),
    "tip.session": ("Record a session held", "面談を記録"),
    "tip.reply": ("Record a reply received", "返信を記録"),
    "tip.snooze": ("Move the follow-up to later", "フォローを後にずらす"),
    "tip.promise": ("Record a promise made", "約束を記録"),
    "tip.pause": ("Pause the client", "休止にする"),
    "tip.resume": ("Resume a paused client", "休止から再開"),
    "tip.close": ("Close the case (asks first)", "終結する（確認あり）"),
    "tip.reopen": ("Reopen a closed case", "終結した案件を再開"),
    "tip.note": ("Add a note", "メモを追加"),
    "tip.replay": ("Step through the client's history", "経過を一つずつ再生"),
    # -- Today
    "today.counts": ("{overdue} overdue", "期限超過 {overdue}"),
    "today.due_today": ("{n} today", "今日 {n}"),
    "today.later": ("{n} later this week", "今週 あと{n}"),
    "today.empty": ("Nothing due this week. Press 2 for all clients.", "今週の予定はありません。2 で全員を表示します。"),
    "col.client": ("Client", "クライアント"),
    "col.due_for": ("Due for", "種別"),
    "col.why": ("Why", "理由"),
    "col.due": ("Due", "期日"),
    "col.overdue": ("Overdue", "超過"),
    "col.channel": ("Channel", "連絡手段"),
    "col.last_contact": ("Last contact", "最終接触"),
    "col.done": ("Done?", "実施"),
    "col.id": ("Id", "ID"),
    "col.state": ("State", "状態"),
    "col.plan": ("Plan", "プラン"),
    "col.next_due": ("Next due", "次回"),
    "col.for": ("For", "種別"),
    "col.when": ("When", "日時"),
    "col.what": ("What", "内容"),
    "col.by": ("By", "記録者"),
    "col.details": ("Details", "詳細"),
    "col.n": ("#", "#"),
    "col.contacts": ("Contacts", "接触"),
    "col.sessions": ("Sessions", "面談"),
    "col.median_gap": ("Median gap", "間隔(中央値)"),
    "col.first_follow_up": ("1st follow-up", "初回フォロー"),
    "col.on_time": ("On time", "期限内"),
    "col.flags": ("Flags", "注意"),
    "col.weeks": ("Last 12 weeks", "直近12週"),
    "col.last_message": ("Last message", "最後の連絡"),
    "col.days": ("Days", "日数"),
    "col.since": ("Since", "から"),
    "col.on": ("On", "日付"),
    "col.days_ago": ("Days ago", "何日前"),
    "col.consents": ("consents", "同意"),
    "word.today": ("today", "今日"),
    "word.days": ("{n} d", "{n}日"),
    "word.not_yet": ("not yet", "未実施"),
    "word.done_on": ("{day} (+{n} d)", "{day}（+{n}日）"),
    "word.none": ("none", "なし"),
    # -- client screen
    "client.gone": ("This client is no longer registered.", "このクライアントは登録されていません。"),
    "client.nothing_due": ("nothing due", "予定なし"),
    "client.closed_note": (" (case closed)", "（終結）"),
    "client.due": ("{reason} due {day}", "{reason} {day}"),
    "client.overdue": (", {n} days overdue", "、{n}日超過"),
    "client.none_recorded": ("none recorded", "記録なし"),
    "client.given": ("{scope} ✓", "{scope} ✓"),
    "client.withdrawn": ("{scope} ✗ withdrawn", "{scope} ✗ 撤回"),
    "label.state": ("State", "状態"),
    "label.plan": ("Plan", "プラン"),
    "label.channel": ("Channel", "連絡手段"),
    "label.last_contact": ("Last contact", "最終接触"),
    "label.sessions": ("Sessions", "面談"),
    "label.contacts": ("Contacts", "接触"),
    "label.next": ("Next", "次回"),
    "label.next_step": ("Agreed next step", "合意した次の一歩"),
    "label.consents": ("Consents", "同意"),
    "timeline.retracts": ("retracts {what}: {reason}", "{what} を取り消し: {reason}"),
    "timeline.retracted": ("(retracted: {reason})", "（取り消し: {reason}）"),
    # -- replay
    "replay.step": ("Step {n} of {total}", "{total} 件中 {n} 件目"),
    "replay.event": ("Event  ", "出来事 "),
    "replay.when": ("When   ", "日時   "),
    "replay.by": ("By     ", "記録者 "),
    "replay.recorded": ("  (recorded {when})", "（記録 {when}）"),
    "replay.details": ("Details ", "詳細   "),
    "replay.retracted": ("Retracted: {reason}", "取り消し: {reason}"),
    "replay.after": ("After this event", "この時点で"),
    "replay.state": ("State  ", "状態   "),
    "replay.open": ("Open   ", "予定   "),
    "replay.no_events": ("No events.", "記録がありません。"),
    "past.placeholder": ("a past day, YYYY-MM-DD, then Enter", "過去の日付 YYYY-MM-DD を入力して Enter"),
    "past.read_only": ("{day} (read-only)", "{day}（閲覧のみ）"),
    "past.counts": (" As of the end of {day}: {overdue} overdue, {today} due that day",
                    " {day} の終わり時点: 期限超過 {overdue}件、当日 {today}件"),
    # -- audit
    "audit.sorted": ("as of {day} · sorted by {by}", "{day} 時点 · {by}順"),
    "audit.summary": (" On time: {share} of {due} checkpoints · {flagged} clients flagged · closed: {closed}",
                      " 期限内: {due}件中 {share} · 注意 {flagged}人 · 終結: {closed}"),
    "audit.chart": (" {name}: contacts per week, last 12 weeks (max {max})", " {name}: 週ごとの接触、直近12週（最大 {max}）"),
    "sort.name": ("name", "名前"),
    "sort.flags": ("flags", "注意"),
    "sort.on_time": ("on time", "期限内"),
    "sort.median_gap": ("median gap", "間隔"),
    "sort.contacts": ("contacts", "接触数"),
    # -- weekly review
    "review.week": ("week of {day}", "{day} の週"),
    "review.waiting": ("Waiting for a reply", "返信待ち"),
    "review.no_next_step": ("Active, no next step", "次の一歩が未定"),
    "review.to_thank": ("Made progress: thank them", "前進あり：お礼を"),
    "review.no_reply": ("no reply since your message", "連絡後まだ返信なし"),
    "review.nothing_planned": ("nothing planned", "予定なし"),
    "review.no_step_agreed": ("last session agreed no next step", "前回面談で次の一歩を決めていない"),
    "review.replied": ("replied", "返信あり"),
    "review.came": ("came to a session", "面談に来た"),
    # -- clients
    "clients.filter": ("type to filter by name or id (/)", "名前かIDで絞り込み (/)"),
    "clients.showing": ("{shown} of {total} · showing {state}", "{total}人中 {shown}人 · {state}"),
    "state.all": ("all", "すべて"),
    # -- forms
    "form.bad_value": ("a date (YYYY-MM-DD), a time (YYYY-MM-DD HH:MM) or a number could not be read",
                       "日付（YYYY-MM-DD）、日時（YYYY-MM-DD HH:MM）か数値が読めません"),
    "form.enter": ("Enter: {label} · Esc: cancel", "Enter: {label} · Esc: 取消"),
    "form.confirm_help": ("y / Enter: yes · n / Esc: no", "y / Enter: はい · n / Esc: いいえ"),
    "form.when": ("When (empty: now; or YYYY-MM-DD HH:MM)", "日時（空欄は現在。YYYY-MM-DD HH:MM）"),
    "form.now": ("now", "現在"),
    "form.channel": ("Channel", "連絡手段"),
    "form.summary_optional": ("Summary (optional)", "要約（任意）"),
    "form.message_title": ("Message sent to {name} ({label})", "{name} さんへの連絡（{label}）"),
    "form.record_message": ("Record message", "連絡を記録"),
    "form.template": ("template {label} · copied to the clipboard", "文面 {label} · クリップボードにコピー済み"),
    "form.session_title": ("Session held with {name}", "{name} さんとの面談"),
    "form.minutes": ("Minutes", "時間（分）"),
    "form.summary": ("Summary", "要約"),
    "form.next_step": ("Agreed next step", "合意した次の一歩"),
    "form.record_session": ("Record session", "面談を記録"),
    "form.reply_title": ("Reply from {name}", "{name} さんからの返信"),
    "form.reply_what": ("What they said (optional)", "内容（任意）"),
    "form.record_reply": ("Record reply", "返信を記録"),
    "form.snooze_title": ("Snooze {name}'s follow-up", "{name} さんのフォローを延期"),
    "form.reason": ("Reason", "理由"),
    "form.until": ("Until", "いつまで"),
    "form.plus_day": ("+1 day ({day})", "+1日（{day}）"),
    "form.plus_3": ("+3 days ({day})", "+3日（{day}）"),
    "form.plus_week": ("+1 week ({day})", "+1週間（{day}）"),
    "form.or_date": ("…or a date (YYYY-MM-DD)", "…または日付（YYYY-MM-DD）"),
    "form.or_date_hint": ("overrides the choice above", "上の選択より優先"),
    "form.snooze": ("Snooze", "延期する"),
    "form.snooze_item_title": ("Snooze {name}'s {label} (due {due})", "{name} さんの{label}（期日 {due}）を延期"),
    "form.reschedule_title": ("Reschedule the promise to {name}: {what} (due {due})",
                              "{name} さんへの約束「{what}」（期日 {due}）の期日を変える"),
    "form.reschedule": ("Reschedule", "期日を変える"),
    "form.wait_title": ("Wait before deciding about {name} (due {due})", "{name} さんについての判断を待つ（期日 {due}）"),
    "confirm.pace": ("{name} already had {count} messages in the last 7 days (your limit: {limit}). Record another one?",
                     "{name} さんにはこの7日間ですでに {count} 件連絡しています（上限 {limit} 件）。さらに記録しますか？"),
    "today.missed": ("{label} · missed {labels}", "{label}・{labels}は見送り"),
    "form.promise_title": ("Promise to {name}", "{name} さんとの約束"),
    "form.what_promised": ("What you promised", "約束した内容"),
    "form.due": ("Due (YYYY-MM-DD)", "期日（YYYY-MM-DD）"),
    "form.record_promise": ("Record promise", "約束を記録"),
    "form.pause_title": ("Pause {name}", "{name} さんを休止"),
    "form.pause_reason": ("Reason (the client's words)", "理由（ご本人の言葉で）"),
    "form.pause": ("Pause", "休止する"),
    "form.reopen_title": ("Reopen the case of {name}", "{name} さんの案件を再開"),
    "form.why": ("Why", "理由"),
    "form.reopen": ("Reopen", "再開する"),
    "form.note_title": ("Note on {name}", "{name} さんのメモ"),
    "form.note": ("Note", "メモ"),
    "form.add_note": ("Add note", "メモを追加"),
    "form.close_title": ("Close the case of {name}", "{name} さんの案件を終結"),
    "form.closing_summary": ("Closing summary", "終結のまとめ"),
    "form.close_case": ("Close case", "終結する"),
    "form.register_title": ("Register a new client", "新しいクライアントを登録"),
    "form.name": ("Name", "氏名"),
    "form.client_id": ("Id (one word, e.g. a case number)", "ID（一語。ケース番号など）"),
    "form.plan": ("Plan", "プラン"),
    "form.register": ("Register", "登録"),
    "confirm.close": ("Close the case of {name} ({reason})? Nothing will be due for them until it is reopened.",
                      "{name} さんの案件を終結しますか（{reason}）？ 再開するまで予定は出ません。"),
    "confirm.undo": ("Undo {what} for {name} ({when})? A retraction is recorded; the event then counts as never having happened.",
                     "{name} さんの「{what}」（{when}）を取り消しますか？ 取り消しが記録され、この出来事はなかったものとして扱われます。"),
    # -- notifications
    "note.recorded": ("Recorded", "記録しました"),
    "note.not_recorded": ("Not recorded", "記録されませんでした"),
    "note.select_client": ("Select a client first.", "先にクライアントを選んでください。"),
    "note.unknown_client": ("unknown client {client!r}", "クライアント {client!r} は登録されていません"),
    "note.nothing_to_undo": ("Nothing recorded in this window to undo.", "この画面で記録したものはありません。"),
    "note.log_problems_title": ("Log problems", "ログの問題"),
    "note.log_problems": ("{n} unreadable line(s) in {path}, first at line {line}: {message}. Every other event is shown; run `followup check`.",
                          "{path} に読めない行が {n} 行あります（最初は {line} 行目: {message}）。ほかの記録はすべて表示しています。`followup check` で確認してください。"),
    "note.skipped_title": ("Unreadable line skipped", "読めない行を飛ばしました"),
    "note.repaired_title": ("Log repaired", "ログを修復しました"),
    "note.read_only": ("this is a view of the past: nothing can be recorded in it", "過去の表示です。記録はできません"),
    "undo.reason": ("undone in the app", "アプリで取り消し"),
    # -- palette
    "palette.go": ("Go to: {title}", "移動: {title}"),
    "palette.go_today": ("the due list", "今日の予定"),
    "palette.go_clients": ("everyone", "全員"),
    "palette.go_audit": ("contact frequency and timeliness", "接触頻度と期限"),
    "palette.go_review": ("waiting, no next step, to thank", "返信待ち・次の一歩未定・お礼"),
    "palette.go_past": ("Today as it was on a past day", "過去のある日の「今日」"),
    "palette.register": ("Client: register a new client", "クライアント: 新規登録"),
    "palette.register_help": ("add someone to the caseload", "担当に追加"),
    "palette.open_client": ("Open client: {name} ({client})", "クライアントを開く: {name}（{client}）"),
    "palette.action": ("{name}: {action}", "{name}: {action}"),
    "palette.for": ("for {name} ({client})", "{name}（{client}）"),
    "palette.undo": ("Undo the last event recorded here", "ここで記録した最後の出来事を取り消す"),
    "palette.undo_help": ("records a retraction, after asking", "確認のうえ取り消しを記録"),
    "app.reading": ("Reading {path} from its first line ({mb} MB, the first time only)…",
                    "{path} を最初から読んでいます（{mb} MB、初回のみ）…"),
    # -- CLI
    "cli.nothing_due": ("Nothing due on {day}.", "{day} の予定はありません。"),
    "cli.due_summary": ("{overdue} overdue, {today} due today, {later} later (as of {day})",
                        "期限超過 {overdue}件、今日 {today}件、このあと {later}件（{day} 時点）"),
    "cli.closed_by_reason": ("Cases closed by reason: {reasons}", "終結の理由: {reasons}"),
    "cli.history_head": ("{name} ({client}) · {state} · plan {plan} · prefers {channel}",
                         "{name}（{client}）· {state} · プラン {plan} · 希望の連絡手段 {channel}"),
    "cli.warning": ("warning", "警告"),
    "cli.more_problems": ("{n} more unreadable lines; run `followup check`", "ほかに読めない行が {n} 行あります。`followup check` を実行してください"),
    "cli.no_log": ("{path}: no such log", "{path}: ログがありません"),
    "cli.check_problems": ("{path}: {n} problem(s) in {lines} lines", "{path}: {lines} 行中 {n} 件の問題"),
    "cli.check_ok": ("{path}: OK, {events} events, {clients} clients, {lines} lines, {chain}",
                     "{path}: 問題なし、記録 {events} 件、クライアント {clients} 人、{lines} 行、{chain}"),
    "chain.intact": ("hash chain intact", "ハッシュチェーン正常"),
    "chain.from": ("hash chain intact from line {line}", "{line} 行目からハッシュチェーン正常"),
    "chain.none": ("no hash chain (schema version 1 log)", "ハッシュチェーンなし（スキーマ版1のログ）"),
    "cli.demo_written": ("{path}: {events} events for {clients} clients, opening on {day}",
                         "{path}: {clients} 人分 {events} 件の記録（{day} 時点）"),
    "cli.csv_written": ("{path}: {n} clients", "{path}: {n} 人"),
    "cli.ics_written": ("{path}: {n} follow-ups", "{path}: フォロー {n} 件"),
    "cli.nothing_changed": ("nothing was changed", "何も変更していません"),
    "cli.forget_confirm": ("Erase every name, note and text of {name} ({client}) from {path}? [y/N] ",
                           "{path} から {name}（{client}）さんの氏名・メモ・本文をすべて消去しますか？ [y/N] "),
    "opt.channel_default": ("the channel used (default: the client's preferred channel)",
                            "連絡手段（既定: クライアントの希望する連絡手段）"),
    "help.debug": ("print the full traceback of an unexpected error (also: FOLLOWUP_DEBUG=1)",
                   "想定外のエラーのトレースバックをすべて表示する（FOLLOWUP_DEBUG=1 でも同じ）"),
    "cli.internal_error": ("internal error: {kind}: {detail} (run with --debug for details)",
                           "内部エラー: {kind}: {detail}（詳しくは --debug を付けて実行してください）"),
    "cli.bad_row": ("{sheet}: row {row}: {why}", "{sheet}: {row} 行目: {why}"),
    "cli.import_dry": ("{rows} rows, {fresh} events to record, {existing} already in the log, {bad} bad rows. Nothing was written (dry run).",
                       "{rows} 行、記録する出来事 {fresh} 件、記録済み {existing} 件、読めない行 {bad} 行。何も書き込んでいません（試行）。"),
    "cli.import_ask": ("{bad} row(s) above cannot be imported. Import the other {rows} and skip them? [y/N] ",
                       "上の {bad} 行は取り込めません。残りの {rows} 行を取り込みますか？ [y/N] "),
    "cli.import_refused": ("{bad} bad row(s): nothing was written; fix them, or add --skip-bad",
                           "読めない行が {bad} 行あります。何も書き込んでいません。直すか --skip-bad を付けてください"),
    "cli.import_done": ("{sheet}: {rows} rows imported: {clients} new clients, {events} events recorded, {existing} already in the log",
                        "{sheet}: {rows} 行を取り込みました。新しいクライアント {clients} 人、記録 {events} 件、記録済み {existing} 件"),
    "cli.import_skipped": (", {bad} bad rows skipped", "、読めない {bad} 行は飛ばしました"),
    "cli.config_written": ("wrote {path}", "{path} を作成しました"),
    "import.no_name": ("no name", "氏名がありません"),
    "import.same_case": ("case {case} is also row {row} ({name})", "ケース {case} は {row} 行目（{name}）と重複しています"),
    "import.bad_date": ("{text!r} is not a date (use 2026-11-01, 2026/11/01 or 2026年11月1日)",
                        "{text!r} は日付ではありません（2026-11-01、2026/11/01、2026年11月1日 の形で）"),
    "import.unknown_plan": ("unknown plan {plan!r}", "プラン {plan!r} はありません"),
    "import.unknown_channel": ("unknown channel {channel!r}", "連絡手段 {channel!r} はありません"),
    "m.backup": ("backup of the whole log written to {path}", "ログ全体のバックアップを {path} に書きました"),
    "m.clean_end": ("the log now ends on a whole line; the next event starts on a clean one",
                    "ログは完全な行で終わっています。次の記録は新しい行から始まります"),
    "m.nothing_to_repair": ("{path}: nothing to repair, the log ends on a whole line", "{path}: 修復は不要です（完全な行で終わっています）"),
    "m.middle_problems": ("{n} unreadable line(s) in the middle remain, first at line {line}; they are skipped by every view and never deleted (`followup check` lists them)",
                          "途中に読めない行が {n} 行残っています（最初は {line} 行目）。どの表示でも飛ばし、削除はしません（`followup check` で一覧）"),
    "m.unknown_kept": ("line {line}: an event of an unknown type for this client was kept as it is; a newer version of this program can erase it",
                       "{line} 行目: 未知の種類の記録はそのまま残しました。新しい版のプログラムで消去できます"),
    "m.erased": ("{name} ({client}): personal fields erased from {n} event(s); their events now belong to {new}",
                 "{name}（{client}）: {n} 件の記録から個人情報を消去しました。記録は {new} に付け替えました"),
    "m.reanchored": ("the hash chain was re-anchored from line {line}; a client_forgotten event records the old head {head}",
                     "ハッシュチェーンを {line} 行目から付け直しました。以前の末尾 {head} は client_forgotten に記録しています"),
    "m.backup_kept": ("WARNING: the backup {path} still holds everything that was erased; delete it when you no longer need it",
                      "注意: バックアップ {path} には消去した内容が残っています。不要になったら削除してください"),
    "m.backup_deleted": ("the pre-rewrite backup was deleted after the new log was safely in place",
                         "新しいログが書き終わったので、書き換え前のバックアップは削除しました"),
    "m.copies": ("copies that may still hold this client's data: {paths}", "このクライアントの情報が残っているかもしれない複製: {paths}"),
    "m.outside": ("also outside this program's reach: system backups, synced folders and earlier exports",
                  "このプログラムの外にも残り得ます: システムのバックアップ、同期フォルダ、以前の書き出し"),
    "m.exported": ("{path}: {events} events of {clients} clients, anonymized", "{path}: {clients} 人分 {events} 件を匿名化して書き出しました"),
    "m.shifted": (", dates shifted by a secret offset", "（日付は非公開の幅でずらしています）"),
    "m.left_out": ("{n} line(s) left out: unreadable or of a kind this program does not know",
                   "{n} 行は除きました（読めない、または未知の種類）"),
    "m.torn_moved": ("an unfinished last line ({size} bytes) was moved to {path}", "途切れた最終行（{size} バイト）を {path} に移しました"),
    "problem.not_json": ("not valid JSON: {detail}", "JSON として読めません: {detail}"),
    "problem.invalid": ("invalid event: {detail}", "記録として正しくありません: {detail}"),
    "problem.not_utf8": ("not valid UTF-8", "UTF-8 として読めません"),
    "problem.not_object": ("not a JSON object", "JSON オブジェクトではありません"),
    "problem.unknown_type": ("unknown event type {kind}", "未知の記録の種類 {kind}"),
    "problem.bad_version": ("bad schema version {version}", "スキーマ版 {version} は正しくありません"),
    "problem.newer_version": ("schema version {version} is newer than this program understands ({known})",
                              "スキーマ版 {version} はこのプログラム（版 {known}）より新しいものです"),
    "problem.torn": ("incomplete last line ({size} bytes without a newline): a write was cut off",
                     "最終行が途切れています（改行なし {size} バイト）。書き込みが中断されました"),
    "problem.chain_first": ("hash chain broken: the first line names a predecessor: lines before it were removed",
                            "ハッシュチェーンの破損: 先頭行に前の行があります。それより前の行が消されています"),
    "problem.chain_broken": ("hash chain broken: its prev does not match line {previous}: a line was edited, inserted, deleted or reordered",
                             "ハッシュチェーンの破損: {previous} 行目と一致しません。行の編集・挿入・削除・並べ替えがあります"),
    "problem.chain_unchained": ("hash chain broken: a line without prev inside the chain (inserted?)",
                                "ハッシュチェーンの破損: チェーンの途中に prev のない行があります（挿入？）"),
    "problem.head_cut": ("the log ends at line {lines} but its head says {head} lines: trailing events were lost or cut off",
                         "ログは {lines} 行目で終わっていますが、ヘッドには {head} 行とあります。末尾の記録が失われたか切り取られています"),
    "problem.head_changed": ("line does not match the head kept beside the log (the last acknowledged line was changed)",
                             "ログ横のヘッドと一致しません（確定済みの最終行が変更されています）"),
    "problem.duplicate_id": ("event id {event} appears a second time (counted once)", "ID {event} が2回あります（1回と数えます）"),
    "problem.retraction_target": ("retraction {event} names no event in the log ({target})",
                                  "取り消し {event} の対象 {target} がログにありません"),
    "problem.unregistered": ("{type} for client {client}, who is not registered", "未登録のクライアント {client} の {type}"),
    "settings.unknown_key": ("unknown key", "知らないキーです"),
    "settings.invalid": ("{detail}", "{detail}"),
    "settings.not_toml": ("not valid TOML: {detail}", "TOML として読めません: {detail}"),
    "settings.cannot_read": ("cannot read: {detail}", "読めません: {detail}"),
    "settings.language": ("must be \"ja\" or \"en\", not {value!r}", "\"ja\" か \"en\" にしてください（{value!r} は使えません）"),
    "settings.at_least_1": ("must be at least 1", "1 以上にしてください"),
    "settings.at_least_1_day": ("must be at least 1 day", "1 日以上にしてください"),
    "settings.ladder": ("must be days after a session, increasing, each at least 1", "面談からの日数を小さい順に（それぞれ 1 以上）"),
    "settings.unknown_plan": ("unknown plan {value!r} (known: {known})", "プラン {value!r} はありません（あるもの: {known}）"),
    "settings.template_lang": ("languages are ja and en", "言語は ja と en です"),
    "settings.exists": ("already exists; edit it, or remove it first", "すでにあります。編集するか、先に削除してください"),
    "cli.bad_date": ("bad date {text!r}: use YYYY-MM-DD", "日付 {text!r} が読めません。YYYY-MM-DD の形で"),
    "cli.bad_moment": ("bad date or time {text!r}: use YYYY-MM-DD or YYYY-MM-DDTHH:MM[+HH:MM]",
                       "日時 {text!r} が読めません。YYYY-MM-DD か YYYY-MM-DDTHH:MM[+HH:MM] の形で"),
    "cli.demo_exists": ("{path} exists and is not empty: the demo writes a new log", "{path} は空ではありません。デモは新しいログに書きます"),
    "store.cannot_read": ("{path}: cannot read: {detail}", "{path}: 読めません: {detail}"),
    "store.cannot_open": ("{path}: cannot open for writing: {detail}", "{path}: 書き込み用に開けません: {detail}"),
    "store.disk_full": ("{path}: disk full, nothing was recorded", "{path}: ディスクがいっぱいです。何も記録していません"),
    "store.cannot_write": ("{path}: cannot write ({detail}), nothing was recorded", "{path}: 書き込めません（{detail}）。何も記録していません"),
    "store.no_log": ("{path}: no such log", "{path}: ログがありません"),
    "sheet.encoding": ("{path}: neither UTF-8 nor Shift_JIS (CP932): save the sheet as CSV UTF-8",
                       "{path}: UTF-8 でも Shift_JIS（CP932）でもありません。CSV UTF-8 で保存してください"),
    "sheet.mapping_unreadable": ("{path}: cannot read the mapping: {detail}", "{path}: 対応表が読めません: {detail}"),
    "sheet.mapping_field": ("{path}: columns.{field}: unknown field (known: {known})", "{path}: columns.{field}: 知らない項目です（{known}）"),
    "sheet.mapping_column": ("the mapping names column {title!r} for {field}, but the sheet has no such column",
                             "対応表の {field} の列 {title!r} がシートにありません"),
    "sheet.no_name_column": ("no name column (氏名 / name): map it with --mapping", "氏名の列（氏名 / name）がありません。--mapping で指定してください"),
    "sheet.empty": ("{path}: the sheet is empty", "{path}: シートが空です"),
    "sheet.cannot_read": ("{path}: cannot read: {detail}", "{path}: 読めません: {detail}"),
    "opt.client": ('client id or unambiguous name prefix', 'クライアントの ID か、名前の先頭（一意になるまで）'),
    "opt.at": ('when it happened (default: now)', 'いつのことか（既定: 現在）'),
    "opt.plan": ('standard, weekly or 24-72-7 (default: standard)', 'standard、weekly、24-72-7 など（既定: standard）'),
    "kind.client": ('register a new client', '新しいクライアントを登録'),
    "kind.session": ('a session was held', '面談を行った'),
    "kind.message": ('a follow-up message was sent', 'フォローの連絡を送った'),
    "kind.reply": ('the client replied', '返信があった'),
    "kind.pause": ('the client pauses', '休止に入った'),
    "kind.resume": ('the client resumes after a pause', '休止から再開した'),
    "kind.close": ('the case is closed', '案件を終結した'),
    "kind.reopen": ('a closed case is reopened', '終結した案件を再開した'),
    "kind.snooze": ('move one open item (default: the checkpoint) to a later date', '開いている項目（既定: チェックポイント）を後の日付にずらす'),
    "kind.kept": ('a promise was kept in another way than by a message', '連絡以外の方法で約束を果たした'),
    "kind.reschedule": ('a promise moves to another date', '約束の期日を変える'),
    "opt.item": ('which item: checkpoint, respond, intent-check or decide (default: checkpoint)',
                 'どの項目か: checkpoint、respond、intent-check、decide（既定: checkpoint）'),
    "opt.keeps": ('the id of the promise this message keeps', 'この連絡で果たす約束の ID'),
    "opt.until_pause": ('the end the client named: the question of intent falls due then',
                        'ご本人が伝えた休止の終わり（その日に意向を確認）'),
    "cli.pace_warning": ("warning: {name} already had {count} messages in the 7 days before this one (max_per_week = {limit}); recorded",
                         "注意: {name} さんにはこの前の7日間にすでに {count} 件連絡しています（max_per_week = {limit}）。記録はしました"),
    "kind.promise": ('a promise to the client, due on a date', '期日のある約束をした'),
    "kind.note": ('a note on the client', 'メモを残す'),
    "kind.consent": ('the client gave consent for a channel or purpose', '連絡手段や目的への同意を得た'),
    "kind.withdraw": ('the client withdrew a consent', '同意が撤回された'),
    "kind.retract": ('an event counts as never having happened', '記録をなかったものにする（取り消し）'),
    "opt.mapping": ('which column is which ([columns] name = "お名前" ...)', '列の対応表（[columns] name = "お名前" …）'),
    "opt.dry_run": ('print what would be recorded, write nothing', '記録する内容を表示するだけで、書き込まない'),
    "opt.skip_bad": ('import the good rows and skip the listed bad ones', '正しい行だけ取り込み、読めない行は飛ばす'),
    "opt.keep_backup": ('keep the pre-rewrite backup (it still holds the erased data)', '書き換え前のバックアップを残す（消去した内容を含みます）'),
    "opt.yes": ('do not ask for confirmation', '確認しない'),
    "opt.anonymized": ('a case-review copy of the log: pseudonyms, no names, no free text', '事例検討用のコピー: 仮名、氏名・自由記述なし'),
    "opt.csv": ('client status, as the spreadsheet had it (UTF-8 with BOM)', '状態を表計算シートの形で（BOM 付き UTF-8）'),
    "opt.ics": ('due follow-ups and promises as calendar entries', '予定のフォローと約束をカレンダーに'),
    "opt.days": ('with --ics: how far ahead (default 30)', '--ics で何日先まで（既定 30）'),
    "opt.shift": ('shift every date by a secret offset', 'すべての日付を非公開の幅でずらす'),
    "opt.consented": ('only clients who consented to case_review', 'case_review に同意したクライアントだけ'),
    "opt.today": ('the morning the demo opens on (default: today)', 'デモの基準日（既定: 今日）'),
    "opt.lang": ('mostly Japanese or English clients (default: a mix)', '主に日本語か英語のクライアント（既定: 混在）'),
    "opt.path": ("print the settings file's path", '設定ファイルの場所を表示'),
    "opt.init": ('write a commented default settings file', '説明付きの設定ファイルのひな形を作る'),
    "h.row": ("row", "行"),
    "h.would_record": ("would record", "記録する内容"),
    "h.on": ("on", "日付"),
    # -- command-line help
    "help.description": ("Keep every client's follow-up on time. With no command, opens the app.",
                         "クライアントのフォローを期限どおりに。コマンドなしでアプリを開きます。"),
    "help.log": ("the event log (default: $FOLLOWUP_LOG, else events.jsonl in the user data dir)",
                 "イベントログ（既定: $FOLLOWUP_LOG、なければユーザーデータの events.jsonl）"),
    "help.demo": ("open the app on a fresh built-in demo caseload", "デモ用の担当一覧でアプリを開く"),
    "help.record": ("record something that happened", "出来事を記録する"),
    "help.due": ("what is due today or overdue", "今日の予定と期限超過"),
    "help.days": ("also what falls due in the next N days", "この先 N 日の予定も表示"),
    "help.status": ("every client's state, last contact and next follow-up", "全員の状態・最終接触・次回"),
    "help.history": ("a client's events in order, with the state after each", "クライアントの経過と各時点の状態"),
    "help.audit": ("contact frequency, timeliness and flags per client", "接触頻度・期限順守・注意"),
    "help.as_of": ("as it stood at the end of DATE (default: today)", "DATE の終わり時点で（既定: 今日）"),
    "help.json": ("JSON for scripts", "スクリプト向けの JSON"),
    "help.check": ("read the whole log, verify its hash chain, report every bad line", "ログ全体を読み、ハッシュチェーンと読めない行を確認"),
    "help.repair": ("move a torn last line aside (after a backup) so the log ends cleanly", "途切れた最終行を退避（バックアップのうえ）"),
    "help.forget": ("erase a client's personal data from the log (right to erasure)", "クライアントの個人情報をログから消去（忘れられる権利）"),
    "help.export": ("client status as CSV, follow-ups as a calendar, or an anonymized copy", "状態を CSV、予定をカレンダー、匿名化したコピーに書き出す"),
    "help.import": ("turn a spreadsheet (CSV or TSV) into events", "表計算シート（CSV・TSV）を取り込む"),
    "help.demo_cmd": ("write a realistic demo caseload", "デモ用の担当一覧を書き出す"),
    "help.schema": ("print (or write) the JSON Schema of the event log", "イベントログの JSON Schema を出力"),
    "help.config": ("where the settings file is, or write a commented default", "設定ファイルの場所、またはひな形の作成"),
    "help.app": ("open the app (the same as no command)", "アプリを開く（コマンドなしと同じ）"),
    "h.client": ("client", "クライアント"),
    "h.id": ("id", "ID"),
    "h.due_for": ("due for", "種別"),
    "h.due": ("due", "期日"),
    "h.overdue": ("overdue", "超過日数"),
    "h.channel": ("channel", "連絡手段"),
    "h.why": ("why", "理由"),
    "h.state": ("state", "状態"),
    "h.plan": ("plan", "プラン"),
    "h.last_contact": ("last contact", "最終接触"),
    "h.next_due": ("next due", "次回"),
    "h.for": ("for", "種別"),
    "h.sessions": ("sessions", "面談"),
    "h.contacts": ("contacts", "接触"),
    "h.consents": ("consents", "同意"),
    "h.when": ("when", "日時"),
    "h.what": ("what", "内容"),
    "h.details": ("details", "詳細"),
    "h.state_after": ("state after", "その後の状態"),
    "h.next": ("next", "次回"),
    "h.median_gap": ("median gap (d)", "間隔中央値(日)"),
    "h.first_follow_up": ("1st follow-up (d)", "初回フォロー(日)"),
    "h.on_time": ("on time", "期限内"),
    "h.flags": ("flags", "注意"),
    # -- labels, states, channels, reasons, event types (display only)
    "label.24h": ("24h", "24時間"), "label.72h": ("72h", "72時間"), "label.1w": ("1w", "1週間"),
    "label.1m": ("1m", "1か月"), "label.3m": ("3m", "3か月"), "label.weekly": ("weekly", "毎週"),
    "label.monthly": ("monthly", "毎月"), "label.respond": ("respond", "返信"), "label.promise": ("promise", "約束"),
    "label.intent-check": ("intent-check", "意向確認"), "label.decide": ("decide", "判断"),
    "state.active": ("active", "継続中"), "state.paused": ("paused", "休止中"), "state.closed": ("closed", "終結"),
    "channel.email": ("email", "メール"), "channel.phone": ("phone", "電話"), "channel.video": ("video", "ビデオ"),
    "channel.chat": ("chat", "チャット"), "channel.in_person": ("in_person", "対面"),
    "reason.goal_achieved": ("goal_achieved", "目標達成"), "reason.withdrew": ("withdrew", "本人の辞退"),
    "reason.referred": ("referred", "他機関へ紹介"), "reason.no_response": ("no_response", "応答なし"),
    "reason.other": ("other", "その他"),
    "flag.over_contact": ("over_contact", "連絡過多"), "flag.gone_quiet": ("gone_quiet", "音信途絶"),
    "flag.awaiting_decision": ("awaiting_decision", "判断待ち"),
    "event.promise_kept": ("promise kept", "約束を果たした"),
    "event.promise_rescheduled": ("promise rescheduled", "約束の期日変更"),
    "event.client_registered": ("client registered", "登録"),
    "event.session_held": ("session held", "面談"),
    "event.message_sent": ("message sent", "連絡"),
    "event.reply_received": ("reply received", "返信"),
    "event.follow_up_snoozed": ("follow up snoozed", "延期"),
    "event.promise_made": ("promise made", "約束"),
    "event.client_paused": ("client paused", "休止"),
    "event.client_resumed": ("client resumed", "再開"),
    "event.case_closed": ("case closed", "終結"),
    "event.case_reopened": ("case reopened", "案件再開"),
    "event.note_added": ("note added", "メモ"),
    "event.consent_recorded": ("consent recorded", "同意"),
    "event.consent_withdrawn": ("consent withdrawn", "同意撤回"),
    "event.event_retracted": ("event retracted", "取り消し"),
    "event.client_forgotten": ("client forgotten", "削除（忘れられる権利）"),
    "field.name": ("name", "氏名"), "field.plan": ("plan", "プラン"), "field.channel": ("channel", "連絡手段"),
    "field.note": ("note", "メモ"), "field.minutes": ("minutes", "分"), "field.summary": ("summary", "要約"),
    "field.next_step": ("next step", "次の一歩"), "field.template": ("template", "文面"),
    "field.until": ("until", "延期先"), "field.reason": ("reason", "理由"), "field.due": ("due", "期日"),
    "field.what": ("what", "内容"), "field.text": ("text", "本文"), "field.scope": ("scope", "範囲"),
    "field.target": ("target", "対象"), "field.previous_head": ("previous head", "以前の末尾"),
    "field.lines_rewritten": ("lines rewritten", "書き換えた行"),
    # -- reasons of due items (the parts of DueItem.why)
    "why.after_session": ("{label} after session of {day}", "{day} の面談から{label}"),
    "why.check_in": ("{label} check-in, last message {day}", "{label}の確認（最後の連絡 {day}）"),
    "why.snoozed": ("snoozed to {day}", "{day} に延期"),
    "why.snoozed_because": ("snoozed to {day} ({reason})", "{day} に延期（{reason}）"),
    "why.resumed": ("resumed {day}", "{day} 再開"),
    "why.intent": ("ask about intent, {days} days after pause of {day}", "意向の確認（{day} の休止から{days}日）"),
    "why.reply": ("reply of {day} to answer", "{day} の返信への返事"),
    "why.promised": ("promised: {what}", "約束: {what}"),
    "why.missed": ("missed {labels}", "{labels}は見送り"),
    "why.intent_until": ("ask about intent: the pause of {day} ends {until}", "意向の確認（{day} からの休止は {until} まで）"),
    "why.silence": ("ask about intent: nothing from them since {day}, {count} messages unanswered",
                    "意向の確認（{day} 以降ご本人から連絡なし、未返信の連絡 {count} 件）"),
    "why.decide": ("decide: close, pause or wait (no answer to the question of {day})",
                   "判断: 終結・休止・待つ（{day} の意向確認に返事なし）"),
    "why.rescheduled": ("rescheduled to {day}", "{day} に変更"),
    # -- refusals of the command layer (keys of core.commands.REFUSALS)
    "refusal.no_client": ("no client given", "クライアントが指定されていません"),
    "refusal.unknown_client": ("unknown client {ref!r}: no client has that id or a name starting so",
                               "{ref!r} というIDや名前のクライアントはいません"),
    "refusal.ambiguous_client": ("{ref!r} could be {names}: give the id or more of the name",
                                 "{ref!r} は {names} のどれか分かりません。IDか名前をもっと入力してください"),
    "refusal.unknown_channel": ("unknown channel {channel!r}: use one of {choices}", "連絡手段 {channel!r} はありません（{choices}）"),
    "refusal.unknown_plan": ("unknown plan {plan!r}: use one of {choices}", "プラン {plan!r} はありません（{choices}）"),
    "refusal.closed_case": ("the case of {name} ({client}) is closed: reopen it before you {doing}",
                            "{name}（{client}）さんの案件は終結しています。{doing}前に再開してください"),
    "refusal.bad_client_id": ("a client id must be one word, without spaces", "IDは空白のない一語にしてください"),
    "refusal.no_name": ("a client needs a name", "氏名を入力してください"),
    "refusal.id_taken": ("client id {client!r} is taken by {name}", "ID {client!r} は {name} さんが使っています"),
    "refusal.bad_minutes": ("a session lasts a positive number of minutes", "面談時間は1分以上にしてください"),
    "refusal.consent_withdrawn": ("{name} withdrew consent to be contacted by {channel}: use another channel",
                                  "{name} さんは {channel} での連絡の同意を撤回しています。別の手段を使ってください"),
    "refusal.snooze_not_later": ("snooze until {until} is not later than today", "延期先 {until} が今日より後ではありません"),
    "refusal.snooze_not_after_due": ("{item} of {name} is due {due}: a snooze moves it later, never earlier (give a date after {due})",
                                     "{name} さんの{item}の期日は {due} です。延期は後ろにずらすだけで、前には動かしません（{due} より後の日付を）"),
    "refusal.nothing_to_snooze": ("{name} has no {item} item open to snooze", "{name} さんには延期できる{item}がありません"),
    "refusal.unknown_item": ("unknown item {item!r}: use one of {choices}", "項目 {item!r} はありません（{choices}）"),
    "refusal.not_a_promise": ("event {event} is not a promise", "記録 {event} は約束ではありません"),
    "refusal.promise_of_other": ("promise {event} is {other}'s, not {name}'s", "約束 {event} は {other} さんのもので、{name} さんのものではありません"),
    "refusal.promise_kept": ("promise {event} was already kept on {day}", "約束 {event} は {day} に果たし済みです"),
    "refusal.pause_end_past": ("a pause cannot end in the past ({until})", "休止の終わり {until} が過去です"),
    "refusal.no_promise_text": ("say what was promised", "約束の内容を入力してください"),
    "refusal.promise_in_past": ("a promise cannot fall due in the past ({due})", "約束の期日 {due} が過去です"),
    "refusal.already_paused": ("{name} is already paused", "{name} さんはすでに休止中です"),
    "refusal.not_paused": ("{name} is not paused", "{name} さんは休止中ではありません"),
    "refusal.already_closed": ("the case of {name} is already closed", "{name} さんの案件はすでに終結しています"),
    "refusal.unknown_reason": ("unknown reason {reason!r}: use one of {choices}", "終結理由 {reason!r} はありません（{choices}）"),
    "refusal.not_closed": ("the case of {name} is not closed", "{name} さんの案件は終結していません"),
    "refusal.no_note_text": ("a note needs some text", "メモを入力してください"),
    "refusal.bad_scope": ("a consent scope is one word: a channel (email, chat, ...) or a purpose",
                          "同意の範囲は一語で（email、chat などの連絡手段か、case_review などの目的）"),
    "refusal.ambiguous_event": ("event id {ref!r} is ambiguous: give more of it", "ID {ref!r} に当てはまる記録が複数あります"),
    "refusal.no_event": ("no event with id {ref!r}", "ID {ref!r} の記録はありません"),
    "refusal.no_retract_reason": ("say why the event is retracted", "取り消しの理由を入力してください"),
    "refusal.retract_retraction": ("a retraction cannot be retracted: record the event again instead",
                                   "取り消しは取り消せません。もう一度記録してください"),
    "refusal.already_retracted": ("event {event} is already retracted", "記録 {event} はすでに取り消されています"),
    "refusal.id_conflict": ("event id {event} is already in the log with other content", "ID {event} の別の内容の記録がすでにあります"),
    "refusal.export_exists": ("{path} exists: an export is written to a new file", "{path} はすでにあります。新しいファイル名を指定してください"),
    "doing.record a session": ("record a session", "面談を記録する"),
    "doing.send a message": ("send a message", "連絡を記録する"),
    "doing.snooze a follow-up": ("snooze a follow-up", "延期する"),
    "doing.make a promise": ("make a promise", "約束を記録する"),
    "doing.pause it": ("pause it", "休止にする"),
    "doing.resume it": ("resume it", "再開する"),
    "doing.keep a promise": ("keep a promise", "約束を果たしたと記録する"),
    "doing.reschedule a promise": ("reschedule a promise", "約束の期日を変える"),
}


# argparse's own words (it looks them up through gettext, by the English text).
ARGPARSE_JA = {
    "usage: ": "使い方: ",
    "positional arguments": "引数",
    "options": "オプション",
    "show this help message and exit": "このヘルプを表示して終了",
    "the following arguments are required: %s": "次の引数が必要です: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "選べない値です: %(value)r（%(choices)s から選んでください）",
    "unrecognized arguments: %s": "知らない引数です: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: エラー: %(message)s\n",
    "invalid %(type)s value: %(value)r": "%(type)s として読めない値です: %(value)r",
    "expected one argument": "値が一つ必要です",
    "one of the arguments %s is required": "%s のどれかが必要です",
    "argument %(argument_name)s: %(message)s": "引数 %(argument_name)s: %(message)s",
    "not allowed with argument %s": "%s と一緒には使えません",
}


def _argparse_words(text: str) -> str:
    return ARGPARSE_JA.get(text, text) if _current == "ja" else text


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in LANGUAGES else "en"
    import argparse

    argparse._ = _argparse_words  # type: ignore[attr-defined]


def language() -> str:
    return _current


def t(key: str, **params: object) -> str:
    en, ja = M[key]
    text = ja if _current == "ja" else en
    return text.format(**params) if params else text


def word(kind: str, code: str) -> str:
    """A code (state, channel, label, reason, flag, event type) as people read it."""
    key = f"{kind}.{code}"
    return t(key) if key in M else code


def short_day(day: date | None, today: date | None = None) -> str:
    if day is None:
        return "—"
    if today is not None and day.year != today.year:
        return long_day(day)
    return f"{day.month}/{day.day}" if _current == "ja" else f"{day.month:02d}-{day.day:02d}"


def long_day(day: date | None) -> str:
    if day is None:
        return "—"
    return f"{day.year}/{day.month:02d}/{day.day:02d}" if _current == "ja" else day.isoformat()


def header_day(day: date) -> str:
    if _current == "ja":
        return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS_JA[day.weekday()]}）"
    return f"{day:%a %d %b %Y}"


def why_text(item, leave_out: tuple[str, ...] = ()) -> str:
    """A due item's reason, in words, from its structured parts (but those in ``leave_out``)."""
    if not item.why:
        return item.detail
    out = []
    for key, params in item.why:
        if key in leave_out:
            continue
        values = {k: short_day(v) if isinstance(v, date) else (
            word("label", v) if k == "label" else (labels_text(v) if k == "labels" else v)) for k, v in params}
        out.append(t(f"why.{key}", **values))
    return ("、" if _current == "ja" else ", ").join(out)


def labels_text(labels: str) -> str:
    """"24h, 1w" in the user's words."""
    return ("、" if _current == "ja" else ", ").join(word("label", label) for label in labels.split(", ") if label)


def due_for_text(item) -> str:
    """The label of a due item, with the checkpoints missed before it: "1m · missed 24h, 1w"."""
    label = word("label", item.reason)
    if not item.missed:
        return label
    return t("today.missed", label=label, labels=labels_text(", ".join(item.missed)))


def problem_text(problem) -> str:
    """A problem with a log line, in the user's language."""
    key = f"problem.{problem.key}"
    return t(key, **problem.params) if problem.key and key in M else problem.message


def settings_problem(exc) -> str:
    why = t(f"settings.{exc.code}", **exc.params)
    return f"{exc.path}: {exc.key}: {why}" if exc.key else f"{exc.path}: {why}"


def error_text(exc: Exception) -> str | None:
    """What went wrong, in the user's language, for every error the shell expects; None for
    an error nobody expected (a bug)."""
    from .settings import SettingsError
    from .storage.logfile import StoreError

    if isinstance(exc, CommandError):
        return refusal(exc)
    if isinstance(exc, SettingsError):
        return settings_problem(exc)
    if isinstance(exc, StoreError):
        return t(f"store.{exc.key}", **exc.params)
    if isinstance(exc, PermissionError):
        return t("note.read_only")
    return None


def refusal(exc: CommandError) -> str:
    params = dict(exc.params)
    if "doing" in params:
        params["doing"] = t(f"doing.{params['doing']}")
    key = f"refusal.{exc.key}"
    return t(key, **params) if key in M else str(exc)
