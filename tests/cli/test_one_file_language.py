"""A fourth language is one file (issue 23 item 4): en.toml copied as ``xx.toml`` ("Testish", a
few texts changed) in a folder named by ``FOLLOWUP_I18N_DIR`` is a language of the command line,
of a client's messages and of the app, with nothing else added."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui_followup import i18n

NOW = "2026-11-25T09:00+09:00"
CHANGES = {
    'language = "en"': 'language = "xx"',
    'name = "English"': 'name = "Testish"',
    '"screen.today" = "Today"': '"screen.today" = "Tänään"',
    '"h.client" = "client"': '"h.client" = "asiakas"',
    '"help.description" = "Keep every client\'s follow-up on time.': '"help.description" = "Pidä seuranta ajassa.',
    'subject_line = "Subject: {subject}"': 'subject_line = "Aihe: {subject}"',
    '"24h.subject" = "Thank you for our session"': '"24h.subject" = "Kiitos tapaamisesta"',
    'Dear {short_name},\nThank you for your time {day}. The step we agreed on was':
        'Hei {short_name},\nKiitos ajastasi {day}. Sovittu askel oli',
    'today = "today"': 'today = "tänään"',
    'yesterday = "yesterday"': 'yesterday = "eilen"',
}


@pytest.fixture
def testish(tmp_path) -> Path:
    folder = tmp_path / "i18n"
    folder.mkdir()
    text = (Path(i18n.__file__).parent / "en.toml").read_text(encoding="utf-8")
    for old, new in CHANGES.items():
        assert old in text, old
        text = text.replace(old, new)
    (folder / "xx.toml").write_text(text, encoding="utf-8")
    return folder


def test_the_catalogue_checks_pass_for_the_new_file(testish):
    from tests.core import test_catalogue

    test_catalogue.test_every_key_is_in_every_language_with_the_same_placeholders(testish / "xx.toml")
    test_catalogue.test_every_catalogue_has_its_dates_columns_and_name(testish / "xx.toml")
    catalogues = i18n.load_catalogues(testish)
    assert set(catalogues) == {"en", "ja", "ko", "xx"}
    assert "xx" in i18n.read_templates({k: v["templates"] for k, v in catalogues.items()}).languages


def test_the_command_line_client_and_app_speak_the_new_language(testish, tmp_path):
    log = tmp_path / "events.jsonl"
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW=NOW, FOLLOWUP_LOG=str(log), LANG="xx_XX.UTF-8",
               FOLLOWUP_CONFIG=str(tmp_path / "none.toml"), FOLLOWUP_I18N_DIR=str(testish))
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)

    def run(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
        out = subprocess.run([sys.executable, "-m", "tui_followup", *args], capture_output=True, text=True,
                             env=env, timeout=60)
        if ok:
            assert out.returncode == 0, out.stderr
        return out

    assert "Pidä seuranta ajassa." in run("--help").stdout
    run("record", "client", "--id", "anna", "--name", "Anna Berg", "--language", "xx", "--at", "2026-11-01")
    run("record", "session", "anna", "--at", "2026-11-24T10:00", "--next-step", "Apply to Acme")
    assert "asiakas" in run("due").stdout
    refused = run("record", "client", "--id", "bo", "--name", "Bo", "--language", "fi", ok=False)
    assert refused.returncode == 2 and "'xx'" in refused.stderr.strip().splitlines()[-1]

    script = textwrap.dedent(f"""
        import asyncio, json
        from datetime import datetime
        from zoneinfo import ZoneInfo
        from textual.widgets import Static
        from tui_followup.core.clock import FixedClock
        from tui_followup.i18n import LANGUAGES
        from tui_followup.storage.journal import Journal
        from tui_followup.ui.app import FollowupApp
        from tui_followup.ui.record_forms import message_text

        tz = ZoneInfo("Asia/Tokyo")
        journal = Journal.open({str(log)!r}, clock=FixedClock(datetime.fromisoformat({NOW!r})), tz=tz,
                               languages=LANGUAGES)
        app = FollowupApp(journal, poll_seconds=0, template_overrides={{}}, language="xx")

        async def main():
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                facts = journal.caseload.get("anna")
                print(json.dumps({{"title": app.screen.title, "languages": list(LANGUAGES),
                                  "message": message_text(app.form_context(), facts, "24h", None)}}))

        asyncio.run(main())
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    said = json.loads(out.stdout.strip().splitlines()[-1])
    assert said["title"] == "Tänään" and "xx" in said["languages"]
    assert said["message"].startswith("Aihe: Kiitos tapaamisesta\n\nHei Anna,\nKiitos ajastasi eilen. Sovittu askel oli “Apply to Acme”")
