"""A realistic, deterministic demo caseload, dated relative to a given day.

The same seed, sizes and day always give the same log, byte for byte. Clients follow the
ladder of their plan the way practitioners really do: mostly on time, sometimes a day or
three late, with replies, notes, promises, snoozes, pauses, closes and a retraction here
and there; at the end some are overdue, some due today, some paused or closed. Names and
texts are Japanese, Korean and English. Scales to a million events (about 2,000 clients).

It is the log of a practitioner following the policy's third edition: every message says what
it was written for (``answers``, as ``record message`` writes it; the note after a session says
no reply is needed), and a client who has gone quiet (as the policy has it) gets no more
check-ins: one question of intent on its day, then most often their answer, or else, once the
decision is due, a pause or a close. Some stories end there: the answer awaited, or the
decision due.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Iterator

import msgspec

from . import events as ev
from .caseload import ClientFacts, fold, project
from .plans import DEFAULT_PLANS, DEFAULT_POLICY, cadence_label, step_label
from .policy import CHECKPOINT, DECIDE, INTENT_CHECK, RESPOND, DueItem, answered, items_on, next_item, silence
from .templates import THANKS

JA_FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
             "吉田", "山田", "佐々木", "松本", "井上", "木村", "林", "清水", "山崎", "森"]
JA_GIVEN = ["陽菜", "結衣", "葵", "蓮", "大翔", "悠真", "さくら", "美咲", "翔太", "健一",
            "恵子", "直樹", "由美", "拓也", "花子", "太郎", "真一", "明美", "優子", "和也"]
# How each is read (フリガナ), so that a Japanese caseload is in 五十音 order, as its practitioner
# keeps it (without one, names in kanji stand in character-code order)
JA_READING = dict(zip(JA_FAMILY + JA_GIVEN, (
    "サトウ スズキ タカハシ タナカ イトウ ワタナベ ヤマモト ナカムラ コバヤシ カトウ "
    "ヨシダ ヤマダ ササキ マツモト イノウエ キムラ ハヤシ シミズ ヤマザキ モリ "
    "ヒナ ユイ アオイ レン ヒロト ユウマ サクラ ミサキ ショウタ ケンイチ "
    "ケイコ ナオキ ユミ タクヤ ハナコ タロウ シンイチ アケミ ユウコ カズヤ").split(), strict=True))
KO_FAMILY = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"]
KO_GIVEN = ["민준", "서연", "지호", "수아", "하준", "지우", "예은", "도윤", "서준", "하은"]
EN_FAMILY = ["Smith", "Garcia", "Okafor", "Nguyen", "Müller", "Rossi", "Silva", "Brown",
             "Kowalski", "Haddad", "Johansson", "Patel"]
EN_GIVEN = ["Emma", "Liam", "Olivia", "Noah", "Amara", "Lucas", "Mia", "Ethan", "Sofia",
            "Daniel", "Grace", "Omar"]

TEXT = {
    "ja": {
        "summary": ["職務経歴書の見直し", "面接練習", "転職先の比較", "働き方の希望を整理",
                    "家族との話し合いを振り返り", "自己分析の続き", "求人票の読み方"],
        "next_step": ["応募書類を1社分仕上げる", "模擬面接の日程を決める", "興味のある求人を3件選ぶ",
                      "上司に相談してみる", "一週間の気分を記録する"],
        "note": ["声に元気があった", "睡眠不足とのこと", "次回は家族の件を聞く", "応募に前向き",
                 "少し疲れている様子"],
        "reply": ["ありがとうございます。やってみます。", "少し進みました。", "来週また連絡します。",
                  "面接が決まりました！"],
        "promise": ["求人情報を送る", "面接対策資料を送る", "来週電話する", "推薦状を確認する"],
        "snooze": ["出張中", "体調不良とのこと", "試験期間"],
        "pause": ["仕事が繁忙期", "家庭の事情", "しばらく自分で進めたい"],
        "retract": "別のクライアントの記録",
    },
    "ko": {  # (as many of each as before: the mixed demo draws the same, byte for byte)
        "summary": ["이력서 검토", "면접 연습", "진로 선택지 정리", "업무 스트레스 상담"],
        "next_step": ["지원서 한 곳 완성하기", "관심 기업 세 곳 고르기", "상사와 이야기하기"],
        "note": ["목소리가 밝았다", "피곤해 보였다", "다음에 가족 이야기를 듣기"],
        "reply": ["감사합니다. 해볼게요.", "조금 진행했어요.", "면접이 잡혔어요!"],
        "promise": ["채용 정보 보내기", "다음 주에 전화하기"],
        "snooze": ["출장 중", "시험 기간"],
        "pause": ["업무가 바쁨", "가족 사정"],
        "retract": "다른 내담자의 기록",
    },
    "en": {
        "summary": ["Reviewed the CV", "Interview practice", "Compared two offers",
                    "Sorted out what a good week looks like", "Talked through the move"],
        "next_step": ["Finish one application", "Book a mock interview", "Pick three job ads",
                      "Talk to the manager", "Keep a mood diary for a week"],
        "note": ["Sounded upbeat", "Short on sleep", "Ask about the family next time",
                 "Keen to apply"],
        "reply": ["Thanks, will do.", "Made some progress.", "Got an interview!",
                  "Will get back to you next week."],
        "promise": ["Send the job list", "Send interview prep notes", "Call next week",
                    "Check the reference letter"],
        "snooze": ["Travelling", "Unwell", "Exam period"],
        "pause": ["Busy season at work", "Family matters", "Wants to go on alone for a while"],
        "retract": "wrong client",
    },
}

PLANS = [("standard", 0.6), ("weekly", 0.25), ("24-72-7", 0.15)]
CHANNEL_WEIGHTS = [("email", 0.4), ("chat", 0.25), ("phone", 0.2), ("video", 0.1), ("in_person", 0.05)]
FATES = [("active", 0.74), ("paused", 0.11), ("closed", 0.15)]  # where a story ends
CLOSE_REASONS = [("goal_achieved", 0.5), ("withdrew", 0.15), ("referred", 0.15),
                 ("no_response", 0.1), ("other", 0.1)]


def _pick(rng: random.Random, weighted):
    x = rng.random()
    for value, weight in weighted:
        x -= weight
        if x < 0:
            return value
    return weighted[-1][0]


# Which script the n-th client's name is in (index % 10), for each flavour of the demo.
MIXES = {
    None: "jjjjjkkeee",  # a mixed caseload: half Japanese, some Korean, some English
    "ja": "jjjjjjjkej",  # a Japanese practitioner's caseload
    "en": "eeeeeeejke",  # an English-speaking practitioner's caseload
    "ko": "kkkkkkkjek",  # a Korean practitioner's caseload
}
DEMO_LANGUAGES: tuple[str, ...] = tuple(lang for lang in MIXES if lang)  # the ones with names and texts here
FALLBACK = "en"  # the demo of a language without its own: these names and texts, the messages in that language


def _name(rng: random.Random, index: int, taken: set[str], mix: str = MIXES[None]) -> tuple[str, str]:
    """A name not yet on the caseload (while the lists last), in the client's script."""
    script = mix[index % 10]
    for _ in range(20):
        if script == "j":
            name, lang = f"{rng.choice(JA_FAMILY)} {rng.choice(JA_GIVEN)}", "ja"
        elif script == "k":
            name, lang = rng.choice(KO_FAMILY) + rng.choice(KO_GIVEN), "ko"
        else:
            name, lang = f"{rng.choice(EN_GIVEN)} {rng.choice(EN_FAMILY)}", "en"
        if name not in taken:
            break
    taken.add(name)
    return name, lang


class _Writer:
    """Makes one client's events in time order."""

    def __init__(self, rng, client, tz, actor, ids):
        self.rng, self.client, self.tz, self.actor, self.ids = rng, client, tz, actor, ids
        self.out: list[ev.Event] = []
        self.facts = ClientFacts(client)  # the story so far, as the app reads it
        self.latest = datetime.min.replace(tzinfo=tz)  # its latest moment

    def at(self, day: date, hour: int | None = None) -> datetime:
        h = hour if hour is not None else self.rng.randint(9, 17)
        return datetime.combine(day, time(h, self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50))), tzinfo=self.tz)

    def add(self, kind, moment: datetime, **fields) -> ev.Event:
        event = kind(id=next(self.ids), at=moment, recorded_at=moment + timedelta(minutes=self.rng.randint(1, 90)),
                     actor=self.actor, client=self.client, **fields)
        self.out.append(event)
        fold(self.facts, event, type(event) is not ev.EventRetracted)  # (what is retracted is a note)
        self.latest = max(self.latest, moment)
        return event

    def waiting(self, day: date) -> DueItem | None:
        """The one question, or the decision after it, when the client has gone quiet by ``day``
        (the policy's rules 2 and 3, as the due list shows them): then no check-in goes."""
        if silence(self.facts, DEFAULT_POLICY, self.tz) is None:  # (the quick answer, most days)
            return None
        for item in items_on(self.facts, DEFAULT_POLICY, self.tz, day):
            if item.kind in (INTENT_CHECK, DECIDE):
                return item
        return None


def _id_stream(rng: random.Random) -> Iterator[str]:
    n = 0x018f00000000
    while True:
        n += rng.randint(1, 4096)
        yield f"{n:012x}{rng.getrandbits(40):010x}"


def generate(
    today: date, tz: tzinfo, clients: int | None = None, events: int | None = None,
    seed: int = 7, actor: str = "demo", lang: str | None = None, now: datetime | None = None,
) -> list[ev.Event]:
    """The demo log: every event, in the order it happened. ``lang`` (one of ``DEMO_LANGUAGES``:
    "ja", "en", "ko") gives a caseload mostly in that language; the default mixes them. Any
    other language (a catalogue the demo has no names or texts for) gets the English demo, its
    English-named clients' messages set to that language. ``now``: the moment the demo opens
    on, when it is ``today``: nothing of the demo is after it (a reply drawn for this morning
    at seven, opened at half past four, was a reply not yet received that no answer cleared)."""
    messages_in = {}
    if lang is not None and lang not in MIXES:
        messages_in, lang = {FALLBACK: lang}, FALLBACK
    if clients is None:
        clients = max(12, (events or 0) // 500) if events else 24
    if events is None:
        events = clients * 16
    rng = random.Random(seed)
    ids = _id_stream(random.Random(seed + 1))
    fates = random.Random(seed + 2)  # drawn apart: the mix of fates stays whatever the stories draw
    per_client = max(4, events // clients)
    out: list[ev.Event] = []
    taken: set[str] = set()
    for index in range(clients):
        budget = per_client + (events - per_client * clients if index == 0 else 0)
        out.extend(_client_story(rng, ids, index, today, tz, actor, budget, taken, MIXES.get(lang, MIXES[None]),
                                 TEXT.get(lang or ""), messages_in, fate=_pick(fates, FATES)))
    if now is not None:
        out = [_not_after(e, now) for e in out]
    out.sort(key=lambda e: (e.recorded_at, e.id))
    return out


def _not_after(event: ev.Event, now: datetime) -> ev.Event:
    """The event as it happened and was recorded by ``now`` (moved back to just before it)."""
    if event.recorded_at <= now:
        return event
    at = min(event.at, now - timedelta(minutes=2))
    return msgspec.structs.replace(event, at=at, recorded_at=max(at, now - timedelta(minutes=1)))


def _client_story(rng, ids, index, today, tz, actor, budget, taken, mix, own=None,
                  messages_in=None, fate: str = "active") -> list[ev.Event]:
    """One client's story, told from an arbitrary origin and then moved in time so that it
    ends on a realistic morning: active clients with their next follow-up between a week
    overdue and three weeks ahead, paused and closed ones some days to months ago. ``own``: the
    practitioner's texts (what they write in their own language: a retraction's reason), else
    the client's."""
    name, lang = _name(rng, index, taken, mix)
    text = TEXT[lang]
    client = f"c{index + 1:04d}"
    w = _Writer(rng, client, tz, actor, ids)
    plan_name = _pick(rng, PLANS)
    plan = DEFAULT_PLANS[plan_name]
    channel = _pick(rng, CHANNEL_WEIGHTS)
    if index % 11 == 8 and channel == "email":
        channel = "chat"  # this one withdraws a consent: not of the channel in use
    day = date(2000, 1, 3)  # the origin; the whole story is moved at the end
    # The client's texts are in their language, and so are the messages to them (recorded:
    # the app's language is only for a client whose language no one noted).
    reading = " ".join(JA_READING[part] for part in name.split(" ")) if lang == "ja" else ""
    w.add(ev.ClientRegistered, w.at(day), name=name, reading=reading, plan=plan_name, channel=channel,
          language=(messages_in or {}).get(lang, lang),
          note=rng.choice(text["note"]) if rng.random() < 0.5 else "")
    if rng.random() < 0.7:
        w.add(ev.ConsentRecorded, w.at(day), scope="case_review")
    if rng.random() < 0.6:
        w.add(ev.ConsentRecorded, w.at(day), scope=channel)
    # Some stories end with the client gone quiet: the question asked, its answer awaited (the
    # decision ahead), or the decision due this morning.
    ending = {1: "waiting", 5: "decide"}.get(index % 9) if fate == "active" else None
    had_pause = had_close = finished = False
    cycles = 0
    while len(w.out) < budget - 1 and not finished:
        cycles += 1
        day += timedelta(days=rng.randint(0, 6))
        if cycles > 1:  # after the last word of the round before (a message, a reopening), not before it
            day = max(day, w.latest.astimezone(tz).date() + timedelta(days=1))
        session = w.add(ev.SessionHeld, w.at(day, hour=rng.randint(9, 16)),
                        minutes=rng.choice((30, 45, 50, 60, 90)),
                        summary=rng.choice(text["summary"]),
                        next_step=rng.choice(text["next_step"]) if rng.random() < 0.85 else "")
        session_day = day
        sent: list[date] = []
        promised: ev.PromiseMade | None = None
        replied: date | None = None  # the day of the client's reply not answered yet
        decided = False
        steps = rng.randint(len(plan.ladder) + 1, len(plan.ladder) + 6)
        while True:
            closing = ending is not None and len(w.out) >= budget - 4  # no more answers from them
            if not closing and (steps == 0 or len(w.out) >= budget - 1):
                break
            steps -= 1
            due, label = _next_checkpoint(session_day, plan, sent)
            late = _pick(rng, [(0, 0.6), (-1, 0.1), (1, 0.15), (2, 0.08), (4, 0.07)])
            send = max(due + timedelta(days=late), session_day, *(sent[-1:] and [sent[-1] + timedelta(days=1)]))
            if replied is not None:  # a reply is answered within days, not at the next checkpoint
                send = max(min(send, replied + timedelta(days=rng.randint(1, 3))), replied + timedelta(days=1))
            quiet = w.waiting(send)
            if quiet is not None:  # gone quiet (rule 2): no check-in; the one question, then a decision
                if promised is not None:  # kept another way, on its day
                    w.add(ev.PromiseKept, w.at(promised.due, hour=11), promise=promised.id)
                    promised = None
                outcome, day = _ask_once(w, rng, text, channel, quiet, budget, sent, ends=closing)
                finished = closing
                if outcome == "answered":  # the story goes on
                    replied = day
                    continue
                decided = True  # paused or closed, and back; or the story ends waiting for the answer
                break
            hour = rng.randint(session.at.hour + 1, 19) if send == session_day else rng.randint(9, 19)
            # What ``record message`` writes by default (the policy's ``message_for``, which the
            # demo's test checks every message against): the answer to their reply, else the checkpoint.
            answers = RESPOND if replied is not None else CHECKPOINT
            template = RESPOND if answers == RESPOND else label  # (the form offers the answer first)
            w.add(ev.MessageSent, w.at(send, hour=hour), channel=channel, template=template,
                  summary=rng.choice(text["next_step"]) if rng.random() < 0.3 else "",
                  keeps=promised.id if promised is not None else "", answers=answers,
                  no_reply_needed=template == THANKS)  # (the note after a session says so)
            promised = replied = None
            sent.append(send)
            day = send
            if not closing and rng.random() < 0.4:
                replied = send + timedelta(days=rng.randint(0, 2))
                w.add(ev.ReplyReceived, w.at(replied, hour=rng.randint(20, 22)),
                      channel=channel, summary=rng.choice(text["reply"]))
                day = replied
            if rng.random() < 0.1:
                w.add(ev.NoteAdded, w.at(send, hour=20), text=rng.choice(text["note"]))
            if rng.random() < 0.03:
                wrong = w.add(ev.NoteAdded, w.at(send, hour=20), text=rng.choice(text["note"]))
                w.add(ev.EventRetracted, wrong.at + timedelta(minutes=5), target=wrong.id,
                      reason=(own or text)["retract"])
            if rng.random() < 0.05:
                promised = w.add(ev.PromiseMade, w.at(send, hour=19), due=send + timedelta(days=rng.randint(2, 6)),
                                 what=rng.choice(text["promise"]), explicit=True)
            if rng.random() < 0.03:
                w.add(ev.FollowUpSnoozed, w.at(send, hour=21), until=send + timedelta(days=rng.randint(3, 8)),
                      reason=rng.choice(text["snooze"]))
        if promised is not None:  # no message came after it in this round: kept another way, on its day
            w.add(ev.PromiseKept, w.at(promised.due, hour=11), promise=promised.id)
            day = max(day, promised.due)
        roomy = len(w.out) < budget - 6
        if decided:
            pass
        elif not had_pause and ((roomy and rng.random() < 0.06) or (index % 11 == 2 and cycles == 1)):
            had_pause = True
            w.add(ev.ClientPaused, w.at(day + timedelta(days=3)), reason=rng.choice(text["pause"]))
            day += timedelta(days=rng.randint(20, 35))
            w.add(ev.ClientResumed, w.at(day))
        elif not had_close and ((roomy and rng.random() < 0.02) or (index % 11 == 6 and cycles == 1)):
            had_close = True
            w.add(ev.CaseClosed, w.at(day + timedelta(days=2)), reason=_pick(rng, CLOSE_REASONS),
                  summary=rng.choice(text["summary"]))
            day += timedelta(days=rng.randint(20, 60))
            w.add(ev.CaseReopened, w.at(day), reason=rng.choice(text["pause"]))
        if (rng.random() < 0.01 or (index % 11 == 8 and cycles == 1)) and channel != "email":
            w.add(ev.ConsentWithdrawn, w.at(day), scope="phone" if channel == "chat" else "chat")

    # On record before anything else of theirs (the first session or a consent was drawn at an
    # hour of its own on the same day): moved, not drawn again, so the rest stays as it was.
    registered, rest = w.out[0], w.out[1:]
    if rest:
        w.out[0] = msgspec.structs.replace(registered, at=min(registered.at, min(e.at for e in rest)),
                                           recorded_at=min(registered.recorded_at, min(e.recorded_at for e in rest)))
    replies = [e.at for e in w.out if isinstance(e, ev.ReplyReceived)]
    sent_at = [e.at for e in w.out if isinstance(e, (ev.MessageSent, ev.SessionHeld))]
    if replies and (not sent_at or max(replies) > max(sent_at)):  # answer the last reply (none since it)
        w.add(ev.MessageSent, w.at(max(replies).date() + timedelta(days=1)), channel=channel,
              template=RESPOND, answers=RESPOND)
    last = max(e.at for e in w.out).astimezone(tz).date()
    if fate == "paused":
        anchor = last + timedelta(days=rng.randint(1, 4))
        w.add(ev.ClientPaused, w.at(anchor), reason=rng.choice(text["pause"]))
        target = today - timedelta(days=rng.randint(3, 45))
    elif fate == "closed":
        anchor = last + timedelta(days=rng.randint(1, 4))
        w.add(ev.CaseClosed, w.at(anchor), reason=_pick(rng, CLOSE_REASONS), summary=rng.choice(text["summary"]))
        target = today - timedelta(days=rng.randint(3, 200))
    else:
        facts = project(w.out).get(client)
        item = next_item(facts, DEFAULT_POLICY, tz, facts.last_contact.astimezone(tz).date()) if facts else None
        anchor = item.due if item else last
        if ending is not None:  # the decision ahead, or due: each such story on a day of its own
            days = {"waiting": (4, 9, 14, 18), "decide": (0, -2, -4, -1)}[ending][index // 9 % 4]
        else:
            days = _pick(rng, [(-6, 0.06), (-3, 0.07), (-1, 0.1), (0, 0.2), (2, 0.13), (5, 0.15), (9, 0.15),
                               (16, 0.14)])
        target = today + timedelta(days=days)
    shift = target - anchor
    newest = max(e.at for e in w.out).astimezone(tz).date()
    shift = min(shift, (today - timedelta(days=1)) - newest)  # nothing in the future
    story = [_moved(e, shift) for e in w.out]
    if fate == "active" and index % 9 == 4:
        story.append(w.add(ev.ReplyReceived, w.at(today, hour=7), channel=channel,
                           summary=rng.choice(text["reply"])))
    elif fate == "active" and index % 9 in (3, 7):
        story.append(w.add(ev.PromiseMade, w.at(today - timedelta(days=1), hour=18),
                           due=today + timedelta(days=rng.randint(0, 3)), what=rng.choice(text["promise"]),
                           explicit=True))
    return story


def _ask_once(w: _Writer, rng, text, channel, quiet: DueItem, budget: int,
              sent: list[date], ends: bool = False) -> tuple[str, date]:
    """A client gone quiet, as the policy has it: the one question on its day, and then most
    often their answer ("answered", its day), or else, ``decide_days`` on, the practitioner's
    decision -- a pause or a close, and their return weeks later ("decided", that day).
    ("waiting", the question's day): the story ends there (``ends``, or its events are spent),
    the question waiting for its answer."""
    if quiet.kind == INTENT_CHECK:
        asked = quiet.due
        w.add(ev.MessageSent, w.at(asked, hour=rng.randint(9, 18)), channel=channel, template=INTENT_CHECK,
              answers=INTENT_CHECK)
        sent.append(asked)
        if ends or len(w.out) >= budget - 1:
            return "waiting", asked
        if rng.random() < 0.7 or len(w.out) >= budget - 4:  # most answer the question
            answered_on = asked + timedelta(days=rng.randint(1, DEFAULT_POLICY.decide_days - 5))
            w.add(ev.ReplyReceived, w.at(answered_on, hour=rng.randint(20, 22)), channel=channel,
                  summary=rng.choice(text["reply"]))
            return "answered", answered_on
        decision = w.waiting(asked)
        assert decision is not None and decision.kind == DECIDE, decision
    else:
        decision = quiet
    day = decision.due + timedelta(days=_pick(rng, [(0, 0.6), (1, 0.2), (3, 0.2)]))
    if rng.random() < 0.5:
        w.add(ev.ClientPaused, w.at(day), reason=rng.choice(text["pause"]))
        day += timedelta(days=rng.randint(20, 35))
        w.add(ev.ClientResumed, w.at(day))
    else:
        w.add(ev.CaseClosed, w.at(day), reason=_pick(rng, [("no_response", 0.7), ("withdrew", 0.3)]),
              summary=rng.choice(text["summary"]))
        day += timedelta(days=rng.randint(20, 60))
        w.add(ev.CaseReopened, w.at(day), reason=rng.choice(text["pause"]))
    return "decided", day


def _next_checkpoint(session_day: date, plan, sent: list[date]) -> tuple[date, str]:
    """The checkpoint a practitioner who follows the plan answers next (the policy's rule)."""
    k = answered(plan.ladder, session_day, sent[-1] if sent else None)
    if k < len(plan.ladder):
        return session_day + timedelta(days=plan.ladder[k]), step_label(plan.ladder[k])
    return sent[-1] + timedelta(days=plan.interval), cadence_label(plan.interval)


def _moved(event: ev.Event, shift: timedelta) -> ev.Event:
    changes: dict = {"at": event.at + shift, "recorded_at": event.recorded_at + shift}
    if isinstance(event, ev.FollowUpSnoozed):
        changes["until"] = event.until + shift
    elif isinstance(event, ev.PromiseMade):
        changes["due"] = event.due + shift
    return msgspec.structs.replace(event, **changes)
