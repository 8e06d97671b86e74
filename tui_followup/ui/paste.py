"""A paste arrives whole, whatever it holds.

Textual's terminal parser (8.2) reads an ESC inside a bracketed paste as the start of a key
sequence: what follows it is sent again as *keys* and lost from the paste. A line break after
an ESC becomes Enter, which submits the form half filled (a note recorded as "zebra", the rest
typed onto the list beneath as commands). A terminal marks a paste's start and end
(``ESC [200~`` … ``ESC [201~``) and nothing inside it is a key, so this parser takes each paste
out of what the terminal sends before Textual's parser sees it, and hands it on as one
:class:`~textual.events.Paste`, every character in it (the fields show an ESC as ␛, never send
it: ``widgets/visible.py``). Everything else goes to Textual's parser as before.

The drivers make their parser by the name ``XTermParser`` in their own module;
:func:`keep_pastes_whole` points that name at this parser for the driver the app runs with (the
terminal's, and the browser door's, whose page sends a paste the same way).
"""

from __future__ import annotations

import codecs
import sys
from functools import partial
from typing import Iterable

from textual import constants, events
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.message import Message

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
# A paste whose end marker never comes (a terminal that dropped it, a start marker typed or
# sent by a program) would take every key after it, Ctrl+Q too: when nothing more has come for
# this long, what came is handed on as the paste and keys are keys again. A terminal sends a
# paste in one go; a second without a byte is not a paste still coming.
PASTE_SILENCE = 1.0
# A paste may stall for longer mid-way (ssh over a link that hiccups): what comes after the
# stall is still the paste, not keys (its line break came as Enter and recorded the note half
# written). Once a paste was handed on for silence, a read that brings its end marker is the
# rest of it up to there; one longer than any key's sequence, with no ESC, is more of it.
LONGEST_KEY = 32  # (Textual's parser gives up on a sequence longer than this)


def _start_begun(data: str) -> int:
    """How many characters at the end of ``data`` may be the beginning of a paste's start (or
    end) marker cut by the read (an ESC alone too: the Esc key, or a paste's first character)."""
    for length in range(len(PASTE_START) - 1, 0, -1):
        if data.endswith(PASTE_START[:length]) or data.endswith(PASTE_END[:length]):
            return length
    return 0


def _pasted(text: str) -> events.Paste:
    """The paste as handed on: NUL taken out, as Textual's parser does (textual#1661)."""
    return events.Paste(text.replace("\x00", ""))


class KeptPasteParser(XTermParser):
    """Textual's parser, with each bracketed paste taken out whole first."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._paste: str | None = None  # the paste so far, while one is coming
        self._paste_at = 0.0  # when the last of it came
        self._held = ""  # the end of a read that may begin a paste's start marker
        self._held_at = 0.0  # when it was held
        self._cut = False  # a paste was handed on for silence: its end marker has not come

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # the end of input: what is held goes first
            held, self._held = self._held, ""
            tokens = list(super().feed(held)) if held else []
            if self._paste is not None:
                tokens.append(_pasted(self._paste))
                self._paste = None
            return [*tokens, *super().feed(data)]
        return list(self._split(self._held + data))

    def _split(self, data: str) -> Iterable[Message]:
        self._held = ""
        while data:
            if self._paste is not None:
                self._paste += data
                self._paste_at = get_time()
                end = self._paste.find(PASTE_END)
                if end < 0:
                    return  # the rest of the paste comes in the next read
                text, data = self._paste[:end], self._paste[end + len(PASTE_END):]
                self._paste = None
                yield _pasted(text)
                continue
            start = data.find(PASTE_START)
            if self._cut:  # the rest of a paste that stalled?
                end = data.find(PASTE_END)
                if end >= 0 and (start < 0 or end < start):
                    self._cut = False
                    if end:  # (its end marker alone, cut by a read: nothing more of it)
                        yield _pasted(data[:end])
                    data = data[end + len(PASTE_END):]
                    continue
                if start < 0 and len(data) > LONGEST_KEY and "\x1b" not in data:
                    self._cut = False
                    self._paste = ""  # more of it: a paste again (and its silence counted again)
                    continue
            if start < 0:
                held = _start_begun(data)
                if held:
                    data, self._held, self._held_at = data[:-held], data[-held:], get_time()
                if data:
                    yield from super().feed(data)
                return
            if start:
                yield from super().feed(data[:start])
            if self._timeout_time is not None:
                # an escape sequence begun before the paste (an Esc pressed just before it) ends
                # there, as Textual's parser ends one at the next ESC: the Esc came after the
                # paste, and took the key typed after the paste for Alt+key
                self._timeout_time = 0.0
                yield from super().tick()
            self._cut = False
            self._paste, self._paste_at, data = "", get_time(), data[start + len(PASTE_START):]

    def tick(self) -> Iterable[Message]:
        """What was held for the next read goes on when none came within Textual's delay for
        an escape sequence (an Esc pressed alone is the Esc key after that delay, as with
        Textual's parser alone: it has been waited for already)."""
        if self._paste is not None and get_time() - self._paste_at >= PASTE_SILENCE:
            pasted, self._paste = self._paste, None  # its end never came (PASTE_SILENCE)
            self._cut = True
            yield _pasted(pasted)
        if self._held and get_time() - self._held_at >= constants.ESCAPE_DELAY:
            held, self._held = self._held, ""
            yield from super().feed(held)
            if self._timeout_time is not None:  # (Textual's parser waits for the rest: waited)
                self._timeout_time = 0.0
        yield from super().tick()


def keep_pastes_whole(driver_class: type) -> type:
    """Point the name ``driver_class``'s module makes its parser by at :class:`KeptPasteParser`,
    and its UTF-8 decoder at one that replaces what is not UTF-8 (the test driver's module has
    neither: it parses nothing)."""
    module = sys.modules.get(driver_class.__module__)
    if module is not None and getattr(module, "XTermParser", None) is XTermParser:
        module.XTermParser = KeptPasteParser  # type: ignore[attr-defined]
    if module is not None and getattr(module, "getincrementaldecoder", None) is codecs.getincrementaldecoder:
        # a byte that is not UTF-8 (a paste of text in another encoding, an 8-bit Alt key) is
        # read as U+FFFD: the driver's strict decoder raised, and the app ended with a
        # traceback (the browser door's stopped reading keys), what was typed lost
        module.getincrementaldecoder = _replacing_decoder  # type: ignore[attr-defined]
    return driver_class


def _replacing_decoder(encoding: str):
    return partial(codecs.getincrementaldecoder(encoding), errors="replace")
