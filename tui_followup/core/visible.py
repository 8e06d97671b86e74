"""Text from the log shown on a terminal: control characters made visible, never emitted.

A name, note or summary can hold anything a sheet, a paste or another program put there. Sent
to a terminal as it is, ESC starts a sequence the terminal obeys (``ESC ] 52`` writes the
clipboard, ``ESC [ 2 J`` clears the screen, OSC 8 makes a link) and U+202E turns the rest of the
line around. Every place that shows user text on a terminal (the command line's tables and
messages, the app's tables, titles, toasts and forms) passes it through :func:`visible`; what
scripts read (``--json``) keeps the text exact.
"""

from __future__ import annotations

import re

# Bidirectional overrides and isolates: they reorder what follows them on the line.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# C0 controls and DEL as their Unicode pictures (␛ for ESC, ␡ for DEL: one cell each, so tables
# keep their columns); C1 controls and the bidi controls as escapes (\x9b, \u202e).
_TABLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_TABLE[0x7F] = "\u2421"
_TABLE.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})
_TABLE.update({ord(ch): f"\\u{ord(ch):04x}" for ch in BIDI_CONTROLS})
_KEEP_LINES = {**_TABLE}
del _KEEP_LINES[ord("\n")], _KEEP_LINES[ord("\t")]

_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_CONTROL_BUT_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def visible(text: str, lines: bool = True) -> str:
    """``text`` with every control character shown, not obeyed: C0 controls, DEL, C1 controls
    and the bidi overrides and isolates. ``lines``: newlines and tabs are kept (a message of
    several lines); without it they are shown too (a table cell, a title: one line)."""
    pattern, table = (_CONTROL_BUT_LINES, _KEEP_LINES) if lines else (_CONTROL, _TABLE)
    if pattern.search(text) is None:
        return text
    return text.translate(table)


def control_characters(text: str, free_text: bool = False) -> str:
    """The control characters in ``text``, shown (empty when there are none): what the command
    layer refuses. ``free_text`` (a note, a summary): newlines and tabs are allowed."""
    found = (_CONTROL_BUT_LINES if free_text else _CONTROL).findall(text)
    return visible("".join(dict.fromkeys(found)), lines=False)
