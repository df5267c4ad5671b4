"""Which participation levels an answer shows, however Thai officers phrase them.

The rubric names four levels (IAP2 without Empower): Inform, Consult, Involve and
Collaborate, each with a few keywords. Officers rarely use them verbatim, so each level also
has :data:`LEVEL_PHRASES`, regexes of the ways the level is written:

- Inform: telling people (ชี้แจง, ประชาสัมพันธ์, สร้างการรับรู้, ให้ความรู้ความเข้าใจ …).
- Consult: asking them (รับฟัง / สำรวจ / สอบถามความคิดเห็น, เวทีประชาคม, ข้อเสนอแนะ …).
- Involve: people taking part in the work itself: ร่วม + a verb of work ("ร่วมจัดทำ",
  "ร่วมกันวางแผน"), a verb of work + ร่วมกัน ("วิเคราะห์ข้อมูลร่วมกัน"), มีส่วนร่วมใน + such a
  verb ("มีส่วนร่วมในการดำเนินงาน"), villagers teaching villagers ("ชาวบ้านสอนชาวบ้าน").
- Collaborate (and Empower, which the rubric folds into it): shared decisions and
  responsibility, partnership agreements, community-owned work ("ร่วมกันตัดสินใจ",
  "ร่วมรับผิดชอบ", "ภาคีเครือข่าย", "MOU", "ชุมชนบริหารจัดการเอง").

Bare "มีส่วนร่วม" (it is in every award's name), "ร่วมกับ" (agencies working together) and
"ผู้เข้าร่วม" (attendance) show no level, nor does "ร่วมทำบุญ". A phrase just after a
negation ("ไม่ได้รับฟังความคิดเห็น") does not count, nor the phrases of the same level in the
:data:`NEGATION_REACH` characters after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.analysis.lexicon import trie
from bot.rubrics import ParticipationLevel

_WORK_VERBS = (r"คิด|วางแผน|จัดทำ|ดำเนิน|ทำ(?!บุญ|ให้)|ออกแบบ|กำหนด|ตัดสินใจ|ตรวจสอบ|ติดตาม|ประเมิน"
               r"|เก็บ|สำรวจ|วิเคราะห์|สังเคราะห์|แก้ไข|แก้ปัญหา|พัฒนา|บริหาร|จัดการ|ดูแล"
               r"|เฝ้าระวัง|ขับเคลื่อน|ระดม|ลงมือ")
#: Ways each level is written, beyond the rubric's keywords (see the module docstring).
LEVEL_PHRASES: dict[str, str] = {
    "inform": (r"ชี้แจง|ให้ความรู้|ความรู้ความเข้าใจ|สร้าง(?:การ|ความ)รับรู้|การรับรู้|เผยแพร่"
               r"|ประชาสัมพันธ์|แจ้งข่าว|ข้อมูลข่าวสาร|ให้ข้อมูล|เปิดเผยข้อมูล|หอกระจายข่าว"
               r"|เสียงตามสาย|inform"),
    "consult": (r"รับฟัง|ความคิดเห็น|ข้อคิดเห็น|ข้อเสนอแนะ|ปรึกษา|หารือ|ประชาพิจารณ์|ประชาคม"
                r"|สอบถามความ|สนทนากลุ่ม|focus group|consult"),
    "involve": (rf"ร่วม(?:กัน)?[ \t]?(?:{_WORK_VERBS})"
                rf"|(?:มี|เข้า(?:มา)?)ส่วนร่วม[ \t]?ใน(?:การ)?[ \t]?(?:{_WORK_VERBS})"
                rf"|(?:{_WORK_VERBS})[^\s,.]{{0,14}}?ร่วมกัน(?!ตัดสินใจ)"
                r"|(?:ชาวบ้าน|ชุมชน|ประชาชน)สอน(?:ชาวบ้าน|ชุมชน|ประชาชน)|involve"),
    "collaborate": (r"ความร่วมมือ|หุ้นส่วน|ร่วม(?:กัน)?[ \t]?ตัดสินใจ|ร่วมรับผิดชอบ|ร่วมลงทุน"
                    r"|ร่วมลงขัน|MOU|บันทึกข้อตกลง|ข้อตกลงร่วม|ภาคีเครือข่าย|ธรรมนูญ(?:ชุมชน|ตำบล)"
                    r"|(?:ชุมชน|ชาวบ้าน)(?:เป็นเจ้าของ|บริหารจัดการเอง|จัดการเอง|ดำเนินการเอง)"
                    r"|เสริมพลัง|collaborat|empower|partnership"),
}
#: How far a negation reaches: "ไม่ได้รับฟังความคิดเห็น" negates the whole phrase.
NEGATION_REACH = 20
#: Words after "ร่วมทำ…" that make it a ceremony, not work ("ร่วมทำบุญ").
_IDIOM_AFTER = re.compile(r"บุญ|พิธี|ทาน")
_NEGATED = re.compile(r"(?:ไม่|ไม่ได้|ไม่มี|ไม่เคย|ขาด(?:การ)?)[ \t]?\Z")


@dataclass(frozen=True)
class LevelMatch:
    """The first phrase in an answer that shows one participation level."""

    rank: int
    level: ParticipationLevel
    start: int
    end: int
    phrase: str


@lru_cache(maxsize=64)
def level_pattern(code: str, keywords: tuple[str, ...]) -> re.Pattern[str]:
    """Compile a level's rubric keywords and its :data:`LEVEL_PHRASES` into one regex."""
    parts = [p for p in (LEVEL_PHRASES.get(code, ""), trie(keywords) if keywords else "") if p]
    return re.compile("|".join(parts), re.IGNORECASE)


def levels_shown(text: str, levels: tuple[ParticipationLevel, ...]) -> list[LevelMatch]:
    """Return, for each level the text shows, its first phrase not after a negation."""
    found = []
    for rank, level in enumerate(levels):
        negated_until = -1
        for m in level_pattern(level.code, level.keywords).finditer(text):
            if _NEGATED.search(text, max(0, m.start() - 8), m.start()):
                negated_until = m.end() + NEGATION_REACH
            elif m.start() > negated_until and not _IDIOM_AFTER.match(text, m.end()):
                found.append(LevelMatch(rank, level, m.start(), m.end(), m[0]))
                break
    return found
