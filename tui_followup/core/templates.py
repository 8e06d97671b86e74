"""Message templates for each checkpoint, in Japanese, English and Korean: a subject line and
a body, as a careful practitioner would write them to a client.

Placeholders: ``{name}`` (the client's name), ``{short_name}`` (as a greeting says it: the
first word of a name in Latin script, else the whole name), ``{session_date}`` (the day of the latest
session), ``{next_step}`` (the step agreed in it), ``{what}`` (a promise), ``{achieved}`` and
``{challenges}`` (the progress recorded at the latest session, used by 1m and 3m),
``{appointment}`` (a booked session: its day and time; also ``{appointment_date}`` (with its
weekday), ``{appointment_day}`` (without) and ``{appointment_time}``) and ``{day}``: the word for the day the message refers to (the session,
or the missed appointment of a no-show), true on the day it is sent (本日 / 昨日 / 先日; today /
yesterday / the other day; 오늘 / 어제 / 지난번).

Whatever the practitioner typed (a verb phrase, a noun phrase, one word) sits in a frame that is
grammatical around it: 「…」の件, “…”, ‘…’. In Korean a particle placeholder right after a
value, ``{을}`` ``{은}`` ``{이}`` ``{와}`` ``{으로}`` ``{이라는}`` (either form of the pair may be
written), takes the form the value's last syllable asks for (받침): ‘이력서 쓰기’를,
‘구인 목록’을, ‘3’을. After a value that ends in something not read as Hangul or a number
(a latin letter, a bracket, an emoji) the particle follows the noun 건: ‘send the CV’ 건을.

Besides each label's text there is ``LABEL.late`` (a message more than 3 days after the due
date: no "today", no pretending it is on time) and ``LABEL.plain`` (used when a placeholder of
the text cannot be filled: no empty 「…」 is ever sent); ``appointment.today`` is the reminder
sent on the appointment's own day (an appointment reminder is never late: none is offered once
the session is past); the weekly check-in has variants
(``weekly``, ``weekly.2``, ``weekly.3``, ``weekly.4``), one for each week in turn. Subjects are
``LABEL.subject`` (and, where it differs, ``LABEL.plain.subject``). The user may override any of
them in ``templates.toml`` in the config directory (read by the shell):

    [ja]
    "1w" = "{name}様 ..."
    "1w.subject" = "一週間のご様子"
    [en]
    "1w" = "Hi {name}, ..."
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import NamedTuple

# Every text starts with the salutation and the line after it is the body. Japanese: です・ます
# with honorifics; English: plain and warm; Korean: 합니다체 (하십시오체) throughout.
DEFAULTS: dict[str, dict[str, str]] = {
    "ja": {
        "24h": "{name}様\n{day}はお時間をいただき、ありがとうございました。お話しした「{next_step}」の件は、ご自身のペースで進めていただければ十分です。\nこのメッセージへのお返事は不要です。何かあれば、いつでもご連絡ください。",
        "24h.plain": "{name}様\n{day}はお時間をいただき、ありがとうございました。お話ししたことは、ご自身のペースで進めていただければ十分です。\nこのメッセージへのお返事は不要です。何かあれば、いつでもご連絡ください。",
        "24h.late": "{name}様\n先日はお時間をいただき、ありがとうございました。お礼が遅くなり、失礼いたしました。お話しした「{next_step}」の件は、ご自身のペースで進めていただければ十分です。\nお返事は不要です。何かあれば、いつでもご連絡ください。",
        "24h.late.plain": "{name}様\n先日はお時間をいただき、ありがとうございました。お礼が遅くなり、失礼いたしました。\nお返事は不要です。何かあれば、いつでもご連絡ください。",
        "24h.subject": "面談のお礼",
        "72h": "{name}様\n{session_date}の面談から数日が経ちました。「{next_step}」の件、その後いかがでしょうか。まだ取りかかれていなくても大丈夫です。よろしければ、最初の手応えをお聞かせください。",
        "72h.plain": "{name}様\n面談から数日が経ちましたが、その後いかがでしょうか。よろしければ、最初の手応えをお聞かせください。",
        "72h.late": "{name}様\n先日の面談から少し時間が経ちましたが、その後いかがお過ごしでしょうか。ご都合のよいときに、近況をお聞かせください。",
        "72h.subject": "面談後のご様子について",
        "1w": "{name}様\n{session_date}の面談から一週間ほどになります。「{next_step}」の件はいかがでしょうか。うまくいったことも難しかったことも、よろしければお聞かせください。これからのことを一緒に考えましょう。",
        "1w.plain": "{name}様\n面談から一週間ほどになります。その後いかがでしょうか。うまくいったことも難しかったことも、よろしければお聞かせください。これからのことを一緒に考えましょう。",
        "1w.late": "{name}様\nご連絡が遅くなりました。面談からしばらく経ちましたが、その後いかがでしょうか。よろしければ、近況をお聞かせください。",
        "1w.subject": "面談から一週間：その後のご様子について",
        "1m": "{name}様\n面談から一か月が経ちました。前回は、うまくいったこととして「{achieved}」の件を、気がかりなこととして「{challenges}」の件をうかがいました。その後いかがでしょうか。新しく出てきたことも含めて、次の一歩を一緒に考えましょう。",
        "1m.achieved": "{name}様\n面談から一か月が経ちました。前回は、うまくいったこととして「{achieved}」の件をうかがいました。その後いかがでしょうか。新しく出てきたことも含めて、次の一歩を一緒に考えましょう。",
        "1m.challenges": "{name}様\n面談から一か月が経ちました。前回は、気がかりなこととして「{challenges}」の件をうかがいました。その後いかがでしょうか。新しく出てきたことも含めて、次の一歩を一緒に考えましょう。",
        "1m.plain": "{name}様\n面談から一か月が経ちました。その後いかがでしょうか。進んだことや、新しく出てきた気がかりがあれば、お聞かせください。次の一歩を一緒に考えましょう。",
        "1m.late": "{name}様\nご連絡が遅くなりました。面談から一か月あまりが経ちましたが、その後いかがでしょうか。次の一歩を一緒に考えましょう。",
        "1m.subject": "面談から一か月のフォローアップ",
        "3m": "{name}様\n面談から三か月が経ちました。この三か月で、何か変わったことはありましたか。前回うかがった「{achieved}」の件も含めて、小さなことでも、よろしければお聞かせください。",
        "3m.plain": "{name}様\n面談から三か月が経ちました。この三か月で、何か変わったことはありましたか。小さなことでも、よろしければお聞かせください。",
        "3m.late": "{name}様\nご連絡が遅くなりました。面談から三か月あまりが経ちました。この間に何か変わったことはありましたか。よろしければお聞かせください。",
        "3m.subject": "面談から三か月：この間の変化について",
        "weekly": "{name}様\n今週はいかがお過ごしでしたか。「{next_step}」の件で、進んだことや困っていることがあれば、お聞かせください。",
        "weekly.plain": "{name}様\n今週はいかがお過ごしでしたか。進んだことや困っていることがあれば、お聞かせください。",
        "weekly.2": "{name}様\n一週間、おつかれさまでした。今週よかったことや、気づいたことはありましたか。一言でもお聞かせいただければ嬉しいです。",
        "weekly.3": "{name}様\n今週の様子はいかがでしょうか。「{next_step}」の件は、予定どおりに進んでいなくても大丈夫です。来週に向けてお手伝いできることがあれば、お知らせください。",
        "weekly.3.plain": "{name}様\n今週の様子はいかがでしょうか。予定どおりに進んでいなくても大丈夫です。来週に向けてお手伝いできることがあれば、お知らせください。",
        "weekly.4": "{name}様\n今週もおつかれさまでした。ここ数週間を振り返って、進め方やペースで変えたいところはありますか。",
        "weekly.late": "{name}様\nご連絡が少し空いてしまいました。その後いかがお過ごしでしょうか。よろしければ、近況をお聞かせください。",
        "weekly.subject": "今週のご様子について",
        "monthly": "{name}様\nその後いかがお過ごしでしょうか。この一か月のご様子を、よろしければお聞かせください。お返事は、ご都合のよいときで構いません。",
        "monthly.late": "{name}様\nご無沙汰しております。その後いかがお過ごしでしょうか。ご都合のよいときに、近況をお聞かせください。",
        "monthly.subject": "近況のおうかがい",
        "check-in": "{name}様\nその後いかがお過ごしでしょうか。よろしければ、近況をお聞かせください。",
        "check-in.subject": "近況のおうかがい",
        "respond": "{name}様\nご連絡いただき、ありがとうございます。内容を拝見しました。\nよろしければ、この件について一度お話しする時間をとりましょう。ご都合のよい日時をいくつかお知らせいただければ、調整いたします。このままメッセージでのやりとりを続けていただいても構いません。\nお返事は、ご都合のよいときで大丈夫です。",
        "respond.late": "{name}様\nご連絡いただき、ありがとうございます。お返事が遅くなり、申し訳ありません。内容を拝見しました。\nよろしければ、この件について一度お話しする時間をとりましょう。ご都合のよい日時をいくつかお知らせいただければ、調整いたします。このままメッセージでのやりとりを続けていただいても構いません。\nお返事は、ご都合のよいときで大丈夫です。",
        "respond.subject": "いただいたご連絡について",
        "promise": "{name}様\nお約束していた「{what}」の件で、ご連絡いたします。ご不明な点があれば、いつでもお知らせください。",
        "promise.plain": "{name}様\nお約束していた件で、ご連絡いたします。ご不明な点があれば、いつでもお知らせください。",
        "promise.late": "{name}様\nお約束していた「{what}」の件、ご連絡が遅くなり申し訳ありません。ご不明な点があれば、いつでもお知らせください。",
        "promise.late.plain": "{name}様\nお約束していた件、ご連絡が遅くなり申し訳ありません。ご不明な点があれば、いつでもお知らせください。",
        "promise.subject": "お約束の件",
        "no-show": "{name}様\n{day}はお会いできませんでしたが、お変わりなくお過ごしでしょうか。ご都合のよいときに、また日程をご相談させてください。",
        "no-show.late": "{name}様\n先日はお会いできませんでしたが、お変わりありませんか。ご都合のよいときにご連絡いただければ、また日程をご相談させてください。",
        "no-show.subject": "次回の日程について",
        "first-session": "{name}様\nこのたびはご相談いただき、ありがとうございます。初回の面談の日程を調整させてください。ご都合のよい日時を、いくつかお知らせください。",
        "first-session.late": "{name}様\nこのたびはご相談いただき、ありがとうございます。ご連絡が遅くなり、申し訳ありません。初回の面談の日程を調整させてください。ご都合のよい日時を、いくつかお知らせください。",
        "first-session.subject": "初回面談の日程について",
        "appointment": "{name}様\n次回の面談は、{appointment}です。ご都合が変わった場合は、遠慮なくお知らせください。お会いできるのを楽しみにしております。",
        "appointment.plain": "{name}様\n次回の面談の日時をあらためてご確認ください。ご都合が変わった場合は、遠慮なくお知らせください。お会いできるのを楽しみにしております。",
        "appointment.today": "{name}様\n{day}{appointment_date}{appointment_time}からの面談のご確認です。ご都合が変わった場合は、遠慮なくお知らせください。お会いできるのを楽しみにしております。",
        "appointment.today.plain": "{name}様\n{day}{appointment_date}の面談のご確認です。ご都合が変わった場合は、遠慮なくお知らせください。お会いできるのを楽しみにしております。",
        "appointment.subject": "次回面談のご確認：{appointment_date}",
        "appointment.plain.subject": "次回面談の日時のご確認",
        "intent-check": "{name}様\nその後いかがお過ごしでしょうか。これからのことについて、{name}様のお考えをうかがえればと思い、ご連絡しました。続ける、しばらく休む、ここでいったん区切りにする、どれを選んでいただいても大丈夫です。お返事は、ご都合のよいときにいただければ十分です。",
        "intent-check.late": "{name}様\nご無沙汰しております。その後いかがお過ごしでしょうか。これからのことについて、{name}様のお考えをうかがえればと思い、ご連絡しました。続ける、しばらく休む、ここでいったん区切りにする、どれを選んでいただいても大丈夫です。お返事は、ご都合のよいときにいただければ十分です。",
        "intent-check.subject": "今後の進め方について",
        "intent-check.paused": "{name}様\nお休みのところ、失礼いたします。その後いかがお過ごしでしょうか。\nしばらくお休みの期間をとっていましたので、急がせるつもりはありません。これからのことについて、再開をご希望かどうか、ご希望であればいつごろがよろしいか、お考えをお聞かせいただければと思います。もう少しお休みを続けることも、ここでいったん区切りにすることもできます。どれを選んでいただいても大丈夫です。\nお返事は、ご都合のよいときにいただければ十分です。",
        "intent-check.paused.late": "{name}様\nお休みのところ、失礼いたします。ご連絡が遅くなりましたが、その後いかがお過ごしでしょうか。\nしばらくお休みの期間をとっていましたので、急がせるつもりはありません。これからのことについて、再開をご希望かどうか、ご希望であればいつごろがよろしいか、お考えをお聞かせいただければと思います。もう少しお休みを続けることも、ここでいったん区切りにすることもできます。どれを選んでいただいても大丈夫です。\nお返事は、ご都合のよいときにいただければ十分です。",
        "intent-check.paused.subject": "お休み中のご様子と今後について",
    },
    "en": {
        "24h": "Dear {short_name},\nThank you for your time {day}. The step we agreed on was “{next_step}”: take it at your own pace.\nThere is no need to reply to this message, but do write whenever you like.",
        "24h.plain": "Dear {short_name},\nThank you for your time {day}. Take what we talked about at your own pace.\nThere is no need to reply to this message, but do write whenever you like.",
        "24h.late": "Dear {short_name},\nThank you again for your time the other day, and I'm sorry this note comes late. The step we agreed on was “{next_step}”: take it at your own pace.\nThere is no need to reply, but do write whenever you like.",
        "24h.late.plain": "Dear {short_name},\nThank you again for your time the other day, and I'm sorry this note comes late.\nThere is no need to reply, but do write whenever you like.",
        "24h.subject": "Thank you for our session",
        "72h": "Dear {short_name},\nIt has been a few days since we met on {session_date}. How are things going with the step we agreed on, “{next_step}”? It's fine if you haven't started yet; I'd be glad to hear how it feels so far.",
        "72h.plain": "Dear {short_name},\nIt has been a few days since our session. How are things going? I'd be glad to hear how it feels so far.",
        "72h.late": "Dear {short_name},\nSome time has passed since our session, and I wanted to ask how you are. I'd be glad to hear how things are going, whenever suits you.",
        "72h.subject": "Checking in after our session",
        "1w": "Dear {short_name},\nIt has been about a week since our session on {session_date}. I hope the step we agreed on, “{next_step}”, is going in a way that suits you. If you'd like to tell me what has gone well or what has been hard, we can think about what comes next together.",
        "1w.plain": "Dear {short_name},\nIt has been about a week since our session. I hope things are going in a way that suits you. If you'd like to tell me what has gone well or what has been hard, we can think about what comes next together.",
        "1w.late": "Dear {short_name},\nI'm sorry to be slow in following up. How have things been going since our session? I'd be glad to hear, whenever suits you.",
        "1w.subject": "One week on: how things are going",
        "1m": "Dear {short_name},\nIt has been a month since our session. Last time you told me what had gone well (“{achieved}”) and what was getting in the way (“{challenges}”). How are things now? If anything new has come up, let's think about the next step together.",
        "1m.achieved": "Dear {short_name},\nIt has been a month since our session. Last time you told me what had gone well (“{achieved}”). How are things now? If anything new has come up, let's think about the next step together.",
        "1m.challenges": "Dear {short_name},\nIt has been a month since our session. Last time you told me what was getting in the way (“{challenges}”). How are things now? If anything new has come up, let's think about the next step together.",
        "1m.plain": "Dear {short_name},\nIt has been a month since our session. How are things going? If anything new has come up, good or hard, let's think about the next step together.",
        "1m.late": "Dear {short_name},\nI'm sorry to be slow in following up. It has been over a month since our session: how are things going? If anything new has come up, let's think about the next step together.",
        "1m.subject": "One month on",
        "3m": "Dear {short_name},\nThree months have passed since our session. Looking back over that time, what has changed for you? Last time you told me what had gone well (“{achieved}”). I'd be glad to hear how things are now, small things included.",
        "3m.plain": "Dear {short_name},\nThree months have passed since our session. Looking back over that time, what has changed for you? I'd be glad to hear, small things included.",
        "3m.late": "Dear {short_name},\nI'm sorry to be slow in following up. It has been over three months since our session. What has changed for you in that time? I'd be glad to hear, whenever suits you.",
        "3m.subject": "Three months on: what has changed",
        "weekly": "Dear {short_name},\nHow has this week been? If anything has moved forward or got stuck with the step we agreed on (“{next_step}”), I'd be glad to hear.",
        "weekly.plain": "Dear {short_name},\nHow has this week been? If anything has moved forward or got stuck, I'd be glad to hear.",
        "weekly.2": "Dear {short_name},\nAnother week done. Did anything go well this week, or did you notice something new? A line or two is plenty.",
        "weekly.3": "Dear {short_name},\nHow are things this week? It's fine if the step we agreed on (“{next_step}”) isn't on schedule. If there is anything I can help with before next week, let me know.",
        "weekly.3.plain": "Dear {short_name},\nHow are things this week? It's fine if things aren't on schedule. If there is anything I can help with before next week, let me know.",
        "weekly.4": "Dear {short_name},\nI hope the week has treated you well. Looking back over the past few weeks, is there anything about our pace or our plan you'd like to change?",
        "weekly.late": "Dear {short_name},\nIt has been a little while since I last wrote. How have things been going? I'd be glad to hear, whenever suits you.",
        "weekly.subject": "This week's check-in",
        "monthly": "Dear {short_name},\nHow have you been this past month? I'd be glad to hear how things are going, whenever suits you.",
        "monthly.late": "Dear {short_name},\nIt has been a while. How have you been? I'd be glad to hear, whenever suits you.",
        "monthly.subject": "Checking in",
        "check-in": "Dear {short_name},\nHow have things been since we last spoke? I'd be glad to hear, whenever suits you.",
        "check-in.subject": "Checking in",
        "respond": "Dear {short_name},\nThank you for your message; it was good to hear from you, and I've read it carefully.\nIf it would help to talk it over, I'd be glad to find a time: just let me know a few days and times that suit you. Or we can simply keep writing, if that is easier.\nThere's no rush to reply.",
        "respond.late": "Dear {short_name},\nThank you for your message, and I'm sorry for my slow reply. I've read it carefully.\nIf it would help to talk it over, I'd be glad to find a time: just let me know a few days and times that suit you. Or we can simply keep writing, if that is easier.\nThere's no rush to reply.",
        "respond.subject": "About your message",
        "promise": "Dear {short_name},\nAs promised, I'm getting back to you about “{what}”. If anything is unclear, or you'd like to talk it over, just let me know.",
        "promise.plain": "Dear {short_name},\nAs promised, I'm getting back to you. If anything is unclear, or you'd like to talk it over, just let me know.",
        "promise.late": "Dear {short_name},\nI'm sorry this took longer than I promised. I'm getting back to you about “{what}”. If anything is unclear, or you'd like to talk it over, just let me know.",
        "promise.late.plain": "Dear {short_name},\nI'm sorry this took longer than I promised. Here is my follow-up. If anything is unclear, or you'd like to talk it over, just let me know.",
        "promise.subject": "Following up as promised",
        "no-show": "Dear {short_name},\nI'm sorry we didn't get to meet {day}. I hope all is well. Whenever it suits you, let's find another time.",
        "no-show.late": "Dear {short_name},\nWe didn't get to meet at our last appointment, and I hope all is well. Whenever it suits you, write and we'll find another time.",
        "no-show.subject": "Finding another time to meet",
        "first-session": "Dear {short_name},\nThank you for getting in touch. I'd like to arrange our first session: could you let me know a few days and times that would suit you?",
        "first-session.late": "Dear {short_name},\nThank you for getting in touch, and I'm sorry to be slow in replying. I'd like to arrange our first session: could you let me know a few days and times that would suit you?",
        "first-session.subject": "Arranging our first session",
        "appointment": "Dear {short_name},\nThis is a reminder of our next session, on {appointment}. If the time no longer suits you, just let me know and we'll find another. I look forward to seeing you.",
        "appointment.plain": "Dear {short_name},\nThis is a reminder of our next session. If the time no longer suits you, just let me know and we'll find another. I look forward to seeing you.",
        "appointment.today": "Dear {short_name},\nThis is a reminder of our session {day}, {appointment_date}, at {appointment_time}. If the time no longer suits you, just let me know and we'll find another. I look forward to seeing you.",
        "appointment.today.plain": "Dear {short_name},\nThis is a reminder of our session {day}, {appointment_date}. If the time no longer suits you, just let me know and we'll find another. I look forward to seeing you.",
        "appointment.subject": "Reminder: our session on {appointment_date}",
        "appointment.plain.subject": "Reminder: our next session",
        "intent-check": "Dear {short_name},\nI hope you are well. I'm writing to ask how you would like to go on from here: continue our sessions, take a break, or end our work for now. Any of these is fine, and I'll respect whatever you decide. Reply whenever it suits you.",
        "intent-check.late": "Dear {short_name},\nIt has been a while; I hope you are well. I'm writing to ask how you would like to go on from here: continue our sessions, take a break, or end our work for now. Any of these is fine, and I'll respect whatever you decide. Reply whenever it suits you.",
        "intent-check.subject": "How would you like to go on?",
        "intent-check.paused": "Dear {short_name},\nI hope you're keeping well during your break. We agreed to take a break, and there is no hurry on my side.\nWhen you feel ready, I'd like to hear how you would like to go on: whether you'd like to pick up our sessions again, and if so roughly when; or to take more time; or to end our work here for now. Any of these is fine, and I'll respect whatever you decide.\nReply whenever it suits you.",
        "intent-check.paused.late": "Dear {short_name},\nI hope you're keeping well during your break, and I'm sorry this note comes later than I meant it to. We agreed to take a break, and there is no hurry on my side.\nWhen you feel ready, I'd like to hear how you would like to go on: whether you'd like to pick up our sessions again, and if so roughly when; or to take more time; or to end our work here for now. Any of these is fine, and I'll respect whatever you decide.\nReply whenever it suits you.",
        "intent-check.paused.subject": "Your break, and what you would like next",
    },
    "ko": {
        "24h": "{name} 님, 안녕하십니까.\n{day} 상담에 시간을 내 주셔서 감사합니다. 함께 정한 ‘{next_step}’{은} 부담 갖지 마시고 편한 속도로 해 보시면 됩니다.\n이 메시지에는 답장하지 않으셔도 됩니다. 궁금한 점이 생기면 언제든 연락 주십시오.",
        "24h.plain": "{name} 님, 안녕하십니까.\n{day} 상담에 시간을 내 주셔서 감사합니다. 이야기 나눈 내용은 부담 갖지 마시고 편한 속도로 이어 가시면 됩니다.\n이 메시지에는 답장하지 않으셔도 됩니다. 궁금한 점이 생기면 언제든 연락 주십시오.",
        "24h.late": "{name} 님, 안녕하십니까.\n지난번 상담에 시간을 내 주셔서 감사합니다. 인사가 늦어 죄송합니다. 함께 정한 ‘{next_step}’{은} 부담 갖지 마시고 편한 속도로 해 보시면 됩니다.\n답장은 하지 않으셔도 됩니다. 궁금한 점이 생기면 언제든 연락 주십시오.",
        "24h.late.plain": "{name} 님, 안녕하십니까.\n지난번 상담에 시간을 내 주셔서 감사합니다. 인사가 늦어 죄송합니다.\n답장은 하지 않으셔도 됩니다. 궁금한 점이 생기면 언제든 연락 주십시오.",
        "24h.subject": "상담에 감사드립니다",
        "72h": "{name} 님, 안녕하십니까.\n{session_date} 상담 후 며칠이 지났습니다. 함께 정한 ‘{next_step}’{와} 관련해서는 그 후 어떠십니까? 아직 시작하지 못하셨어도 괜찮습니다. 지금까지의 느낌을 편하게 들려주시면 감사하겠습니다.",
        "72h.plain": "{name} 님, 안녕하십니까.\n상담 후 며칠이 지났습니다. 요즘 어떻게 지내고 계십니까? 지금까지의 느낌을 편하게 들려주시면 감사하겠습니다.",
        "72h.late": "{name} 님, 안녕하십니까.\n상담 후 시간이 조금 지났습니다. 그동안 어떻게 지내셨습니까? 편하실 때 근황을 들려주시면 감사하겠습니다.",
        "72h.subject": "상담 후 안부 인사",
        "1w": "{name} 님, 안녕하십니까.\n{session_date} 상담 후 일주일쯤 지났습니다. 함께 정한 ‘{next_step}’{은} 어떻게 되어 가고 있습니까? 잘된 점도, 어려웠던 점도 편하게 말씀해 주시면 앞으로의 계획을 함께 생각해 보겠습니다.",
        "1w.plain": "{name} 님, 안녕하십니까.\n상담 후 일주일쯤 지났습니다. 요즘 어떻게 지내고 계십니까? 잘된 점도, 어려웠던 점도 편하게 말씀해 주시면 앞으로의 계획을 함께 생각해 보겠습니다.",
        "1w.late": "{name} 님, 안녕하십니까.\n연락이 늦어 죄송합니다. 상담 후 시간이 조금 지났는데, 그동안 어떻게 지내셨습니까? 편하실 때 근황을 들려주시면 감사하겠습니다.",
        "1w.subject": "상담 후 일주일 안부",
        "1m": "{name} 님, 안녕하십니까.\n상담 후 한 달이 지났습니다. 지난번에는 잘된 일로 ‘{achieved}’{을}, 어려운 점으로 ‘{challenges}’{을} 말씀해 주셨습니다. 요즘은 어떻게 지내십니까? 새로 생긴 일도 함께 살펴보면서 앞으로의 계획을 생각해 보면 좋겠습니다.",
        "1m.achieved": "{name} 님, 안녕하십니까.\n상담 후 한 달이 지났습니다. 지난번에는 잘된 일로 ‘{achieved}’{을} 말씀해 주셨습니다. 요즘은 어떻게 지내십니까? 새로 생긴 일도 함께 살펴보면서 앞으로의 계획을 생각해 보면 좋겠습니다.",
        "1m.challenges": "{name} 님, 안녕하십니까.\n상담 후 한 달이 지났습니다. 지난번에는 어려운 점으로 ‘{challenges}’{을} 말씀해 주셨습니다. 요즘은 어떻게 지내십니까? 새로 생긴 일도 함께 살펴보면서 앞으로의 계획을 생각해 보면 좋겠습니다.",
        "1m.plain": "{name} 님, 안녕하십니까.\n상담 후 한 달이 지났습니다. 요즘은 어떻게 지내십니까? 그동안 진척된 일이나 새로 생긴 어려움이 있으면 알려 주십시오. 앞으로의 계획을 함께 생각해 보겠습니다.",
        "1m.late": "{name} 님, 안녕하십니까.\n연락이 늦어 죄송합니다. 상담 후 한 달 남짓 지났습니다. 요즘은 어떻게 지내십니까? 앞으로의 계획을 함께 생각해 보겠습니다.",
        "1m.subject": "상담 후 한 달 안부",
        "3m": "{name} 님, 안녕하십니까.\n상담 후 석 달이 지났습니다. 그동안 어떤 변화가 있었습니까? 지난번에 말씀하신 ‘{achieved}’{을} 비롯해 작은 변화라도 들려주시면 감사하겠습니다.",
        "3m.plain": "{name} 님, 안녕하십니까.\n상담 후 석 달이 지났습니다. 그동안 어떤 변화가 있었습니까? 작은 변화라도 들려주시면 감사하겠습니다.",
        "3m.late": "{name} 님, 안녕하십니까.\n연락이 늦어 죄송합니다. 상담 후 석 달 남짓 지났습니다. 그동안 어떤 변화가 있었습니까? 편하실 때 들려주시면 감사하겠습니다.",
        "3m.subject": "상담 후 석 달, 그동안의 변화",
        "weekly": "{name} 님, 안녕하십니까.\n이번 한 주는 어떻게 지내셨습니까? ‘{next_step}’{와} 관련해 진척된 일이나 막히는 일은 없으셨습니까? 편하게 들려주시면 감사하겠습니다.",
        "weekly.plain": "{name} 님, 안녕하십니까.\n이번 한 주는 어떻게 지내셨습니까? 진척된 일이나 막히는 일은 없으셨습니까? 편하게 들려주시면 감사하겠습니다.",
        "weekly.2": "{name} 님, 안녕하십니까.\n한 주 동안 수고 많으셨습니다. 이번 주에 좋았던 일이나 새롭게 알게 된 점이 있으셨습니까? 한두 줄이면 충분합니다.",
        "weekly.3": "{name} 님, 안녕하십니까.\n이번 주는 어떠셨습니까? ‘{next_step}’{이} 계획대로 되지 않아도 괜찮습니다. 다음 주를 위해 도와 드릴 일이 있으면 알려 주십시오.",
        "weekly.3.plain": "{name} 님, 안녕하십니까.\n이번 주는 어떠셨습니까? 계획대로 되지 않아도 괜찮습니다. 다음 주를 위해 도와 드릴 일이 있으면 알려 주십시오.",
        "weekly.4": "{name} 님, 안녕하십니까.\n이번 주도 수고 많으셨습니다. 지난 몇 주를 돌아보면서 진행 속도나 방향에서 바꾸고 싶은 점이 있으십니까?",
        "weekly.late": "{name} 님, 안녕하십니까.\n한동안 연락을 드리지 못했습니다. 그동안 어떻게 지내셨습니까? 편하실 때 근황을 들려주시면 감사하겠습니다.",
        "weekly.subject": "이번 주 안부",
        "monthly": "{name} 님, 안녕하십니까.\n그동안 잘 지내셨습니까? 이번 한 달은 어떠셨는지 편하실 때 들려주시면 감사하겠습니다.",
        "monthly.late": "{name} 님, 안녕하십니까.\n오랜만에 연락드립니다. 그동안 잘 지내셨습니까? 편하실 때 근황을 들려주시면 감사하겠습니다.",
        "monthly.subject": "이번 달 안부",
        "check-in": "{name} 님, 안녕하십니까.\n그동안 어떻게 지내셨습니까? 편하실 때 근황을 들려주시면 감사하겠습니다.",
        "check-in.subject": "안부 인사",
        "respond": "{name} 님, 안녕하십니까.\n연락 주셔서 감사합니다. 보내 주신 내용은 잘 읽었습니다.\n직접 이야기를 나누는 편이 좋으시다면 시간을 따로 마련하겠습니다. 편하신 날짜와 시간을 몇 가지 알려 주시면 맞추겠습니다. 지금처럼 메시지로 이야기를 이어 가셔도 괜찮습니다.\n답장은 편하실 때 주시면 됩니다.",
        "respond.late": "{name} 님, 안녕하십니까.\n연락 주셔서 감사합니다. 답장이 늦어 죄송합니다. 보내 주신 내용은 잘 읽었습니다.\n직접 이야기를 나누는 편이 좋으시다면 시간을 따로 마련하겠습니다. 편하신 날짜와 시간을 몇 가지 알려 주시면 맞추겠습니다. 지금처럼 메시지로 이야기를 이어 가셔도 괜찮습니다.\n답장은 편하실 때 주시면 됩니다.",
        "respond.subject": "보내 주신 메시지에 관하여",
        "promise": "{name} 님, 안녕하십니까.\n약속드린 ‘{what}’{와} 관련해 연락드립니다. 궁금한 점이 있으시면 언제든 알려 주십시오.",
        "promise.plain": "{name} 님, 안녕하십니까.\n약속드린 일로 연락드립니다. 궁금한 점이 있으시면 언제든 알려 주십시오.",
        "promise.late": "{name} 님, 안녕하십니까.\n약속드린 ‘{what}’{와} 관련해 연락이 늦어져 죄송합니다. 궁금한 점이 있으시면 언제든 알려 주십시오.",
        "promise.late.plain": "{name} 님, 안녕하십니까.\n약속드린 일로 연락이 늦어져 죄송합니다. 궁금한 점이 있으시면 언제든 알려 주십시오.",
        "promise.subject": "약속드린 건에 관하여",
        "no-show": "{name} 님, 안녕하십니까.\n{day} 상담 때 뵙지 못해 아쉬웠습니다. 별일 없으시기를 바랍니다. 편하실 때 다시 일정을 정하면 좋겠습니다.",
        "no-show.late": "{name} 님, 안녕하십니까.\n지난번에는 뵙지 못했는데, 별일 없으시기를 바랍니다. 편하실 때 연락 주시면 다시 일정을 잡겠습니다.",
        "no-show.subject": "다음 상담 일정",
        "first-session": "{name} 님, 안녕하십니까.\n상담을 신청해 주셔서 감사합니다. 첫 상담 일정을 정하고자 합니다. 편하신 날짜와 시간을 몇 가지 알려 주시면 맞추겠습니다.",
        "first-session.late": "{name} 님, 안녕하십니까.\n상담을 신청해 주셔서 감사합니다. 연락이 늦어 죄송합니다. 첫 상담 일정을 정하고자 합니다. 편하신 날짜와 시간을 몇 가지 알려 주시면 맞추겠습니다.",
        "first-session.subject": "첫 상담 일정 안내",
        "appointment": "{name} 님, 안녕하십니까.\n다음 상담은 {appointment}입니다. 일정에 변동이 생기면 언제든 알려 주십시오. 그때 뵙겠습니다.",
        "appointment.plain": "{name} 님, 안녕하십니까.\n다음 상담 일정을 다시 한번 안내해 드립니다. 일정에 변동이 생기면 언제든 알려 주십시오. 그때 뵙겠습니다.",
        "appointment.today": "{name} 님, 안녕하십니까.\n{day}({appointment_day}) {appointment_time} 상담을 안내해 드립니다. 일정에 변동이 생기면 언제든 알려 주십시오. 그때 뵙겠습니다.",
        "appointment.today.plain": "{name} 님, 안녕하십니까.\n{day}({appointment_day}) 상담을 안내해 드립니다. 일정에 변동이 생기면 언제든 알려 주십시오. 그때 뵙겠습니다.",
        "appointment.subject": "상담 일정 안내: {appointment_date}",
        "appointment.plain.subject": "다음 상담 일정 안내",
        "intent-check": "{name} 님, 안녕하십니까.\n그동안 잘 지내셨습니까? 앞으로 상담을 어떻게 이어 가면 좋을지 {name} 님의 생각을 여쭙고 싶어 연락드립니다. 계속하시든, 잠시 쉬시든, 여기서 마무리하시든 어느 쪽이라도 괜찮습니다. 편하실 때 알려 주십시오.",
        "intent-check.late": "{name} 님, 안녕하십니까.\n오랜만에 연락드립니다. 그동안 잘 지내셨습니까? 앞으로 상담을 어떻게 이어 가면 좋을지 {name} 님의 생각을 여쭙고 싶어 연락드립니다. 계속하시든, 잠시 쉬시든, 여기서 마무리하시든 어느 쪽이라도 괜찮습니다. 편하실 때 알려 주십시오.",
        "intent-check.subject": "앞으로의 상담에 관하여",
        "intent-check.paused": "{name} 님, 안녕하십니까.\n쉬시는 중에 연락드립니다. 잘 지내고 계십니까?\n잠시 쉬어 가기로 했던 만큼 서두르실 필요는 없습니다. 앞으로 상담을 다시 시작하고 싶으신지, 그렇다면 언제쯤이 좋으실지 {name} 님의 생각을 여쭙고 싶습니다. 다시 시작하시든, 조금 더 쉬시든, 여기서 마무리하시든 어느 쪽이라도 괜찮습니다.\n편하실 때 알려 주십시오.",
        "intent-check.paused.late": "{name} 님, 안녕하십니까.\n쉬시는 중에 오랜만에 연락드립니다. 잘 지내고 계십니까?\n잠시 쉬어 가기로 했던 만큼 서두르실 필요는 없습니다. 앞으로 상담을 다시 시작하고 싶으신지, 그렇다면 언제쯤이 좋으실지 {name} 님의 생각을 여쭙고 싶습니다. 다시 시작하시든, 조금 더 쉬시든, 여기서 마무리하시든 어느 쪽이라도 괜찮습니다.\n편하실 때 알려 주십시오.",
        "intent-check.paused.subject": "쉬시는 동안의 안부와 앞으로의 상담에 관하여",
    },
}

LABELS = ("24h", "72h", "1w", "1m", "3m", "monthly", "weekly", "intent-check", "respond", "promise", "no-show",
          "first-session", "appointment", "intent-check.paused", "check-in")
# A text's forms with part of what was recorded, tried before its plain form (what is there is said).
PARTS = {"1m": ("1m.achieved", "1m.challenges")}
CHECK_IN = "check-in"  # the neutral text Ctrl+T offers besides the items open today
WEEKLY_VARIANTS = ("weekly", "weekly.2", "weekly.3", "weekly.4")  # one a week, in turn

# The words for the day a message refers to, as seen from the day it is sent: the same day,
# the day before, earlier (or not known: never "today" unless it is).
DAY_WORDS = {"ja": ("本日", "昨日", "先日"), "en": ("today", "yesterday", "the other day"),
             "ko": ("오늘", "어제", "지난번")}

# How a day and a time are written in a message: data, one entry per language.
DATE_FORMATS: dict[str, dict[str, object]] = {
    "ja": {"date": "{month}月{day}日", "weekday_date": "{month}月{day}日（{weekday}）",
           "weekdays": ("月", "火", "水", "木", "金", "土", "日"), "time": "{hour}時", "time_minutes": "{hour}時{minute}分",
           "moment": "{date}{time}"},
    "en": {"date": "{day} {month_name}", "weekday_date": "{weekday} {day} {month_name}",
           "weekdays": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
           "months": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December"),
           "time": "{hour12} {ampm}", "time_minutes": "{hour12}:{minute:02d} {ampm}", "ampm": ("am", "pm"),
           "moment": "{date} at {time}"},
    "ko": {"date": "{month}월 {day}일", "weekday_date": "{month}월 {day}일({weekday})",
           "weekdays": ("월", "화", "수", "목", "금", "토", "일"), "time": "{ampm} {hour12}시",
           "time_minutes": "{ampm} {hour12}시 {minute}분", "ampm": ("오전", "오후"), "moment": "{date} {time}"},
}

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}\s]+)\}")

# Korean particles: the form after a final consonant (받침), the form after a vowel, and the
# form after ㄹ (only (으)로 differs). Either form may name the particle in a template.
_PARTICLES: dict[str, tuple[str, str, str]] = {}
for _after_consonant, _after_vowel, _after_rieul in (
        ("을", "를", "을"), ("은", "는", "은"), ("이", "가", "이"), ("과", "와", "과"),
        ("으로", "로", "로"), ("이라는", "라는", "이라는"), ("이나", "나", "이나")):
    _PARTICLES[_after_consonant] = _PARTICLES[_after_vowel] = (_after_consonant, _after_vowel, _after_rieul)

# The last syllable of a number read in Korean (일, 이, 삼, ...): "c" a final consonant, "r" ㄹ, "v" none.
_DIGIT_ENDINGS = {"0": "c", "1": "r", "2": "v", "3": "c", "4": "v", "5": "v", "6": "c", "7": "r", "8": "r", "9": "v"}
_FRAME_NOUN = "건"  # ‘send the CV’ 건을: the noun a particle follows when the text cannot take it


class Message(NamedTuple):
    subject: str
    body: str


# How each language writes a message's subject line (``"subject.line"`` in templates.toml
# overrides it, like a text).
SUBJECT_LINES = {"ja": "件名: {subject}", "en": "Subject: {subject}", "ko": "제목: {subject}"}


def as_sent(message: Message, lang: str, with_subject: bool,
            overrides: dict[str, dict[str, str]] | None = None) -> str:
    """What is shown and copied: for an e-mail the subject line first (in the message's
    language), then the text; for a call or a chat the text alone."""
    if not with_subject or not message.subject:
        return message.body
    line = (overrides or {}).get(lang, {}).get("subject.line") or SUBJECT_LINES.get(lang, SUBJECT_LINES["en"])
    return f"{line.replace('{subject}', message.subject)}\n\n{message.body}"


def language_for(chosen: str, app_language: str | None = None, name: str = "") -> str:
    """The language of a client's messages: the one recorded for them (their ``language``);
    else the one their name's script is written in when only one language here writes it
    (Hangul: Korean; kana or kanji: Japanese); else the app's language (the practitioner's),
    else ``en``. A latin name says nothing: it gets the app's language. The form shows the
    language and the practitioner can change it before anything is sent."""
    if chosen in DEFAULTS:
        return chosen
    for ch in name:
        if "\uac00" <= ch <= "\ud7af" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f":
            return "ko"
        if "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
            return "ja"
    return app_language if app_language in DEFAULTS else "en"  # type: ignore[return-value]


def final_sound(text: str) -> str | None:
    """How ``text`` ends when read in Korean: ``"c"`` a final consonant (받침), ``"r"`` the
    consonant ㄹ, ``"v"`` a vowel; ``None`` when it ends in something not read as Hangul or a
    number (a latin letter, a bracket, an emoji, punctuation)."""
    text = text.rstrip()
    if not text:
        return None
    last = text[-1]
    if "\uac00" <= last <= "\ud7a3":
        final = (ord(last) - 0xAC00) % 28
        return "v" if final == 0 else "r" if final == 8 else "c"
    if last.isascii() and last.isdigit():
        digits = re.search(r"[0-9]+$", text).group()  # type: ignore[union-attr]
        if digits.strip("0") and digits.endswith("0"):
            return "c"  # 십, 백, 천, 만: every power of ten ends in a consonant
        return _DIGIT_ENDINGS[digits[-1]]
    return None


def particle(text: str, name: str) -> str:
    """The particle ``name`` (을 or 를, 은 or 는, 이 or 가, 과 or 와, 으로 or 로, ...) in the form
    the end of ``text`` asks for, with the noun 건 before it when ``text`` ends in something a
    Korean particle cannot follow."""
    consonant, vowel, rieul = _PARTICLES[name]
    sound = final_sound(text)
    if sound is None:
        return f" {_FRAME_NOUN}{particle(_FRAME_NOUN, name)}"
    return {"c": consonant, "v": vowel, "r": rieul}[sound]


def day_word(lang: str, event: date | None, sent_on: date | None) -> str:
    """本日 / 昨日 / 先日 (today / yesterday / the other day; 오늘 / 어제 / 지난번) for ``event``
    as seen on ``sent_on``; the earlier word when either is not known."""
    same, before, earlier = DAY_WORDS.get(lang, DAY_WORDS["en"])
    if event is None or sent_on is None:
        return earlier
    days = (sent_on - event).days
    return same if days == 0 else before if days == 1 else earlier


def format_day(lang: str, day: date, weekday: bool = False) -> str:
    f = DATE_FORMATS.get(lang, DATE_FORMATS["en"])
    months = f.get("months") or ()
    return str(f["weekday_date" if weekday else "date"]).format(
        month=day.month, day=day.day, weekday=f["weekdays"][day.weekday()],  # type: ignore[index]
        month_name=months[day.month - 1] if months else day.month)  # type: ignore[index]


def format_time(lang: str, hour: int, minute: int) -> str:
    f = DATE_FORMATS.get(lang, DATE_FORMATS["en"])
    ampm = f.get("ampm") or ("", "")
    hour12 = hour % 12 or 12
    return str(f["time_minutes" if minute else "time"]).format(
        hour=hour, minute=minute, hour12=hour12, ampm=ampm[hour >= 12])  # type: ignore[index]


def short_name(name: str) -> str:
    """The name as a greeting says it: the first word of a name in Latin script ("Dear Emma,"),
    the whole name in any other (渡辺 大輔, 김민준: the family name comes first)."""
    words = name.split()
    if words and all("LATIN" in unicodedata.name(c, "") for c in name if c.isalpha()):
        return words[0]
    return name.strip()


def values_day(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


# Brackets inside the same brackets take the inner form: 「「志望動機」を書く」 reads 「『志望動機』を書く」.
_NESTED = {("「", "」"): {"「": "『", "」": "』"}}
# A text quoted mid-sentence ends where the sentence goes on: “Apply to Acme.” reads “Apply to Acme”.
_NO_FULL_STOP = {("“", "”")}


def _framed(value: str, opening: str, closing: str) -> str:
    """``value`` as it reads between ``opening`` and ``closing`` (the characters around its
    placeholder): nested brackets turned to their inner form, one full stop of a quoted text
    dropped (an ellipsis kept)."""
    inner = _NESTED.get((opening, closing))
    if inner:
        value = "".join(inner.get(c, c) for c in value)
    if (opening, closing) in _NO_FULL_STOP and value.endswith(".") and not value.endswith(".."):
        value = value[:-1].rstrip() or value
    return value


def _fill(text: str, values: dict[str, str]) -> str | None:
    """``text`` with every placeholder filled (``{{`` and ``}}`` are braces), each Korean particle
    in the form the value before it asks for; ``None`` when a placeholder has nothing to fill it."""
    out: list[str] = []
    previous: str | None = None  # the value a particle placeholder follows
    pos = 0
    for m in _PLACEHOLDER.finditer(text):
        out.append(text[pos:m.start()])
        pos = m.end()
        token, field = m.group(), m.group(1)
        if field is None:
            out.append(token[0])
        elif field in _PARTICLES and field not in values:
            if previous is None:
                return None
            out.append(particle(previous, field))
        else:
            value = values.get(field)
            if not value:
                return None
            value = _framed(value, text[:m.start()][-1:], text[m.end():][:1])
            out.append(value)
            previous = value
    out.append(text[pos:])
    return "".join(out)


def compose(
    label: str,
    lang: str,
    name: str,
    session_date: date | None = None,
    next_step: str = "",
    what: str = "",
    overrides: dict[str, dict[str, str]] | None = None,
    late: bool = False,
    achieved: str = "",
    challenges: str = "",
    sent_on: date | None = None,
    no_show_date: date | None = None,
    week: int | None = None,
    appointment: datetime | date | None = None,
) -> Message:
    """The subject and the text of the message for a due item, every placeholder filled.

    ``sent_on`` is the day the message goes out: the day word (本日 / 昨日 / 先日) is said of the
    session (of ``no_show_date`` for a no-show) as seen that day, and without it never "today".
    The label's late wording when ``late``; a text without a placeholder that has nothing to
    fill it (no agreed step, no session date); the weekly check-in's variant for ``week`` (by
    default the weeks since the session); unknown labels fall back to ``monthly``."""
    own = (overrides or {}).get(lang, {})
    table = {**DEFAULTS.get(lang, DEFAULTS["en"]), **own}
    event = no_show_date if label == "no-show" else session_date
    values = {
        "name": name,
        "short_name": short_name(name),
        "day": day_word(lang, event, sent_on),
        "session_date": format_day(lang, session_date) if session_date else "",
        "next_step": next_step.strip(),
        "what": what.strip(),
        "achieved": achieved.strip(),
        "challenges": challenges.strip(),
        "appointment": "",
        "appointment_date": "",
        "appointment_time": "",
        "appointment_day": "",
    }
    if appointment is not None:
        day = appointment.date() if isinstance(appointment, datetime) else appointment
        values["appointment_day"] = format_day(lang, day)
        values["appointment_date"] = format_day(lang, day, weekday=True)
        values["appointment"] = values["appointment_date"]
        if isinstance(appointment, datetime):
            values["appointment_time"] = format_time(lang, appointment.hour, appointment.minute)
            moment = str(DATE_FORMATS.get(lang, DATE_FORMATS["en"])["moment"])
            values["appointment"] = moment.format(date=values["appointment_date"], time=values["appointment_time"])

    variant = label
    if label == "appointment":
        late = False  # a reminder is before the session or not at all: never "sorry for the short notice"
        if appointment is not None and sent_on == values_day(appointment):
            variant = "appointment.today"
            values["day"] = day_word(lang, sent_on, sent_on)
    if label == "weekly":
        variants = [v for v in WEEKLY_VARIANTS if v in table]
        if "weekly" in own and not any(v in own for v in WEEKLY_VARIANTS[1:]):
            variants = ["weekly"]  # the user's own weekly text, every week
        if week is None:
            week = (sent_on - session_date).days // 7 if sent_on and session_date else 0
        variant = variants[max(week, 0) % len(variants)] if variants else label
    keys = [f"{label}.late", f"{label}.late.plain"] if late else []
    keys += [variant, *PARTS.get(variant, ()), f"{variant}.plain", label, f"{label}.plain"]
    if label.endswith(".paused"):
        keys += [label.removesuffix(".paused")]
    keys += ["monthly.late", "monthly"] if late else ["monthly"]
    body, chosen = None, "monthly"
    for key in keys:
        if key in table and (body := _fill(table[key], values)) is not None:
            chosen = key
            break
    if body is None:
        body = _fill(DEFAULTS["en"]["monthly"], values) or ""
    subject = ""
    for key in (f"{chosen}.subject", f"{variant}.subject", f"{label}.subject", f"{label}.plain.subject",
                "monthly.subject"):
        if key in table and (filled := _fill(table[key], values)) is not None:
            subject = filled
            break
    return Message(subject, body)


def render(
    label: str,
    lang: str,
    name: str,
    session_date: date | None = None,
    next_step: str = "",
    what: str = "",
    overrides: dict[str, dict[str, str]] | None = None,
    late: bool = False,
    achieved: str = "",
    challenges: str = "",
    sent_on: date | None = None,
    no_show_date: date | None = None,
    week: int | None = None,
    appointment: datetime | date | None = None,
) -> str:
    """The text of the message for a due item (:func:`compose` gives its subject too)."""
    return compose(label, lang, name, session_date, next_step, what, overrides, late, achieved, challenges,
                   sent_on=sent_on, no_show_date=no_show_date, week=week, appointment=appointment).body
