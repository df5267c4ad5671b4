"""The package surface the web app uses: headers, MIME types, fonts, exports."""

from __future__ import annotations

import pytest

import bot.draft
from bot.draft import MIME_TYPES, content_disposition, font_path


def test_thai_file_name_gets_an_ascii_fallback_and_a_utf8_name():
    assert content_disposition("ร่างใบสมัคร-คิว", "pdf") == (
        'attachment; filename="lertrat-draft.pdf"; '
        "filename*=UTF-8''%E0%B8%A3%E0%B9%88%E0%B8%B2%E0%B8%87%E0%B9%83%E0%B8%9A"
        "%E0%B8%AA%E0%B8%A1%E0%B8%B1%E0%B8%84%E0%B8%A3-%E0%B8%84%E0%B8%B4%E0%B8%A7.pdf")


def test_ascii_words_of_a_mixed_name_are_kept_in_the_fallback():
    assert content_disposition("ร่างใบสมัคร-ระบบ Smart Queue", ".docx") == (
        'attachment; filename="lertrat-draft-Smart-Queue.docx"; '
        "filename*=UTF-8''%E0%B8%A3%E0%B9%88%E0%B8%B2%E0%B8%87%E0%B9%83%E0%B8%9A%E0%B8%AA"
        "%E0%B8%A1%E0%B8%B1%E0%B8%84%E0%B8%A3-%E0%B8%A3%E0%B8%B0%E0%B8%9A%E0%B8%9A%20Smart%20Queue.docx")


def test_plain_ascii_name_is_used_as_it_is():
    assert content_disposition("draft-12", "txt") == (
        "attachment; filename=\"draft-12.txt\"; filename*=UTF-8''draft-12.txt")


def test_quotes_and_line_breaks_cannot_break_the_header():
    header = content_disposition('a"b\r\nSet-Cookie: x', "pdf")

    assert header == ("attachment; filename=\"lertrat-draft-a-b-Set-Cookie-x.pdf\"; "
                      "filename*=UTF-8''a%22b%0D%0ASet-Cookie%3A%20x.pdf")


def test_mime_types_of_each_format():
    assert {k: MIME_TYPES[k] for k in ("docx", "pdf", "txt")} == {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
        "txt": "text/plain; charset=utf-8",
    }


def test_font_path_returns_the_packaged_sarabun_files():
    paths = [font_path("regular"), font_path("bold")]

    assert [p.name for p in paths] == ["Sarabun-Regular.ttf", "Sarabun-Bold.ttf"]
    assert [p.read_bytes()[:4] for p in paths] == [b"\x00\x01\x00\x00"] * 2


def test_font_path_rejects_unknown_weights():
    with pytest.raises(ValueError, match="unknown font weight 'black'"):
        font_path("black")


def test_package_exports_the_builders_and_the_model():
    assert sorted(bot.draft.__all__) == [
        "Draft", "DraftAnswer", "EDITIONS", "Edition", "FORMATS", "MIME_TYPES", "build",
        "build_docx", "build_pdf", "build_text", "content_disposition", "file_name",
        "font_path", "render_preview", "warm_up"]


def test_warm_up_builds_every_format_without_error():
    assert bot.draft.warm_up() is None


def test_build_writes_every_format_the_cli_and_links_offer():
    from bot import cli
    from bot.delivery import links
    from bot.draft.samples import public_service_draft

    draft = public_service_draft()
    assert cli.DRAFT_FORMATS == bot.draft.FORMATS == links.FORMATS
    files = {fmt: bot.draft.build(draft, fmt) for fmt in bot.draft.FORMATS}
    assert files["docx"].startswith(b"PK")
    assert files["pdf"].startswith(b"%PDF")
    assert draft.title in files["txt"].decode("utf-8")


def test_build_refuses_an_unknown_format():
    from bot.draft.samples import public_service_draft

    with pytest.raises(ValueError, match="unknown draft format"):
        bot.draft.build(public_service_draft(), "rtf")


def test_the_clean_edition_carries_nothing_from_the_coach_and_the_working_one_does():
    from bot.draft.labels import draft_labels
    from bot.draft.samples import public_service_draft

    draft = public_service_draft()
    labels = draft_labels()
    counts_word = labels.counts.split("{")[0].strip()
    clean = bot.draft.build(draft, "txt", edition="clean").decode("utf-8")
    working_pdf_text = pdf_text(bot.draft.build(draft, "pdf", edition="working"))
    clean_pdf_text = pdf_text(bot.draft.build(draft, "pdf", edition="clean"))
    assert counts_word in working_pdf_text and labels.appendix in working_pdf_text
    assert counts_word not in clean_pdf_text and labels.appendix not in clean_pdf_text
    assert counts_word not in clean
    assert draft.title in clean_pdf_text


def test_build_refuses_an_unknown_edition():
    from bot.draft.samples import public_service_draft

    with pytest.raises(ValueError, match="unknown draft edition"):
        bot.draft.build(public_service_draft(), "pdf", edition="final")  # type: ignore[arg-type]


def pdf_text(data: bytes) -> str:
    """Return the text of every page of a PDF."""
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_build_writes_the_clean_edition_unless_told_otherwise():
    from bot.draft.samples import public_service_draft

    draft = public_service_draft()

    assert bot.draft.build(draft, "txt") == bot.draft.build(draft, "txt", edition="clean")
    assert bot.draft.build(draft, "txt") != bot.draft.build(draft, "txt", edition="working")
