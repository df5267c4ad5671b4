"""Tests for the quantity model (bot.analysis.quantities): what each number in an officer's
answer is, and the statistics, beneficiaries and evaluation checks decided on it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.analysis import analyze
from bot.analysis.quantities import find_quantities, read_numbers
from bot.rubrics import default_rubrics


def roles(text: str) -> list[tuple[str, str, str]]:
    """Return each number of ``text`` as (its words, role, kind)."""
    return [(text[q.start:q.end], q.role, q.kind) for q in read_numbers(text)]


# --- What a number is ----------------------------------------------------------------------

ROLES = [
    # measured results, with their multipliers and kinds
    ("ประชาชน 4.3 ล้านคน ได้รับบริการผ่านแอปพลิเคชัน", [("4.3 ล้านคน", "result", "people")]),
    ("เกษตรกร 1,250 ราย ได้รับการถ่ายทอดความรู้", [("1,250 ราย", "result", "people")]),
    ("ผู้ใช้งาน 12,500 เพิ่มขึ้นทุกเดือน", [("12,500", "result", "amount")]),
    ("มีหมู่บ้านล้าหลังอยู่จำนวน 11,608 หมู่บ้าน", [("11,608 หมู่บ้าน", "result", "place")]),
    ("จะเห็นได้ว่า ผู้ใช้บริการเพิ่มขึ้น 500 ราย", [("500 ราย", "result", "people")]),
    ("ครัวเรือนเป้าหมายมีหนี้นอกระบบลดลงจาก 62 ครัวเรือน เหลือ 18 ครัวเรือน",
     [("62 ครัวเรือน", "result", "people"), ("18 ครัวเรือน", "result", "people")]),
    ("ค่าเป้าหมาย ร้อยละ 80 ผลการดำเนินงาน ร้อยละ 92.5",
     [("80", "target", "percent"), ("92.5", "result", "percent")]),
    ("ผู้สูงอายุ 1 ใน 3 เข้าไม่ถึงความช่วยเหลือ", [("1", "result", "ratio"),
                                                   ("3", "unknown", "number")]),
    # mean scores with no unit are evaluation results
    ("ผู้รับบริการมีความพึงพอใจในภาพรวมอยู่ในระดับมาก (3.87)", [("3.87", "result", "score")]),
    ("ความพึงพอใจของผู้รับบริการมีค่าเฉลี่ย 4.21", [("4.21", "result", "score")]),
    ("ด้านความรวดเร็วได้คะแนน 4.52 จาก 5", [("4.52", "result", "score"),
                                           ("5", "identifier", "number")]),
    ("ดินมีค่า pH เฉลี่ย 4.2", [("4.2", "result", "amount")]),
    ("ความพึงพอใจของผู้รับบริการ x̄ = 4.52", [("4.52", "result", "score")]),
    ("ความพึงพอใจต่อศูนย์บริการ มีค่าเฉลี่ยเท่ากับ 4.56 อยู่ในระดับมาก", [("4.56", "result", "score")]),
    ("ใช้งบประมาณทั้งสิ้น  ๖๕๑,๐๐๐  บาท", [("๖๕๑,๐๐๐  บาท", "budget", "money")]),
    # planned, not achieved
    ("ร้อยละของผู้ป่วยที่ได้รับการผ่าตัดแบบวันเดียวกลับ (ร้อยละ 15)", [("15", "target", "percent")]),
    ("ตั้งเป้าให้มีผู้ใช้บริการออนไลน์ 5,000 ราย", [("5,000 ราย", "target", "people")]),
    ("ตัวชี้วัด ผู้รับบริการพึงพอใจไม่น้อยกว่าร้อยละ 80", [("80", "target", "percent")]),
    ("กลุ่มเป้าหมาย 200 คน ได้แก่ ผู้สูงอายุในตำบล", [("200 คน", "target", "people")]),
    ("คณะกรรมการ จำนวน 9 – 25 คน", [("9", "target", "amount"), ("25 คน", "target", "people")]),
    ("ความพึงพอใจอยู่ในช่วงร้อยละ 91.68 - 93.12", [("91.68", "result", "percent"),
                                                  ("93.12", "unknown", "number")]),
    ("ผ่านการรับรองจำนวนทั้งสิ้น 43 อำเภอ", [("43 อำเภอ", "result", "place")]),
    ("ผู้สูงอายุที่มีอายุ 60 ปีขึ้นไป 734 ราย",
     [("60 ปี", "target", "time"), ("734 ราย", "result", "people")]),
    ("ได้รับงบประมาณ 1.2 ล้านบาท", [("1.2 ล้านบาท", "budget", "money")]),
    ("เป็นเงิน 4,200,000 บาท (สี่ล้านสองแสนบาทถ้วน)",
     [("4,200,000 บาท", "budget", "money"), ("สี่ล้านสองแสนบาท", "budget", "money")]),
    ("คาดว่าจะสร้างรายได้ให้ชุมชน 2 ล้านบาทต่อปี", [("2 ล้านบาท", "projected", "money")]),
    ("ประมาณการรายได้ 350,000 บาท", [("350,000 บาท", "projected", "money")]),
    # scope: where the work took place
    ("ดำเนินการใน 12 ตำบล ของอำเภอเชียรใหญ่", [("12 ตำบล", "scope", "place")]),
    # labels
    ("ดำเนินการตามมาตรา 32 แห่งพระราชกฤษฎีกาว่าด้วยหลักเกณฑ์และวิธีการบริหารกิจการบ้านเมืองที่ดี",
     [("32 แห่ง", "law", "place")]),
    ("ในปีงบประมาณ 2564 เริ่มใช้ระบบ", [("2564", "date", "number")]),
    ("เมื่อ 1 ตุลาคม 2563 เวลา 09.00 น.",
     [("1", "date", "number"), ("2563", "date", "number"), ("09.00", "date", "number")]),
    ("รายงานผลรอบ 6 เดือน และ 12 เดือน", [("6 เดือน", "date", "time"), ("12 เดือน", "date", "time")]),
    ("ติดต่อสายด่วน 1111", [("1111", "phone", "number")]),
    ("ได้รับการรับรองมาตรฐาน ISO 9001 และค่าฝุ่น PM2.5",
     [("9001", "identifier", "number"), ("2.5", "identifier", "number")]),
    ("(1) ผู้รับบริการยื่นคำขอ", [("1", "ordinal", "number")]),
    ("ที่ประชุมครั้งที่ 1/2564", [("1", "ordinal", "number"), ("2564", "identifier", "number")]),
    ("ได้รับรางวัลเลิศรัฐ จำนวน 3 รางวัล", [("3 รางวัล", "result", "award")]),
    ("ปลูกพันธุ์ข้าว 5 พันธุ์", [("5", "unknown", "number")]),
    # a value on the line after its label, and tables pasted as text
    ("จำนวนผู้ใช้บริการผ่านระบบออนไลน์ ปี 2566\n3,410",
     [("2566", "date", "number"), ("3,410", "result", "people")]),
    ("ค่าเป้าหมาย\nร้อยละ 80", [("80", "target", "percent")]),
    ("ตัวชี้วัด | เป้าหมาย | ผลการดำเนินงาน\nผู้รับบริการ (ราย) | 1,000 | 1,250",
     [("1,000", "target", "people"), ("1,250", "result", "people")]),
    ("ตัวชี้วัด    ปี 2565    ปี 2566\nผู้รับบริการ    ๑๒๐ ราย    ๔๕๐ ราย",
     [("2565", "date", "number"), ("2566", "date", "number"),
      ("๑๒๐ ราย", "result", "people"), ("๔๕๐ ราย", "result", "people")]),
    ("พอใจมาก 25.0 20.0\nพอใจน้อย 5.0 4.1",
     [("25.0", "result", "amount"), ("20.0", "result", "amount"),
      ("5.0", "result", "amount"), ("4.1", "result", "amount")]),
]


@pytest.mark.parametrize("text, expected", ROLES, ids=[t for t, _ in ROLES])
def test_each_number_gets_its_role_and_kind(text, expected):
    assert roles(text) == expected


@pytest.mark.parametrize("text, value", [
    ("ประชาชน 4.3 ล้านคน", 4_300_000),
    ("งบประมาณ 1.2 ล้านบาท", 1_200_000),
    ("รายได้ 2.5 แสนบาท", 250_000),
    ("สองพันห้าร้อยบาท", 2_500),
    ("๑,๒๐๐ ราย", 1_200),
])
def test_value_reads_multipliers_and_thai_digits(text, value):
    assert [q.value for q in read_numbers(text)] == [value]


@pytest.mark.parametrize("text, counts", [
    ("เกษตรกร 1,250 ราย", "เกษตรกร"),
    ("มีคนไทยมารับบริการทั้งสิ้น 3,472 คน", "รับบริการ"),
    ("น้ำท่วม 1,840 ครัวเรือน", "ครัวเรือน"),
    ("ลดขั้นตอนเหลือ 3 ขั้นตอน", "ขั้นตอน"),
    ("ประชาชนร้อยละ 81.8 เคยใช้บริการออนไลน์ของรัฐ", "ประชาชน"),
    ("ร้อยละ 62 เป็นดินเปรี้ยวจัด ทำให้เกษตรกรเสียโอกาส", None),
])
def test_what_a_quantity_counts(text, counts):
    assert [q.counts for q in read_numbers(text)] == [counts]


def test_counted_quantities_leave_out_targets_labels_and_bare_numbers():
    text = "เป้าหมาย 1,000 ราย ผลการดำเนินงาน 1,250 ราย ปี 2564 ข้อ 3 และ 17"
    assert [text[q.start:q.end] for q in find_quantities(text)] == ["1,250 ราย"]


# --- The checks decided on roles -----------------------------------------------------------


def codes(text: str, track: str = "public_service", question: int = 5) -> set[str]:
    """Return the finding codes of ``text`` as the answer to one question."""
    rubrics = default_rubrics()
    rubric = rubrics.get(track, rubrics.latest_year)
    return set(analyze(text, rubric.question(question), rubric).codes)


CHECKS = [
    # (answer, question, findings it must get, findings it must not get)
    ("โครงการได้รับงบประมาณ 1.2 ล้านบาท ในปีงบประมาณ 2566 ตามแผนปฏิบัติราชการระยะที่ 2",
     5, {"no_statistics"}, set()),
    ("ตัวชี้วัด ร้อยละของผู้รับบริการที่พึงพอใจ (ร้อยละ 85) และคาดว่าจะมีผู้ใช้ 5,000 ราย",
     5, {"no_statistics", "no_beneficiaries"}, set()),
    ("กลุ่มเป้าหมาย 200 คน ได้แก่ ผู้สูงอายุที่อยู่ลำพังในตำบล",
     5, {"no_statistics", "no_beneficiaries"}, set()),
    ("ดำเนินการใน 3 อำเภอ 12 ตำบล ร่วมกับเครือข่ายในพื้นที่", 5, {"no_statistics"}, set()),
    ("ดำเนินการตามมาตรา 32 แห่งพระราชกฤษฎีกาว่าด้วยการบริหารกิจการบ้านเมืองที่ดี",
     5, {"no_statistics"}, set()),
    ("ประชาชน 4.3 ล้านคน ใช้บริการผ่านแอปพลิเคชันแล้ว", 5, set(),
     {"no_statistics", "no_beneficiaries"}),
    ("คนจนลดลงจากปี 2561 ที่มีอยู่จำนวน 6.7 ล้านคนมาอยู่ที่จำนวน 4.3 ล้านคนในปี 2562", 5, set(),
     {"no_statistics", "no_beneficiaries", "no_before_after"}),
    ("ผู้รับบริการมีความพึงพอใจในภาพรวมอยู่ในระดับมาก (3.87)", 7, set(),
     {"no_statistics", "no_evaluation"}),
    ("ด้านความรวดเร็วในการให้บริการได้คะแนนเฉลี่ย 4.61 จากคะแนนเต็ม 5", 7, set(),
     {"no_evaluation"}),
    ("หน่วยงานตั้งเป้าให้ผู้รับบริการพึงพอใจไม่น้อยกว่าร้อยละ 80", 7,
     {"no_evaluation", "no_statistics"}, set()),
    ("โครงการนี้ยังไม่มีการประเมินจากหน่วยงานภายนอก และยังไม่ได้สำรวจความพึงพอใจ", 7,
     {"no_evaluation"}, set()),
    ("ไม่เพียงแต่มหาวิทยาลัยวลัยลักษณ์ประเมินผลโครงการ แต่ยังเสนอแนะให้ขยายผล", 7, set(),
     {"no_evaluation"}),
    ("ปัจจัยภายนอก เช่น ราคาพืชผล ทำให้รายได้ของเกษตรกรไม่แน่นอน", 7, {"no_evaluation"}, set()),
    ("หน่วยงานร่วมกับมหาวิทยาลัยราชภัฏพัฒนาแอปพลิเคชันนัดหมายออนไลน์", 7, {"no_evaluation"}, set()),
    ("สำนักงานสถิติแห่งชาติสำรวจผู้ใช้บริการทั่วประเทศ", 7, set(), {"no_evaluation"}),
    ("ศูนย์บริการผ่านการรับรองมาตรฐานศูนย์ราชการสะดวก", 7, set(), {"no_evaluation"}),
]


@pytest.mark.parametrize("text, question, must, must_not", CHECKS, ids=[c[0][:40] for c in CHECKS])
def test_checks_decide_on_roles(text, question, must, must_not):
    found = codes(text, question=question)
    assert must - found == set()
    assert must_not & found == set()


def test_reason_names_the_rule_and_the_numbers_it_saw():
    rubrics = default_rubrics()
    rubric = rubrics.get("public_service", rubrics.latest_year)
    report = analyze("กลุ่มเป้าหมาย 200 คน ในปีงบประมาณ 2566", rubric.question(5), rubric)
    reasons = {f.code: f.reason for f in report.findings}
    assert reasons["no_statistics"].startswith("statistics: no measured result")
    assert "target:people '200 คน' after 'เป้าหมาย'" in reasons["no_statistics"]
    assert "target:people '200 คน'" in reasons["no_beneficiaries"]
    assert all(f.span is None for f in report.findings
               if f.code in ("no_statistics", "no_beneficiaries", "no_before_after"))
    assert all("'" not in f.message or "200" not in f.message for f in report.findings)


# --- Any text at all -----------------------------------------------------------------------

_PIECES = st.sampled_from(
    list("กขคนมรวสหอาำิีึ่้เแโใไๆ0123456789๐๑๒ ,.-%|/()\t\n:=")
    + ["ร้อยละ", "ราย", "ปี 2564", "ไม่ถึง ", "จาก ", "เป็น ", "ล้าน", "บาท", "เป้าหมาย",
       "ตัวชี้วัด", "งบประมาณ", "คาดว่า", "(3.87)", "จาก 5", "ขึ้นไป", "1-2", "  ", "\n\n",
       "| 1 | 2\n", "ก | ข\n", "พอใจ 1 2 3\n", "มาตรา", "แห่ง", "ใน ", "ผู้รับบริการ", "เท่ากับ"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=80).map("".join))
def test_any_text_reads_into_ordered_numbers_within_it(text):
    numbers = read_numbers(text)
    assert [q.start for q in numbers] == sorted(q.start for q in numbers)
    assert all(0 <= q.start < q.end <= len(text) and q.role in ROLE_NAMES for q in numbers)


ROLE_NAMES = {"result", "target", "budget", "projected", "scope", "date", "ordinal",
              "identifier", "law", "phone", "unknown"}
