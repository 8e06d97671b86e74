"""An unexpected error is one line for the user, and a traceback for whoever asks for it."""

from __future__ import annotations

import pytest

from tui_followup import cli


@pytest.fixture
def broken_status(monkeypatch, tmp_path):
    def status(args):
        raise ZeroDivisionError("the status report divided by nothing")

    monkeypatch.setitem(cli.COMMANDS, "status", status)
    monkeypatch.delenv("FOLLOWUP_DEBUG", raising=False)
    return ["--log", str(tmp_path / "events.jsonl")]


def test_an_unexpected_error_is_one_line_that_says_how_to_see_more(broken_status, capsys):
    assert cli.main(broken_status + ["status"]) == 3
    err = capsys.readouterr().err
    assert err.splitlines() == ["followup: internal error: ZeroDivisionError: the status report divided by nothing "
                                "(run with --debug for details)"]


def test_debug_prints_the_traceback(broken_status, capsys):
    assert cli.main(["--debug"] + broken_status + ["status"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert "in status" in err and 'raise ZeroDivisionError("the status report divided by nothing")' in err
    assert err.endswith("(run with --debug for details)\n")


def test_the_environment_variable_asks_for_it_too(broken_status, capsys, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_DEBUG", "1")
    assert cli.main(broken_status + ["status"]) == 3
    assert "Traceback (most recent call last):" in capsys.readouterr().err
