"""Through the webhook: a message LINE delivers after a later one is filed by when it was sent."""

from __future__ import annotations

import time

from line_support import ALICE, post_events, text_event

from bot.store import export_owner


def test_a_text_sent_before_next_but_delivered_after_it_lands_in_the_earlier_question(
        client, app):
    now = int(time.time() * 1000)
    for offset, text in enumerate(["เริ่ม", "1.1", "ระบบขออนุญาตขุดดินออนไลน์"]):
        post_events(client, text_event(text, user=ALICE, timestamp=now + offset * 1000))
    typed = text_event("เดิมประชาชนต้องมาที่สำนักงาน 3 ครั้ง", user=ALICE,
                       timestamp=now + 10_000)
    moved_on = text_event("ถัดไป", user=ALICE, timestamp=now + 11_500)
    post_events(client, moved_on)
    post_events(client, typed)        # redelivered after the failure, 1.5 s late
    post_events(client, text_event("ส่วนของข้อสอง", user=ALICE, timestamp=now + 20_000))
    database = app.extensions["coaching"].database
    answers = export_owner(database, ALICE)["applications"][0]["answers"]
    assert answers == {"1": "เดิมประชาชนต้องมาที่สำนักงาน 3 ครั้ง", "2": "ส่วนของข้อสอง"}
