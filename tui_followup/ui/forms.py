"""Modal forms: open with sensible defaults, submit with Enter, cancel with Escape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from ..i18n import t


@dataclass
class Field:
    name: str
    label: str
    kind: str = "text"  # text | select
    value: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)
    placeholder: str = ""


class FormScreen(ModalScreen[dict | None]):
    """A small form. ``on_submit(values)`` returns an error to show (the form stays open),
    or None to close it. Without ``on_submit`` the form is dismissed with its values."""

    CSS_PATH = "forms.tcss"

    @staticmethod
    def bindings() -> list[Binding]:
        return [Binding("escape", "cancel", t("key.cancel"), id="form.cancel"),
                Binding("ctrl+s", "submit", t("key.save"), id="form.save"),
                Binding("ctrl+y", "copy_preview", t("key.copy"), id="form.copy")]

    BINDINGS = bindings()

    def __init__(self, title: str, fields: list[Field], submit_label: str | None = None,
                 on_submit: Callable[[dict], str | None] | None = None,
                 preview: str | None = None, preview_title: str = "") -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.submit_label = submit_label or t("key.save")
        self.on_submit = on_submit
        self.preview = preview
        self.preview_title = preview_title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.form_title, classes="form-title", markup=False)
            for f in self.fields:
                yield Label(f.label)
                if f.kind == "select":
                    yield Select(f.options, value=f.value, allow_blank=False, id=f"field-{f.name}")
                else:
                    yield Input(value=f.value, placeholder=f.placeholder, id=f"field-{f.name}")
            if self.preview is not None:
                preview = Static(self.preview, id="preview", markup=False)
                preview.border_title = self.preview_title
                yield preview
            help_text = t("form.enter", label=self.submit_label)
            if self.preview is not None:
                help_text += t("form.copy_help")
            yield Static(help_text, classes="form-help")

    def values(self) -> dict:
        out = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.name}")
            out[f.name] = widget.value  # type: ignore[attr-defined]
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        values = self.values()
        if self.on_submit is None:
            self.dismiss(values)
            return
        error = self.on_submit(values)
        if error:
            self.notify(error, severity="error", title=t("note.not_recorded"))
        else:
            self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_copy_preview(self) -> None:
        """Copy the message text (the template) to the clipboard again."""
        if self.preview is not None:
            self.app.copy_to_clipboard(self.preview)
            self.notify(t("note.copied"), timeout=2)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "copy_preview":
            return self.preview is not None  # only forms with a message text offer it
        return True


class ConfirmScreen(ModalScreen[bool]):
    """Ask once: y or Enter confirms, n or Escape does not."""

    CSS_PATH = "forms.tcss"
    @staticmethod
    def bindings() -> list[Binding]:
        return [Binding("y,enter", "answer(True)", t("key.yes"), id="confirm.yes"),
                Binding("n,escape", "answer(False)", t("key.no"), id="confirm.no")]

    BINDINGS = bindings()

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            yield Static(t("form.confirm_help"), classes="help")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
