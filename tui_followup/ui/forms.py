"""Modal forms that are safe at the keyboard.

* Enter submits from any field (a choice included); a choice is also one key each (1-9).
* Escape on a form with something typed asks before throwing it away.
* A date field says the day it understood (``12/5``, ``+1w``, ...) before you submit; a day far
  ahead or before the client's registration is asked about (``confirm``).
* Keys typed before the form has drawn (a paste, tmux send-keys, a slow link) land in the
  fields they were typed for, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.document._document_navigator import DocumentNavigator
from textual.document._wrapped_document import WrappedDocument
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static, TextArea

from ..core.clock import DATE_RANGE, OutOfRange, parse_date
from ..core.visible import for_client
from .localized import Localized
from .messages import CopyRequested, KeysKept
from .widgets.boxes import scroll_after_paste
from .widgets.visible import KeptTogether as KeptWords
from .widgets.visible import kinsoku_offsets, shown


@dataclass
class Field:
    name: str
    label: str
    # text | choice | checks (several of a few) | date | time (HH:MM) | number (digits only, as typed)
    # | area (a text of several lines, shown in full)
    kind: str = "text"
    value: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)  # (shown, value) of a choice
    placeholder: str = ""
    short: str = ""  # the field's name in a refusal ("When: ..."); empty: the label before its hint
    required: bool = False  # a date or time that may not be left empty (a promise's due day)

    def said(self) -> str:
        """The field as a refusal names it: "When" of "When (empty: now; ...)", 「日時」 of
        「日時（空欄は現在。...）」."""
        return self.short or re.split(r"\s*[(（]", self.label, maxsplit=1)[0].strip()


class _AsWrapped:
    """A document as wrapping sees it: the spaces inside each kept name read as letters of the
    same width, so no line breaks there. The text itself is the document's (what is shown,
    edited and copied)."""

    def __init__(self, document, names: tuple[str, ...]) -> None:
        self._document, self._names = document, names

    @property
    def lines(self) -> list[str]:
        lines = self._document.lines
        for name in self._names:
            joined = "".join(("＿" if cell_len(c) == 2 else "_") if c.isspace() else c for c in name)
            lines = [line.replace(name, joined) for line in lines]
        return lines

    def __getattr__(self, attribute: str):
        return getattr(self._document, attribute)


class KeptTogether(WrappedDocument):
    """A ``WrappedDocument`` that wraps a text at its spaces but those inside ``names`` (a name
    longer than a line is still folded), each break moved as kinsoku asks (``kinsoku_offsets``:
    no line of the view starts with 。、」ー or a small kana, nor ends with 「). The breaks are the
    view's only: the text is the document's, shown, edited and copied as it is."""

    def __init__(self, document, names: tuple[str, ...], width: int = 0, tab_width: int = 4) -> None:
        self.names = tuple(n for n in names if any(c.isspace() for c in n.strip()))
        super().__init__(document, width, tab_width)

    def _as_wrapped(self, wrap: Callable[[], None]) -> None:
        real = self.document
        self.document = _AsWrapped(real, self.names)  # type: ignore[assignment]
        try:
            wrap()
        finally:
            self.document = real

    def _wrap(self, width: int, tab_width: int | None) -> None:
        super().wrap(width, tab_width)
        offsets = [kinsoku_offsets(line, width, self._tab_width) if textuals else textuals  # a line that fits stays
                   for line, textuals in zip(self.document.lines, self._wrap_offsets)]
        if offsets == self._wrap_offsets:
            return
        self._wrap_offsets = offsets
        self._offset_to_line_info = [(index, section) for index, breaks in enumerate(offsets)
                                     for section in range(len(breaks) + 1)]
        self._line_index_to_offsets, y = [], 0
        for breaks in offsets:
            self._line_index_to_offsets.append(list(range(y, y + len(breaks) + 1)))
            y += len(breaks) + 1

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        self._as_wrapped(lambda: self._wrap(width, tab_width))

    def wrap_range(self, start, old_end, new_end) -> None:
        self.wrap(self._width)  # the whole text again (a message is a few lines): kinsoku may move any break


class FormText(TextArea):
    """A text of several lines in a form: Enter submits the form, as from every field (what
    the footer promises); a new line is Ctrl+J, or Shift+Enter where the terminal tells it
    from Enter. ``keep_together``: names a line never breaks inside (山田 太郎 stays on one
    line of the message's preview; the text keeps its spaces)."""

    BINDINGS = [Binding("enter", "screen.submit", show=False, priority=True),  # before TextArea's own
                Binding("ctrl+j,shift+enter", "new_line", show=False, priority=True)]

    def __init__(self, text: str = "", *, keep_together: tuple[str, ...] = (), **kw) -> None:
        self.keep_together = keep_together
        super().__init__(text, **kw)

    def _set_document(self, text: str, language: str | None) -> None:
        super()._set_document(text, language)
        if getattr(self, "keep_together", ()):  # Textual's own wrapping, but not inside a name
            self.wrapped_document = KeptTogether(self.document, self.keep_together, tab_width=self.indent_width)
            self.navigator = DocumentNavigator(self.wrapped_document)
            self._rewrap_and_refresh_virtual_size()

    def action_new_line(self) -> None:
        self.insert("\n")

    def _on_paste(self, event: events.Paste) -> None:
        # A terminal sends a pasted line break as CR (tmux, xterm, VTE; CR LF from Windows): a
        # new line here, as typed with Ctrl+J (it came as ␍, the lines run together on one).
        text = event.text.replace("\r\n", "\n").replace("\r", "\n")
        event.text = shown(text)  # a pasted ESC is seen (␛), never painted nor recorded as it is


class FormInput(Input):
    """A field of one line: a paste's control characters are shown (␛), as everywhere, its line
    breaks too (␊, ␍): Input keeps a paste's first line only, and a note pasted in three lines
    was the first line, the rest dropped unseen."""

    def _on_paste(self, event: events.Paste) -> None:
        event.text = shown(event.text, lines=False)
        scroll_after_paste(self)


class Choice(Widget, can_focus=True):
    """One of a few options, each one key (1-9), or ←/→; Enter submits the form."""

    BINDINGS = [Binding("left,up", "step(-1)", show=False), Binding("right,down", "step(1)", show=False),
                Binding("enter", "screen.submit", show=False)]
    DEFAULT_CSS = "Choice { height: auto; padding: 0 1; border: tall $border-blurred; } Choice:focus { border: tall $accent; }"

    def __init__(self, options: list[tuple[str, str]], value: str, id: str) -> None:
        super().__init__(id=id)
        self.options = options
        values = [v for _, v in options]
        self.index = values.index(value) if value in values else 0

    @property
    def value(self) -> str:
        return self.options[self.index][1]

    GAP = "   "

    def items(self) -> list[Text]:
        """Each option as it is shown: its key, then its words."""
        out = []
        for i, (shown, _) in enumerate(self.options):
            item = Text(f"{i + 1} ", style="dim")
            item.append(shown, style="reverse bold" if i == self.index else "")
            out.append(item)
        return out

    def laid_out(self, width: int) -> Text:
        """The options on as many lines as ``width`` needs, a line broken only between two
        options, never inside one ("6[ ]case / review" wrapped after "6[ ]case")."""
        out = Text(no_wrap=True, overflow="ellipsis")
        used = 0
        for n, item in enumerate(self.items()):
            if n and width > 0 and used + len(self.GAP) + item.cell_len > width:
                out.append("\n")
                used = 0
            elif n:
                out.append(self.GAP)
                used += len(self.GAP)
            out.append_text(item)
            used += item.cell_len
        return out

    def render(self) -> Text:
        return self.laid_out(self.content_region.width or self.size.width)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.laid_out(width).plain.split("\n"))

    def action_step(self, delta: int) -> None:
        self.index = (self.index + delta) % len(self.options)
        self.refresh()

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit() and 1 <= int(event.character) <= len(self.options):
            self.index = int(event.character) - 1
            self.refresh()
            event.stop()


class Checks(Choice):
    """Any of a few options, each ticked or not: its key (1-9) or space ticks the one at the
    cursor (←/→); the value is the ticked ones, comma-separated."""

    BINDINGS = [Binding("space", "toggle", show=False)]

    def __init__(self, options: list[tuple[str, str]], value: str, id: str) -> None:
        super().__init__(options, "", id)
        self.ticked = {v for v in value.split(",") if v}

    @property
    def value(self) -> str:
        return ",".join(v for _, v in self.options if v in self.ticked)

    GAP = "  "

    def items(self) -> list[Text]:
        out = []
        for i, (shown, v) in enumerate(self.options):
            item = Text(f"{i + 1}", style="dim")
            item.append("[x]" if v in self.ticked else "[ ]", style="bold" if v in self.ticked else "")
            item.append(shown, style="reverse" if i == self.index and self.has_focus else "")
            out.append(item)
        return out

    def action_toggle(self) -> None:
        self.ticked ^= {self.options[self.index][1]}
        self.refresh()

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit() and 1 <= int(event.character) <= len(self.options):
            self.index = int(event.character) - 1
            self.action_toggle()
            event.stop()


class FormNote(Static):
    """The form's line for what the app says while it is open. A note taller than the one before
    fits the form again once it is laid out at its height: the refresh after its update still
    had the old one (a four-line refusal in Japanese at 80x24 pushed the buttons out of view)."""

    def on_resize(self, event: events.Resize) -> None:
        fit = getattr(self.screen, "_fit", None)
        if fit is not None:
            self.call_after_refresh(fit)


class FormScreen(Localized, ModalScreen[dict | None]):
    """A small form (compact on a short terminal: fields of one line, the template's eight
    lines and the Enter / Esc hint always in view). ``on_submit(values)`` returns an error to show
    on the form's own line (the form stays open), or None to close it. What it asks of the app
    are messages (``CopyRequested``, ``KeysKept``). Without ``on_submit`` the form is dismissed with its values.
    ``confirm(values)`` may return a question to ask before submitting (a far-off date)."""

    CSS_PATH = "forms.tcss"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]  # 80x24: compact
    kept_names: tuple[str, ...] = ()  # the client's name, never broken across lines (record_forms.about)

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="form.cancel"),
                Binding("ctrl+s", "submit", "key.save", id="form.save"),
                Binding("ctrl+y", "copy_preview", "key.copy", id="form.copy"),
                Binding("ctrl+t", "next_template", "key.template", id="form.template")]

    def __init__(self, title: str, fields: list[Field], submit_label: str | None = None,
                 on_submit: Callable[[dict], str | None] | None = None,
                 preview: str | None = None, preview_title: str = "", today: date | None = None,
                 confirm: Callable[[dict], str | None] | None = None,
                 templates: Callable[[int], tuple[str, str]] | None = None,
                 keep_together: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.keep_together = keep_together  # names the preview never breaks a line inside
        self.form_title = title
        self.fields = fields
        self.submit_label = submit_label  # None: "Save", said when drawn
        self.on_submit = on_submit
        self.preview = preview
        self.preview_title = preview_title
        self.today = today
        self.confirm = confirm
        self.templates = templates  # n -> (title, text) of the n-th template to offer
        self.template_index = 0
        self.initial: dict | None = None
        self.early: list[events.Key] = []  # keys that came before the fields could take them
        self.ready = False
        self.early_note: tuple[str, bool] | None = None  # said before the form was drawn
        self.after_close: list[Callable[[], None]] = []  # what the app says once the form is gone

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(shown(self.form_title), classes="form-title", markup=False)  # stays in view at 80x24
            with VerticalScroll(classes="fields", can_focus=False):  # (a Tab stop there showed nothing focused, and Enter did nothing)
                yield from self._fields()
            if self.preview is not None:  # out of the fields' scroll: the text is always in view
                preview = FormText(for_client(self.preview), id="preview", soft_wrap=True,
                                   keep_together=tuple(shown(name, lines=False) for name in self.keep_together))
                preview.border_title = self.preview_title
                yield preview
            help_text = self.words.t("form.enter", label=self.submit_label or self.words.t("key.save"))
            if self.preview is not None or any(f.kind == "area" for f in self.fields):
                help_text += self.words.t("form.new_line_help")
            if self.preview is not None:
                help_text += self.words.t("form.copy_help")
            yield Static(help_text, classes="form-help")
            yield FormNote("", id="form-note", markup=False)  # what the app says meanwhile (copied): no toast over the form
            with Horizontal(classes="buttons"):  # for the mouse (a browser), and Tab then Enter
                yield button(self.submit_label or self.words.t("key.save"), "form-submit", "primary")
                yield button(self.words.t("key.cancel"), "form-cancel")

    def _fields(self) -> ComposeResult:
        for f in self.fields:
            yield Label(f.label)
            if f.kind == "choice":
                yield Choice(f.options, f.value, id=f"field-{f.name}")
            elif f.kind == "checks":
                yield Checks(f.options, f.value, id=f"field-{f.name}")
            elif f.kind == "area":
                yield FormText(shown(f.value), id=f"field-{f.name}", soft_wrap=True)  # as it is now, shown
            elif f.kind == "number":  # digits only, as they are typed (ABC박 stood there until submit)
                yield FormInput(value=shown(f.value, lines=False), placeholder=f.placeholder, id=f"field-{f.name}",
                                restrict=r"\d*")
            else:
                yield FormInput(value=shown(f.value, lines=False), placeholder=f.placeholder, id=f"field-{f.name}")
                if f.kind == "date":
                    yield Static("", id=f"understood-{f.name}", classes="understood", markup=False)

    def say(self, text: str, error: bool = False) -> None:
        """A note of the app's while the form is open, on the form's own line (a toast covered
        the template and half of Today for five seconds); ``error``: a refusal, in red."""
        notes = self.query("#form-note")
        if not notes:  # not drawn yet: said once it is
            self.early_note = (text, error)
            return
        note = notes.first(Static)
        note.update(KeptWords(text, (*self.keep_together, *self.kept_names)))  # (Japanese broken as Japanese)
        note.set_class(error, "-error")
        note.display = True
        self.call_after_refresh(self._fit)  # (and again once the note is laid out taller: FormNote)
        note.scroll_visible(animate=False)

    def on_mount(self) -> None:
        self.app.clear_notifications()  # a toast from before (a refusal on the list) would cover the form
        if self.early_note is not None:
            self.say(*self.early_note)
        self.initial = self.values()
        for f in self.fields:
            if f.kind == "date":
                self._understood(f.name, f.value)
        first = next((w for w in self.query("Input, Choice, TextArea") if w.id != "preview"), None)
        if first is not None:
            self.set_focus(first)  # now, not later (``focus()`` waits a turn): early keys go to it
        self.call_after_refresh(self._replay_early_keys)
        self.call_after_refresh(self._fit)

    def on_resize(self, event: events.Resize) -> None:
        self.remove_class("-compact")  # as the stylesheet says, then fitted again
        self.query_one(".fields").styles.max_height = None
        self.call_after_refresh(self._fit)

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False) -> None:
        """A field taking the focus (the form opening, Tab, a click) is scrolled into view with
        its label above it (Textual's own scroll centred the field alone: at 160x45 the register
        form opened with "Name" above the fields' edge, Korean at 80x24 hid 「요약」)."""
        ours = scroll_visible and widget is not None and widget.parent is self._fields_box()
        super().set_focus(widget, scroll_visible=scroll_visible and not ours, from_app_focus=from_app_focus)
        if ours:
            self.call_after_refresh(self._show_label)

    def _fields_box(self) -> Widget | None:
        boxes = self.query(".fields")
        return boxes.first() if boxes else None

    def _show_label(self) -> None:
        """The focused field's label, the field and what it says below it (the day understood)
        scrolled into view, the label first when they do not all fit."""
        box, field = self._fields_box(), self.focused
        if box is None or field is None or field.parent is not box:
            return
        children = list(box.children)
        at = children.index(field)
        start = next((n for n in range(at, -1, -1) if isinstance(children[n], Label)), at)
        end = next((n for n in range(at + 1, len(children)) if isinstance(children[n], Label)), len(children))
        group = [w for w in children[start:end] if w.display]
        region = group[0].virtual_region_with_margin
        for w in group[1:]:
            region = region.union(w.virtual_region_with_margin)
        if not region.size:
            return
        view = box.scrollable_content_region
        box.scroll_to_region(region, animate=False, immediate=True, top=region.height > view.height,
                             origin_visible=True)

    def _fit(self) -> None:
        """The fields' scroll made as short as the screen needs, so that the hint and the buttons
        below it stay in view (a form of ten fields at 80x24 pushed them under the screen's edge)."""
        box = self.query_one(Vertical)
        fields = self.query_one(".fields")
        shown_below = [w for w in box.children if w.display]
        if not shown_below:
            return
        over = max(w.region.bottom + w.styles.margin.bottom for w in shown_below) - box.content_region.bottom
        if over > 0 and not (self.has_class("-short") or self.has_class("-compact")):
            self.add_class("-compact")  # taller than the screen: compact first (nothing cut at 160x45)
            self.call_after_refresh(self._fit)
        elif over > 0:
            # the fields' scroll first (two lines at least), then the message's text (three):
            # a long refusal with the pace question (seven lines in Japanese at 80x24) went on
            # pushing the buttons out of view once the fields were at their two
            for part, least in ((fields, 2), *((preview, 3) for preview in self.query("#preview"))):
                give = min(over, max(0, part.region.height - least))
                if give:
                    part.styles.max_height = part.region.height - give
                    over -= give
            self.call_after_refresh(self._show_label)  # the field's label still in view, the scroll shorter

    def on_unmount(self) -> None:
        for say in self.after_close:
            self.app.call_later(say)

    def _replay_early_keys(self) -> None:
        """Keys that arrived while the form was being drawn, given to it in their order."""
        self.ready = True
        early, self.early = self.early, []
        # typed again by the app, ahead of anything typed since (a key made here would stop
        # bubbling at this screen and never reach the bindings: Enter did nothing); the keys the
        # app kept for this form meanwhile follow, each as if typed now
        # (a message to the app itself: where the call it stands for was queued, so in the same order)
        self.app.post_message(KeysKept([(key.key, key.character) for key in early]))

    def on_key(self, event: events.Key) -> None:
        if not self.ready:  # the fields are not there yet: keep the key, in order
            self.early.append(event)
            event.stop()
            event.prevent_default()

    def values(self) -> dict:
        out = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.name}")
            out[f.name] = widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[attr-defined]
        return out

    def dirty(self) -> bool:
        return self.initial is not None and self.values() != self.initial

    def _understood(self, name: str, text: str) -> None:
        label = self.query_one(f"#understood-{name}", Static)
        if not text.strip():
            label.update("")
            return
        try:
            day = parse_date(text, self.today)
        except OutOfRange:
            label.update(out_of_range(self.words, text))
            return
        except ValueError:
            label.update(self.words.t("form.date_unreadable"))
            return
        label.update(self.words.t("form.date_understood", day=self.words.long_day(day), weekday=self.words.weekday(day)))

    def on_input_changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        if any(f.name == name and f.kind == "date" for f in self.fields):
            self._understood(name, event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-submit":
            self.action_submit()
        elif event.button.id == "form-cancel":
            self.action_cancel()

    def action_submit(self) -> None:
        values = self.values()
        question = self.confirm(values) if self.confirm is not None else None
        if question:
            asked = ConfirmScreen(question)
            asked.kept_names = self.kept_names  # (the close's question names the client: kept whole)
            self.app.push_screen(asked, lambda yes: self._submit(values) if yes else None)
            return
        self._submit(values)

    def _submit(self, values: dict) -> None:
        if self.on_submit is None:
            self.dismiss(values)
            return
        error = self.on_submit(values)
        if error:  # said on the form's own line, as the app says every refusal while a form is open
            self.say(f"{self.words.t('note.not_recorded')}: {error}", error=True)
        else:
            self.dismiss(values)

    def action_cancel(self) -> None:
        if self.dirty():
            def discard(yes: bool | None) -> None:  # (not the dismissal's awaitable: a button's
                if yes:                               # handler runs on this screen, which cannot await it)
                    self.dismiss(None)

            # (No unless said: an Esc then a reflexive Enter threw away what was typed)
            self.app.push_screen(ConfirmScreen(self.words.t("confirm.discard"), default=False), discard)
            return
        self.dismiss(None)

    def action_copy_preview(self) -> None:
        """Copy the message text (as edited) to the clipboard again."""
        if self.preview is not None:
            self.post_message(CopyRequested(self.query_one("#preview", TextArea).text))

    def action_next_template(self) -> None:
        """Another template: every label of the client's plan, respond, intent-check, decide."""
        if self.templates is None:
            return
        self.template_index += 1
        title, text = self.templates(self.template_index)
        preview = self.query_one("#preview", TextArea)
        preview.text = text = for_client(text)
        preview.border_title = title
        self.post_message(CopyRequested(text))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "copy_preview":
            return self.preview is not None  # only forms with a message text offer it
        if action == "next_template":
            return self.templates is not None
        return True


def button(label: str, id: str, variant: str = "default") -> Button:
    """A one-line button (a form keeps its fields in view at 80x24), its words as they are
    (a catalogue's words, never read as markup)."""
    return Button(Content(label), id=id, variant=variant, compact=True)  # type: ignore[arg-type]


class ConfirmScreen(Localized, ModalScreen[bool]):
    """Ask once: y or Enter confirms, n or Escape does not. ``default=False``: Enter alone
    answers No (a warning: only y goes on). Yes and No are buttons too; the default's has the
    focus, so Enter on it says the same."""

    CSS_PATH = "forms.tcss"
    AUTO_FOCUS = None  # the default's button, set on mount
    kept_names: tuple[str, ...] = ()  # the client's name, never broken across lines (record_forms.about)
    BINDINGS = [Binding("y", "answer(True)", "key.yes", id="confirm.yes"),
                Binding("n,escape", "answer(False)", "key.no", id="confirm.no"),
                Binding("enter", "default", show=False)]

    def __init__(self, question: str, default: bool = True) -> None:
        super().__init__()
        self.question, self.default = question, default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(KeptWords(self.question, self.kept_names, lines=True), markup=False)
            yield Static(self.words.t("form.confirm_help" if self.default else "form.confirm_help_no"), classes="help")
            with Horizontal(classes="buttons"):
                yield button(self.words.t("key.yes"), "confirm-yes", "primary" if self.default else "default")
                yield button(self.words.t("key.no"), "confirm-no", "default" if self.default else "primary")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#confirm-yes" if self.default else "#confirm-no"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_default(self) -> None:
        self.dismiss(self.default)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class GoneNotice(Localized, ModalScreen[None]):
    """Why a client's screens and forms closed (handed over elsewhere, or erased): said over
    the list until Esc (or its button) closes it. Every other key goes nowhere meanwhile: the
    counselor typing on in the form that closed opened a note on the next row's client with
    their first "n" and recorded the rest of their words there with Enter."""

    CSS_PATH = "forms.tcss"
    AUTO_FOCUS = None

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            # the command it names on one line (in Korean at 80x24: '(다른 곳에서 followup⏎forget).')
            yield Static(KeptWords(self.message, ("followup forget",), lines=True), markup=False)
            yield Static(KeptWords(self.words.t("gone.help")), classes="help", markup=False)
            with Horizontal(classes="buttons"):
                close = button(self.words.t("key.close_screen"), "gone-close", "primary")
                close.can_focus = False  # (a Tab then Enter typed on would press it)
                yield close

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if event.key == "escape":
            self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)


class UndoScreen(ConfirmScreen):
    """Ctrl+Z's question: y / Enter undoes, n / Escape does not, as every question; Tab goes to
    the reason (optional, what ``retract --reason`` takes), Enter there undoes with it. The
    answer: the reason typed ("" for none), or None for no."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(KeptWords(self.question, self.kept_names, lines=True), markup=False)
            yield Label(self.words.t("form.undo_reason"))
            yield FormInput(id="field-reason", placeholder=self.words.t("undo.reason"))
            yield Static(self.words.t("form.confirm_help") + self.words.t("form.undo_reason_help"), classes="help")
            with Horizontal(classes="buttons"):
                yield button(self.words.t("key.yes"), "confirm-yes", "primary")
                yield button(self.words.t("key.no"), "confirm-no")

    def reason(self) -> str:
        return self.query_one("#field-reason", Input).value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(self.reason())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self.reason() if event.button.id == "confirm-yes" else None)

    def action_default(self) -> None:
        self.dismiss(self.reason())

    def action_answer(self, yes: bool) -> None:
        self.dismiss(self.reason() if yes else None)

    def on_key(self, event: events.Key) -> None:
        if event.key == "tab" and not isinstance(self.focused, Input):
            event.stop()
            event.prevent_default()
            self.set_focus(self.query_one("#field-reason"))


def out_of_range(words, text: str) -> str:
    """What a form says of a day outside the dates kept (9999-12-31 broke every report)."""
    first, last = (day.isoformat() for day in DATE_RANGE)
    return words.t("date.out_of_range", text=text.strip(), first=first, last=last)
