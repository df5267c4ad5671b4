"""Unproven claims (bot.analysis.claims): an effect claimed in words, asked for its figure.

A table of passages with the claim each must give (the claim's words) or must not give,
then the finding's span, quote, question and fill-in template, the limits, and the
claims file's validation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.analysis import analyze
from bot.analysis.claims import CLAIMS_FILE, KINDS, MAX_CLAIMS, ClaimsFileError, load_asks
from bot.analysis.report import Finding
from bot.rubrics import default_rubrics


def claims(text: str, track: str = "public_service", question: int = 5,
           category: str | None = None) -> list[Finding]:
    """Return the unproven-claim findings of ``text``, in the order written."""
    rubrics = default_rubrics()
    rubric = rubrics.get(track, rubrics.latest_year)
    report = analyze(text, rubric.question(question), rubric, category)
    found = [f for f in report.findings if f.code == "unproven_claim"]
    return sorted(found, key=lambda f: f.span or (0, 0))


def claimed(text: str, **where) -> list[str]:
    """Return the words each unproven claim of ``text`` quotes, in order."""
    return [text[f.span[0]:f.span[1]] for f in claims(text, **where) if f.span]


@pytest.mark.parametrize("text, words", [
    ("ระบบใหม่ช่วยลดขั้นตอนการขออนุญาตก่อสร้าง", ["ลดขั้นตอน"]),
    ("การยื่นคำขอออนไลน์ทำให้ลดระยะเวลาการให้บริการ", ["ลดระยะเวลา"]),
    ("ผู้ป่วยได้รับบริการรวดเร็วขึ้น", ["รวดเร็วขึ้น"]),
    ("ประชาชนพึงพอใจต่อบริการใหม่", ["ประชาชนพึงพอใจ"]),
    ("ผลการสำรวจพบว่าผู้รับบริการมีความพึงพอใจในระดับมาก", ["พึงพอใจ"]),
    ("ช่วยลดค่าใช้จ่ายในการเดินทางของผู้ปกครองนักเรียน", ["ลดค่าใช้จ่าย"]),
    ("วิสาหกิจชุมชนมีรายได้เพิ่มขึ้นหลังเข้าร่วมโครงการ", ["มีรายได้เพิ่ม"]),
    ("ผู้รับบริการได้รับความสะดวกมากขึ้น", ["สะดวกมากขึ้น"]),
    ("ประชาชนยื่นคำขอออนไลน์ได้โดยไม่ต้องเดินทาง", ["ไม่ต้องเดินทาง"]),
    ("โครงการประสบความสำเร็จอย่างมากในทุกตำบล", ["ประสบความสำเร็จ"]),
    # Several kinds, one finding each, in the order written.
    ("ลดขั้นตอน ลดระยะเวลา และลดค่าใช้จ่ายให้ผู้ประกอบการ",
     ["ลดขั้นตอน", "ลดระยะเวลา", "ลดค่าใช้จ่าย"]),
    # The same kind twice: asked once.
    ("ระบบช่วยลดขั้นตอน\nเทศบาลลดขั้นตอนการขออนุญาตได้อีก", ["ลดขั้นตอน"]),
])
def test_a_claim_without_its_figure_is_quoted(text, words):
    assert claimed(text) == words


@pytest.mark.parametrize("text", [
    # Negated or hedged: no claim.
    "ระบบเดิมยังไม่ได้ลดขั้นตอนการให้บริการ",
    "ประชาชนไม่พึงพอใจกับการรอคิวนาน",
    "พัฒนาระบบนัดหมายออนไลน์เพื่อลดระยะเวลารอคอยของผู้ป่วย",
    "คาดว่าจะช่วยลดค่าใช้จ่ายของเกษตรกรได้ในปีหน้า",
    "โครงการนี้อาจช่วยเพิ่มรายได้ให้ชุมชน",
    "ตัวชี้วัด ผู้รับบริการพึงพอใจไม่น้อยกว่าร้อยละ 80",
    "หากระบบเชื่อมโยงข้อมูลได้ครบจะลดขั้นตอนลงอีก",
    "เพื่อลดเวลารอคอย ลดความแออัด และลดอัตราการเสียชีวิต",
    # A noun, a topic or a form's heading: no claim.
    "สำรวจความพึงพอใจของผู้รับบริการทุกไตรมาส",
    "ระดับความพึงพอใจเฉลี่ยของหน่วยงาน",
    "1. ความสะดวก รวดเร็วของการให้บริการ",
    "ถ่ายทอดความรู้ในเรื่องการลดต้นทุนการผลิต",
    "เมื่อก่อนไม่มีกระบวนการลดต้นทุน",
    # A threshold: "ระดับดีขึ้นไป" is good or above.
    "ร้อยละของโรงพยาบาลที่ผ่านเกณฑ์ระดับดีขึ้นไป",
    # Proven in its sentence.
    "ลดขั้นตอนจาก 8 ขั้นตอนเหลือ 3 ขั้นตอน",
    "ลดระยะเวลาการออกใบอนุญาตจาก 15 วันเหลือ 3 วัน",
    "ผู้รับบริการพึงพอใจร้อยละ 92.5 จากผู้ตอบ 400 ราย",
    "ลดค่าใช้จ่ายของผู้ป่วยได้เฉลี่ย 350 บาทต่อครั้ง",
    "ครัวเรือนมีรายได้เพิ่มขึ้นร้อยละ 30",
    "ผู้เข้าร่วม 326 คน มีความพึงพอใจในระดับมาก (3.87)",
    # Proven in the sentence right after, on the same line.
    "สถานการณ์ความยากจนดีขึ้น มีคนจน 4.3 ล้านคน ลดลงจาก 6.7 ล้านคน",
    # Proven elsewhere: the figure beside the claim's topic, or a before and an after.
    "ระบบช่วยลดขั้นตอนการยื่นเอกสาร\nเดิม 8 ขั้นตอน ปัจจุบัน 3 ขั้นตอน",
    "ผู้ป่วยได้รับบริการรวดเร็วขึ้น\nเดิมรอคิว 4 ชั่วโมง ปัจจุบันรอคิว 45 นาที",
    "ลดค่าใช้จ่าย\nค่าเดินทางของผู้ปกครองลดลงเหลือ 150 บาทต่อเดือน",
])
def test_no_claim_or_a_proven_one_gives_nothing(text):
    assert claimed(text) == []


def test_a_budget_proves_no_saving():
    assert claimed("ใช้งบประมาณ 2,500,000 บาท ช่วยลดค่าใช้จ่ายของประชาชน") == ["ลดค่าใช้จ่าย"]


def test_a_figure_on_the_next_line_is_not_the_next_sentence():
    assert claimed("สถานการณ์ดีขึ้น\nผู้รับบริการ 300 ราย") == ["ดีขึ้น"]


def test_a_figure_of_another_kind_does_not_prove_the_claim():
    # 12 ตำบล counts places: it says nothing about the steps.
    assert claimed("ขยายผลไป 12 ตำบล ช่วยลดขั้นตอนการขออนุญาต") == ["ลดขั้นตอน"]


def test_the_finding_quotes_the_claim_asks_for_its_figure_and_offers_a_template():
    text = "ปี 2564 เปิดบริการออนไลน์ ระบบช่วยลดขั้นตอนการขออนุญาต"
    finding = claims(text)[0]
    asks = load_asks()
    assert text[slice(*finding.span)] == "ลดขั้นตอน"
    assert finding.quote == "ระบบช่วยลดขั้นตอนการขออนุญาต"
    assert '"ลดขั้นตอน"' in finding.message and asks["steps"].ask in finding.message
    assert finding.fill_in == asks["steps"].fill_in == "ลดขั้นตอนจาก __ ขั้นตอน เหลือ __ ขั้นตอน"
    assert finding.fill_in_label == "เติมข้อ 5: ขั้นตอน"
    assert finding.reason.startswith("steps claim 'ลดขั้นตอน'")


def test_the_completed_template_proves_the_claim():
    text = "ระบบช่วยลดขั้นตอนการขออนุญาต"
    filled = load_asks()["steps"].fill_in.replace("__", "8", 1).replace("__", "3", 1)
    assert claimed(text) == ["ลดขั้นตอน"]
    assert claimed(text + "\n" + filled) == []


def test_an_answer_gets_at_most_a_few_claims():
    text = ("ลดขั้นตอน ลดระยะเวลา ลดค่าใช้จ่าย เพิ่มรายได้ ประชาชนพึงพอใจ "
            "และสะดวกขึ้น จึงประสบความสำเร็จ")
    assert len(claimed(text)) == MAX_CLAIMS == 3


def test_the_same_claim_is_never_given_twice():
    text = "ลดขั้นตอน\n" * 5
    report = claims(text)
    assert len(report) == 1


def test_every_kind_can_be_found():
    for kind in KINDS:
        assert claimed(kind.phrases[0]) == [kind.phrases[0]], kind.name


# The claims file --------------------------------------------------------------------------


def _write(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(CLAIMS_FILE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_projects_claims_file_holds_every_kind():
    assert set(load_asks()) == {kind.name for kind in KINDS}


@pytest.mark.parametrize("edit, named", [
    (lambda d: d["kinds"].pop("time"), r"claims\.yaml: kinds\.time: is missing"),
    (lambda d: d["kinds"].update(luck={"ask": "?", "fill_in": "__", "what": "x"}),
     r"kinds\.luck: is not a kind"),
    (lambda d: d["kinds"]["cost"].update(fill_in="ลดค่าใช้จ่าย"), r"kinds\.cost\.fill_in.*blank"),
    (lambda d: d["kinds"]["cost"].pop("ask"), r"kinds\.cost\.ask: must be a non-empty"),
    (lambda d: d["kinds"]["cost"].update(ask="{money}"), r"kinds\.cost\.ask: .*braces"),
    (lambda d: d["kinds"]["cost"].update(what="ค่าใช้จ่ายของประชาชนทั้งหมด"),
     r"kinds\.cost\.what: the chip .* longer than 20"),
    (lambda d: d["kinds"]["cost"].update(hint="x"), r"kinds\.cost\.hint: is not a key"),
])
def test_a_broken_claims_file_names_the_file_and_the_key(tmp_path, edit, named):
    with pytest.raises(ClaimsFileError, match=named):
        load_asks(_write(tmp_path, edit))


# General effects: a result marker and its outcome ("ช่วยลด…", "ทำให้ประชาชน…") -----------


@pytest.mark.parametrize("text, words", [
    ("ระบบคิวออนไลน์ช่วยลดผลกระทบจากการรอคิวของผู้ป่วยสูงอายุ", ["ช่วยลดผลกระทบจากการรอ"]),
    ("การประชุมประชาคมส่งผลให้เกิดความร่วมมือระหว่างหน่วยงาน",
     ["ส่งผลให้เกิดความร่วมมือระหว่าง"]),
    ("เวทีประชาคมทำให้ชาวบ้านมีส่วนร่วมในการวางแผน", ["ทำให้ชาวบ้านมีส่วน"]),
    # A fixed phrase wins over the marker that runs into it.
    ("ระบบใหม่ทำให้ลดระยะเวลาการให้บริการ", ["ลดระยะเวลา"]),
    # A figure right after another kind's topic proves no other effect.
    ("ผู้รับบริการพึงพอใจร้อยละ 95 และช่วยลดความแออัดของห้องฉุกเฉิน", ["ลดความแออัด"]),
])
def test_a_general_effect_without_its_figure_is_quoted(text, words):
    assert claimed(text) == words


@pytest.mark.parametrize("text", [
    # A problem: harm in the outcome, or in the cause before "ทำให้".
    "ภัยแล้งทำให้เกษตรกรขาดรายได้",
    "การเปิดบริการนอกเวลาทำให้ประชาชนต้องรอคิวนานขึ้น",
    "โรงพยาบาลขาดบุคลากร ทำให้ประชาชนที่มารับบริการรอนาน",
    "ขยะที่เพิ่มขึ้นส่งผลให้เกิดน้ำเน่าเสีย",
    # The idea that started the work; a bare "ทำให้".
    "ข้อมูลดังกล่าวทำให้เกิดแนวคิดในการพัฒนาระบบ",
    "การลงพื้นที่ทำให้ทราบว่าประชาชนต้องการอะไร",
    # A purpose.
    "จัดทำโครงการเพื่อช่วยลดผลกระทบจากภัยแล้ง",
    # An award's criteria or a definition: not the agency's claim.
    "ซึ่งเป็นรางวัลที่มอบให้กับหน่วยงานที่ประชาชนได้รับบริการที่สะดวก รวดเร็ว และเป็นที่พึงพอใจ",
    "บริการที่เป็นเลิศ หมายถึง บริการที่ทำให้ประชาชนพึงพอใจ",
    # Proven in its sentence by a figure of its own.
    "ช่วยลดความแออัดของห้องฉุกเฉินได้ร้อยละ 30",
    # An answer that already measures its results: a general effect is its qualitative side.
    "ในปี 2566 มีผู้รับบริการ 1,200 ราย ผลผลิตเพิ่มขึ้นจาก 2.6 ตัน เป็น 3.1 ตันต่อไร่\n"
    "ทำให้ชุมชนพึ่งพาตนเองได้มากขึ้น",
])
def test_no_general_effect_in_a_problem_a_purpose_a_definition_or_a_measured_answer(text):
    assert claimed(text) == []


def test_a_general_effect_asks_for_an_outcome_figure():
    finding = claims("เวทีประชาคมทำให้ชาวบ้านมีส่วนร่วมในการวางแผน")[0]
    assert finding.fill_in == load_asks()["effect"].fill_in
    assert finding.fill_in_label == "เติมข้อ 5: ผลลัพธ์"
    assert finding.reason.startswith("effect claim 'ทำให้ชาวบ้านมีส่วน'")
