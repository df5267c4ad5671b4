"""The Thai wording of the draft documents, kept in one place for every format.

DOCX, PDF, plain text and the HTML preview all take their labels from here, so a
domain expert fixes a phrase once and every format follows.
"""

from __future__ import annotations

from datetime import date

#: Heading of the whole document; ``{year}`` is the Buddhist year of the rubric.
DOCUMENT_HEADING = "ร่างใบสมัครรางวัลเลิศรัฐ ประจำปี พ.ศ. {year}"
TITLE = "ชื่อผลงาน"
AGENCY = "หน่วยงาน"
BRANCH = "สาขา"
CATEGORY = "ประเภท"
YEAR = "ปี พ.ศ."
GENERATED = "จัดทำร่างเมื่อ"

#: Heading of one scoring dimension.
DIMENSION_HEADING = "มิติที่ {number} {name} ({points} คะแนน)"
#: Heading of the section for questions that belong to no dimension (e.g. question 13).
ADDITIONAL_HEADING = "ข้อมูลเพิ่มเติม"
QUESTION = "ข้อ {number}"

GAP_EMPTY = "[ยังไม่ได้ตอบ]"
GAP_SKIPPED = "[ข้ามไว้ ยังไม่ได้ตอบ]"

#: The line under an answer with its length; the limit part is added when the rubric sets one.
COUNTS = "ความยาว {words:,} คำ {chars:,} ตัวอักษร"
LIMIT = "(กำหนดไม่เกิน {max:,} {unit})"
LIMIT_UNITS = {"pages": "หน้า", "chars": "ตัวอักษร", "words": "คำ"}

APPENDIX_HEADING = "ภาคผนวก ข้อสังเกตจากผู้ช่วย"
APPENDIX_NONE = "ไม่มีข้อสังเกตค้างอยู่"
FINDING_QUOTE = "ข้อความที่พบ: “{quote}”"

#: Footer of every PDF page.
PAGE = "หน้า {page} จาก {pages}"

#: Words of the HTML preview.
PREVIEW_TITLE = "ดูร่างใบสมัคร"
PROGRESS_HEADING = "ความคืบหน้า"
PROGRESS = "ตอบแล้ว {answered} จาก {total} ข้อ"
PROGRESS_TOTAL = "รวมทุกข้อ"
DOWNLOADS_HEADING = "ดาวน์โหลดร่าง"
DOWNLOADS = {"docx": "ไฟล์ Word (.docx)", "pdf": "ไฟล์ PDF", "txt": "ข้อความล้วน (.txt)"}
FINDINGS_HEADING = "ข้อสังเกตจากผู้ช่วย"

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)


def thai_date(day: date) -> str:
    """Write a date the Thai official way: day, month name, Buddhist year."""
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + 543}"
