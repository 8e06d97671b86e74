"""A paste into a form, through a real terminal (a pty) and the app's own driver: what the
terminal sends is read by the app's parser, not posted as an event (ui/paste.py).

A practitioner pasted a text holding an ESC (copied from a terminal) into a note: with
Textual's parser alone, the line break after the ESC came as Enter and recorded the note half
written, and the rest was typed onto the list as commands."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time

import pytest

NOW = "2026-11-02T09:00+09:00"
START, END = "\x1b[200~", "\x1b[201~"


class Terminal:
    """The app in a pty of 80×24: keys written to it, what it draws read back."""

    def __init__(self, env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the app, in the terminal
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.execvpe(sys.executable, [sys.executable, "-m", "tui_followup"], env)
        self.seen = ""

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def wait_for(self, pattern: str, seconds: float = 30) -> None:
        """Read what the app draws until ``pattern`` is in it (a deadline, not a pause)."""
        deadline = time.monotonic() + seconds
        while not re.search(pattern, self.seen):
            left = deadline - time.monotonic()
            assert left > 0, f"never drawn: {pattern!r}; last drawn: {self.seen[-2000:]!r}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536).decode("utf-8", "replace")
                except OSError:  # the app has gone
                    pytest.fail(f"the app ended before drawing {pattern!r}: {self.seen[-2000:]!r}")

    def close(self) -> int:
        """Ctrl+Q, and the app's exit status once it has gone (its terminal closes with it)."""
        self.send("\x11")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return status
            try:
                if select.select([self.fd], [], [], 0.5)[0]:
                    os.read(self.fd, 65536)  # (what it draws as it goes: read, or it would block)
            except OSError:  # its terminal closed: it has gone, or is going
                return os.waitpid(self.pid, 0)[1]
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        pytest.fail("the app did not quit on Ctrl+Q")


def terminal_env(log, tmp_path) -> dict[str, str]:
    """The app's environment in the pty: the log, the clock, a terminal, a home of its own."""
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_LOG=str(log), FOLLOWUP_NOW=NOW, TERM="xterm-256color",
               LANG="C.UTF-8", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_STATE_HOME=str(tmp_path / "state"))
    env.pop("FOLLOWUP_LANG", None)
    return env


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "events.jsonl"
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_LOG=str(path))
    run = [sys.executable, "-m", "tui_followup", "record"]
    subprocess.run(run + ["client", "--id", "aoki", "--name", "Aoki Hana", "--at", "2026-10-01"],
                   env=dict(env, FOLLOWUP_NOW="2026-10-01T09:00+09:00"), check=True, capture_output=True)
    subprocess.run(run + ["session", "aoki", "--at", "2026-11-01T10:00"],
                   env=dict(env, FOLLOWUP_NOW="2026-11-01T11:00+09:00"), check=True, capture_output=True)
    return path


def test_a_paste_holding_an_esc_and_a_line_break_stays_in_the_note_and_records_nothing(log, tmp_path):
    before = log.read_bytes()
    app = Terminal(terminal_env(log, tmp_path))
    try:
        app.wait_for("Aoki Hana")
        app.send("n")
        app.wait_for(r"[Nn]ote")
        app.seen = ""
        app.send(START + "zebra\x1bquokka\rwombat" + END)
        app.wait_for("wombat")  # the whole paste is in the note (with the bug, Enter had sent it)
        assert "quokka" in app.seen
    finally:
        app.close()
    assert log.read_bytes() == before  # nothing recorded: the note was never sent
