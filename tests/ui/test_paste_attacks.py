"""Attacks on the whole-paste parser (ui/paste.py) through a real pty."""

from __future__ import annotations

import os
import time

from tests.ui.test_paste_in_a_terminal import END, START, Terminal, log, terminal_env  # noqa: F401  (the fixture)


def test_esc_then_a_paste_then_a_key_in_one_read_are_esc_the_paste_the_key():
    """Esc, a paste and a key typed while the app was busy (one read): the paste came before
    the Esc and the key after it was taken for Alt+key with the Esc (the Esc and the key lost)."""
    from tests.ui.test_paste_parser import described, parsed

    assert described(parsed("\x1b" + START + "x" + END + "y")) == [
        ("key", "escape"), ("paste", "x"), ("key", "y")]
    assert described(parsed("\x1b", START + "x" + END + "y")) == [
        ("key", "escape"), ("paste", "x"), ("key", "y")]


def test_a_paste_that_stalls_for_more_than_a_second_records_no_half_note(log, tmp_path):
    """Over ssh a paste may stall mid-way (a link's hiccup): what came after the stall, its line
    break first, was typed as keys: Enter sent the note half written."""
    before = log.read_bytes()
    app = Terminal(terminal_env(log, tmp_path))
    try:
        app.wait_for("Aoki Hana")
        app.send("n")
        app.wait_for(r"[Nn]ote")
        app.seen = ""
        app.send(START + "zebra")
        time.sleep(1.6)  # the stall itself (what the test is of), longer than PASTE_SILENCE
        app.send("\rwombat" + END)
        app.wait_for("bat")  # (the keys it would have been come before Ctrl+Q: close() waits for the exit)
    finally:
        app.close()
    assert log.read_bytes() == before


def test_the_rest_of_a_paste_after_a_stall_is_pasted_not_typed():
    from tests.ui.test_paste_parser import described

    from tui_followup.ui.paste import KeptPasteParser

    parser = KeptPasteParser()
    tokens = list(parser.feed(START + "zebra"))
    parser._paste_at = -1e9  # a stall of over a second
    tokens += parser.tick()
    tokens += parser.feed("\rwombat" + END + "j")
    assert described(tokens) == [("paste", "zebra"), ("paste", "\rwombat"), ("key", "j")]
    # a long rest with no end in its first read: pasted too
    parser = KeptPasteParser()
    tokens = list(parser.feed(START + "zebra"))
    parser._paste_at = -1e9
    tokens += parser.tick()
    tokens += parser.feed("\r" + "w" * 5000)
    tokens += parser.feed("x" + END)
    assert described(tokens) == [("paste", "zebra"), ("paste", "\r" + "w" * 5000 + "x")]
    # keys typed after an end that never came are keys
    tokens = list(parser.feed(START + "half"))
    parser._paste_at = -1e9
    tokens = list(parser.tick()) + list(parser.feed("\x11"))
    assert described(tokens) == [("paste", "half"), ("key", "ctrl+q")]


def test_a_paste_right_after_the_key_that_opens_the_note_goes_into_the_note(log, tmp_path):
    """``n`` then a paste in one burst: the key waited for the form, the paste did not (it went
    to the list beneath, and was lost)."""
    app = Terminal(terminal_env(log, tmp_path))
    try:
        app.wait_for("Aoki Hana")
        app.seen = ""
        app.send("n" + START + "quokka" + END)
        app.wait_for(r"[Nn]ote")
        app.wait_for("quokka", seconds=5)
    finally:
        app.close()


def test_a_paste_holding_bytes_that_are_not_utf8_does_not_end_the_app(log, tmp_path):
    """A paste of text in another encoding (a byte 0xFF in it): the terminal driver's decoder
    raised UnicodeDecodeError, and the app ended with a traceback, the note typed lost."""
    before = log.read_bytes()
    app = Terminal(terminal_env(log, tmp_path))
    try:
        app.wait_for("Aoki Hana")
        app.send("n")
        app.wait_for(r"[Nn]ote")
        app.seen = ""
        os.write(app.fd, START.encode() + b"zebra\xffquokka" + END.encode())
        app.wait_for("quokka", seconds=10)
        assert "Traceback" not in app.seen and "UnicodeDecodeError" not in app.seen
        app.send("\x1b")  # (the note closed unsent: asked whether to discard it, or not)
        time.sleep(0.5)
    finally:
        status = app.close()
    assert os.WIFEXITED(status)
    assert log.read_bytes() == before
