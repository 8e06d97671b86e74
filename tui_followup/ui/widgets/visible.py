"""User text painted by the app with its control characters shown, never sent to the terminal.

Textual and Rich paint a cell, a title or a toast as they are given it: a client's name holding
``ESC ] 52`` wrote the user's clipboard, ``ESC [ 2 J`` cleared the screen. Every widget that
shows user text takes it through :func:`shown` (``core.visible``); the tables do it for every
cell (:class:`VisibleTable`), the app for every toast (``FollowupApp.notify``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable
from unicodedata import category, east_asian_width

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual import events
from textual.cache import LRUCache
from textual.content import Content
from textual._wrap import compute_wrap_offsets
from textual.coordinate import Coordinate
from textual.visual import Visual
from textual.widgets import DataTable
from textual.widgets import _toast
from textual.widgets._toast import Toast

from ...core.visible import visible


def shown(value: Any, lines: bool = True) -> Any:
    """A str or a Rich ``Text`` with its control characters made visible (``lines``: newlines and
    tabs kept; without, shown too, for one line). A ``Text`` is changed in place (its class and
    attributes stay: a due table's cell knows its order), its styles moved with the characters."""
    if isinstance(value, str):
        return visible(value, lines)
    if not isinstance(value, Text):
        return value
    plain = value.plain
    out = visible(plain, lines)
    if out == plain:
        return value
    ends = [0]
    for ch in plain:  # where each character of the old text ends in the new one
        ends.append(ends[-1] + len(visible(ch, lines)))
    spans = [Span(ends[s.start], ends[s.end], s.style) for s in value.spans]
    value.plain = out
    value.spans[:] = spans
    return value


class ShownText(Text):
    """A Rich ``Text`` of user text with its control characters made visible first, on one line:
    Rich's ``Text`` drops BEL, BS, VT, FF and CR as it is made, before a table could show them."""

    __slots__ = ()  # as small as Rich's own: a table of 3,000 rows keeps 25,000 of them

    def __init__(self, text: str = "", *args: Any, **kw: Any) -> None:
        super().__init__(visible(text, lines=False), *args, **kw)


NAME_CELLS = 24  # the widest a name is shown in a table, in terminal cells (a wide character is two)
ID_CELLS = 16  # the widest a client id is shown in a table


def cut(text: Text, cells: int) -> None:
    """``text`` cut in place to ``cells`` terminal cells with "…" at its end, by display width (a
    wide character takes two): what fits, without the spaces before the "…", then the "…"; a
    cell a wide character could not take is left after the "…", where the table pads the
    column (Rich's own cut put a space there before the "…": 「연락  …」 read as a double
    space)."""
    if text.cell_len <= cells:
        return
    if cells <= 0:
        text.plain = ""
        return
    kept = set_cell_size(text.plain, cells - 1).rstrip()
    if kept.endswith((" ·", " |")):  # a separator with nothing after it: 「標準 · …」 read as a field left empty
        kept = kept[:-2].rstrip()
    text.plain = kept + "…"


class CutText(ShownText):
    """A ``Text`` on one line that, when it is cut with "…" where it is drawn (a table's column
    narrower than it), is cut by :func:`cut`: the text, then "…", then any cell left blank."""

    __slots__ = ()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if self.overflow == "ellipsis" and self.cell_len > width and "\n" not in self.plain:
            line = self.copy()
            cut(line, width)
            yield from line.__rich_console__(console, options)
        else:
            yield from super().__rich_console__(console, options)


def fit(value: Any, cells: int = NAME_CELLS) -> Text:
    """A name (or an id) on one line, cut with "…" to ``cells`` terminal cells (by display
    width: 長 takes two): one 264-character name left room for nothing but the Client column.
    A ``Text`` is cut in place (a due table's cell keeps its class and order)."""
    text = shown(value if isinstance(value, Text) else ShownText(str(value)), lines=False)
    cut(text, cells)
    return text


@lru_cache(maxsize=8192)
def fit_str(value: str, cells: int = NAME_CELLS) -> str:
    """``fit`` as a plain string (what a table measures its column by; kept per name: Past day
    measured the same 1,200 names again for every day shown)."""
    return fit(value, cells).plain


@lru_cache(maxsize=8192)
def shown_width(text: str) -> int:
    """The cells ``text`` takes on one line, its control characters shown (a column's width)."""
    return cell_len(visible(text, lines=False))


def let_rings_go() -> None:
    """Every ``LRUCache.clear`` lets go of its entries so that reference counting frees them.
    Textual's keeps its entries in a ring of links (each pointing to the next and the one
    before) and its ``clear`` dropped the ring whole: a cycle, left to the cycle collector's
    next full collection. Tables clear theirs at every change of their rows, size or focus:
    half of what each full collection freed at a million events (a morning of 30 rounds at 1M:
    204-212 MB instead of 218-230). The same cache, emptied the same way; only sooner freed.
    Installed once."""
    if getattr(LRUCache.clear, "lets_go", False):
        return
    plain = LRUCache.clear

    def clear(self: LRUCache) -> None:
        for link in getattr(self, "_cache", {}).values():
            if type(link) is list:  # [before, after, key, value]
                link.clear()
        plain(self)

    clear.lets_go = True  # type: ignore[attr-defined]
    LRUCache.clear = clear  # type: ignore[method-assign]


class VisibleTable(DataTable):
    """A DataTable whose every cell is shown on one line, control characters visible. A click
    on a row selects it; a click on the selected row, on whichever of its cells, opens it (what
    Enter does): Textual's own table opened it only from the very cell clicked before."""

    def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        row, column = meta.get("row"), meta.get("column")
        if self.cursor_type == "row" and self.show_cursor and isinstance(row, int) and isinstance(column, int) \
                and row >= 0 and column >= 0 and row == self.cursor_row and not meta.get("out_of_bounds"):
            # the cursor onto the cell clicked, quietly (no new highlight): DataTable's own handler,
            # next, finds a click on the cursor's cell and selects the row
            self.set_reactive(DataTable.cursor_coordinate, Coordinate(row, column))

    def action_select_cursor(self) -> None:
        """Enter: the row selected, the keys typed after it held until the screen has had the
        selection (Today and Clients open the client, and hold the keys in turn until the
        client's screen is there): ``Enter ↓`` in one burst moved Today's cursor, since the
        app gave the next key once the table had handled the Enter, before the selection it
        posts reached the screen."""
        hold = getattr(self.app, "hold_keys", None)
        release = hold() if hold is not None else None
        super().action_select_cursor()  # (posts RowSelected, which goes up to the screen)
        if release is None:
            return

        def after(nodes: list) -> None:  # each node's queue, up to the screen, done to there
            while nodes:
                node = nodes.pop(0)
                if node.call_later(after, nodes):
                    return
            release()

        after([self, *self.ancestors])

    # Home and End on a list go to its first and last row, as g and G do (Textual's scrolled a
    # row-cursor table to its left and right edges: End on Today hid the Client column and left
    # 「認」 of 意向確認 at the edge; ← and → still scroll sideways)
    def action_scroll_home(self) -> None:
        if self.cursor_type == "row" and self.show_cursor:
            self.action_scroll_top()
        else:
            super().action_scroll_home()

    def action_scroll_end(self) -> None:
        if self.cursor_type == "row" and self.show_cursor:
            self.action_scroll_bottom()
        else:
            super().action_scroll_end()

    # -- drawing a cell: its text once, its styles each time they change ----------------------

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> Any:
        """A body cell of one line as DataTable draws it (``Styled(Padding(cell), pre, post)``),
        its text laid out once per content and width and only its styles applied again when
        they change: the table losing or taking focus (its tint is in every cell), the cursor
        moving. DataTable laid every cell in view out again then: 31 ms at 120x36 when ``d`` on
        Past day moved the focus to the date box. Headers, row labels, fixed cells and taller
        rows are DataTable's own."""
        if row_index < 0 or column_index < 0 or row_index < self.fixed_rows or column_index < self.fixed_columns:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        if self.rows[row_key].height != 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        column_key = self._column_locations.get_key(column_index)
        key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor, self._update_count,
               self._pseudo_class_state)
        cache = self._cell_render_cache
        lines = cache.get(key)
        if lines is not None:
            return lines
        laid_out = self._laid_out()
        laid_key = (row_key, column_key, width)
        laid = laid_out.get(laid_key)
        if laid is None:
            _, cells = self._get_row_renderables(row_index)
            options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
            laid = self.app.console.render_lines(Padding(cells[column_index], (0, self.cell_padding)), options)
            laid_out[laid_key] = laid
        component_style, post_style = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style
        lines = [list(Segment.apply_style(line, pre_style, post_style)) for line in laid]
        cache[key] = lines
        return lines

    LAID_OUT = 2000  # body cells' texts kept laid out: a 160x45 screen shows under 700

    def _laid_out(self) -> LRUCache:
        """Each body cell's text laid out, by row, column and width, for the table as it is now
        (its update count): those of its rows before went at once (kept until evicted, a day's
        tables on Past day held 28 MB more at the peak)."""
        kept = self.__dict__.get("_laid_out_cache")
        if kept is None or kept[0] != self._update_count:
            if kept is not None:
                kept[1].clear()  # (its ring let go of: let_rings_go)
            kept = self.__dict__["_laid_out_cache"] = (self._update_count, LRUCache(self.LAID_OUT))
        return kept[1]

    def _clear_caches(self) -> None:
        super()._clear_caches()
        kept = self.__dict__.pop("_laid_out_cache", None)
        if kept is not None:
            kept[1].clear()

    def add_row(self, *cells: Any, **kw: Any) -> Any:
        return super().add_row(*(shown(cell, lines=False) for cell in cells), **kw)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kw: Any) -> None:
        super().update_cell(row_key, column_key, shown(value, lines=False), **kw)

    def update_cell_at(self, coordinate: Any, value: Any, **kw: Any) -> None:
        super().update_cell_at(coordinate, shown(value, lines=False), **kw)


# Basic kinsoku (禁則): marks a wrapped line never starts with (closing brackets and quotes, the
# full stops, commas, middle dots, colons, ! ?, the long vowel ー, small kana, iteration marks) and
# marks it never ends with (opening brackets and quotes). Only these characters are concerned, so
# the rule holds for a text in any language.
NEVER_FIRST = frozenset(
    "」』）］｝〕〉》】〙〗｠)]}”’»›｣"
    "。、，．・：；？！ー｡､･ｰ‼⁇⁈⁉"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｯｬｭｮ"
    "々〻ゝゞヽヾ")
NEVER_LAST = frozenset("「『（［｛〔〈《【〘〖｟([{“‘«‹｢")
KINSOKU_MOVE = 4  # how many characters earlier a break may move to keep a mark with its neighbour:
# usually one or two; 「ちょっと splits only before its 「 (ち, ょ and っ each hold on to the next)


def kinsoku_offsets(line: str, width: int, tab_size: int = 4) -> list[int]:
    """Where Textual's soft wrap breaks ``line`` to ``width`` cells (by display width: a wide
    character is two), each break that would start a line with a mark of ``NEVER_FIRST`` or
    end one with a mark of ``NEVER_LAST`` moved to the nearest place up to ``KINSOKU_MOVE``
    characters earlier where it may (「…た。」 goes to the next line with the た; 「 goes with what
    it opens), never to start a line with a space or leave one empty; a break no such move
    mends stays where it was (no squeezing a mark into the line: oikomi). A line holding a tab
    keeps Textual's breaks (its tab stops are counted from the line's start)."""
    breaks = compute_wrap_offsets(line, width, tab_size) if width else []
    if not breaks or "\t" in line:
        return breaks

    def allowed(at: int) -> bool:
        return line[at] not in NEVER_FIRST and line[at - 1] not in NEVER_LAST

    out: list[int] = []
    start, rest = 0, breaks
    while rest:
        at = start + rest[0]
        if not allowed(at):
            at = next((b for b in range(at - 1, at - 1 - KINSOKU_MOVE, -1)
                       if b > start and allowed(b) and not line[b].isspace()), at)
        out.append(at)
        start = at
        rest = compute_wrap_offsets(line[start:], width, tab_size)  # the rest of the line, from there
    return out


def _ideographic(ch: str) -> bool:
    """A character Japanese and Chinese break a line around (kana, kanji, their full-width
    marks): wide, and not Hangul (Korean is written with spaces between words, broken there)."""
    if "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f":
        return False
    return east_asian_width(ch) in ("W", "F")


SPACES = " \u3000"  # where words are apart: broken after, never before, and dropped at a break (the
# ideographic space of 「佐藤　花子」 started a line as a blank two cells wide, read as an indent)


def _joins(ch: str) -> bool:
    """A character drawn as part of the one before it (a combining mark, a variation selector:
    ☕️, a skin tone: 👍🏻, a zero-width joiner): a line never starts with it (broken before
    ️, ☕ ended its line drawn as text and the next began with a mark on nothing)."""
    return category(ch) in ("Mn", "Me", "Mc") or "\U0001f3fb" <= ch <= "\U0001f3ff" or ch == "\u200d"


NAME_FITS, NAME_WIDER = 2, 1  # a place inside a kept name: never a line's start; only if need be

GLUE_MAX = 20  # a run of other characters this short between two ideographic ones (a time, a
# count and its unit: 「12/5 08:11」, 「1 件」) stays on one line with the one after it
ENDS = frozenset("。．｡？！‼⁇⁈⁉、，､」』）］｝〕〉》】〙〗｠")  # a sentence's, a clause's or a bracket's end: the
# spaces after one hold nothing together (「…（他機関へ紹介）？ 再受付…」 breaks after the ？)


def wrap_kept(text: str, width: int, kept: Iterable[str] = ()) -> list[str]:
    """``text`` in lines of ``width`` terminal cells at most (by display width), broken at its
    spaces and, in Japanese or Chinese, between two characters where kinsoku allows (never
    before 。」 nor after 「: ``NEVER_FIRST``, ``NEVER_LAST``), but never inside one of ``kept``
    (a client's name, a closed case's reason and count, 「연락 두절 1」) nor inside a short run
    of other characters between ideographic ones nor after it (``GLUE_MAX``: 「12/5 08:11」,
    「1 件」; not the space after a sentence's end: ``ENDS``), nor at a space between two words
    with digits (「12월 5일」, 「11-25 08:30」). A line after the first starts as
    the text does (its leading spaces); the spaces a line ends at go (the ideographic space
    too: ``SPACES``), and no line starts inside what is drawn as one character (``_joins``). A
    name or a run wider than a line is broken where the text around it could be (folded by
    the painter, it left the line before half empty and a character alone after it); a word
    wider than a line is left whole (what paints it folds it). What is glued gives way before a
    name does: a name is broken only when it is wider than a line itself. Japanese broken only at its few
    spaces left lines half empty and split what reads as one: 「佐々木 優子⏎さんへ」."""
    lead = text[:len(text) - len(text.lstrip(" "))]
    body = text[len(lead):]
    n = len(body)
    room = width - cell_len(lead)  # (a line after the first starts with the lead: Audit's " On time")
    # named[k]: inside one of ``kept``, no line starts at body[k]: NAME_FITS never, NAME_WIDER
    # only when the name, wider than a line itself, would be folded by the painter anyway
    named = [0] * (n + 1)
    for part in kept:
        if not part:
            continue
        held = NAME_FITS if cell_len(part) <= room else NAME_WIDER
        at = body.find(part)
        while at >= 0:
            for k in range(at + 1, at + len(part)):
                named[k] = max(named[k], held)
            at = body.find(part, at + 1)
    glued = [False] * (n + 1)  # glued[k]: nor there, inside a short run held to its neighbours
    ideographic = [_ideographic(ch) for ch in body]
    i = 0
    while i < n:  # short runs between ideographic characters, held whole and to the one after
        if ideographic[i]:
            i += 1
            continue
        j = i
        while j < n and not ideographic[j]:
            j += 1
        if 0 < i and j < n and cell_len(body[i:j]) <= GLUE_MAX and not (body[i - 1] in ENDS and not body[i:j].strip()):
            for k in range(i + 1, j + 1):  # (a line may start with it: 「、⏎12/5 08:11、」)
                glued[k] = True
        i = j
    starts, loose, held_by_name = [0], [], []  # where a line may start; where only a run's glue, or a name, keeps it from
    last = body[:1]  # the last character before k that is not a space
    numbered = False  # whether the word before the spaces at k holds a digit
    word_digit = body[:1].isdigit()
    for k in range(1, n):
        before, ch = body[k - 1], body[k]
        if before not in SPACES:
            last = before
            word_digit = word_digit or before.isdigit()
        elif body[k - 2:k - 1] not in SPACES:  # the first space after a word
            numbered, word_digit = word_digit, False
        if before in SPACES and numbered and ch.isdigit():
            glued[k] = True  # a number's words held together: 「12월 5일」, 11-25 08:30
        if ch in SPACES or ch in NEVER_FIRST or last in NEVER_LAST:
            continue
        if before in SPACES or ideographic[k - 1] or ideographic[k]:
            if before == "\u200d" or _joins(ch):
                continue  # (one character drawn)
            if named[k] != NAME_FITS:
                (held_by_name if named[k] else loose if glued[k] else starts).append(k)
    starts.append(n)
    for given_way in (loose, held_by_name):  # wider than a line: the glue gives way first, then a name
        if given_way:  # (folded by the painter, it left the line before half empty, a character alone after)
            wide = [(a, b) for a, b in zip(starts, starts[1:]) if cell_len(body[a:b].rstrip(SPACES)) > room]
            starts = sorted(set(starts) | {k for k in given_way for a, b in wide if a < k < b})
    lines, line = [], lead
    for start, end in zip(starts, starts[1:]):
        piece = body[start:end]
        if line == lead or cell_len((line + piece).rstrip(SPACES)) <= width:  # (not ``strip()``: it
            line += piece  # took a line of an ideographic space or NBSP for empty, and overfilled it)
        else:
            lines.append(line.rstrip(SPACES))
            line = lead + piece
    lines.append(line)
    return lines


class KeptTogether(Visual):
    """Words painted wrapped to the width they are given as :func:`wrap_kept` does (``lines``:
    each line of the text apart, else its line breaks shown as ␊, a line of its own). A Textual
    visual: its height is that of the lines at the width asked for, and ``str`` is the text."""

    def __init__(self, text: str, kept: Iterable[str] = (), lines: bool = False, head: Content | None = None) -> None:
        self.text, self.kept = visible(text, lines=lines), tuple(visible(k, lines=False) for k in kept if k)
        self.head = head  # a line (or lines) above the text, wrapped as Textual does: a toast's title

    def __str__(self) -> str:
        return self.text if self.head is None else f"{self.head.plain}\n{self.text}"

    def _at(self, width: int) -> Content:
        body = Content("\n".join(out for line in self.text.split("\n")
                                  for out in wrap_kept(line, max(width, 1), self.kept)))
        return body if self.head is None else Content.assemble(self.head, "\n", body)

    def render_strips(self, width: int, height: int | None, style: Any, options: Any) -> list:
        return self._at(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: Any, container_width: int) -> int:
        return Content(str(self)).get_optimal_width(rules, container_width)

    def get_height(self, rules: Any, width: int) -> int:
        return self._at(width).get_height(rules, width)


class KeptToast(Toast):
    """Textual's toast, its text wrapped as :func:`wrap_kept` does (in Japanese a line never
    starts with 。 nor ends with 「: 「…または消⏎去）。その…閉じました⏎。入力中の…」 at 80x24),
    its title above it as Textual styles it. Toasts carry only plain text (``FollowupApp.notify``)."""

    def render(self) -> KeptTogether:  # type: ignore[override]
        notification = self._notification
        head = (Content.styled(notification.title, self.get_visual_style("toast--title"))
                if notification.title else None)
        return KeptTogether(notification.message, lines=True, head=head)


_toast.Toast = KeptToast  # what Textual's ToastRack mounts for each notification (it names no other way)
