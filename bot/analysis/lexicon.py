"""Thai word lists the checks are built from, and a helper to turn a list into a regex.

The lists are rules, not wording: changing one changes what the analysis finds, so each
change should come with a case in ``tests/data/analysis_cases.yaml``. The Thai the
officer reads lives in ``conversations/findings.yaml``. Latin entries ("ISO", "SDG",
"kg") are matched without regard to case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Arabic and Thai digits; ``int()`` reads both.
DIGITS = "0-9๐-๙"
#: A written number: digits with thousands commas or a decimal point ("1,250.50", "๑,๒๐๐").
#: Thousands are groups of exactly three digits, so numbers glued together in a table pasted
#: from a PDF ("192,414193,239") read as separate numbers.
NUMBER = rf"[{DIGITS}]++(?:,[{DIGITS}]{{3}})*+(?:\.[{DIGITS}]++)?+"

_ONES = ("หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")
_NUMBER_WORDS = (*_ONES, "สิบ", "ยี่", "เอ็ด", "ร้อย", "พัน", "หมื่น", "แสน", "ล้าน", "ศูนย์")

#: Units that make a number a measured quantity, by kind. Order inside a kind does not
#: matter: :func:`trie` prefers the longer word, so "ล้านบาท" beats "ล้าน".
UNITS: dict[str, tuple[str, ...]] = {
    "people": ("คน", "ราย", "ท่าน", "ครัวเรือน", "ครอบครัว", "หลังคาเรือน", "ผู้", "ชีวิต",
               "persons", "people", "users", "participants"),
    "score": ("ดาว",),
    "place": ("แห่ง", "ชุมชน", "หมู่บ้าน", "ตำบล", "อำเภอ", "จังหวัด", "พื้นที่", "สาขา",
              "หน่วยงาน", "หน่วยบริการ", "องค์กร", "ศูนย์", "โรงเรียน", "โรงพยาบาล", "สถานี",
              "เทศบาล", "ประเทศ", "แปลง", "จุด", "กลุ่ม", "เครือข่าย", "อาคาร", "หลัง", "ภาคี",
              "สำนักงาน", "วิสาหกิจ"),
    "count": ("เรื่อง", "ครั้ง", "รายการ", "ฉบับ", "ชุด", "เล่ม", "ชิ้น", "ตัว", "ต้น", "เครื่อง",
              "คัน", "ระบบ", "ขั้นตอน", "โครงการ", "กิจกรรม", "ผลิตภัณฑ์", "คำขอ", "ใบ", "หลักสูตร",
              "รุ่น", "ช่องทาง", "กระบวนงาน", "ลูก", "กระสอบ", "ถุง", "ขวด", "บ่อ", "สาย", "เส้น",
              "ฝาย", "คะแนน", "ตัวอย่าง", "แบบ", "ประเภท", "เมนู", "แอปพลิเคชัน", "ตัวชี้วัด",
              "บริการ", "คณะ", "ทีม", "กองทุน", "เวที"),
    "award": ("รางวัล", "ผลงาน"),
    "area": ("ไร่", "งาน", "ตารางวา", "ตารางเมตร", "ตร.ม.", "ตร.วา", "ตารางกิโลเมตร", "ตร.กม.",
             "เฮกตาร์", "rai", "hectare", "hectares"),
    "money": ("บาท", "บ.", "ดอลลาร์", "usd", "baht"),
    "time": ("วัน", "วันทำการ", "นาที", "ชั่วโมง", "ชม.", "วินาที", "สัปดาห์", "เดือน", "ปี",
             "minute", "minutes", "hour", "hours", "day", "days"),
    "percent": ("%", "เปอร์เซ็นต์", "เปอร์เซนต์", "percent"),
    "ratio": ("เท่า", "เท่าตัว"),
    "measure": ("ตัน", "กิโลกรัม", "กก.", "กรัม", "ลิตร", "ลูกบาศก์เมตร", "ลบ.ม.", "คิว", "เมตร",
                "กิโลเมตร", "กม.", "เซนติเมตร", "ซม.", "มิลลิเมตร", "มม.", "กิโลวัตต์", "หน่วย",
                "kg", "km", "ton", "tons", "kwh"),
}
#: Unit kinds strong enough to make a 25xx number a count rather than a year ("2564 ราย").
STRONG_KINDS = frozenset({"people", "money", "area", "measure", "percent"})
#: Units whose word already says who benefited ("120 ครัวเรือน").
SELF_DESCRIBING_PEOPLE = frozenset({"ครัวเรือน", "ครอบครัว", "หลังคาเรือน"})

#: Words after which a following number is a quantity even with no unit ("จำนวน 120").
AMOUNT_WORDS = ("จำนวน", "จำนวนประมาณ", "จำนวนทั้งสิ้น", "จำนวนรวม", "จำนวนกว่า", "เฉลี่ย",
                "เฉลี่ยประมาณ", "คะแนน", "มูลค่า", "มูลค่ารวม", "งบประมาณ", "ทั้งสิ้น", "จำนวน:",
                "=", "x̄", "x̅", "mean", "เท่ากับ", "อยู่ที่")

#: Words right before a number that make it a label, not a measurement, by role. They are
#: matched as the end of the text before the number (spaces dropped, Latin in lower case);
#: when two lists could end there, the order of :data:`LABEL_BEFORE` decides.
DATE_BEFORE = (
    "ปี", "พ.ศ.", "พ.ศ", "พ. ศ.", "ค.ศ.", "ค.ศ", "ค. ศ.", "ปีงบประมาณ", "พุทธศักราช", "คริสต์ศักราช",
    "วันที่", "ณวันที่", "เมื่อวันที่", "ตั้งแต่วันที่",
    # a period or a schedule, not a measured duration: "รอบ 6 เดือน", "ทุก 3 เดือน"
    "รอบ", "ทุก", "รอบระยะเวลา", "ไตรมาส", "ไตรมาสที่", "ตลอดระยะเวลา", "ตลอด", "เป็นระยะเวลา",
    "ระยะเวลาดำเนินการ", "ระยะเวลาดำเนินโครงการ", "ระยะเวลาโครงการ", "ระยะเวลาทำการวิจัย",
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
    "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
LAW_BEFORE = ("มาตรา", "วรรค", "อนุมาตรา", "กฎกระทรวงฉบับที่", "ประกาศฉบับที่")
PHONE_BEFORE = ("เบอร์", "โทร", "โทร.", "โทรศัพท์", "โทรสาร", "แฟกซ์", "สายด่วน", "hotline",
                "callcenter")
IDENTIFIER_BEFORE = (
    "ซอย", "ถนน", "เขต", "หมายเลข", "รหัส", "เลขที่", "เลข", "บ้านเลขที่", "no.",
    "iso", "sdg", "sdgs", "goal", "version", "ver.", "เวอร์ชัน", "เวอร์ชั่น", "thailand", "ประเทศไทย",
    "ไทยแลนด์", "โควิด", "โควิด-", "covid", "covid-", "มอก", "มอก.", "/",
    "คะแนนเต็ม", "เต็ม",  # the top of a rating scale ("4.61 จากคะแนนเต็ม 5")
    "จำนวนพิมพ์", "พิมพ์ครั้งที่",  # a publication's colophon: its print run, its edition
)
ORDINAL_BEFORE = ("ที่", "ข้อ", "หมู่", "ม.", "ฉบับ", "ลำดับ", "ระยะ", "มิติ", "ชั้น", "รุ่นที่",
                  "ระดับชั้น", "ประเภทที่", "แบบที่")
#: Label role → the words that give it, in the order they are tried.
LABEL_BEFORE = {"date": DATE_BEFORE, "law": LAW_BEFORE, "phone": PHONE_BEFORE,
                "identifier": IDENTIFIER_BEFORE, "ordinal": ORDINAL_BEFORE}
#: Words right after a number that make it a date or a time of day ("1 ตุลาคม", "07.00 น.").
DATE_AFTER = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
    "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
    "น.", "นาฬิกา",
)
#: Words that end like a label word but are nouns a count follows ("พื้นที่ 500 ไร่",
#: "เจ้าหน้าที่ 15 คน", "ให้บริการต่อปี 500 ราย").
MEASURE_BEFORE_DESPITE_LABEL = ("พื้นที่", "หน้าที่", "สถานที่", "ต่อปี", "ทุกปี")
#: Bounds: "ไม่ถึง 100 %" states a limit or a requirement, not a measured value. A number
#: right after one is a target (see :mod:`bot.analysis.quantities`), never evidence.
BOUND_BEFORE = ("ไม่ถึง", "ไม่เกิน", "ไม่น้อยกว่า", "ไม่ต่ำกว่า", "ไม่ต่ํากว่า", "ไม่มากกว่า",
                "อย่างน้อย", "สูงสุดไม่เกิน", "ต่ำกว่า", "≥", "≤", ">", "<", ">=", "<=", "=>",
                "ตั้งแต่")
# "มากกว่า 10,000 ราย" and "น้อยกว่า 5 นาที" are measured claims in award writing, so they stay
# results; "ไม่น้อยกว่า" and "อย่างน้อย" set requirements.
#: Words right after a number and its unit that make it a bound ("อายุ 60 ปีขึ้นไป").
BOUND_AFTER = ("ขึ้นไป", "ขึ้น ไป", "ลงมา", "เป็นต้นไป")
#: Multipliers between a number and its unit ("4.3 ล้านคน", "1.2 ล้านบาท").
MULTIPLIERS = {"ล้าน": 1_000_000, "แสน": 100_000, "หมื่น": 10_000, "พัน": 1_000}

#: Cue words that give the numbers after them in the same sentence a role (scanned once per
#: answer; the nearest cue before a number decides, see :mod:`bot.analysis.roles`).
#: A target cue and a budget cue give their role to the first amount after them only.
TARGET_CUES = ("เป้าหมาย", "ค่าเป้าหมาย", "ตัวชี้วัด", "kpi", "target",
               "เกณฑ์", "ตามเกณฑ์", "เกณฑ์มาตรฐาน", "มาตรฐานกำหนด", "กำหนดให้", "ต้องไม่เกิน",
               "เพื่อให้", "วัตถุประสงค์")
BUDGET_CUES = ("งบประมาณ", "วงเงิน", "ใช้งบ", "งบลงทุน", "ค่าลงทุน", "ได้รับจัดสรร",
               "ได้รับการจัดสรร", "เงินอุดหนุน", "สนับสนุนงบ", "งบดำเนินการ", "budget",
               "เป็นเงิน", "ค่าจ้าง", "ค่าก่อสร้าง", "ราคากลาง", "จ้างก่อสร้าง", "ค่าธรรมเนียม",
               "ได้รับทุน", "ทุนอุดหนุน", "ทุนวิจัย")
#: Setting a target, like a projection, covers every amount after it in the sentence, change
#: words included ("ตั้งเป้าลดระยะเวลาจาก 7 วัน เหลือ 3 วัน").
TARGET_SETTING_CUES = ("ตั้งเป้า", "ตั้งเป้าหมาย", "มีเป้าหมาย", "มุ่งหวัง", "คาดหวัง")
#: A projection cue gives its role to every amount after it in the sentence.
PROJECTED_CUES = ("คาดว่า", "คาดการณ์", "ประมาณการ", "จะ", "มีแผน", "ในอนาคต", "แผนที่จะ",
                  "expected", "forecast")
#: Words that say what follows was achieved: they end the reach of any cue before them.
RESULT_CUES = ("ผลการดำเนินงาน", "ผลการดำเนินการ", "ผลการปฏิบัติงาน", "ผลลัพธ์", "ผลการประเมิน",
               "ผลสำรวจ", "ผลการสำรวจ", "พบว่า", "จะเห็นได้ว่า", "จะเห็นว่า", "ปัจจุบัน",
               "ได้จริง", "บรรลุ", "ผ่านเกณฑ์", "พ้นเกณฑ์", "ของเป้าหมาย", "เกินเป้าหมาย",
               "กลุ่มเป้าหมายได้รับ", "ประหยัดงบประมาณ", "ลดงบประมาณ", "ที่ผ่านมา", "ดำเนินการได้",
               "ปีงบประมาณ", "actual", "คิดเป็นเงิน", "เบิกจ่าย", "ผลงาน")
#: Change words: a number after one is a measured change even after a target or budget cue
#: ("ครัวเรือนเป้าหมายมีหนี้ลดลงจาก 62 ครัวเรือน"), but a projection still covers it.
CHANGE_CUES = ("เพิ่มขึ้น", "ลดลง", "ลด", "เพิ่ม", "เหลือ", "สูงขึ้น", "ต่ำลง", "น้อยลง")
#: Area and unit words whose count is the work's scope (how many areas or units it covers).
SCOPE_UNITS = frozenset({"พื้นที่", "จังหวัด", "อำเภอ", "ตำบล", "หมู่บ้าน", "ชุมชน", "สาขา",
                         "หน่วยงาน", "ประเทศ", "เทศบาล", "กระบวนงาน", "หน่วยบริการ",
                         "ตัวชี้วัด"})
#: Words in the sentence before a bare decimal that make it a mean score ("(3.87)").
SCORE_CONTEXT = ("พึงพอใจ", "ประเมิน", "คะแนน", "ระดับ", "ความคิดเห็น", "แบบสอบถาม",
                 "ค่าเฉลี่ย", "satisfaction", "mean", "x̄", "x̅")

#: Nouns that say who benefited.
BENEFICIARIES = (
    "ผู้รับบริการ", "ผู้ใช้บริการ", "ผู้ใช้", "ผู้มาใช้บริการ", "ผู้มาติดต่อ", "ผู้ยื่นคำขอ", "ผู้ป่วย",
    "ผู้สูงอายุ", "ผู้พิการ", "คนพิการ", "ผู้ประกอบการ", "ผู้เข้าร่วม", "ผู้ได้รับ", "ผู้เรียน",
    "ผู้ใช้น้ำ", "ผู้มีรายได้น้อย", "ผู้ติดเชื้อ", "ผู้ต้องขัง", "ผู้ว่างงาน", "ผู้ปกครอง",
    "ประชาชน", "ประชากร", "ราษฎร", "ชาวบ้าน", "ชาวนา", "ชาวสวน", "ชาวประมง", "เกษตรกร",
    "หมอดินอาสา", "นักเรียน", "นักศึกษา", "เด็ก", "เยาวชน", "ครัวเรือน", "ครอบครัว", "สมาชิก",
    "กลุ่มเป้าหมาย", "คนจน", "แรงงาน", "วิสาหกิจชุมชน", "ลูกค้า", "อสม.", "ผู้ผลิต", "ผู้บริโภค",
    "ผู้ประสบภัย", "ผู้เลี้ยง", "ผู้ปลูก", "ประชาชนผู้",
    # Not nouns, but they say the people counted were served or reached ("คนไทยมารับบริการ
    # 3,472 คน").
    "คนไทย", "รับบริการ", "ใช้บริการ", "ได้รับประโยชน์", "ได้รับความช่วยเหลือ",
    "ได้รับการช่วยเหลือ", "ได้รับการรักษา", "ได้รับการดูแล",
)

#: Marks of an external evaluation by themselves: a prize, a certification, research, an
#: external assessor.
EXTERNAL_EVALUATION = (
    "ผู้ประเมินภายนอก", "การประเมินภายนอก", "ประเมินโดยหน่วยงานภายนอก", "งานวิจัย", "ผลการวิจัย",
    "ได้รับรางวัล", "ได้รับการรับรอง", "ผ่านการรับรอง", "คณะกรรมการประเมิน", "ผู้ตรวจราชการ", "ISO",
    "third party", "third-party", "external evaluation",
)
#: Bodies that evaluate from outside; they count only in a sentence that says they evaluated
#: (:data:`EVALUATION_ACTS`): "มหาวิทยาลัยสงขลานครินทร์ประเมินผลโครงการ", not "ร่วมกับ
#: มหาวิทยาลัยพัฒนาระบบ".
EXTERNAL_EVALUATORS = (
    "มหาวิทยาลัย", "สถาบัน", "หน่วยงานภายนอก", "บุคคลภายนอก", "องค์กรภายนอก", "จากภายนอก",
    "คนกลาง", "ผู้เชี่ยวชาญ", "ผู้ทรงคุณวุฒิ", "สำนักงานสถิติ", "ก.พ.ร.", "สำนักงาน ก.พ.ร.", "NIDA",
    "TDRI", "นิด้า", "external",
)
#: Words that say an evaluation was done.
EVALUATION_ACTS = ("ประเมิน", "สำรวจ", "วิจัย", "ศึกษา", "ตรวจ", "รับรอง", "วัดผล", "ติดตามผล",
                   "evaluat", "assess", "survey", "audit")
#: Words that introduce a satisfaction result.
SATISFACTION = ("พึงพอใจ", "ความพึงพอใจ", "satisfaction")
#: Words that, shortly before an evaluator or a satisfaction word in the same sentence, say it
#: did not happen ("ยังไม่มีการประเมินจากหน่วยงานภายนอก").
NEGATIONS = ("ไม่", "ยังไม่", "ไม่ได้", "ไม่มี", "ขาด", "ปราศจาก", "ไม่เคย", "without", "no ", "not ")
#: Words that start with a negation but do not negate ("ไม่เพียงแต่", "ไม่ว่า").
NOT_NEGATIONS = ("ไม่เพียง", "ไม่ว่า", "ไม่น้อยกว่า", "ไม่ต่ำกว่า", "ไม่ใช่เพียง")

#: Administrative area words for counting named areas, and the level each stands for.
AREA_LEVELS = {
    "จังหวัด": "province", "จ.": "province", "อำเภอ": "district", "อ.": "district",
    "ตำบล": "subdistrict", "ต.": "subdistrict", "อบต.": "subdistrict",
    "หมู่บ้าน": "village", "บ้าน": "village",
}
#: Units whose count is a count of areas ("ขยายผลใน 5 พื้นที่").
AREA_UNITS = frozenset({"พื้นที่", "จังหวัด", "อำเภอ", "ตำบล", "หมู่บ้าน", "ชุมชน", "แห่ง"})
#: Words that follow an area word without being a name ("จังหวัดละ", "บ้านเรือน").
NOT_AREA_NAMES = (
    "ละ", "ต่าง", "อื่น", "ที่", "ของ", "เป้าหมาย", "นำร่อง", "ใกล้เคียง", "เดียว", "ทั้ง", "ใน",
    "นี้", "นั้น", "ดังกล่าว", "และ", "หรือ", "ต้นแบบ", "เดิม", "ใหม่", "ได้", "มี", "จำนวน", "ให้",
    "เพื่อ", "เป็น", "ไป", "รวม", "ตาม", "เข้า", "ห่างไกล", "ชายแดน", "เรือน", "เลขที่", "พัก",
    "ครบ", "แห่ง", "เข้มแข็ง", "ท้องถิ่น", "ชนบท", "พื้นที่", "โดย", "จะ", "ก็", "ซึ่ง", "อยู่",
    "ทุก", "หลาย", "มาก", "น้อย", "ส่วน", "กับ", "สู่", "เกิด", "พอเพียง",
)


def trie(words: Iterable[str]) -> str:
    """Return a regex matching any of ``words``, factored by common prefixes.

    Python's regex engine tries the branches of ``a|b|c`` one after another at every
    position; Thai keywords share first letters ("ผู้…", "การ…", "ความ…"), so a prefix tree
    is several times faster to scan. Latin letters match either case, and the longest word
    wins.
    """
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_branches(root)


def _trie_branches(node: dict[str, dict]) -> str:
    """Return the regex for one trie node."""
    branches = [_trie_char(ch) + _trie_branches(child)
                for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    ends_here = "" in node
    if len(branches) == 1 and not ends_here:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if ends_here else group


def _trie_char(ch: str) -> str:
    """Return a regex for one character, both cases for a Latin letter."""
    if ch.isascii() and ch.isalpha():
        return f"[{ch.lower()}{ch.upper()}]"
    return re.escape(ch)


#: A number spelled out in Thai ("สามร้อย", "สองพันห้าร้อย"). It must start with a digit
#: word so that "ร้อย" in "เรียบร้อย" or "พัน" in "พันธุ์" never starts a number, and it has
#: at most 13 words ("เก้าแสนเก้าหมื่นเก้าพันเก้าร้อยเก้าสิบเก้า" has 12): unbounded, a long
#: run of number words with no unit after it would make the regex backtrack quadratically.
WORD_NUMBER = rf"(?:{trie((*_ONES, 'สิบ', 'ยี่สิบ'))})(?:{trie(_NUMBER_WORDS)}){{0,12}}"
#: After "ร้อยละ" a spelled-out number may also be "ร้อย" itself ("ร้อยละร้อย").
PERCENT_WORD_NUMBER = rf"(?:{WORD_NUMBER}|ร้อย)"
