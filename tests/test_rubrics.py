"""Hold the rubric YAML against the memo in shared/seed/, and test the loader's errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.rubrics import RUBRICS_DIR, RubricError, load_rubric, load_rubrics

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT.parent / "shared" / "seed").glob("*.txt"))

#: The only changes made to the memo's wording, each noted in the rubric file's `notes`.
#: Applied after all whitespace is removed (the memo is a PDF-to-text copy).
CORRECTIONS = {
    "ขึ้นตอนใดบ้าง": "ขั้นตอนใดบ้าง",
    "เป็นที่ยังพอใจ": "เป็นที่พึงพอใจ",
    "(Interoperability)Interoperability)": "(Interoperability)",
    "(consent)consent)": "(consent)",
    "(request)request)": "(request)",
    "ระดับดีเด่น*ไป": "ระดับดีเด่นไป",
    "ความสำร็จองค์กร": "ความสำเร็จองค์กร",
    "(Collaborate)Collaborate)Collaborate)Collaborate)": "(Collaborate)",
    "(ModelModelModel)": "(Model)",
    "(consult)": "(Consult)",
    "2.5ร่วมใจกัน": "2.5ร่วมใจแก้จน",
}


def squeeze(text: str) -> str:
    """Remove all whitespace, so that line breaks of the PDF copy do not matter."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def memo() -> dict[str, str]:
    """Return the corrected memo, split into the two award sections."""
    if not SEED:
        pytest.skip("shared/seed/ is not beside the checkout")
    text = squeeze(SEED[0].read_text(encoding="utf-8"))
    for wrong, right in CORRECTIONS.items():
        assert wrong in text, f"correction {wrong!r} no longer matches the memo"
        text = text.replace(wrong, right)
    split = text.index("2.รางวัลบริหารราชการแบบมีส่วนร่วม")
    return {"public_service": text[:split], "participatory": text[split:]}


@pytest.fixture(scope="module")
def rubrics():
    return load_rubrics()


def test_every_correction_is_noted_in_a_rubric_file() -> None:
    notes = "".join(squeeze(p.read_text(encoding="utf-8")) for p in RUBRICS_DIR.glob("*/*.yaml"))
    for wrong in CORRECTIONS:
        assert squeeze(wrong).split(")")[0] in notes, wrong


@pytest.mark.parametrize("track,codes", [
    ("public_service", ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]),
    ("participatory", ["2.1", "2.2", "2.3", "2.4", "2.5"]),
])
def test_categories_have_the_memos_codes_names_and_descriptions(rubrics, memo, track, codes):
    rubric = rubrics.get(track, 2564)
    assert [c.code for c in rubric.categories] == codes
    for category in rubric.categories:
        assert squeeze(f"{category.code}{category.name}") in memo[track], category.code
        assert squeeze(category.description) in memo[track], category.code


def test_category_names_match_the_issue(rubrics):
    names = {c.code: c.name for r in rubrics for c in r.categories}
    assert names == {
        "1.1": "นวัตกรรมการบริการ", "1.2": "พัฒนาการบริการ", "1.3": "ขยายผลมาตรฐานการบริการ",
        "1.4": "บูรณาการข้อมูลเพื่อการบริการ",
        "1.5": "ยกระดับบริการที่ตอบสนองต่อสถานการณ์โควิด 19",
        "1.6": "ยกระดับการอำนวยความสะดวกในการให้บริการ",
        "2.1": "เปิดใจใกล้ชิดประชาชน", "2.2": "สัมฤทธิผลประชาชนมีส่วนร่วม",
        "2.3": "ผู้นำหุ้นส่วนความร่วมมือ", "2.4": "เลื่องลือขยายผล", "2.5": "ร่วมใจแก้จน"}


@pytest.mark.parametrize("track,points", [
    ("public_service", [("การวิเคราะห์ปัญหา", 10),
                        ("แนวทางการแก้ไขปัญหาและการนำไปปฏิบัติ", 20),
                        ("ผลผลิต/ผลลัพธ์เชิงประจักษ์", 60), ("ความยั่งยืนของโครงการ", 10)]),
    ("participatory", [("ความสำคัญของปัญหาและความสำเร็จองค์กร", 10),
                       ("กระบวนการมีส่วนร่วม", 40), ("ผลผลิต/ผลลัพธ์/ผลกระทบ", 40),
                       ("ความยั่งยืน", 10)]),
])
def test_dimensions_have_the_memos_names_and_points(rubrics, memo, track, points):
    rubric = rubrics.get(track, 2564)
    assert [(d.name, d.points) for d in rubric.dimensions] == points
    assert rubric.total_points == 100
    for dimension in rubric.dimensions:
        heading = squeeze(f"มิติที่ {dimension.number} {dimension.name} {dimension.points} คะแนน")
        assert heading in memo[track]


@pytest.mark.parametrize("track,count", [("public_service", 10), ("participatory", 13)])
def test_every_question_is_the_memos_wording_under_its_number(rubrics, memo, track, count):
    rubric = rubrics.get(track, 2564)
    assert [q.number for q in rubric.questions] == list(range(1, count + 1))
    for question in rubric.questions:
        assert squeeze(f"{question.number}){question.text}") in memo[track], question.number


@pytest.mark.parametrize("track,dimension_of", [
    ("public_service", {1: 1, 2: 2, 3: 2, 4: 2, 5: 3, 6: 3, 7: 3, 8: 3, 9: 4, 10: 4}),
    ("participatory", {1: 1, 2: 1, 3: 1, 4: 1, 5: 2, 6: 2, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3,
                       12: 4, 13: None}),
])
def test_questions_sit_in_the_memos_dimensions(rubrics, track, dimension_of):
    rubric = rubrics.get(track, 2564)
    assert {q.number: q.dimension for q in rubric.questions} == dimension_of


def test_question_13_is_asked_only_in_engaged_citizen_and_limited_to_one_page(rubrics):
    rubric = rubrics.get("participatory", 2564)
    q13 = rubric.question(13)
    assert (q13.limit.unit, q13.limit.max) == ("pages", 1)
    asked = {c.code: [q.number for q in rubric.questions_for(c.code)] for c in rubric.categories}
    assert asked["2.3"] == list(range(1, 14))
    for code in ("2.1", "2.2", "2.4", "2.5"):
        assert asked[code] == list(range(1, 13))


def test_participation_levels_are_the_memos(rubrics, memo):
    rubric = rubrics.get("participatory", 2564)
    assert [p.name_en for p in rubric.participation_levels] == [
        "Inform", "Consult", "Involve", "Collaborate"]
    for level in rubric.participation_levels:
        assert squeeze(f"{level.name}({level.name_en})") in memo["participatory"]


def test_weights_share_each_dimensions_points_and_thresholds_grow_with_weight(rubrics):
    for rubric in rubrics:
        for dimension in rubric.dimensions:
            questions = [q for q in rubric.questions if q.dimension == dimension.number]
            assert sum(q.weight for q in questions) == pytest.approx(dimension.points)
        scored = sorted((q for q in rubric.questions if q.dimension), key=lambda q: q.weight)
        assert scored[0].min_words < scored[-1].min_words


@pytest.mark.parametrize("flag,track,numbers", [
    ("statistics", "public_service", [1, 5, 6, 7]),
    ("before_after", "public_service", [3, 5, 6]),
    ("beneficiaries", "public_service", [1, 5, 6]),
    ("sdg", "public_service", [10]),
    ("statistics", "participatory", [2, 7, 10, 11]),
    ("beneficiaries", "participatory", [2, 10, 11]),
])
def test_check_flags_follow_what_the_questions_ask(rubrics, flag, track, numbers):
    rubric = rubrics.get(track, 2564)
    assert [q.number for q in rubric.questions if q.has(flag)] == numbers


@pytest.mark.parametrize("code,check", [
    ("1.3", "extension_coverage"), ("1.4", "data_integration"), ("1.5", "covid_readiness"),
    ("1.6", "facilitation"), ("2.1", "participation_level"), ("2.2", "participation_level"),
    ("2.4", "min_areas"), ("2.5", "poverty"),
])
def test_categories_carry_the_memos_specific_hints_and_checks(rubrics, code, check):
    rubric = next(r for r in rubrics if any(c.code == code for c in r.categories))
    category = rubric.category(code)
    assert category.hints
    assert check in [c.code for c in category.checks]


def test_every_question_has_guidance(rubrics):
    for rubric in rubrics:
        for question in rubric.questions:
            assert len(question.guidance) > 20, (rubric.track, question.number)


# The loader ----------------------------------------------------------------------------


def write_variant(tmp_path: Path, change) -> Path:
    """Copy public_service.yaml into tmp_path/2564, change its data, return the path."""
    data = yaml.safe_load((RUBRICS_DIR / "2564" / "public_service.yaml").read_text("utf-8"))
    change(data)
    folder = tmp_path / "2564"
    folder.mkdir(exist_ok=True)
    path = folder / "public_service.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("change,field", [
    (lambda d: d["dimensions"][0].pop("points"), "dimensions[0].points"),
    (lambda d: d["dimensions"][2]["questions"][0].update(flags=["figures"]),
     "dimensions[2].questions[0].flags"),
    (lambda d: d["dimensions"][1]["questions"][0].update(weight="seven"),
     "dimensions[1].questions[0].weight"),
    (lambda d: d["dimensions"][1]["questions"][0].update(weight=9), "dimensions[1]"),
    (lambda d: d["categories"][0].pop("name"), "categories[0].name"),
    (lambda d: d.update(track="public"), "track"),
    (lambda d: d["dimensions"][0]["questions"][0].update(limit={"unit": "lines", "max": 3}),
     "dimensions[0].questions[0].limit.unit"),
])
def test_a_malformed_file_names_the_file_and_the_field(tmp_path, change, field):
    path = write_variant(tmp_path, change)
    with pytest.raises(RubricError) as raised:
        load_rubric(path)
    assert str(path) in str(raised.value)
    assert f"'{field}'" in str(raised.value)


def test_a_new_year_is_added_by_adding_files(tmp_path):
    for year in ("2564", "2565"):
        shutil.copytree(RUBRICS_DIR / "2564", tmp_path / year)
        for path in (tmp_path / year).glob("*.yaml"):
            path.write_text(path.read_text("utf-8").replace("year: 2564", f"year: {year}"),
                            encoding="utf-8")
    rubrics = load_rubrics(tmp_path)
    assert rubrics.latest_year == 2565
    assert [(r.track, r.year) for r in rubrics.tracks()] == [
        ("public_service", 2565), ("participatory", 2565)]
    assert rubrics.get("participatory", 2564).question(13).limit is not None


@pytest.mark.slow
def test_cli_prints_what_was_loaded_as_json():
    done = subprocess.run([sys.executable, "-m", "bot", "rubrics", "--json"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    data = json.loads(done.stdout)
    tracks = {r["track"]: r for r in data["rubrics"]}
    assert set(tracks) == {"public_service", "participatory"}
    ps = tracks["public_service"]
    assert [d["points"] for d in ps["dimensions"]] == [10, 20, 60, 10]
    assert [c["code"] for c in ps["categories"]] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]
    q5 = next(q for q in ps["questions"] if q["number"] == 5)
    assert q5["weight"] == 20
    assert q5["flags"] == ["before_after", "beneficiaries", "statistics"]
    assert q5["text"].startswith("ผลผลิตและผลลัพธ์ที่สำคัญ")
    assert [d["points"] for d in tracks["participatory"]["dimensions"]] == [10, 40, 40, 10]
