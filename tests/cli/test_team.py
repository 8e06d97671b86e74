"""Several counselors on one caseload: who records (the actor), whose client it is (the owner),
hand-overs that keep the history, `due --mine`, the audit by owner. The real `followup` command."""

from __future__ import annotations

import json

import pytest

from tui_followup.core import privacy

from .test_cli import Followup

NOW = "2026-11-10T09:00+09:00"


@pytest.fixture
def office(tmp_path, monkeypatch):
    """A log and the config file every run reads (none yet: the actor comes from $FOLLOWUP_ACTOR)."""
    monkeypatch.setenv("FOLLOWUP_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.delenv("FOLLOWUP_ACTOR", raising=False)
    return Followup(tmp_path / "events.jsonl", now=NOW)


def as_(monkeypatch, name: str) -> None:
    monkeypatch.setenv("FOLLOWUP_ACTOR", name)


def kato_registers_aoki(followup, monkeypatch) -> None:
    as_(monkeypatch, "kato")
    followup("record", "client", "--id", "aoki", "--name", "青木 花子", "--at", "2026-10-01")
    followup("record", "session", "aoki", "--at", "2026-11-01T10:00", "--summary", "職務経歴書")
    followup("record", "message", "aoki", "--at", "2026-11-02T09:00")
    followup("record", "note", "aoki", "--text", "面接の練習をしたい")
    followup("record", "client", "--id", "kim", "--name", "김민준", "--at", "2026-10-01")
    followup("record", "session", "kim", "--at", "2026-11-03T10:00")


def test_hand_over_keeps_the_history_and_moves_the_due_items(office, monkeypatch):
    kato_registers_aoki(office, monkeypatch)
    before = office.json("history", "aoki")
    assert {row["actor"] for row in before} == {"kato"}
    # before any hand-over, the client is the registering counselor's
    assert {row["client"]: row["owner"] for row in office.json("status")} == {"aoki": "kato", "kim": "kato"}
    assert {i["client"] for i in office.json("due", "--mine", "--days", "30")} == {"aoki", "kim"}

    office("record", "assign", "aoki", "--to", "suzuki", "--reason", "kato moves to Osaka")

    as_(monkeypatch, "suzuki")
    after = office.json("history", "aoki")  # the new owner reads everything the previous one recorded
    assert [row["id"] for row in after[:len(before)]] == [row["id"] for row in before]
    assert [row["type"] for row in after] == ["client_registered", "session_held", "message_sent", "note_added",
                                              "client_assigned"]
    assert after[-1]["actor"] == "kato" and after[-1]["fields"] == {"to": "suzuki", "reason": "kato moves to Osaka"}
    mine = office.json("due", "--mine", "--days", "30")
    assert [(i["client"], i["owner"]) for i in mine] == [("aoki", "suzuki")]
    table = office("history", "aoki").stdout
    assert "職務経歴書" in table and "client assigned" in table

    as_(monkeypatch, "kato")
    assert [i["client"] for i in office.json("due", "--mine", "--days", "30")] == ["kim"]
    everyone = office.json("due", "--days", "30")
    assert {i["client"]: i["owner"] for i in everyone} == {"aoki": "suzuki", "kim": "kato"}
    assert {row["client"]: row["owner"] for row in office.json("status")} == {"aoki": "suzuki", "kim": "kato"}


def test_an_assignment_retracted_gives_the_client_back(office, monkeypatch):
    kato_registers_aoki(office, monkeypatch)
    assigned = office("record", "assign", "aoki", "--to", "suzuki").stdout.strip()
    # an assignment dated before the latest one, recorded after it, does not take the client over
    mori = office("record", "assign", "aoki", "--to", "mori", "--at", "2026-11-05T09:00").stdout.strip()
    owner = lambda: {row["client"]: row["owner"] for row in office.json("status")}["aoki"]  # noqa: E731
    assert owner() == "suzuki"
    later = "2026-11-11T09:00+09:00"
    tanaka = office("record", "assign", "aoki", "--to", "tanaka", now=later).stdout.strip()
    assert owner() == "tanaka"
    office("record", "retract", tanaka, "--reason", "wrong person", now=later)
    assert owner() == "suzuki"
    office("record", "retract", assigned, "--reason", "stays with kato", now=later)
    assert owner() == "mori"  # the backdated one stands now
    office("record", "retract", mori, "--reason", "never happened", now=later)
    assert owner() == "kato"  # no assignment left: the registering counselor's again


def test_an_assignment_that_changes_nothing_is_refused(office, monkeypatch):
    kato_registers_aoki(office, monkeypatch)
    out = office("record", "assign", "aoki", "--to", "kato", ok=False)
    assert out.returncode != 0 and "青木 花子 is already kato's client" in out.stderr
    out = office("record", "assign", "aoki", "--to", "  ", ok=False)
    assert out.returncode != 0 and "say whom the client is assigned to" in out.stderr
    assert len(office.json("history", "aoki")) == 4  # nothing written


def test_the_actor_is_the_user_name_in_config_else_actor_and_the_environment_wins(office, monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('actor = "old-style"\n')
    office("record", "client", "--id", "a1", "--name", "A")
    config.write_text('actor = "old-style"\n\n[user]\nname = "佐藤"\n')
    office("record", "client", "--id", "a2", "--name", "B")
    as_(monkeypatch, "script")
    office("record", "client", "--id", "a3", "--name", "C")
    owners = {row["client"]: row["owner"] for row in office.json("status")}
    assert owners == {"a1": "old-style", "a2": "佐藤", "a3": "script"}
    monkeypatch.delenv("FOLLOWUP_ACTOR")
    # mine, with no session yet: 佐藤's new client's first session (third edition)
    assert [(i["client"], i["kind"]) for i in office.json("due", "--mine", "--days", "400")] == [("a2", "first-session")]
    office("record", "session", "a2", "--at", "2026-11-09T10:00")
    office("record", "session", "a1", "--at", "2026-11-09T10:00")
    assert [i["client"] for i in office.json("due", "--mine", "--days", "30")] == ["a2"]  # mine: 佐藤's


def test_the_audit_groups_by_owner(office, monkeypatch):
    kato_registers_aoki(office, monkeypatch)
    office("record", "client", "--id", "emma", "--name", "Emma", "--at", "2026-10-01")
    office("record", "close", "emma", "--reason", "goal_achieved")
    office("record", "assign", "kim", "--to", "suzuki")
    report = office.json("audit")
    assert {c["client"]: c["owner"] for c in report["clients"]} == {"aoki": "kato", "kim": "suzuki", "emma": "kato"}
    assert set(report["by_owner"]) == {"kato", "suzuki"}
    kato = report["by_owner"]["kato"]
    assert (kato["clients"], kato["active"], kato["closed"]) == (2, 1, 1)
    aoki = next(c for c in report["clients"] if c["client"] == "aoki")
    assert kato["checkpoints_due"] == aoki["checkpoints_due"] + 0  # emma had no session
    assert report["by_owner"]["suzuki"]["clients"] == 1
    lines = office("audit").stdout.splitlines()
    assert lines[0].split()[0] == "owner"
    rows = [line.split()[0] for line in lines[2:5]]
    assert rows == ["kato", "kato", "suzuki"]  # grouped by owner
    assert "kato: 2 clients, 1 active" in "\n".join(lines)
    assert "suzuki: 1 client, 1 active" in "\n".join(lines)  # one said as one (never "1 clients")


def test_the_anonymized_copy_names_the_new_owner_by_a_pseudonym():
    raw = {"type": "client_assigned", "id": "e1", "at": "2026-11-10T09:00:00+09:00",
           "recorded_at": "2026-11-10T09:00:00+09:00", "actor": "kato", "client": "aoki", "v": 2,
           "to": "suzuki", "reason": "青木さんの希望"}
    actors = privacy.Pseudonyms("counselor")
    out = privacy.anonymize(raw, privacy.Pseudonyms("client"), actors, privacy.Pseudonyms("e"))
    assert out is not None
    assert (out["actor"], out["to"], out["reason"]) == ("counselor-001", "counselor-002", "")
    assert "suzuki" not in json.dumps(out, ensure_ascii=False)


@pytest.mark.parametrize("lang, said", [
    ("en_US.UTF-8", "the case of 青木 花子 is already closed (kato, 11-10 09:00)"),
    ("ja_JP.UTF-8", "青木 花子 さんの案件はすでに終結しています（kato、11/10 09:00）"),
    ("ko_KR.UTF-8", "青木 花子 님의 사례는 이미 종결되었습니다 (kato, 11월 10일 09:00)"),
])
def test_a_close_of_a_case_a_colleague_closed_says_who_closed_it_and_when(office, monkeypatch, lang, said):
    """Two counselors close one case: the second hears who got there first and when, in their
    language (a practitioner's pass on a team store: "already closed" named nobody)."""
    kato_registers_aoki(office, monkeypatch)
    office("record", "close", "aoki", "--reason", "goal_achieved")
    as_(monkeypatch, "sato")
    monkeypatch.setenv("LANG", lang)
    refused = office("record", "close", "aoki", "--reason", "withdrew", ok=False)
    assert refused.returncode == 2 and said in refused.stderr, refused.stderr
