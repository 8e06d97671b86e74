"""A broken catalogue in ``FOLLOWUP_I18N_DIR`` stops every command, ``--help`` and the app's
start before anything is read or written: one line naming the file and the key, exit 2, in the
user's language, never a traceback (issue 23: a fourth language is one file)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui_followup import i18n

ENGLISH = (Path(i18n.__file__).parent / "en.toml").read_text(encoding="utf-8")
BROKEN = {
    # read by tomllib: a traceback at import, on every command
    "not_toml": ("\nthis is = = not toml\n", "not valid TOML: "),
    # loaded, then the app crashed when the message form opened (a traceback with its locals)
    "format": ('date = "{day.__class__.__init__.__globals__} {month_name}"', "[templates.dates] date: "),
}


@pytest.fixture(params=sorted(BROKEN))
def broken(request, tmp_path) -> tuple[dict[str, str], str, Path]:
    folder = tmp_path / "i18n"
    folder.mkdir()
    change, said = BROKEN[request.param]
    text = ENGLISH.replace('language = "en"', 'language = "de"', 1).replace('name = "English"', 'name = "Deutschish"', 1)
    text = text + change if change.startswith("\n") else text.replace('date = "{day} {month_name}"', change, 1)
    (folder / "de.toml").write_text(text, encoding="utf-8")
    log = tmp_path / "events.jsonl"
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW="2026-11-25T09:00+09:00", FOLLOWUP_LOG=str(log),
               LANG="en_GB.UTF-8", FOLLOWUP_CONFIG=str(tmp_path / "none.toml"), FOLLOWUP_I18N_DIR=str(folder))
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    return env, f"followup: {folder / 'de.toml'}: {said}", log


@pytest.mark.parametrize("args", [["--help"], ["due"], ["record", "client", "--id", "anna", "--name", "Anna Berg"], []],
                         ids=["help", "due", "record", "app"])
def test_a_broken_catalogue_stops_every_command_in_one_line(broken, args):
    env, said, log = broken
    out = subprocess.run([sys.executable, "-m", "tui_followup", *args], capture_output=True, text=True, env=env,
                         stdin=subprocess.DEVNULL, timeout=30)
    assert out.returncode == 2, out.stderr
    assert out.stderr.count("\n") == 1 and out.stderr.startswith(said), out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""
    assert not log.exists()  # nothing written, nothing read


def test_the_refusal_is_in_the_users_language(broken):
    env, said, _ = broken
    out = subprocess.run([sys.executable, "-m", "tui_followup", "due"], capture_output=True, text=True,
                         env=dict(env, LANG="ja_JP.UTF-8"), timeout=30)
    assert out.returncode == 2 and out.stderr.startswith(said.split(": ")[0] + ": " + said.split(": ")[1])
    assert out.stderr.count("\n") == 1 and out.stderr != said
    if "TOML" in said:
        assert "TOML として読めません" in out.stderr, out.stderr
