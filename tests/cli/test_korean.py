"""The command line in Korean (LANG=ko_KR.UTF-8), and what every language shows instead of codes
and ids: a promise by its text and date, yes or no, plans, channels and templates in words."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

NOW = "2026-11-25T09:00+09:00"


@pytest.fixture
def run(tmp_path):
    log = tmp_path / "events.jsonl"
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW=NOW, FOLLOWUP_LOG=str(log), LANG="ko_KR.UTF-8",
               FOLLOWUP_CONFIG=str(tmp_path / "none.toml"))
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)

    def run(*args, lang: str = "ko_KR.UTF-8", ok: bool = True):
        out = subprocess.run([sys.executable, "-m", "tui_followup", *args], capture_output=True, text=True,
                             env=dict(env, LANG=lang), timeout=60)
        if ok:
            assert out.returncode == 0, out.stderr
        return out

    run("record", "client", "--id", "kim", "--name", "김민준", "--at", "2026-11-01", "--consent", "email,case_review")
    run("record", "client", "--id", "emma", "--name", "Emma Smith", "--plan", "weekly", "--channel", "phone",
        "--at", "2026-11-01")
    run("record", "session", "kim", "--at", "2026-11-17T10:00", "--next-step", "지원서 완성하기")
    run("record", "message", "kim", "--at", "2026-11-18T09:00", "--template", "24h")
    promise = run("record", "promise", "kim", "--what", "채용 정보 보내기", "--due", "2026-11-20",
                  "--at", "2026-11-18T10:00").stdout.strip().split()[-1]
    run("record", "message", "kim", "--at", "2026-11-19T09:00", "--keeps", promise)
    run("record", "session", "emma", "--at", "2026-11-20T10:00")
    run.promise = promise  # type: ignore[attr-defined]
    return run


def test_due_in_korean(run):
    out = run("due").stdout
    head = out.splitlines()[0]
    assert re.split(r"\s{2,}", head.strip()) == ["내담자", "ID", "할 일", "예정일", "지연(일)", "연락 방법", "이유"]
    assert "김민준" in out and "1주" in out and "2026년 11월 24일" in out
    assert "11월 17일 상담 뒤 1주" in out  # the reason's date, short, in Korean
    assert "지연 1건" in out and "2026년 11월 25일 기준" in out
    assert run("due", "--json").stdout.count('"reason": "1w"') == 1  # scripts keep their codes


def test_status_and_history_say_words_not_codes(run):
    status = run("status").stdout
    assert "기본" in status and "매주" in status and "standard" not in status and "weekly" not in status
    assert "사례 검토 ✓, 이메일 ✓" in status and "case_review" not in status
    history = run("history", "kim").stdout
    assert "계획 기본" in history.splitlines()[0]
    assert "지킨 약속: ‘채용 정보 보내기’ (2026년 11월 20일까지)" in history
    assert "문구: 24시간" in history and "연락 방법: 이메일" in history
    details = [line for line in history.splitlines()[2:]]
    assert not any(run.promise in line.split("  ")[0:3] for line in details)
    assert "=" not in history and "True" not in history and "('" not in history


@pytest.mark.parametrize("lang, kept, plan", [
    ("ja_JP.UTF-8", "果たした約束: 「채용 정보 보내기」（2026/11/20まで）", "プラン 標準"),
    ("en_GB.UTF-8", "keeps the promise: “채용 정보 보내기” (due 2026-11-20)", "plan standard"),
    ("ko_KR.UTF-8", "지킨 약속: ‘채용 정보 보내기’ (2026년 11월 20일까지)", "계획 기본"),
])
def test_history_shows_a_promise_by_its_text_and_date_in_every_language(run, lang, kept, plan):
    out = run("history", "kim", lang=lang).stdout
    assert kept in out and plan in out.splitlines()[0]
    rows = out.splitlines()[2:]
    details = "\n".join(re.split(r"\s{2,}", row.strip())[2] for row in rows if row.strip())
    assert run.promise not in details  # the id is in its own column (for `record retract`), never in the words
    codes = ["keeps=", "channel=", "template=", "True", "False", "('"]
    if not lang.startswith("en"):  # English's words for these are the codes' own spelling
        codes += ["keeps", "24h", "email", "standard"]
    for code in codes:
        assert code not in details, (code, details)
    whole = json.loads(run("history", "kim", "--json", lang=lang).stdout)
    assert any(step["fields"].get("keeps") == run.promise for step in whole)  # --json keeps the codes


def test_the_config_says_korean_too(run, tmp_path):
    (tmp_path / "conf.toml").write_text('language = "ko"\n')
    out = run("due", lang="C.UTF-8").stdout
    assert "예정일" not in out  # C: English
    env_out = subprocess.run([sys.executable, "-m", "tui_followup", "due"], capture_output=True, text=True,
                             env=dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW=NOW, LANG="C.UTF-8",
                                      FOLLOWUP_LOG=str(tmp_path / "events.jsonl"),
                                      FOLLOWUP_CONFIG=str(tmp_path / "conf.toml")), timeout=60)
    assert "예정일" in env_out.stdout
    (tmp_path / "bad.toml").write_text('language = "kr"\n')
    bad = subprocess.run([sys.executable, "-m", "tui_followup", "due"], capture_output=True, text=True,
                         env=dict(os.environ, FOLLOWUP_CONFIG=str(tmp_path / "bad.toml"),
                                  FOLLOWUP_LOG=str(tmp_path / "events.jsonl")), timeout=60)
    assert bad.returncode == 2 and "en, ja, ko" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_demo_in_korean(tmp_path, run):
    out = tmp_path / "demo.jsonl"
    said = run("demo", "--out", str(out), "--lang", "ko", "--today", "2026-11-25").stdout
    assert "2026년 11월 25일 기준" in said
    status = json.loads(run("--log", str(out), "status", "--json").stdout)
    hangul = [r["name"] for r in status if any("\uac00" <= ch <= "\ud7a3" for ch in r["name"])]
    assert len(hangul) >= len(status) * 0.6
    text = out.read_text(encoding="utf-8")
    assert "지원서 한 곳 완성하기" in text or "관심 기업 세 곳 고르기" in text  # Korean next steps and notes
    assert "別のクライアントの記録" not in text and "wrong client" not in text


def test_the_korean_csv_export_has_korean_titles_and_imports_back(tmp_path, run):
    sheet = tmp_path / "out.csv"
    run("export", "--csv", str(sheet))
    header = sheet.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["이름", "사례 번호", "상태"]
    again = tmp_path / "again.jsonl"
    run("--log", str(again), "import", str(sheet))
    names = {r["name"]: r["client"] for r in json.loads(run("--log", str(again), "status", "--json").stdout)}
    assert names == {"김민준": "kim", "Emma Smith": "emma"}


def test_a_refused_control_character_names_the_field_in_the_users_words():
    """`the next_step holds a control character` named the field by its code: it is said as the
    catalogue says the field (「次の一歩」, "next step")."""
    from tui_followup.core import commands as cmd
    from tui_followup.i18n import words_for

    refused = cmd.CommandError("control_character", field="next_step", chars="␛")
    assert words_for("en").refusal(refused).startswith("the next step holds a control character")
    assert "次の一歩" in words_for("ja").refusal(refused)
    assert "next_step" not in words_for("ko").refusal(refused)
