"""Through the webhook: group members who come without a userId (LINE on PC or Mac)."""

from __future__ import annotations

from line_support import ALICE, GROUP, REPLY_PATH, post_events, text_event

from bot.coach.texts import default_texts
from bot.store import export_owner

SETUP = ["เริ่ม", "1.1", "ระบบขออนุญาตขุดดินออนไลน์"]


def group_answers(app) -> dict[str, str]:
    """Return the group's first application's answers as the export shows them."""
    database = app.extensions["coaching"].database
    return export_owner(database, GROUP)["applications"][0]["answers"]


def test_delete_my_data_from_a_member_without_an_id_changes_nothing(client, app, fake_line):
    for text in SETUP:
        post_events(client, text_event(text, user=ALICE, group=GROUP))
    post_events(client, text_event("ส่วนของอลิซ", user=ALICE, group=GROUP))
    post_events(client, text_event("ส่วนจากคอมพิวเตอร์", user=None, group=GROUP))
    before = group_answers(app)
    post_events(client, text_event("ลบข้อมูลของฉัน", user=None, group=GROUP))
    post_events(client, text_event("ยืนยัน", user=None, group=GROUP))
    assert group_answers(app) == before == {"1": "ส่วนของอลิซ\nส่วนจากคอมพิวเตอร์"}
    said = fake_line.texts(REPLY_PATH)
    assert "LINE บนคอมพิวเตอร์" in said[-2]
    wording = default_texts()
    assert not any(wording.get("deleted_group") in text for text in said)
