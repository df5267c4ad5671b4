"""The simulator in headless Chromium at a phone's size: a short conversation, end to end.

``python -m bot serve`` runs in a subprocess on a free loopback port; Playwright drives the
page as an officer would, and every step leaves a screenshot in ``test-artifacts/browser/``.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Dialog, Locator, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PROJECT = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT / "test-artifacts" / "browser"
START_TIMEOUT = 120.0
STEP_TIMEOUT = 20_000  # ms

PROJECT_NAME = "ระบบจองคิวออนไลน์ตำบลนาดี"
ANSWER = ("ก่อนปี 2565 ประชาชนตำบลนาดีราว 4,200 คนต้องรอรับบริการที่สำนักงานเฉลี่ย 2 ชั่วโมง "
          "เพราะไม่มีระบบนัดหมาย")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason=f"{CHROMIUM} is missing "
                              "(apt installs Debian's chromium; see /work/apt.log)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run ``python -m bot serve --port 0`` on a fresh database; return the page's URL."""
    folder = tmp_path_factory.mktemp("browser")
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("LINE_CHANNEL_SECRET", "DATABASE_URL")}
    environment.update(PYTHONUNBUFFERED="1")  # the simulator reads no SECRET_KEY
    process = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from bot.simulator import main; sys.exit(main(sys.argv[1:]))",
         "--port", "0", "--database", f"sqlite:///{folder / 'browser.sqlite3'}"],
        cwd=PROJECT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_drain, args=(process, lines), daemon=True).start()
    try:
        yield _wait_for_url(process, lines)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _drain(process: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
    """Read the server's output until it ends, so that its pipe never fills."""
    assert process.stdout is not None
    for line in process.stdout:
        lines.put(line)


def _wait_for_url(process: subprocess.Popen[str], lines: queue.Queue[str]) -> str:
    """Return the URL the server prints once it is ready, or fail with what it printed."""
    seen: list[str] = []
    while True:
        try:
            line = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            pytest.fail("the simulator did not start:\n" + "".join(seen))
        seen.append(line)
        found = re.search(r"open (http://127\.0\.0\.1:\d+)/", line)
        if found:
            return found.group(1)
        if process.poll() is not None and lines.empty():
            pytest.fail("the simulator exited:\n" + "".join(seen))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Launch Debian's Chromium, headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """Open a phone-sized browser with its own storage (a new simulated user)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, locale="th-TH")
    context.set_default_timeout(STEP_TIMEOUT)
    violations: list[str] = []  # Chromium reports each content-security-policy refusal
    context.on("console", lambda message: violations.append(message.text)
               if "Content Security Policy" in message.text else None)
    yield context
    context.close()
    assert violations == []


def shot(page: Page, name: str) -> None:
    """Save a screenshot of the page under test-artifacts/browser/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def type_message(page: Page, text: str) -> None:
    """Type a message in the text box and press Enter."""
    page.locator("#input").fill(text)
    page.locator("#input").press("Enter")


def bot_says(page: Page, text: str) -> Locator:
    """Wait for the bot's newest bubble to contain ``text``; return the bubble."""
    from playwright.sync_api import expect

    bubble = page.locator(".row.theirs:not(.typing-row)").last
    expect(bubble).to_contain_text(text)
    return bubble


def chip(page: Page, label: str) -> Locator:
    """Return the quick-reply chip with ``label``."""
    return page.locator("#quick-replies .chip", has_text=label)


def test_short_conversation_from_greeting_to_draft_preview(server: str,
                                                           phone: BrowserContext) -> None:
    from playwright.sync_api import expect

    page = phone.new_page()
    page.goto(server + "/")
    bot_says(page, "สวัสดีครับ")
    expect(chip(page, "เริ่มใบสมัครใหม่")).to_be_visible()
    shot(page, "01-greeting")

    type_message(page, "เริ่ม")
    expect(page.locator(".row.mine .bubble").last).to_have_text("เริ่ม")
    expect(chip(page, "1 บริการภาครัฐ")).to_be_visible()
    shot(page, "02-track-choices")

    chip(page, "1 บริการภาครัฐ").click()
    bot_says(page, "1.1")
    expect(chip(page, "1 บริการภาครัฐ")).to_have_count(0)

    type_message(page, "1.1")
    bot_says(page, "ชื่ออะไร")
    type_message(page, PROJECT_NAME)
    bot_says(page, "ข้อ 1 จาก 10")
    shot(page, "03-first-question")

    type_message(page, ANSWER)
    bot_says(page, "บันทึกข้อ 1")
    shot(page, "04-answer-saved")

    chip(page, "ถัดไป").click()
    bot_says(page, "ข้อ 2 จาก 10")

    type_message(page, "หน่วยงาน สำนักงานพัฒนาที่ดินเขต 5")
    bot_says(page, "สำนักงานพัฒนาที่ดินเขต 5")

    type_message(page, "ดูร่าง")
    card = bot_says(page, PROJECT_NAME)
    preview_button = card.get_by_role("link", name="เปิดดูร่าง")
    expect(preview_button).to_have_attribute("target", "_blank")
    shot(page, "05-draft-card")

    with phone.expect_page() as opened:
        preview_button.click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator("body")).to_contain_text(ANSWER)
    expect(preview.locator("body")).to_contain_text(PROJECT_NAME)
    shot(preview, "06-draft-preview")


def test_rich_menu_shows_progress_and_reload_keeps_the_chat(server: str,
                                                            phone: BrowserContext) -> None:
    from playwright.sync_api import expect

    page = phone.new_page()
    page.goto(server + "/")
    bot_says(page, "สวัสดีครับ")
    for text in ("เริ่ม", "1", "1.1", PROJECT_NAME, ANSWER):
        type_message(page, text)
        expect(page.locator(".typing-row")).to_have_count(0)
    bot_says(page, "บันทึกข้อ 1")

    page.locator("#rich-menu").get_by_role("button", name="ความคืบหน้า").click()
    progress = bot_says(page, "ความคืบหน้า: ")
    bars = progress.locator(".flex-box.horizontal > .flex-box[style*='width']")
    expect(bars.first).to_be_visible()
    box = bars.first.bounding_box()
    assert box is not None and box["width"] > 0
    shot(page, "07-progress")

    bubbles = page.locator(".row .bubble, .row .flex-bubble").count()
    page.reload()
    bot_says(page, "ความคืบหน้า: ")
    expect(page.locator(".row .bubble, .row .flex-bubble")).to_have_count(bubbles)
    expect(page.locator(".row.theirs", has_text="สวัสดีครับ")).to_have_count(1)
    shot(page, "08-after-reload")


def test_text_is_shown_as_text_never_as_html(server: str, phone: BrowserContext) -> None:
    from playwright.sync_api import expect

    page = phone.new_page()
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(server + "/")
    bot_says(page, "สวัสดีครับ")
    markup = '<img src=x onerror="alert(1)"><b>ตัวหนา</b>'

    type_message(page, markup)

    expect(page.locator(".row.mine .bubble").last).to_have_text(markup)
    expect(page.locator("#chat img, #chat b")).to_have_count(0)
    assert dialogs == []
