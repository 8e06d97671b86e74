"""An attack on ``commands.send_message(seen=)`` (second round): any history of messages sent
and retracted before the form opened and after, the refusal comes exactly when a message
recorded after the form opened stands now."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal

from .helpers import TOKYO, at

_SEEN: set = set()
STEP = st.one_of(st.just(("send",)), st.tuples(st.just("retract"), st.integers(0, 20)),
                 st.just(("note",)), st.tuples(st.just("retract_note"), st.integers(0, 20)))


def _play(journal: Journal, steps, sent: list, notes: list) -> None:
    for step in steps:
        if step[0] == "send":
            sent.append(journal.record(cmd.send_message, "aoki", answers="checkpoint").id)
        elif step[0] == "note":
            notes.append(journal.record(cmd.add_note, "aoki", text="n").id)
        else:
            pool = sent if step[0] == "retract" else notes
            standing = [i for i in pool if not journal.caseload.is_retracted(i)]
            if standing:
                journal.record(cmd.retract, standing[step[1] % len(standing)], reason="wrong")


@settings(max_examples=150, deadline=None)
@given(st.lists(STEP, max_size=6), st.lists(STEP, max_size=6))
def test_refused_exactly_when_a_message_recorded_since_stands(before, since):
    with tempfile.TemporaryDirectory() as tmp:
        ids = (f"e{n:05d}" for n in itertools.count())
        journal = Journal.open(Path(tmp) / "events.jsonl", clock=FixedClock(at("2026-11-10 09:00")), tz=TOKYO,
                               actor="kato", new_id=lambda: next(ids))
        journal.record(cmd.register_client, "aoki", "Aoki Hanako", channel="chat")
        sent: list = []
        notes: list = []
        _play(journal, before, sent, notes)
        seen = cmd.seen_messages(journal.caseload, "aoki")
        opened = len(sent)
        _play(journal, since, sent, notes)
        expected = any(not journal.caseload.is_retracted(i) for i in sent[opened:])
        try:
            journal.record(cmd.send_message, "aoki", answers="checkpoint", seen=seen)
            refused = False
        except cmd.CommandError as err:
            assert err.key == "messaged_since"
            refused = True
        assert refused == expected, (before, since)
        _SEEN.add((refused, len(sent) - opened, any(s[0] == "retract" for s in since)))


def test_the_histories_tried_were_refused_and_not():
    test_refused_exactly_when_a_message_recorded_since_stands()
    assert {refused for refused, _, _ in _SEEN} == {True, False}
    assert any(not refused and sent_since and retracted for refused, sent_since, retracted in _SEEN)
