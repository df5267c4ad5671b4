"""Category-specific checks, driven by the ``checks`` a rubric category declares.

:data:`CATEGORY_CHECKS` maps a check code in the rubric (``facilitation``, ``min_areas`` …)
to the function that runs it with the check's parameters. A code the table does not know
is skipped, so a rubric can name a check before the analysis supports it; the tests fail
when a shipped rubric names an unknown code. Keyword lists come from the rubric and are
matched as substrings, Latin words without regard to case.

Counting areas (``min_areas``, category 2.4): only the areas the work was extended to
count, never the project's own: areas named in an expansion clause (from ขยายผล, ต่อยอด,
นำ…ไปใช้ … to the end of its sentence or of the list it opens, see
:func:`expansion_scopes`), leaving out planned or required expansion ("จะขยายผล",
"ต้องขยายผลอย่างน้อย 2 พื้นที่") and the origin ("จากบ้าน…", "พื้นที่นำร่อง…").
Distinct names after จังหวัด/จ., อำเภอ/อ., ตำบล/ต./อบต. and บ้าน/หมู่บ้าน are counted per
level and the largest level wins, so a full address "ตำบลนาแว อำเภอฉวาง
จังหวัดนครศรีธรรมราช" is one area and "ตำบลท่าศาลา และตำบลกลาย อำเภอท่าศาลา" two; a count
such as "ขยายผลไปยัง 5 พื้นที่" counts as five (a bound such as "อย่างน้อย 2 พื้นที่" does
not, see :mod:`bot.analysis.quantities`). A count of :data:`WIDE_REACH` areas or more
("ในพื้นที่ 44 จังหวัด", "29 อปท.") counts wherever it is written: no single project's own
sites are that many.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import lru_cache

from bot.analysis.answer import Answer, Gap
from bot.analysis.lexicon import (
    AREA_LEVELS,
    AREA_UNITS,
    BOUND_BEFORE,
    NOT_AREA_NAMES,
    NUMBER,
    trie,
)
from bot.analysis.messages import Label
from bot.analysis.participation import levels_shown
from bot.analysis.quantities import is_year_like
from bot.analysis.sentences import quote, sentence_span
from bot.rubrics import CategoryCheck, ParticipationLevel, Rubric

_THAI = "\u0E01-\u0E2E\u0E30-\u0E3A\u0E40-\u0E4E"
_AREA = re.compile(
    rf"(?P<level>{trie(AREA_LEVELS)})[ \t]?(?!{trie(NOT_AREA_NAMES)})"
    rf"(?P<name>[ก-ฮเ-ไ][{_THAI}]{{1,40}}?)(?=[^{_THAI}]|\Z|{trie(AREA_LEVELS)}|และ|หรือ)"
)
#: Verbs that say the work was taken to other areas.
EXPANSION_WORDS = ("ขยายผล", "ขยายพื้นที่", "ขยายการดำเนิน", "ขยายไป", "ขยายสู่", "ขยายต่อ",
                   "ขยายเครือข่าย", "ต่อยอด", "นำไปใช้", "นำไปปรับใช้", "นำไปประยุกต์",
                   "ถ่ายทอดไปยัง", "ถ่ายทอดสู่", "เผยแพร่ไปยัง", "replicat")
#: Words just before an expansion verb that make it a plan, a requirement or a possibility.
PLANNED = ("จะ", "แผน", "เตรียม", "ต้อง", "ควร", "สามารถ", "อนาคต", "หาก", "เป้าหมาย", "ประสงค์")
_EXPANSION = re.compile(
    rf"{trie(EXPANSION_WORDS)}|นำ[^\n]{{1,40}}?ไป(?:ใช้|ปรับใช้|ประยุกต์|ดำเนินการ|ขยาย)")
_PLANNED_BEFORE = re.compile(trie(PLANNED))
_ORIGIN_BEFORE = re.compile(r"(?:จาก|ต้นแบบ|นำร่อง|เดิม)[ \t]*(?:พื้นที่|ที่)?[ \t]*\Z")
#: A count of areas this large is a reach beyond one project's sites wherever it is written
#: ("80 โครงการในพื้นที่ 44 จังหวัด", "29 อปท."); smaller counts need an expansion clause.
WIDE_REACH = 10
_LOCAL_GOVERNMENTS = re.compile(
    rf"(?<![0-9๐-๙.,])(?P<num>{NUMBER})[ \t]*+(?:อปท\.?|องค์กรปกครองส่วนท้องถิ่น|อบต\.?|เทศบาล)")
_BOUND = re.compile(rf"(?:{trie(BOUND_BEFORE)})[ \t]*\Z")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
#: How far after an expansion verb its areas are named, at most (a list it opens aside).
SCOPE_REACH = 160
_TOPIC_CHANGE = re.compile(r"ต่อมา|จากนั้น|นอกจากนี้|ทั้งนี้|ส่วน(?!ร่วม)|ซึ่ง|โดย|เพื่อ|ทำให้|ส่งผล")
_WHERE_TO = re.compile(
    rf"ไปยัง|ไปสู่|สู่|ไป|ที่|ใน|ณ|ได้แก่|ครอบคลุม|รวม|และ|อีก|{trie(AREA_LEVELS)}")
_OPENS_LIST = re.compile(r"(?:ดังนี้|ได้แก่|คือ|:)[ \t]*\Z")
_LIST_LINE = re.compile(r"[ \t]*(?:[0-9๐-๙]{1,2}[.)]|\(?[0-9๐-๙]{1,2}\)|[-•*▪●]|[ก-ฮ][.)])")
#: Ways 1.4's aspects are written beyond the rubric's keywords ("เชื่อมข้อมูลไปยัง…").
ASPECT_PHRASES = {
    "interoperability": (r"เชื่อม(?:โยง|ต่อ)?[ \t]?(?:ข้อมูล|ระบบ|ฐานข้อมูล)|ดึงข้อมูลจาก"
                         r"|ใช้ข้อมูลร่วมกัน|ฐานข้อมูลกลาง|ข้อมูลร่วมกันระหว่าง|linkage"
                         r"|ไม่ต้อง(?:ใช้|แนบ|ยื่น)สำเนา"),
    "security": (r"พิสูจน์(?:และ)?(?:ยืนยัน)?ตัวตน|รหัสผ่าน|OTP|คุ้มครองข้อมูล|ปลอดภัย"
                 r"|สิทธิ์?(?:ใน)?การ(?:เข้าถึง|ใช้งาน)|encrypt|firewall"),
    "consent": r"PDPA|ได้รับอนุญาตจากเจ้าของข้อมูล|เจ้าของข้อมูล(?:อนุญาต|ยินยอม)",
}
#: Ways a poverty answer speaks of poverty beyond the rubric's keywords: the poor, income,
#: debt and the poverty registers ("ผู้ยากไร้", "หนี้ จน เจ็บ", "ครัวเรือนที่ตกเกณฑ์ TPMAP").
POVERTY_PHRASES = (r"ยากไร้|ด้อยโอกาส|(?:หนี้|คน|ความ)[ \t]?จน(?!ถึง|กระทั่ง|กว่า|ใจ|ปัญญา)"
                   r"|หนี้|ดอกเบี้ย|กู้(?:ยืม)?เงิน|นอกระบบ|รายจ่าย|ค่าใช้จ่ายในครัวเรือน"
                   r"|ตกเกณฑ์|จปฐ|TPMAP|Thai ?QM|สวัสดิการแห่งรัฐ|เปราะบาง|poverty|poor")
_DATA_ASPECTS = {"interoperability": "no_interoperability", "security": "no_data_security",
                 "consent": "no_consent"}

CategoryCheckFunction = Callable[[Answer, CategoryCheck, Rubric], Iterator[Gap]]


@lru_cache(maxsize=256)
def keyword_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Compile a keyword list into one regex, once per list (Latin words in any case)."""
    return re.compile(trie(words))


def check_extension(answer: Answer, check: CategoryCheck, rubric: Rubric) -> Iterator[Gap]:
    """Report an expansion answer that does not count the branches or areas reached."""
    counted = any(q.kind in ("place", "percent") for q in answer.quantities)
    if not (counted and answer.contains_any(check.params.get("keywords", ()))):
        yield Gap("no_extension_scope")


def check_data_integration(answer: Answer, check: CategoryCheck, rubric: Rubric) -> Iterator[Gap]:
    """Report which of interoperability, data security and consent the answer leaves out."""
    text = without_award_names(answer.text, rubric)
    for aspect, code in _DATA_ASPECTS.items():
        if not _mentions(text, tuple(check.params.get(aspect, ())), ASPECT_PHRASES[aspect]):
            yield Gap(code, reason=f"data integration: no word or phrase of {aspect}")


def check_covid_readiness(answer: Answer, check: CategoryCheck, rubric: Rubric) -> Iterator[Gap]:
    """Report a COVID-19 answer with no planning or readiness."""
    if not answer.contains_any(check.params.get("keywords", ())):
        yield Gap("no_readiness")


def check_facilitation(answer: Answer, check: CategoryCheck, rubric: Rubric) -> Iterator[Gap]:
    """Report which of rules, steps, time and cost a facilitation answer leaves out."""
    aspects = check.params.get("aspects", {})
    missing = tuple(Label("facilitation", name) for name, words in aspects.items()
                    if not answer.contains_any(words))
    if missing:
        yield Gap("no_facilitation", {"missing": missing})


def check_participation_level(answer: Answer, check: CategoryCheck,
                              rubric: Rubric) -> Iterator[Gap]:
    """Report an answer that shows no participation level, or one below the category's."""
    levels = tuple(rubric.participation_levels)
    expected = [lvl for lvl in levels if lvl.code in check.params.get("expected", ())]
    if not expected:
        return
    expected_names = tuple(_level_name(lvl) for lvl in expected)
    shown = levels_shown(without_award_names(answer.text, rubric), levels)
    if not shown:
        yield Gap("no_participation_level", {"expected": expected_names},
                  reason="participation: no phrase of any level ("
                         + ", ".join(lvl.code for lvl in levels) + ")")
        return
    highest = max(shown, key=lambda m: m.rank)
    lowest_expected = min(levels.index(lvl) for lvl in expected)
    if highest.rank < lowest_expected:
        text = answer.text
        span = (highest.start, highest.end)
        yield Gap("participation_level_low",
                  {"reached": _level_name(highest.level), "expected": expected_names},
                  quote(answer, *span, sentence_span(text, *span)), span=span,
                  reason=f"participation: highest level {highest.level.code} "
                         f"('{highest.phrase}') below {levels[lowest_expected].code}")


def _level_name(level: ParticipationLevel) -> str:
    """Return a level's name for a message, e.g. "การรับฟังความคิดเห็น (Consult)"."""
    return f"{level.name} ({level.name_en})"


def check_min_areas(answer: Answer, check: CategoryCheck, rubric: Rubric) -> Iterator[Gap]:
    """Report an expansion answer that names fewer areas reached than the category requires."""
    minimum = int(check.params.get("min", 2))
    count, names = count_areas(answer)
    if count < minimum:
        scopes = len(expansion_scopes(answer.text))
        yield Gap("few_areas", {"found": count, "min": minimum}, ", ".join(names) or None,
                  reason=f"areas: {count} area(s) reached in {scopes} expansion clause(s) "
                         f"< {minimum}")


def count_areas(answer: Answer) -> tuple[int, list[str]]:
    """Count the distinct areas the work was extended to, and return their names as written."""
    text = answer.text
    scopes = expansion_scopes(text)
    by_level: dict[str, set[str]] = defaultdict(set)
    names: list[str] = []
    for start, end in scopes:
        for m in _AREA.finditer(text, start, end):
            if m["level"] == "บ้าน" and text.endswith("หมู่", 0, m.start()):
                continue  # the บ้าน of หมู่บ้าน
            if _ORIGIN_BEFORE.search(text, max(0, m.start() - 20), m.start()):
                continue  # where the model came from, not where it went
            by_level[AREA_LEVELS[m["level"]]].add(m["name"])
            if m[0] not in names:
                names.append(m[0])
    named = max((len(v) for v in by_level.values()), default=0)
    return max(named, _counted_areas(answer, scopes)), names


def _counted_areas(answer: Answer, scopes: list[tuple[int, int]]) -> int:
    """Return the largest count of areas in an expansion clause, or of a wide reach anywhere."""
    counts = [(int(q.value or 0), q.start) for q in answer.quantities if q.unit in AREA_UNITS]
    counts += [(int(m["num"].translate(_THAI_DIGITS).replace(",", "")), m.start())
               for m in _LOCAL_GOVERNMENTS.finditer(answer.text)
               if not is_year_like(m["num"]) and not _BOUND.search(
                   answer.text, max(0, m.start() - 16), m.start())]
    return max((n for n, at in counts
                if n >= WIDE_REACH or any(s <= at < e for s, e in scopes)), default=0)


def expansion_scopes(text: str) -> list[tuple[int, int]]:
    """Return the stretches of ``text`` that say where the work was extended to.

    A scope runs from an expansion verb (ขยายผล, ต่อยอด, นำ…ไปใช้ …) that reports what was
    done — not a plan or a requirement (จะ, แผน, ต้อง, สามารถ … just before it) — to the end
    of its sentence and the clauses after it that still say where to (ไปยัง…, และ…, the
    rest of an address: อำเภอ…, จังหวัด…), but no
    further than a change of topic (ต่อมา, โดย, เพื่อ, ทำให้ …) or :data:`SCOPE_REACH`
    characters; and on over the list lines after a line ending in ดังนี้, ได้แก่, คือ or ":".
    """
    scopes: list[tuple[int, int]] = []
    for m in _EXPANSION.finditer(text):
        if scopes and m.start() < scopes[-1][1]:
            continue
        if _PLANNED_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            continue
        if text.endswith("เลื่องลือ", 0, m.start()):
            continue  # the category's name, เลื่องลือขยายผล
        end = _clauses_end(text, sentence_span(text, m.start(), m.end())[1])
        stop = _TOPIC_CHANGE.search(text, m.end(), min(end, m.end() + SCOPE_REACH))
        end = stop.start() if stop else min(end, m.end() + SCOPE_REACH)
        scopes.append((m.end(), _list_end(text, end)))
    return scopes


def _clauses_end(text: str, end: int) -> int:
    """Extend a sentence over the clauses after it that still say where to ("ไปยัง…", "และ…")."""
    while True:
        at = end
        while at < len(text) and text[at] in " \t\u00a0":
            at += 1
        if at == end or not _WHERE_TO.match(text, at):
            return end
        end = sentence_span(text, at, at + 1)[1]


def _list_end(text: str, end: int) -> int:
    """Extend a scope whose line opens a list ("ดังนี้", ":") over the list lines after it."""
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if not _OPENS_LIST.search(text, max(0, line_end - 12), line_end):
        return end
    end = line_end
    while end < len(text) and text[end] == "\n" and _LIST_LINE.match(text, end + 1):
        line_end = text.find("\n", end + 1)
        end = len(text) if line_end < 0 else line_end
    return end


def check_poverty(answer: Answer, check: CategoryCheck, rubric: Rubric) -> Iterator[Gap]:
    """Report a poverty answer that says nothing about poverty, income, debt or livelihood."""
    text = without_award_names(answer.text, rubric)
    if not _mentions(text, tuple(check.params.get("keywords", ())), POVERTY_PHRASES):
        yield Gap("no_poverty", reason="poverty: no word of poverty, income, debt or the "
                                       "poverty registers (TPMAP, จปฐ.)")


def _mentions(text: str, keywords: tuple[str, ...], phrases: str) -> bool:
    """Tell whether ``text`` holds one of the rubric's ``keywords`` or matches ``phrases``."""
    if keywords and keyword_pattern(keywords).search(text):
        return True
    return bool(_compiled(phrases).search(text))


@lru_cache(maxsize=16)
def _compiled(pattern: str) -> re.Pattern[str]:
    """Compile one of the phrase patterns, Latin letters in any case."""
    return re.compile(pattern, re.IGNORECASE)


def without_award_names(text: str, rubric: Rubric) -> str:
    """Blank out the award categories' own names where the text names an award.

    "ได้รับรางวัล … ประเภทบูรณาการข้อมูลเพื่อการบริการ" says which award was won, not that
    data were linked; offsets are kept (the name is replaced by spaces).
    """
    return _award_names(rubric).sub(lambda m: " " * len(m[0]), text)


@lru_cache(maxsize=8)
def _award_names(rubric: Rubric) -> re.Pattern[str]:
    """Compile "ประเภท/รางวัล/สาขา + a category's name or alias" for ``rubric``."""
    names = [n for c in rubric.categories for n in (c.name, *c.aliases, c.name_en) if n]
    return re.compile(rf"(?:ประเภท|รางวัล|สาขา)[ \t]?(?:รางวัล)?[ \t]?(?:{trie(names)})",
                      re.IGNORECASE)


CATEGORY_CHECKS: dict[str, CategoryCheckFunction] = {
    "extension_coverage": check_extension,
    "data_integration": check_data_integration,
    "covid_readiness": check_covid_readiness,
    "facilitation": check_facilitation,
    "participation_level": check_participation_level,
    "min_areas": check_min_areas,
    "poverty": check_poverty,
}
