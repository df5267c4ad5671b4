"""The coaching in the conversation: findings after "ถัดไป", never blocking, progress with points.

The engine's behaviour, so it runs in memory; the transcripts replay it on the databases.
"""

from __future__ import annotations

import pytest

WEAK = "ผลการดำเนินงานดีขึ้นอย่างมาก ประชาชนพึงพอใจเป็นอย่างดี ติดต่อคุณสมศรี โทร 081-234-5678"
# Three different paragraphs: the same one pasted three times would be repeated text.
STRONG = "\n".join([
    "ผลผลิต: ให้บริการตรวจวิเคราะห์ดินผ่านระบบออนไลน์ 4,820 ตัวอย่างในปี 2564 "
    "จากเดิม 1,150 ตัวอย่างในปี 2563 ผลลัพธ์: ระยะเวลารอผลลดลงจาก 30 วันเหลือ 5 วัน "
    "เกษตรกรผู้รับบริการ 3,960 ราย ประหยัดค่าเดินทางเฉลี่ย 450 บาทต่อราย "
    "ตัวชี้วัดความสำเร็จ: ร้อยละของผู้รับบริการที่ได้รับผลภายใน 7 วัน เป้าหมายร้อยละ 80 "
    "ผลจริงร้อยละ 96 และความพึงพอใจร้อยละ 92 จากผู้ตอบแบบสอบถาม 1,204 ราย "
    "ยกเลิกระเบียบที่ให้ยื่นสำเนาโฉนดที่ดิน ลดขั้นตอนจาก 8 ขั้นตอนเหลือ 3 ขั้นตอน "
    "ค่าใช้จ่ายของประชาชนลดลงจาก 600 บาทเหลือ 150 บาทต่อครั้ง",
    "ปี 2565 ขยายบริการไปอีก 12 อำเภอ มีผู้ยื่นคำขอผ่านระบบ 5,230 ราย เพิ่มขึ้นจาก 4,820 ราย "
    "ในปี 2564 ระยะเวลาเฉลี่ยต่อคำขอลดลงจาก 5 วันเหลือ 3 วัน คำขอที่ต้องแก้ไขเอกสารลดลงจาก"
    "ร้อยละ 18 เหลือร้อยละ 6 ผู้ประกอบการรายย่อย 1,480 ราย ได้รับผลภายในวันเดียว "
    "และค่าธรรมเนียมที่ประชาชนจ่ายรวมลดลง 1.2 ล้านบาทต่อปี",
    "ผลลัพธ์ด้านคุณภาพ: ข้อร้องเรียนเรื่องความล่าช้าลดลงจาก 214 เรื่องในปี 2563 เหลือ 37 เรื่อง"
    "ในปี 2565 เจ้าหน้าที่ 46 คน ผ่านการอบรมการใช้ระบบ คิดเป็นร้อยละ 100 ของผู้ปฏิบัติงาน "
    "ศูนย์บริการ 9 แห่ง ใช้มาตรฐานเดียวกัน และมหาวิทยาลัยในพื้นที่ประเมินผลจากผู้รับบริการ "
    "820 ราย พบว่าพึงพอใจร้อยละ 94.6"])
#: Claims of an effect with no figure: the findings ask for the figures.
CLAIMS = ("ระบบขออนุญาตออนไลน์ช่วยลดขั้นตอนการยื่นเอกสาร ผู้ประกอบการที่ยื่นคำขอผ่านระบบ"
          "เพิ่มขึ้นจาก 1,150 รายในปี 2563 เป็น 1,480 รายในปี 2564")


@pytest.fixture
def chat(memory_chat):
    """Return a chat driver in memory."""
    return memory_chat


def open_question_5(chat) -> None:
    for text in ["เริ่ม", "1.6", "ระบบขออนุญาตออนไลน์", "ข้อ 5"]:
        chat.say(text)


def test_next_shows_at_most_three_findings_the_most_important_first_with_a_way_back(chat):
    open_question_5(chat)
    chat.say(WEAK)
    said = chat.say("ถัดไป")
    findings = chat.last[0].as_text()
    assert findings.startswith("📝 ข้อสังเกตข้อ 5")
    bullets = [line for line in findings.splitlines() if line.startswith("• ")]
    assert len(bullets) == 3
    assert "ข้อมูลส่วนบุคคล" in bullets[0]          # personal data outranks everything
    assert "081-xxx-xx78" in findings and "081-234-5678" not in findings
    assert "ข้อ 6 จาก 10" in said                   # never blocked: the next question is asked
    # The officer's first claim ("ดีขึ้น") ranks right after the personal data and offers its
    # sentence to complete (no chip for a finding not shown); then the ways back.
    assert "คุณเขียนว่า" in bullets[1]
    assert chat.choices()[:3] == ["เติมข้อ 5: ผลลัพธ์", "กลับไปเพิ่มข้อ 5", "เขียนข้อ 5 ใหม่"]


def test_going_back_to_add_keeps_what_was_written(chat):
    open_question_5(chat)
    chat.say(WEAK)
    chat.say("ถัดไป")
    said = chat.say("ข้อ 5")
    assert "ข้อ 5 จาก 10" in said and "คำตอบที่มีแล้ว" in said and "ดีขึ้นอย่างมาก" in said
    chat.say("ระยะเวลาลดลงจาก 30 วันเหลือ 5 วัน")
    assert chat.export()["applications"][0]["answers"]["5"] == (
        WEAK + "\nระยะเวลาลดลงจาก 30 วันเหลือ 5 วัน")


def test_a_strong_answer_is_praised_and_offers_no_way_back(chat):
    open_question_5(chat)
    said = chat.say(STRONG)
    assert "จากที่ควรมีราว" not in said            # long enough for a 20-point question
    said = chat.say("ถัดไป")
    assert "👍 ข้อ 5" in said and "📝" not in said
    assert "กลับไปเพิ่มข้อ 5" not in chat.choices()


def test_next_on_an_empty_question_moves_on_without_findings(chat):
    open_question_5(chat)
    said = chat.say("ถัดไป")
    assert "ข้อ 6 จาก 10" in said and "📝" not in said


def test_progress_counts_answers_with_findings_as_answered_and_names_the_question_to_fix(chat):
    open_question_5(chat)
    chat.say(WEAK)
    chat.say("ถัดไป")
    chat.say(STRONG)
    chat.say("ถัดไป")
    chat.say("ความคืบหน้า")
    progress = chat.last[0]
    third = progress.dimensions[2]
    assert (third.points, third.questions, third.answered, third.warned, third.empty) == (
        60, 4, 1, 1, 2)
    assert third.summary.startswith("ตอบแล้ว 2/4 ข้อ · ควรเสริม 1 ข้อ · อาจเสีย ~")
    assert third.summary in progress.as_text()      # the card's words are the text's words
    # Questions 1-4 (10 + 20 points) and 9-10 (10) are empty: their whole weight is at stake.
    assert [d.points_at_stake for d in progress.dimensions][::3] == [10, 10]
    # Question 5's weak answer misses enough to put all its 20 points at stake: the most.
    assert progress.summary[-1] == "👉 ควรแก้ข้อ 5 ก่อน: อาจเสีย ~20 คะแนน"
    assert chat.choices()[0] == "ไปข้อ 5"


def test_the_ack_says_how_long_the_answer_is_against_what_its_weight_expects(chat):
    open_question_5(chat)
    said = chat.say("เกษตรกร 300 ราย")
    assert "จากที่ควรมีราว 200 คำ" in said
    said = chat.say("ได้รับบริการเร็วขึ้น")
    assert "2 ข้อความ" in said


def test_the_last_question_with_gaps_left_says_which_are_empty_never_all_done(chat):
    for text in ["เริ่ม", "2.3", "ฝายมีชีวิต", "ชาวบ้านร่วมกันสร้างฝาย 12 แห่ง", "ข้อ 13",
                 "นายสมชาย ใจดี ผู้ใหญ่บ้าน"]:
        chat.say(text)
    said = chat.say("ถัดไป")
    assert "ยังไม่มีคำตอบอีก 11 ข้อ: ข้อ 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12" in said
    assert "ผ่านครบ" not in said and "ครบทุกข้อ" not in said
    assert chat.choices() == ["ไปข้อ 2", "ไปข้อ 3", "ไปข้อ 4", "ดูร่าง", "ความคืบหน้า"]
    assert "ยังไม่มีคำตอบอีก 11 ข้อ" in chat.say("ทำต่อ")
    assert "ยังไม่มีคำตอบอีก 11 ข้อ" in chat.say("ถัดไป")


def test_text_typed_after_the_last_question_is_said_not_to_be_kept(chat):
    for text in ["เริ่ม", "2.3", "ฝายมีชีวิต", "ข้อ 13", "ข้าม"]:
        chat.say(text)
    said = chat.say("นายสมชายเป็นผู้นำกลุ่ม")
    assert "ยังไม่ได้บันทึก" in said and chat.choices()[0] == "ไปข้อ 1"


def test_the_first_question_offers_no_way_back(chat):
    for text in ["เริ่ม", "1.1", "ระบบตรวจดินออนไลน์"]:
        chat.say(text)
    assert "ย้อนกลับ" not in chat.choices()
    chat.say("ถัดไป")
    assert "ย้อนกลับ" in chat.choices()


def test_a_question_seen_before_comes_back_short_with_a_chip_for_the_whole_text(chat):
    for text in ["เริ่ม", "1.1", "ระบบตรวจดินออนไลน์"]:
        chat.say(text)
    first = chat.say("ถัดไป")
    again = chat.say("ย้อนกลับ")
    assert "ผู้ประเมินมองหา" in first and "ผู้ประเมินมองหา" not in again
    assert again.startswith("ข้อ 1 จาก 10 · มิติที่ 1") and len(again) < 300
    assert chat.choices()[0] == "ดูคำถามเต็ม"
    assert "ผู้ประเมินมองหา" in chat.say(chat.last[-1].choices[0].text)


def test_an_unknown_question_number_keeps_the_question_chips(chat):
    for text in ["เริ่ม", "1.1", "ระบบตรวจดินออนไลน์", "ถัดไป"]:
        chat.say(text)
    assert "ไม่มีข้อ 99" in chat.say("ข้อ 99")
    assert chat.choices() == ["ถัดไป", "ข้าม", "ย้อนกลับ", "ความคืบหน้า", "ดูร่าง", "ช่วยเหลือ"]


def test_the_answer_so_far_names_the_real_question_and_is_cut_between_words(chat):
    open_question_5(chat)
    chat.say(STRONG)
    chat.say("ถัดไป")
    chat.say("ข้อ 5")              # seen before: in short
    said = chat.say("ข้อ 5")       # the open question asked for again: in full
    assert '"แก้ข้อ 5"' in said and '"แก้ข้อ N"' not in said
    shown = said.split("คำตอบที่มีแล้ว: ")[1].split("…")[0]
    assert STRONG.startswith(shown) and STRONG[len(shown)] == " "


def test_category_chips_are_cut_between_words_within_line_limit(chat):
    from bot.web.line_messages import MAX_QUICK_REPLY_LABEL, cluster_len
    chat.say("เริ่ม")
    chat.say("1")
    labels = chat.choices()[:-1]
    assert "1.1 นวัตกรรมการบริการ" in labels
    assert "1.4 บูรณาการข้อมูลเพื่อ…" in labels      # not "…ข้อมูลเพื่อการบ…"
    assert all(cluster_len(label) <= MAX_QUICK_REPLY_LABEL for label in labels)


def test_the_edit_screen_labels_the_question_and_the_answer(chat):
    for text in ["เริ่ม", "1.1", "ระบบตรวจดินออนไลน์", "เกษตรกร 300 ราย"]:
        chat.say(text)
    said = chat.say("แก้ข้อ 1")
    assert "คำถาม: ความเป็นมาและความสำคัญของปัญหา" in said
    assert "คำตอบตอนนี้:\nเกษตรกร 300 ราย" in said


# Fill-in chips ------------------------------------------------------------------------------


def fill_in_chips(chat) -> list:
    """Return the chips of the last reply that offer a sentence to complete."""
    return [choice for choice in chat.last[-1].choices if choice.fill_in]


def test_a_claim_without_its_figure_offers_a_sentence_to_complete(chat):
    open_question_5(chat)
    chat.say(CLAIMS)
    said = chat.say("ถัดไป")
    assert 'คุณเขียนว่า "ลดขั้นตอน"' in said and "จากกี่ขั้นตอนเหลือกี่ขั้นตอน" in said
    [chip] = fill_in_chips(chat)
    assert (chip.label, chip.text, chip.fill_in) == (
        "เติมข้อ 5: ขั้นตอน", "ข้อ 5", "ลดขั้นตอนจาก __ ขั้นตอน เหลือ __ ขั้นตอน")
    assert chat.choices()[:3] == ["เติมข้อ 5: ขั้นตอน", "กลับไปเพิ่มข้อ 5", "เขียนข้อ 5 ใหม่"]


def test_tapping_the_chip_opens_its_answer_and_the_completed_sentence_joins_it(chat):
    open_question_5(chat)
    chat.say(CLAIMS)
    chat.say("ถัดไป")
    [chip] = fill_in_chips(chat)
    said = chat.say(chip.text, kind="postback")         # LINE sends the data, not a message
    assert "ข้อ 5 จาก 10" in said
    assert chat.export()["applications"][0]["answers"]["5"] == CLAIMS
    chat.say("ลดขั้นตอนจาก 8 ขั้นตอน เหลือ 3 ขั้นตอน")
    assert chat.export()["applications"][0]["answers"]["5"] == (
        CLAIMS + "\nลดขั้นตอนจาก 8 ขั้นตอน เหลือ 3 ขั้นตอน")
    said = chat.say("ถัดไป")
    assert "คุณเขียนว่า" not in said                  # the figure proves the claim now


def test_at_most_two_fill_in_chips_one_per_sentence(chat):
    open_question_5(chat)
    chat.say("ลดขั้นตอน ลดระยะเวลา และลดค่าใช้จ่ายให้ผู้ประกอบการ")
    chat.say("ถัดไป")
    chips = fill_in_chips(chat)
    assert 1 <= len(chips) <= 2
    assert len({chip.fill_in for chip in chips}) == len(chips)


def test_a_strong_answer_offers_no_fill_in_chip(chat):
    open_question_5(chat)
    chat.say(STRONG)
    chat.say("ถัดไป")
    assert fill_in_chips(chat) == []


def test_the_findings_never_show_one_finding_or_quote_twice(chat):
    open_question_5(chat)
    chat.say("ประชาชนพึงพอใจเป็นอย่างมาก\nประชาชนพึงพอใจเป็นอย่างมาก")
    chat.say("ถัดไป")
    findings = chat.last[0].as_text()
    bullets = [line for line in findings.splitlines() if line.startswith("• ")]
    quotes = [line for line in findings.splitlines() if line.strip().startswith("ข้อความที่พบ")]
    assert len(bullets) == len(set(bullets)) and len(quotes) == len(set(quotes))


def test_a_postback_the_commands_do_not_know_is_never_written_into_an_answer(chat):
    open_question_5(chat)
    said = chat.say("ลดขั้นตอนจาก __ ขั้นตอน เหลือ __ ขั้นตอน", kind="postback")
    assert "ไม่ได้บันทึกในคำตอบ" in said and "ข้อ 5" in said
    assert "5" not in chat.export()["applications"][0]["answers"]


def test_the_terminal_shows_a_fill_in_chip_with_its_command_and_its_sentence():
    from bot.cli import render
    from bot.coach.messages import Choice, Text

    chip = Choice("เติมข้อ 5: ขั้นตอน", "ข้อ 5", fill_in="ลดขั้นตอนจาก __ ขั้นตอน เหลือ __ ขั้นตอน")
    lines = render(Text("ข้อ 6", choices=(chip, Choice("ถัดไป", "ถัดไป")))).splitlines()
    assert lines[-2:] == ["[เติมข้อ 5: ขั้นตอน] [ถัดไป]",
                          "[เติมข้อ 5: ขั้นตอน] ข้อ 5 → ลดขั้นตอนจาก __ ขั้นตอน เหลือ __ ขั้นตอน"]
