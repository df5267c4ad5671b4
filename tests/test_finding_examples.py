"""Example sentences that fit: by question and category, neutral about the agency's field.

The findings file (conversations/findings.yaml) gives a code examples by question, by
category, by both, and a default; the most specific one that applies is put into the
message. Keys that name no real question or category, and other malformed entries, stop
loading with the file and the key named.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.analysis import analyze
from bot.analysis.messages import (
    FINDINGS_FILE,
    Examples,
    FindingsFileError,
    Where,
    default_messages,
    load_messages,
)
from bot.rubrics import default_rubrics


def message(code: str, text: str, track: str, question: int,
            category: str | None = None) -> str:
    """Return the message of finding ``code`` for ``text`` as an answer to ``question``."""
    rubrics = default_rubrics()
    rubric = rubrics.get(track, rubrics.latest_year)
    report = analyze(text, rubric.question(question), rubric, category)
    return next(f.message for f in report.findings if f.code == code)


def example(code: str, text: str, track: str, question: int,
            category: str | None = None) -> str:
    """Return the example sentence quoted in a finding's message."""
    return re.findall(r'"([^"]+)"', message(code, text, track, question, category))[-1]


# The project's examples fit their question and category -----------------------------------


def test_a_thin_answer_to_the_sdg_question_gets_an_sdg_example():
    assert "SDG" in example("thin", "สอดคล้องกับ SDG 3", "public_service", 10)


def test_a_thin_answer_to_the_evaluation_question_gets_an_external_evaluation_example():
    shown = example("thin", "มีการประเมินผล", "public_service", 7)
    assert "มหาวิทยาลัย" in shown and "ร้อยละ" in shown


def test_missing_statistics_on_the_evaluation_question_shows_an_evaluation_result():
    assert "สำรวจ" in example("no_statistics", "มีการประเมินผล", "public_service", 7)


def test_a_missing_sdg_under_category_1_4_is_about_linked_agencies():
    assert "เชื่อมโยงข้อมูล" in example("no_sdg", "ระบบออนไลน์", "public_service", 10, "1.4")


def test_a_missing_evaluation_under_category_1_4_is_about_the_linked_system():
    assert "เชื่อมโยงข้อมูล" in example("no_evaluation", "ระบบออนไลน์", "public_service", 7,
                                          "1.4")


def test_a_missing_comparison_on_the_process_question_compares_steps():
    shown = example("no_before_after", "ยื่นคำขอออนไลน์", "public_service", 3)
    assert "ขั้นตอน" in shown


def test_a_questions_own_example_wins_over_its_categorys():
    examples = default_messages().examples["no_before_after"]
    shown = example("no_before_after", "ยื่นคำขอออนไลน์", "public_service", 6, "1.6")
    assert shown == examples.keyed["public_service 6"] != examples.keyed["1.6"]


def test_participatory_results_get_a_participatory_example():
    shown = example("no_statistics", "ชุมชนร่วมกันคัดแยกขยะ", "participatory", 10, "2.2")
    assert shown == default_messages().examples["no_statistics"].keyed["participatory 10"]


def test_a_question_without_its_own_example_gets_the_default():
    examples = default_messages().examples["no_beneficiaries"]
    assert example("no_beneficiaries", "ดี", "public_service", 5) == examples.default


def test_examples_are_neutral_about_the_agencys_field():
    sentences = [text for examples in default_messages().examples.values()
                 for text in (examples.default, *examples.keyed.values())]
    farming = [s for s in sentences if re.search("ข้าว|เกษตรกร|(?<!เ)ดิน", s)]
    assert len(farming) <= len(sentences) // 10
    fields = {"health": "ผู้ป่วย|โรงพยาบาล|สุขภาพ", "permits": "ใบอนุญาต|คำขอ",
              "land": "ที่ดิน|โฉนด", "education": "นักเรียน|โรงเรียน|การศึกษา",
              "local": "เทศบาล|ชุมชน|ตำบล"}
    for name, pattern in fields.items():
        assert sum(bool(re.search(pattern, s)) for s in sentences) >= 3, name


def test_every_message_with_examples_renders_each_of_them():
    messages = default_messages()
    for code, examples in messages.examples.items():
        assert "{example}" in messages.messages[code]
        for text in (examples.default, *examples.keyed.values()):
            assert "{" not in text and "}" not in text, code


# Which example wins -------------------------------------------------------------------------


def test_the_most_specific_example_wins():
    examples = Examples("d", {"public_service 3": "q", "1.6": "c", "1.6 3": "cq"})
    assert examples.pick(Where("public_service", 3, "1.6")) == "cq"
    assert examples.pick(Where("public_service", 3, "1.1")) == "q"
    assert examples.pick(Where("public_service", 5, "1.6")) == "c"
    assert examples.pick(Where("public_service", 5, "1.1")) == "d"
    assert examples.pick(Where("participatory", 3, None)) == "d"
    assert examples.pick(None) == "d"


# The file's rules ---------------------------------------------------------------------------


def _write(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(FINDINGS_FILE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "findings.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _examples(code: str, **entries):
    def edit(data):
        data["findings"][code]["examples"] = entries
    return edit


@pytest.mark.parametrize("edit, named", [
    (_examples("no_sdg", **{"public_service 10": "SDG 3"}),
     r"findings\.no_sdg\.examples: expected a mapping with a 'default'"),
    (_examples("no_sdg", default="SDG 3", **{"public_service 99": "x"}),
     r"findings\.no_sdg\.examples\.public_service 99: names no track, category or question"),
    (_examples("no_sdg", default="SDG 3", **{"9.9": "x"}),
     r"examples\.9\.9: names no track"),
    (_examples("no_sdg", default="SDG 3", **{"mars 1": "x"}), r"examples\.mars 1: names no"),
    (_examples("no_sdg", default="SDG 3", **{"question 7": "x"}), r"examples\.question 7"),
    (_examples("no_sdg", default="SDG 3", **{"public_service 10": ""}),
     r"examples\.public_service 10: must be a non-empty string"),
    (lambda d: d["findings"]["no_sdg"]["examples"].update({1.4: "x"}),
     r"examples\.1\.4: keys are .*in quotes"),
    (lambda d: d["findings"]["no_sdg"].update(message="ยังไม่ได้ระบุ SDG"),
     r"findings\.no_sdg\.message: has examples but does not say \{example\}"),
    (lambda d: d["findings"]["empty"].update(message="เช่น {example}"),
     r"findings\.empty\.message: unknown placeholder\(s\) \['example'\]"),
    (lambda d: d["findings"]["no_sdg"].update(hint="x"),
     r"findings\.no_sdg\.hint: is not a key"),
    (lambda d: d["findings"]["no_before_after"]["fill_in"].update(text="เดิม ปัจจุบัน"),
     r"findings\.no_before_after\.fill_in\.text: must hold a blank __"),
    (lambda d: d["findings"]["no_before_after"]["fill_in"].update(what="ก่อนและหลังการพัฒนางาน"),
     r"fill_in\.what: the chip .* longer than 20"),
    (lambda d: d["findings"]["no_before_after"]["fill_in"].pop("what"),
     r"findings\.no_before_after\.fill_in: expected a mapping with 'text' and 'what'"),
    (lambda d: d["labels"]["fill_in"].update(chip="เติมข้อ {number}"),
     r"labels\.fill_in\.chip: must use \{number\} and \{what\}"),
])
def test_a_broken_examples_or_fill_in_entry_names_the_file_and_the_key(tmp_path, edit, named):
    with pytest.raises(FindingsFileError, match=r"findings\.yaml: .*" + named):
        load_messages(_write(tmp_path, edit))
