"""Every part of every event type, checked: an event type added to ``AnyEvent`` without one of
them fails here, naming its tag and the part (the list is ARCHITECTURE.md's "How to add … an
event type")."""

from __future__ import annotations

import argparse
import json
import re
import tomllib
from pathlib import Path

from tui_followup.cli.parser import build_parser
from tui_followup.cli.record import RECORD_KINDS, Elsewhere
from tui_followup.core.events import ENVELOPE_FIELDS, EVENT_TYPES, Event
from tui_followup.i18n import HIDDEN_FIELDS, words_for
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.record_forms import FORMS, FROM_APP, NotFromApp

from .strategies import STRATEGIES

ROOT = Path(__file__).resolve().parents[2]
TAGS = {cls.__struct_config__.tag: cls for cls in EVENT_TYPES}


def record_kinds() -> set[str]:
    """The kinds ``followup record`` takes, read from the parser itself."""
    parser = build_parser(words_for("en"))
    record = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["record"]
    return set(next(a for a in record._actions if isinstance(a, argparse._SubParsersAction)).choices)


def users_readme_record_block() -> str:
    """The ``followup record`` examples of README.md (the code block that starts with them)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("```sh\nfollowup record client")
    return text[start:text.index("```\n", start + 3)]


def missing_parts() -> list[str]:
    catalogues = {path.name: tomllib.loads(path.read_text(encoding="utf-8"))["messages"]
                  for path in sorted((ROOT / "tui_followup" / "i18n").glob("*.toml"))}
    schema = json.loads((ROOT / "events" / "schema.json").read_text(encoding="utf-8"))["discriminator"]["mapping"]
    readme = (ROOT / "events" / "README.md").read_text(encoding="utf-8")
    usage = users_readme_record_block()
    kinds = record_kinds()
    missing = []
    for tag, cls in TAGS.items():
        def lacks(part: str) -> None:
            missing.append(f"{tag}: {part}")

        for declared in ("personal", "words"):
            if declared not in cls.__dict__:
                lacks(f"no `{declared}` on its class in core/events.py")
        key = cls.__dict__.get("words")
        shown = [f for f in cls.__struct_fields__ if f not in ENVELOPE_FIELDS and f not in HIDDEN_FIELDS]
        for name, messages in catalogues.items():
            if key is not None and key not in messages:
                lacks(f"its words {key!r} are not in i18n/{name}")
            for field in shown:  # the record's details say each field by its name in words
                if f"field.{field}" not in messages:
                    lacks(f"its field {field!r} has no words 'field.{field}' in i18n/{name}")
        if tag not in STRATEGIES:
            lacks("no hypothesis strategy in tests/core/strategies.py (STRATEGIES)")
        kind = RECORD_KINDS.get(tag)
        if kind is None:
            lacks("no `record` kind (or Elsewhere) in cli/record.py (RECORD_KINDS)")
        elif not isinstance(kind, Elsewhere):
            if kind not in kinds:
                lacks(f"`followup record {kind}` is not in cli/parser.py")
            if not re.search(rf"(?<![\w-]){re.escape(kind)}(?![\w-])", usage):
                lacks(f"`followup record {kind}` is not shown in README.md's record examples")
        form = FROM_APP.get(tag)
        if form is None:
            lacks("no form in the app (or NotFromApp) in ui/record_forms.py (FROM_APP)")
        elif not isinstance(form, NotFromApp) and form not in FORMS and not hasattr(FollowupApp, f"action_{form}"):
            lacks(f"the app has no form or action {form!r} (ui/record_forms.py FORMS)")
        if tag not in schema:
            lacks("not in events/schema.json (followup schema --out events/schema.json)")
        if f"**{tag}**" not in readme:
            lacks("no line in events/README.md")
    return missing


def test_every_event_type_has_every_part():
    assert missing_parts() == []


def test_the_registries_name_only_event_types_and_every_record_kind_makes_one():
    """No registry keeps a tag that is gone, and no `record` kind makes nothing known."""
    for name, registry in (("STRATEGIES", STRATEGIES), ("RECORD_KINDS", RECORD_KINDS), ("FROM_APP", FROM_APP)):
        assert sorted(set(registry) - set(TAGS)) == [], name
    assert sorted(record_kinds() - set(RECORD_KINDS.values())) == []


def test_a_type_without_its_parts_is_named_with_each_part_it_lacks(monkeypatch):
    """The check can fail: a new type in AnyEvent with nothing beside it is named, part by part."""
    import tui_followup.core.events as ev

    class ClientPhoned(Event, frozen=True, kw_only=True, gc=False, tag="client_phoned"):
        minutes_late: int = 0

    monkeypatch.setitem(TAGS, "client_phoned", ClientPhoned)
    assert ev.TYPE_BY_TAG.get("client_phoned") is None  # (nothing in the package sees it)
    assert missing_parts() == [
        "client_phoned: no `personal` on its class in core/events.py",
        "client_phoned: no `words` on its class in core/events.py",
        *(f"client_phoned: its field 'minutes_late' has no words 'field.minutes_late' in i18n/{name}"
          for name in ("en.toml", "ja.toml", "ko.toml")),
        "client_phoned: no hypothesis strategy in tests/core/strategies.py (STRATEGIES)",
        "client_phoned: no `record` kind (or Elsewhere) in cli/record.py (RECORD_KINDS)",
        "client_phoned: no form in the app (or NotFromApp) in ui/record_forms.py (FROM_APP)",
        "client_phoned: not in events/schema.json (followup schema --out events/schema.json)",
        "client_phoned: no line in events/README.md",
    ]
