"""Copying from the PDF: poppler's pdftotext gives every Thai word of the answers whole."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from bot.analysis.tokens import tokenize
from bot.draft import build_pdf
from bot.draft.pdf_font import glyph_texts
from bot.draft.samples import participatory_draft, public_service_draft

SAMPLES = [public_service_draft, participatory_draft]
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="poppler's pdftotext is not installed")


def pdftotext(pdf: bytes, *, layout: bool = False) -> str:
    """Return what poppler's pdftotext reads from ``pdf``."""
    args = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()


def thai_words(text: str) -> set[str]:
    """Return the Thai words of ``text`` that the analysis's tokenizer finds."""
    return {word for word in tokenize(text) if any("\u0e00" <= ch <= "\u0e7f" for ch in word)}


@needs_pdftotext
@pytest.mark.parametrize("layout", [False, True], ids=["plain", "layout"])
@pytest.mark.parametrize("make", SAMPLES)
def test_pdftotext_gives_every_thai_word_of_the_answers_whole(make, layout):
    draft = make()
    extracted = pdftotext(build_pdf(draft), layout=layout)
    words = set().union(*(thai_words(answer.text) for answer in draft.answers if answer.text))
    broken = sorted(word for word in words if word not in extracted)
    assert broken == []


@needs_pdftotext
def test_sara_am_and_marks_copy_without_spaces():
    extracted = pdftotext(build_pdf(public_service_draft()))
    whole = ["\u0e04\u0e27\u0e32\u0e21\u0e2a\u0e33\u0e04\u0e31\u0e0d",  # importance
             "\u0e08\u0e33\u0e19\u0e27\u0e19",  # number
             "\u0e1c\u0e39\u0e49\u0e23\u0e31\u0e1a"]  # recipient
    split = ["\u0e2a\u0e33 \u0e04", "\u0e08\u0e33 \u0e19", "\u0e1c\u0e39\u0e23\u0e49 \u0e1a"]
    assert [word in extracted for word in whole] == [True, True, True]
    assert [form in extracted for form in split] == [False, False, False]


def test_sara_am_goes_to_its_sara_aa_and_marks_to_their_consonant():
    # U+0E19 U+0E49 U+0E33 shaped: no nu (0), nikhahit-with-tone (1), sara aa (1).
    water = "\u0e19\u0e49\u0e33"
    assert glyph_texts(water, [0, 1, 1], [637, 0, 485]) == ["\u0e19", "", "\u0e49\u0e33"]
    # U+0E17 U+0E35 U+0E48: tho thahan and two marks without advance.
    that = "\u0e17\u0e35\u0e48"
    assert glyph_texts(that, [0, 1, 2], [657, 0, 0]) == [that, "", ""]
