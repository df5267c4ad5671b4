"""Both editions through every delivery path: the LINE card, the links, the terminal's files."""

from __future__ import annotations

import re
from io import BytesIO, StringIO
from urllib.parse import unquote, urlsplit
from zipfile import ZipFile

from docx import Document
from line_support import ALICE, FakeLine, post_events, text_event
from pypdf import PdfReader

from bot.cli import run_chat
from bot.coach.texts import default_texts
from bot.delivery import FilePublisher
from bot.rubrics import default_rubrics

TITLE = "คลินิกดินเคลื่อนที่"
ANSWER = "เกษตรกร 300 รายรอผลตรวจดิน 30 วัน"
#: What only the coach writes: the word count under an answer, the findings' heading.
COACH = ("ความยาว", "ข้อสังเกต")


def say(client, text: str) -> None:
    assert post_events(client, text_event(text, user=ALICE)).status_code == 200


def card_buttons(client, fake_line: FakeLine) -> list[tuple[str, str]]:
    """Start an application, say "ดูร่าง" and return the card's (label, path) buttons."""
    for text in ("เริ่ม", "1.1", TITLE, ANSWER, "ดูร่าง"):
        say(client, text)
    (card,) = [m for m in fake_line.requests()[-1]["messages"] if m["type"] == "flex"]
    actions = [b["action"] for b in card["contents"]["footer"]["contents"]
               if b["action"]["type"] == "uri"]  # the editor's button sends a command
    return [(a["label"], urlsplit(a["uri"]).path) for a in actions]


def shape(path: str) -> str:
    """Return a link's path with its token replaced by T."""
    return re.sub(r"^/d/[^/]+", "/d/T", path)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    """Return the body's paragraphs, then the text of every part (comments, notes) of the file."""
    paragraphs = [p.text for p in Document(BytesIO(data)).paragraphs]
    with ZipFile(BytesIO(data)) as package:
        parts = [re.sub(r"<[^>]+>", "", package.read(name).decode("utf-8"))
                 for name in package.namelist() if re.fullmatch(r"word/[^/]+\.xml", name)]
    return "\n".join(paragraphs + parts)


def coached(text: str) -> bool:
    """Tell whether a file carries anything from the coach."""
    return any(word in text for word in COACH)


def test_the_card_offers_the_clean_pdf_and_word_first_then_the_working_word_and_preview(
        client, fake_line):
    buttons = card_buttons(client, fake_line)

    assert [(label, shape(path)) for label, path in buttons] == [
        ("PDF ฉบับส่ง", "/d/T/clean/pdf"), ("Word ฉบับส่ง", "/d/T/clean/docx"),
        ("Word มีข้อสังเกต", "/d/T/working/docx"), ("เปิดดูร่าง", "/d/T")]


def test_every_link_of_the_card_opens(client, fake_line):
    statuses = [client.get(path).status_code for _, path in card_buttons(client, fake_line)]

    assert statuses == [200, 200, 200, 200]


def test_the_clean_files_carry_no_counts_and_the_working_files_do(client, fake_line):
    preview = card_buttons(client, fake_line)[-1][1]

    files = {(edition, fmt): client.get(f"{preview}/{edition}/{fmt}")
             for edition in ("clean", "working") for fmt in ("pdf", "docx", "txt")}
    texts = {key: {"pdf": pdf_text, "docx": docx_text}.get(key[1], bytes.decode)(r.data)
             for key, r in files.items()}
    assert {key: r.status_code for key, r in files.items()} == dict.fromkeys(files, 200)
    assert {key: (ANSWER in t, coached(t)) for key, t in texts.items()} == {
        ("clean", "pdf"): (True, False), ("clean", "docx"): (True, False),
        ("clean", "txt"): (True, False), ("working", "pdf"): (True, True),
        ("working", "docx"): (True, True), ("working", "txt"): (True, True)}


def test_the_downloads_are_named_by_their_edition(client, fake_line):
    preview = card_buttons(client, fake_line)[-1][1]

    headers = [client.get(path).headers["Content-Disposition"]
               for path in (f"{preview}/clean/pdf", f"{preview}/working/docx", f"{preview}/txt")]
    assert [unquote(header.split("filename*=UTF-8''")[1]) for header in headers] == [
        f"ร่างใบสมัคร-{TITLE}-ฉบับส่ง.pdf", f"ร่างใบสมัคร-{TITLE}-ฉบับมีข้อสังเกต.docx",
        f"ร่างใบสมัคร-{TITLE}-ฉบับส่ง.txt"]


def test_the_old_link_without_edition_sends_the_clean_file(client, fake_line):
    preview = card_buttons(client, fake_line)[-1][1]

    old, clean = client.get(f"{preview}/txt"), client.get(f"{preview}/clean/txt")
    assert (old.status_code, old.data == clean.data, coached(old.data.decode())) == (
        200, True, False)


def test_an_unknown_edition_answers_404_with_the_thai_page_naming_both(client, fake_line):
    preview = card_buttons(client, fake_line)[-1][1]

    response = client.get(f"{preview}/draft/pdf")
    page = response.get_data(as_text=True)
    assert (response.status_code, "ไม่มีร่างฉบับนี้" in page) == (404, True)
    assert ("<strong>ฉบับส่ง</strong>" in page, "<strong>ฉบับมีข้อสังเกต</strong>" in page) == (
        True, True)


def test_the_preview_offers_both_editions(client, fake_line):
    preview = card_buttons(client, fake_line)[-1][1]

    page = client.get(preview).get_data(as_text=True)
    hrefs = re.findall(r'data-edition="(\w+)" data-kind="(\w+)" href="([^"]+)"', page)
    assert [(e, k, shape(h)) for e, k, h in hrefs] == [
        (e, k, f"/d/T/{e}/{k}") for e in ("clean", "working") for k in ("pdf", "docx", "txt")]


def test_the_terminal_writes_both_editions_named_by_edition(sqlite_url, tmp_path):
    from bot.service import CoachService

    publisher = FilePublisher(tmp_path / "drafts", default_texts(), rubrics=default_rubrics(),
                              analyzer=None)
    service = CoachService.create(sqlite_url, publisher=publisher)
    out = StringIO()
    run_chat([f"{line}\n" for line in ("เริ่ม", "1.1", TITLE, ANSWER, "ดูร่าง")], out,
             process=lambda event: service.process(event).replies, user="Uterm", group=None,
             prompt=False, echo=False)

    names = sorted(path.name for path in (tmp_path / "drafts").iterdir())
    assert names == sorted(f"ร่างใบสมัคร-{TITLE}-{edition}-1.{fmt}"
                           for edition in ("ฉบับส่ง", "ฉบับมีข้อสังเกต")
                           for fmt in ("docx", "pdf", "txt"))
    assert str(tmp_path / "drafts" / f"ร่างใบสมัคร-{TITLE}-ฉบับส่ง-1.pdf") in out.getvalue()
