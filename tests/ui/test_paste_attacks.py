"""Attacks on the whole-paste parser (ui/paste.py) through a real pty."""

from __future__ import annotations

from test_paste_in_a_terminal import END, START


def test_esc_then_a_paste_then_a_key_in_one_read_are_esc_the_paste_the_key():
    """Esc, a paste and a key typed while the app was busy (one read): the paste came before
    the Esc and the key after it was taken for Alt+key with the Esc (the Esc and the key lost)."""
    from test_paste_parser import described, parsed

    assert described(parsed("\x1b" + START + "x" + END + "y")) == [
        ("key", "escape"), ("paste", "x"), ("key", "y")]
    assert described(parsed("\x1b", START + "x" + END + "y")) == [
        ("key", "escape"), ("paste", "x"), ("key", "y")]
