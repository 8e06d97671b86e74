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

# Characters that show nothing (or break a line where none is seen): zero-width spaces and joiners,
# the marks LRM, RLM and ALM, the line and paragraph separators, the byte order mark, the tag
# characters (they can spell hidden words). A name holding one is not the name it looks like.
# Characters that show nothing (or a blank) yet make a name another name: zero-width ones, the
# line and paragraph separators, the Arabic letter mark, the byte order mark, the soft hyphen and
# combining grapheme joiner, the Hangul and Braille fillers, the invisible operators, the musical
# formatting marks, the interlinear annotation marks, the tag characters.
_INVISIBLE_RANGES = ((0x200B, 0x200F), (0x2028, 0x2029), (0x061C, 0x061C), (0xFEFF, 0xFEFF), (0x00AD, 0x00AD),
                     (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x2060, 0x2064),
                     (0x206A, 0x206F), (0x2800, 0x2800), (0x3164, 0x3164), (0xFFA0, 0xFFA0), (0xFFF9, 0xFFFB),
                     (0x1D173, 0x1D17A), (0xE0000, 0xE007F))
INVISIBLE = "".join(chr(code) for first, last in _INVISIBLE_RANGES for code in range(first, last + 1))
_INVISIBLE_CLASS = "".join(chr(first) if first == last else f"{chr(first)}-{chr(last)}" for first, last in _INVISIBLE_RANGES)

# C0 controls and DEL as their Unicode pictures (␛ for ESC, ␡ for DEL: one cell each, so tables
# keep their columns); C1 controls and the bidi controls as escapes (\x9b, \u202e).
_TABLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_TABLE[0x7F] = "\u2421"
_TABLE.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})
_TABLE.update({ord(ch): f"\\u{ord(ch):04x}" for ch in BIDI_CONTROLS})
_TABLE.update({ord(ch): f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}" for ch in INVISIBLE})
_KEEP_LINES = {**_TABLE}
del _KEEP_LINES[ord("\n")], _KEEP_LINES[ord("\t")]

_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}{_INVISIBLE_CLASS}]")
_CONTROL_BUT_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}{_INVISIBLE_CLASS}]")
# What free text (a note, a summary) may not hold: controls; an invisible character is kept there
# (a pasted text may carry a zero-width joiner of an emoji) and shown.
_REFUSED_IN_FREE_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
# What JSON leaves as it is but a terminal or an editor would obey or hide: escaped in --json.
_JSON_ESCAPED = re.compile(f"[\x7f-\x9f{BIDI_CONTROLS}{_INVISIBLE_CLASS}]")


def visible(text: str, lines: bool = True) -> str:
    """``text`` with every control character shown, not obeyed: C0 controls, DEL, C1 controls,
    the bidi overrides and isolates, and the invisible characters. ``lines``: newlines and tabs
    are kept (a message of several lines); without it they are shown too (a table cell, a
    title: one line). (What a client reads is :func:`for_client`'s.)"""
    pattern, table = (_CONTROL_BUT_LINES, _KEEP_LINES) if lines else (_CONTROL, _TABLE)
    if pattern.search(text) is None:
        return text
    return text.translate(table)


# A zero-width joiner between two pictographs (each perhaps with its variation selector or skin
# tone): an emoji sequence, whose joiner the client's device draws as one picture.
_PICTOGRAPH = "\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
_EMOJI_JOINED = re.compile(f"((?<=[{_PICTOGRAPH}\ufe0f])\u200d(?=[{_PICTOGRAPH}]))")


_DROPPED = {ord(ch): None for ch in INVISIBLE}


def for_client(text: str) -> str:
    """A message's text as the client is to read it: an emoji's zero-width joiners kept (👨‍👩‍👧
    stays one picture), every other invisible character typed into a next step or a promise
    dropped (a zero-width space, LRM and RLM were sent as the six letters ``\u200f``), and any
    control character shown, never sent."""
    pieces = _EMOJI_JOINED.split(text)  # (the odd ones: the joiners kept)
    return "".join(piece if index % 2 else piece.translate(_DROPPED).translate(_KEEP_LINES)
                   for index, piece in enumerate(pieces))


def control_characters(text: str, free_text: bool = False) -> str:
    """The control characters in ``text``, shown (empty when there are none): what the command
    layer refuses. ``free_text`` (a note, a summary): newlines and tabs are allowed."""
    found = (_REFUSED_IN_FREE_TEXT if free_text else _CONTROL).findall(text)
    return visible("".join(dict.fromkeys(found)), lines=False)


def json_escaped(encoded: str) -> str:
    """JSON text with DEL, the C1 controls, the bidi controls and the invisible characters written
    as ``\\u`` escapes (a pair for those beyond U+FFFF): the same JSON (decoding gives the same
    text), but nothing in it a terminal obeys or hides. They can only stand inside strings."""
    if _JSON_ESCAPED.search(encoded) is None:
        return encoded
    return _JSON_ESCAPED.sub(_json_escape, encoded)


def _json_escape(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
