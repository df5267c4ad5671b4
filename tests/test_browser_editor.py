"""The answer editor in headless Chromium at a phone's size, opened from the simulator's chat.

An officer answers questions 5 and 6 in the chat, types ``แก้บนเว็บ`` and taps the link the
bot sends. In the editor, answer 5 loses its figures (a finding about the bare claim appears,
marked in the text), gets them back (the finding goes), and grows; the page saves it and the
export holds the new text as a new revision, the chat's answer kept before it. A second
browser opens the same link, edits answers 5 and 6 while the first saves its own: each time
it is shown both texts and chooses, and every text ends up stored. Neither page logs an
error or a content-security-policy refusal. When the links are revoked in the chat, the
page says so and keeps what was typed. Screenshots land in ``test-artifacts/``.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
import test_browser
from test_browser import PROJECT, STEP_TIMEOUT, bot_says, type_message

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

pytestmark = test_browser.pytestmark
browser = test_browser.browser

ARTIFACTS = PROJECT / "test-artifacts"
PROJECT_NAME = "ระบบจองคิวออนไลน์ตำบลนาดี"
#: Answer 5 as typed in the chat: a measured change, so no claim goes unproven.
ANSWER_5 = "เราลดเวลารอคอยของประชาชนจาก 2 ชั่วโมงเหลือ 15 นาที ด้วยระบบจองคิวออนไลน์"
#: The same without its figures: "ลดเวลา" is now a claim with nothing to prove it.
BARE_5 = "เราลดเวลารอคอยของประชาชนด้วยระบบจองคิวออนไลน์"
MORE_5 = " มีผู้จองคิวผ่านระบบ 1,240 รายในปี 2566"
ANSWER_6 = "ประชาชน 4,200 คนไม่ต้องเดินทางมารอที่สำนักงาน"
EXPECTED = re.compile(r"status of (409 \(CONFLICT\)|410 \(GONE\))")
SAVED = re.compile(r"บันทึกแล้ว \d{1,2}:\d{2}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Run ``python -m bot serve`` on a fresh database; return the page's URL and the database's."""
    folder = tmp_path_factory.mktemp("editor")
    database_url = f"sqlite:///{folder / 'editor.sqlite3'}"
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("LINE_CHANNEL_SECRET", "DATABASE_URL")}
    environment.update(PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from bot.simulator import main; sys.exit(main(sys.argv[1:]))",
         "--port", "0", "--database", database_url],
        cwd=PROJECT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=test_browser._drain, args=(process, lines), daemon=True).start()
    try:
        yield test_browser._wait_for_url(process, lines), database_url
    finally:
        process.terminate()
        process.wait(timeout=10)


class Watched:
    """A phone-sized browser context that records CSP refusals and the editor's errors."""

    def __init__(self, browser: Browser) -> None:
        """Open the context and listen to what its pages report."""
        self.context: BrowserContext = browser.new_context(
            viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
            has_touch=True, locale="th-TH")
        self.context.set_default_timeout(STEP_TIMEOUT)
        self.violations: list[str] = []
        self.errors: list[str] = []
        self.context.on("console", lambda message: self.violations.append(message.text)
                        if "Content Security Policy" in message.text else None)

    def watch(self, page: Page) -> Page:
        """Record the page's script errors and console errors.

        Chromium logs every 4xx answer; the conflict's 409 and the revoked link's 410 are
        the answers this test asks for.
        """
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda message: self.errors.append(message.text)
                if message.type == "error" and not EXPECTED.search(message.text) else None)
        return page

    def close(self) -> None:
        """Close the context; fail if anything was refused or went wrong."""
        self.context.close()
        assert self.violations == []
        assert self.errors == []


@pytest.fixture
def first(browser: Browser) -> Iterator[Watched]:
    """The officer's phone."""
    watched = Watched(browser)
    yield watched
    watched.close()


@pytest.fixture
def second(browser: Browser) -> Iterator[Watched]:
    """Another phone (or tab) with the same link."""
    watched = Watched(browser)
    yield watched
    watched.close()


def shot(page: Page, name: str) -> None:
    """Save a screenshot of the editor under test-artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def question(page: Page, number: int) -> Locator:
    """Return question ``number``'s card in the editor."""
    return page.locator(f"#q{number}")


def findings(page: Page, number: int, code: str) -> Locator:
    """Return the findings with ``code`` listed under answer ``number``."""
    return question(page, number).locator(f".finding[data-code='{code}']")


def wait_saved(page: Page, number: int) -> None:
    """Wait until answer ``number`` says it is saved, with the time."""
    from playwright.sync_api import expect

    expect(question(page, number).locator(".status")).to_have_text(SAVED)


def open_editor(context: BrowserContext, url: str, watched: Watched) -> Page:
    """Open the editor link in a page of ``context``."""
    page = watched.watch(context.new_page())
    page.goto(url)
    page.locator("#answer-5").wait_for()
    return page


def editor_from_chat(server: str, watched: Watched) -> tuple[Page, Page, str]:
    """Answer questions 5 and 6 in the chat, ask for the editor, tap its link.

    Return the chat's page, the editor's page and the simulated user's id.
    """
    chat = watched.context.new_page()
    chat.goto(server + "/")
    bot_says(chat, "สวัสดีครับ")
    for text, reply in [("เริ่ม", "1.1"), ("1.1", "ชื่อ"), (PROJECT_NAME, "ข้อ 1 จาก 10"),
                        ("ข้อ 5", "ข้อ 5 จาก 10"), (ANSWER_5, "บันทึกข้อ 5"),
                        ("ถัดไป", "ข้อ 6 จาก 10"), (ANSWER_6, "บันทึกข้อ 6"),
                        ("แก้บนเว็บ", "แก้คำตอบบนเว็บ")]:
        type_message(chat, text)
        bot_says(chat, reply)
    link = chat.locator(".row.theirs a[href*='/e/']").last
    with watched.context.expect_page() as opened:
        link.click()
    page = watched.watch(opened.value)
    page.wait_for_load_state()
    page.locator("#answer-5").wait_for()
    user = chat.evaluate("localStorage.getItem('lertrat-sim:user')")
    return chat, page, user


def exported(database_url: str, user: str) -> dict[str, str]:
    """Return the user's first application's answers as ``python -m bot export`` prints them."""
    done = subprocess.run([sys.executable, "-m", "bot", "--database", database_url, "export",
                           "--user", user], cwd=PROJECT, capture_output=True, text=True,
                          timeout=120, check=True)
    answers: dict[str, str] = json.loads(done.stdout)["applications"][0]["answers"]
    return answers


def versions(database_url: str, user: str, number: int) -> list[str]:
    """Return every stored revision of answer ``number``, oldest first."""
    from bot.store import Database, answer_versions

    database = Database(database_url)
    try:
        return answer_versions(database, user, number)[0]
    finally:
        database.dispose()


def test_an_answer_edited_on_the_web_shows_findings_as_typed_and_saves_a_new_revision(
        served: tuple[str, str], first: Watched, second: Watched) -> None:
    from playwright.sync_api import expect

    server, database_url = served
    chat, page, user = editor_from_chat(server, first)
    url = page.url
    area = page.locator("#answer-5")
    expect(area).to_have_value(ANSWER_5)
    expect(question(page, 5).locator(".finding").first).to_be_visible()  # analysed on load
    expect(findings(page, 5, "unproven_claim")).to_have_count(0)

    area.fill(BARE_5)
    claim = findings(page, 5, "unproven_claim")
    expect(claim).to_have_count(1)
    expect(claim).to_contain_text("ลดเวลา")
    expect(question(page, 5).locator(".highlights mark")).to_have_text(["ลดเวลา"])
    question(page, 5).scroll_into_view_if_needed()
    shot(page, "editor-findings")
    claim.click()  # tapping the finding selects its words in the text
    assert page.evaluate("(a => a.value.slice(a.selectionStart, a.selectionEnd))"
                         "(document.getElementById('answer-5'))") == "ลดเวลา"
    expect(question(page, 5).locator(".highlights mark.active")).to_have_text("ลดเวลา")

    area.fill(ANSWER_5)
    expect(claim).to_have_count(0)
    expect(question(page, 5).locator(".highlights mark")).to_have_count(0)
    area.press("End")
    asked: list[float] = []
    page.on("request", lambda request: asked.append(time.monotonic())
            if request.url.endswith("/analyze") else None)
    started = time.monotonic()
    area.press_sequentially(MORE_5, delay=40)
    typed = time.monotonic() - started
    wait_saved(page, 5)
    # While typing, the page asks for the analysis at most once every 700 ms.
    assert len([at for at in asked if at <= started + typed]) <= typed / 0.7 + 1
    assert asked  # and once the typing pauses
    expect(question(page, 5).locator(".counts")).to_contain_text("ตัวอักษร")

    assert exported(database_url, user)["5"] == ANSWER_5 + MORE_5
    assert versions(database_url, user, 5) == [ANSWER_5, ANSWER_5 + MORE_5]

    # Another phone opens the same link; the first saves again meanwhile.
    other = open_editor(second.context, url, second)
    theirs = ANSWER_5 + MORE_5 + " และร้อยละ 92 พึงพอใจ"
    area.fill(theirs)
    wait_saved(page, 5)
    mine = ANSWER_5 + " ผู้สูงอายุ 310 คนจองคิวผ่านอาสาสมัคร"
    other.locator("#answer-5").fill(mine)
    view = question(other, 5).locator(".conflict-view")
    expect(view).to_be_visible()
    expect(view.locator(".theirs-text")).to_have_text(theirs)
    expect(view.locator(".mine-text")).to_have_text(mine)
    expect(other.locator("#answer-5")).to_have_value(mine)  # nothing replaced behind her back
    view.scroll_into_view_if_needed()
    shot(other, "editor-conflict")
    view.locator(".keep-mine").click()
    wait_saved(other, 5)
    expect(view).to_be_hidden()
    assert versions(database_url, user, 5) == [ANSWER_5, theirs, mine]

    # Answer 6: the second merges the two by hand.
    page.locator("#answer-6").fill(ANSWER_6 + " ประหยัดค่าเดินทาง 150 บาทต่อครั้ง")
    wait_saved(page, 6)
    other.locator("#answer-6").fill(ANSWER_6 + " จาก 3 ตำบล")
    view = question(other, 6).locator(".conflict-view")
    expect(view).to_be_visible()
    view.locator(".merge").click()
    merged = other.locator("#answer-6").input_value()
    assert merged == (ANSWER_6 + " ประหยัดค่าเดินทาง 150 บาทต่อครั้ง\n\n" + ANSWER_6 + " จาก 3 ตำบล")
    other.locator("#answer-6").press("End")
    other.locator("#answer-6").press_sequentially(" รวม", delay=40)
    wait_saved(other, 6)
    assert exported(database_url, user)["6"] == merged + " รวม"
    assert versions(database_url, user, 6) == [
        ANSWER_6, ANSWER_6 + " ประหยัดค่าเดินทาง 150 บาทต่อครั้ง", merged + " รวม"]

    # The links are revoked in the chat: the page says so and keeps what was typed.
    type_message(chat, "ยกเลิกลิงก์")
    bot_says(chat, "ยกเลิกลิงก์")
    late = ANSWER_6 + " พิมพ์หลังยกเลิกลิงก์"
    page.locator("#answer-6").fill(late)
    expect(page.locator("#banner")).to_contain_text("แก้บนเว็บ")
    expect(question(page, 6).locator(".status")).to_have_text("ยังไม่ได้บันทึก")
    expect(page.locator("#answer-6")).to_have_value(late)
    shot(page, "editor-link-revoked")
    assert exported(database_url, user)["6"] == merged + " รวม"
