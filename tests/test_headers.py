"""Every page, download and API answer carries the security headers, the draft pages above all.

The draft preview and files are personal data opened from LINE: never cached, never framed,
never sniffed, no Referer carrying the link, and a content security policy that allows no
script on the draft pages and only the simulator's own script file on its page. Fonts and the
simulator's static files hold nothing personal and may be cached.

Every route of the app must appear in :data:`REQUESTS`, so that a new route is checked too.
The browser test loads the pages in Chromium and fails on any policy violation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from simulator_support import ANSWER, draft_paths, new_user, served_simulator
from werkzeug.test import TestResponse

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

#: One request for every route (by endpoint): method, path, JSON body. "{preview}" and
#: "{token}" stand for a real draft link's path and token.
REQUESTS: dict[str, tuple[str, str, Any]] = {
    "static": ("GET", "/static/missing.css", None),
    "health.healthz": ("GET", "/healthz", None),
    "webhook.callback": ("POST", "/callback", {"destination": "x", "events": []}),
    "drafts.preview": ("GET", "{preview}", None),
    "drafts.download_clean": ("GET", "/d/{token}/pdf", None),
    "drafts.download": ("GET", "/d/{token}/working/txt", None),
    "editor.page": ("GET", "/e/{token}", None),  # a draft token: the editor's 403 page
    "editor.liff_sign_in": ("POST", "/e/{token}/liff", {}),
    "editor.analyze": ("POST", "/e/{token}/analyze", {}),
    "editor.save": ("POST", "/e/{token}/answers/1", {}),
    "editor.static": ("GET", "/e/static/editor.css", None),
    "drafts.font": ("GET", "/fonts/sarabun-regular.ttf", None),
    "fake_line.reply": ("POST", "/v2/bot/message/reply", {}),
    "fake_line.push": ("POST", "/v2/bot/message/push", {}),
    "fake_line.unknown": ("GET", "/v2/bot/info", None),
    "simulator.static": ("GET", "/sim/static/simulator.js", None),
    "simulator.page": ("GET", "/", None),
    "simulator.send": ("POST", "/sim/send", {"user": "U" + "ab" * 16, "text": "x"}),
    "simulator.follow": ("POST", "/sim/follow", {}),
    "simulator.pushes": ("GET", "/sim/pushes?user=U" + "ab" * 16, None),
    "simulator.rich_menu_image": ("GET", "/sim/richmenu.png", None),
}
#: Answers that hold nothing personal and may be cached.
CACHEABLE = {"drafts.font", "simulator.static", "simulator.rich_menu_image"}
#: More answers worth checking: errors and every format of both editions.
MORE = [("GET", "/d/{token}/clean/docx"), ("GET", "/d/{token}/clean/txt"),
        ("GET", "/d/{token}/working/pdf"), ("GET", "/d/{token}AAAA"), ("GET", "/d/{token}/x/pdf"),
        ("GET", "/fonts/sarabun-light.ttf"), ("GET", "/no/such/page"),
        ("POST", "/healthz")]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with served_simulator(tmp_path_factory.mktemp("headers")) as app:
        yield app


@pytest.fixture(scope="module")
def preview(app: Flask) -> str:
    """Return the path of a real draft preview, /d/<token>."""
    return draft_paths(app.test_client(), new_user())[0]


def fetch(client: FlaskClient, method: str, path: str, body: Any, preview: str) -> TestResponse:
    """Make one request, with the draft link's path and token filled in."""
    path = path.format(preview=preview, token=preview.split("/")[2])
    return client.open(path, method=method, json=body)


def policy(response: TestResponse) -> dict[str, str]:
    """Return the response's content security policy, by directive."""
    directives = response.headers["Content-Security-Policy"].split(";")
    return {name: value.strip() for name, _, value in
            (directive.strip().partition(" ") for directive in directives)}


def test_every_route_is_checked(app: Flask) -> None:
    assert {rule.endpoint for rule in app.url_map.iter_rules()} == set(REQUESTS)


@pytest.mark.parametrize("endpoint", sorted(REQUESTS))
def test_every_route_sends_the_security_headers(app: Flask, preview: str, endpoint: str) -> None:
    response = fetch(app.test_client(), *REQUESTS[endpoint], preview)

    assert (response.headers["X-Content-Type-Options"], response.headers["Referrer-Policy"],
            response.headers["X-Frame-Options"], response.headers["X-Robots-Tag"]) == (
        "nosniff", "no-referrer", "DENY", "noindex, nofollow")
    directives = policy(response)
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert directives.get("script-src") == ("'self'" if endpoint == "simulator.page" else None)


@pytest.mark.parametrize("endpoint", sorted(REQUESTS))
def test_nothing_personal_is_cached(app: Flask, preview: str, endpoint: str) -> None:
    response = fetch(app.test_client(), *REQUESTS[endpoint], preview)

    if endpoint in CACHEABLE:
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")
    else:
        assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("method", "path"), MORE)
def test_errors_and_every_download_carry_them_too(app: Flask, preview: str, method: str,
                                                  path: str) -> None:
    response = fetch(app.test_client(), method, path, None, preview)

    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert policy(response)["frame-ancestors"] == "'none'"


def test_the_draft_pages_answer_as_expected(app: Flask, preview: str) -> None:
    client = app.test_client()
    token = preview.split("/")[2]

    statuses = [client.get(path).status_code for path in
                (preview, f"/d/{token}/pdf", f"/d/{token}/working/txt", f"/d/{token}AAAA")]

    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] in (403, 404, 410)


@pytest.mark.parametrize("edition", ["clean", "working"])
def test_the_text_download_has_one_charset(app: Flask, preview: str, edition: str) -> None:
    response = app.test_client().get(f"/d/{preview.split('/')[2]}/{edition}/txt")

    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"


def test_https_answers_ask_for_https_from_then_on(app: Flask) -> None:
    secure = app.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    plain = app.test_client().get("/healthz")

    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in plain.headers


def test_the_preview_page_needs_no_script(app: Flask, preview: str) -> None:
    page = app.test_client().get(preview).get_data(as_text=True)

    assert ANSWER in page
    assert re.search(r"<script|\son[a-z]+=|javascript:", page, re.IGNORECASE) is None


# In the browser: no violation, the pages still look as designed


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing")
def test_chromium_reports_no_policy_violation(app: Flask, preview: str) -> None:
    from playwright.sync_api import sync_playwright

    base = app.config["PUBLIC_BASE_URL"]
    token = preview.split("/")[2]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            complaints = watch(page)
            page.goto(base + "/")
            page.locator("#input").fill("ช่วยเหลือ")
            page.locator("#input").press("Enter")
            page.locator(".row.theirs").last.wait_for()
            chat_font = page.evaluate("getComputedStyle(document.body).fontFamily")
            page.goto(base + preview)
            page.evaluate("document.fonts.ready")
            preview_font = page.evaluate("getComputedStyle(document.body).fontFamily")
            bar_width = page.evaluate("document.querySelector('.bar span').style.width")
            page.goto(f"{base}/d/{token}AAAA")
            fonts_loaded = page.evaluate("document.fonts.check('16px Sarabun')")
        finally:
            browser.close()

    assert complaints == []
    assert "Sarabun" in chat_font and "Sarabun" in preview_font
    assert bar_width.endswith("%")
    assert fonts_loaded


def watch(page: Page) -> list[str]:
    """Collect every policy violation and script error the page reports (a 403 or 404 in the
    console is the page under test, or the favicon the app does not have)."""
    complaints: list[str] = []
    page.on("console", lambda message: complaints.append(message.text)
            if re.search("Content Security Policy|CSP", message.text) else None)
    page.on("pageerror", lambda error: complaints.append(str(error)))
    page.add_init_script("document.addEventListener('securitypolicyviolation', (event) => "
                         "console.error('CSP violation: ' + event.violatedDirective))")
    return complaints
