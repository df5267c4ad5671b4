"""The simulator in headless Chromium: a fill-in chip puts its sentence in the input box.

As LINE opens the keyboard with the sentence to complete (a postback's ``fillInText``),
the chat page fills its text box when the chip is tapped; the tap itself goes back to
the answer and writes nothing, and the completed sentence is sent like any message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import test_browser
from test_browser import bot_says, chip, shot, type_message

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = test_browser.pytestmark
# The simulator's server, the browser and a phone-sized page, as tests/test_browser.py has them.
server = test_browser.server
browser = test_browser.browser
phone = test_browser.phone

CLAIM = ("ระบบขออนุญาตออนไลน์ช่วยลดขั้นตอนการยื่นเอกสาร ผู้ประกอบการที่ยื่นคำขอผ่านระบบ"
         "เพิ่มขึ้นจาก 1,150 รายในปี 2563 เป็น 1,480 รายในปี 2564")
TEMPLATE = "ลดขั้นตอนจาก __ ขั้นตอน เหลือ __ ขั้นตอน"


def test_a_fill_in_chip_fills_the_input_box_and_the_sentence_joins_the_answer(
        server: str, phone: BrowserContext) -> None:
    from playwright.sync_api import expect

    page = phone.new_page()
    page.goto(server + "/")
    bot_says(page, "สวัสดีครับ")
    for text, reply in [("เริ่ม", "1.1"), ("1.6", "ชื่ออะไร"),
                        ("ระบบขออนุญาตก่อสร้างออนไลน์", "ข้อ 1 จาก 10"), ("ข้อ 5", "ข้อ 5 จาก 10"),
                        (CLAIM, "บันทึกข้อ 5"), ("ถัดไป", "ข้อ 6 จาก 10")]:
        type_message(page, text)
        bot_says(page, reply)
    chip(page, "เติมข้อ 5: ขั้นตอน").click()
    expect(page.locator("#input")).to_have_value(TEMPLATE)
    expect(page.locator(".row.mine .bubble").last).to_have_text("เติมข้อ 5: ขั้นตอน")
    bot_says(page, "ข้อ 5 จาก 10")
    shot(page, "fill-in-01-template")
    page.locator("#input").fill(TEMPLATE.replace("__", "8", 1).replace("__", "3", 1))
    page.locator("#input").press("Enter")
    bot_says(page, "บันทึกข้อ 5")
    shot(page, "fill-in-02-sent")
