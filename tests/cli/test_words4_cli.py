"""The audit's flags are a list in the reader's language: 「連絡過多、しばらく連絡なし」, "over-contact,
gone quiet" (they were run together with a space)."""

from __future__ import annotations

from .test_cli import Followup


def test_audit_flags_are_joined_as_a_list(tmp_path, monkeypatch):
    f = Followup(tmp_path / "events.jsonl", now="2026-11-25T09:00+09:00")
    f("record", "client", "--id", "a", "--name", "青木 花子", "--at", "2026-06-01T09:00")
    f("record", "session", "a", "--at", "2026-06-02T10:00")
    for day in ("2026-06-03", "2026-06-04", "2026-06-05", "2026-06-06"):
        f("record", "message", "a", "--at", f"{day}T09:00")
    (row,) = [r for r in f.json("audit")["clients"]]
    assert set(row["flags"]) >= {"over_contact", "gone_quiet"}, row["flags"]
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert "連絡過多、しばらく連絡なし" in f("audit").stdout
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert "over-contact, gone quiet" in f("audit").stdout
