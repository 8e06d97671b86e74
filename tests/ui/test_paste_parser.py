"""A paste arrives whole from the terminal, whatever it holds (ui/paste.py).

Textual 8.2's parser sent what followed an ESC inside a bracketed paste as keys: a line break
after it came as Enter, which submitted the form half filled."""

from __future__ import annotations

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.drivers import linux_driver

from tui_followup.ui.app import FollowupApp
from tui_followup.ui.paste import KeptPasteParser

START, END = "\x1b[200~", "\x1b[201~"


def parsed(*reads: str, parser_class=KeptPasteParser) -> list:
    """What ``reads`` come to, each a read of the terminal, and nothing more read after them."""
    parser = parser_class()
    tokens = []
    for data in reads:
        tokens.extend(parser.feed(data))
    tokens.extend(waited(parser))
    return tokens


def waited(parser) -> list:
    """Ticks after Textual's delay for the rest of an escape sequence passed."""
    if isinstance(parser, KeptPasteParser):
        parser._held_at = -1e9
    if parser._timeout_time is not None:
        parser._timeout_time = 0
    return list(parser.tick())


def described(tokens: list) -> list:
    return [("paste", t.text) if isinstance(t, events.Paste) else ("key", t.key) for t in tokens
            if isinstance(t, (events.Paste, events.Key))]


PASTED = "zebra\x1bquokka\rwombat [b]\x1b[2J end"


def test_textual_alone_sends_what_follows_an_esc_in_a_paste_as_keys():
    """What this module is for: if Textual's parser keeps a paste whole one day, it can go."""
    tokens = described(parsed("n" + START + PASTED + END, parser_class=XTermParser))
    assert ("key", "enter") in tokens


def test_a_paste_holding_esc_and_line_breaks_arrives_whole_and_no_key_comes_of_it():
    assert described(parsed("n" + START + PASTED + END + "j")) == [
        ("key", "n"), ("paste", PASTED), ("key", "j")]


@pytest.mark.parametrize("cut", range(1, len(START + PASTED + END)))
def test_a_paste_cut_anywhere_between_two_reads_is_the_same_paste(cut):
    data = START + PASTED + END
    assert described(parsed("k" + data[:cut], data[cut:] + "g")) == [
        ("key", "k"), ("paste", PASTED), ("key", "g")]


def test_two_pastes_in_one_read_and_keys_around_them():
    assert described(parsed("a" + START + "one\r" + END + "b" + START + "\x1b" + END + "\x1b[A")) == [
        ("key", "a"), ("paste", "one\r"), ("key", "b"), ("paste", "\x1b"), ("key", "up")]


def test_keys_outside_a_paste_are_textuals_as_before():
    reads = ("j", "\x1b[A", "\x1b[1;5C", "x", "\r", "\t")
    assert described(parsed(*reads)) == described(parsed(*reads, parser_class=XTermParser))


def test_esc_alone_is_the_esc_key_after_textuals_delay():
    parser = KeptPasteParser()
    assert not described(parser.feed("\x1b")) and not described(parser.tick())  # not at once
    assert described(waited(parser)) == [("key", "escape")]


def test_the_beginning_of_a_marker_at_the_end_of_a_read_goes_on_when_no_read_follows():
    assert described(parsed("j\x1b[2")) == described(parsed("j\x1b[2", parser_class=XTermParser))
    assert described(parsed("j\x1b")) == [("key", "j"), ("key", "escape")]


def test_esc_then_a_key_in_the_next_read_is_alt_of_it_as_before():
    assert described(parsed("\x1b", "x")) == described(parsed("\x1b", "x", parser_class=XTermParser))


def test_nul_is_taken_out_of_a_paste_as_textual_does():
    assert described(parsed(START + "a\x00b" + END)) == [("paste", "ab")]


def test_a_paste_cut_by_the_end_of_input_is_handed_on_not_lost():
    parser = KeptPasteParser()
    list(parser.feed(START + "half a note"))
    assert ("paste", "half a note") in described(parser.feed(""))


def test_the_apps_terminal_driver_reads_with_this_parser(monkeypatch):
    monkeypatch.setattr(linux_driver, "XTermParser", XTermParser)
    assert FollowupApp(None).driver_class is linux_driver.LinuxDriver  # (chosen when the app is made)
    assert linux_driver.XTermParser is KeptPasteParser


def test_the_browser_doors_driver_reads_with_this_parser_too(monkeypatch):
    from textual import constants
    from textual.drivers import web_driver

    monkeypatch.setattr(constants, "DRIVER", "textual.drivers.web_driver:WebDriver")  # as textual-serve runs it
    monkeypatch.setattr(web_driver, "XTermParser", XTermParser)
    assert FollowupApp(None).driver_class is web_driver.WebDriver
    assert web_driver.XTermParser is KeptPasteParser


def test_a_paste_whose_end_never_comes_is_handed_on_and_keys_are_keys_again():
    """A start marker with no end (a terminal that dropped it, one sent by a program) took
    every key after it, Ctrl+Q too."""
    parser = KeptPasteParser()
    assert described(parser.feed(START + "half")) == []
    assert described(parser.tick()) == []  # (a paste still coming: not yet)
    parser._paste_at = -1e9  # a second without a byte
    assert described(parser.tick()) == [("paste", "half")]
    assert described(parser.feed("\x11j")) == [("key", "ctrl+q"), ("key", "j")]


def test_a_paste_still_coming_is_not_cut_by_a_tick():
    parser = KeptPasteParser()
    tokens = list(parser.feed(START + "one "))
    tokens += parser.tick()
    tokens += parser.feed("two" + END)
    assert described(tokens) == [("paste", "one two")]
