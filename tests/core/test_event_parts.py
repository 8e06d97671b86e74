"""Every part of every event type, checked: an event type added to ``AnyEvent`` without one of
them fails here, naming its tag and the part (the list is ARCHITECTURE.md's "How to add … an
event type")."""

from __future__ import annotations

import argparse
import inspect
import json
import re
import tomllib
import typing
from pathlib import Path

from tui_followup.cli.parser import build_parser
from tui_followup.cli.record import KINDS, RECORD_KINDS, Elsewhere
from tui_followup.core import commands
from tui_followup.core.events import ENVELOPE_FIELDS, EVENT_TYPES, Event, EventRetracted
from tui_followup.core.facts import FACTS
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


def made_by(command) -> set[type]:
    """The event types a command returns (its return annotation: one type, or a union)."""
    made = typing.get_type_hints(command).get("return")
    return set(typing.get_args(made) or (made,))


def commands_making() -> dict[type, list[str]]:
    """Each event type and the public commands of core/commands.py that return it."""
    making: dict[type, list[str]] = {}
    for name, command in vars(commands).items():
        if not name.startswith("_") and inspect.isfunction(command) and command.__module__ == commands.__name__:
            for made in made_by(command):
                making.setdefault(made, []).append(name)
    return making


def missing_parts() -> list[str]:
    catalogues = {path.name: tomllib.loads(path.read_text(encoding="utf-8"))["messages"]
                  for path in sorted((ROOT / "tui_followup" / "i18n").glob("*.toml"))}
    schema = json.loads((ROOT / "events" / "schema.json").read_text(encoding="utf-8"))["discriminator"]["mapping"]
    readme = (ROOT / "events" / "README.md").read_text(encoding="utf-8")
    usage = users_readme_record_block()
    kinds = record_kinds()
    making = commands_making()
    # (a fact naming every type, as the last actor does, says nothing of one: always=True)
    folded = {cls for fact in FACTS if not fact.always for cls in fact.on}
    folded.add(EventRetracted)  # folded apart: it cancels its target (core/caseload.py)
    missing = []
    for tag, cls in TAGS.items():
        def lacks(part: str) -> None:
            missing.append(f"{tag}: {part}")

        for declared in ("personal", "words"):
            if declared not in cls.__dict__:
                lacks(f"no `{declared}` on its class in core/events.py")
        if cls not in making:
            lacks("no command in core/commands.py makes it (returns it)")
        if cls not in folded:
            lacks("no fact in core/facts.py names it in its `on` (FACTS)")
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
            if cls not in made_by(KINDS[kind].command):
                lacks(f"`followup record {kind}` runs {KINDS[kind].command.__name__}, which makes no {tag}")
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

    # (a tag no real type will take: a real one of the same tag would be seen by the package)
    class OnlyInThisTest(Event, frozen=True, kw_only=True, gc=False, tag="only_in_this_test"):
        minutes_late: int = 0

    monkeypatch.setitem(TAGS, "only_in_this_test", OnlyInThisTest)
    assert ev.TYPE_BY_TAG.get("only_in_this_test") is None  # (nothing in the package sees it)
    assert missing_parts() == [
        "only_in_this_test: no `personal` on its class in core/events.py",
        "only_in_this_test: no `words` on its class in core/events.py",
        "only_in_this_test: no command in core/commands.py makes it (returns it)",
        "only_in_this_test: no fact in core/facts.py names it in its `on` (FACTS)",
        *(f"only_in_this_test: its field 'minutes_late' has no words 'field.minutes_late' in i18n/{name}"
          for name in ("en.toml", "ja.toml", "ko.toml")),
        "only_in_this_test: no hypothesis strategy in tests/core/strategies.py (STRATEGIES)",
        "only_in_this_test: no `record` kind (or Elsewhere) in cli/record.py (RECORD_KINDS)",
        "only_in_this_test: no form in the app (or NotFromApp) in ui/record_forms.py (FROM_APP)",
        "only_in_this_test: not in events/schema.json (followup schema --out events/schema.json)",
        "only_in_this_test: no line in events/README.md",
    ]


def test_a_record_kind_whose_command_makes_another_type_is_named(monkeypatch):
    """A kind copied from another one and left with its command is seen: it would record the other type."""
    monkeypatch.setitem(KINDS, "note", KINDS["note"]._replace(command=commands.assign))
    assert missing_parts() == ["note_added: `followup record note` runs assign, which makes no note_added"]
