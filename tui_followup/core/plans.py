"""Follow-up plans and the policy settings, as data.

A plan is a ladder of checkpoints (days after a session) and the interval of the
check-ins that follow it. The rule that turns a plan into due dates is in
:mod:`tui_followup.core.policy`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Plan:
    name: str
    ladder: tuple[int, ...]  # days after the session
    interval: int  # days between check-ins after the ladder
    silence_days: int = 0  # after this long without contact from the client, ask once (0: the policy's)


DEFAULT_PLANS: dict[str, Plan] = {
    "standard": Plan("standard", (1, 7, 30, 90), 30, 60),
    "weekly": Plan("weekly", (1, 7), 7, 28),
    "24-72-7": Plan("24-72-7", (1, 3, 7), 30, 30),
}

_STEP_LABELS = {1: "24h", 3: "72h", 7: "1w", 30: "1m", 90: "3m"}
_CADENCE_LABELS = {7: "weekly", 30: "monthly"}


def step_label(days: int) -> str:
    """``24h``, ``72h``, ``1w``, ``1m``, ``3m``; other ladder steps as ``Nd``."""
    return _STEP_LABELS.get(days, f"{days}d")


def cadence_label(interval: int) -> str:
    """``weekly`` or ``monthly``; other intervals as ``every-Nd``."""
    return _CADENCE_LABELS.get(interval, f"every-{interval}d")


@dataclass(frozen=True)
class Policy:
    """Everything the practitioner may tune about what falls due and what is flagged."""

    plans: dict[str, Plan] = field(default_factory=lambda: dict(DEFAULT_PLANS))
    default_plan: str = "standard"
    silence_days: int = 60  # silence: this long without contact from the client (a plan may say its own) ...
    silence_messages: int = 2  # ... and at least this many of your messages unanswered
    decide_days: int = 30  # after the question of intent went unanswered: decide
    pause_days: int = 30  # a pause with no end named: the question of intent after this
    max_per_week: int = 2  # a message beyond this many in 7 days is recorded with a warning
    over_contact_messages: int = 3  # this many outbound messages ...
    over_contact_window_days: int = 7  # ... within this many days is too much
    over_contact_consecutive_days: int = 3  # so are messages on this many days in a row
    consent_required: bool = False  # [consent] required: no message on a channel without consent
    first_session_days: int = 7  # a new client with no session nor appointment: on the list this long after

    def silence_for(self, plan: Plan) -> int:
        """The days of silence after which the plan's client is asked once about their intent."""
        return plan.silence_days or self.silence_days

    def plan(self, name: str) -> Plan:
        """The named plan; an unknown name (say, from an older config) falls back to the default."""
        return self.plans.get(name) or self.plans[self.default_plan]


DEFAULT_POLICY = Policy()
