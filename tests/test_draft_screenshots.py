"""Pictures of the draft for a person to look at: the PDF's first pages and the preview page.

They land in test-artifacts/draft/ (gitignored). Nothing here judges the look; the tests
fail only when a picture cannot be made.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot.draft import build, font_path, render_preview
from bot.draft.samples import public_service_draft

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "draft"
CHROMIUM = Path("/usr/bin/chromium")
#: A phone (CSS pixels) and an A4 page at 96 dpi.
VIEWPORTS = {"phone": (390, 844), "a4": (794, 1123)}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is missing")
@pytest.mark.parametrize("edition", ["clean", "working"])
def test_the_first_two_pdf_pages_are_rendered(edition, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = tmp_path / "draft.pdf"
    pdf.write_bytes(build(public_service_draft(), "pdf", edition=edition))
    for old in ARTIFACTS.glob(f"pdf-{edition}-*.png"):
        old.unlink()

    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(pdf),
                    str(ARTIFACTS / f"pdf-{edition}")], check=True, timeout=120)

    assert len(list(ARTIFACTS.glob(f"pdf-{edition}-*.png"))) == 2


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
@pytest.mark.parametrize("size", sorted(VIEWPORTS))
def test_the_first_two_screens_of_the_preview_are_rendered(size):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page_file = ARTIFACTS / "preview.html"
    links = {f"{e}/{k}": f"#{e}-{k}" for e in ("clean", "working") for k in ("pdf", "docx", "txt")}
    page_file.write_text(render_preview(public_service_draft(), links,
                                        font_url=font_path("regular").as_uri()),
                         encoding="utf-8")
    width, height = VIEWPORTS[size]
    shots = [ARTIFACTS / f"preview-{size}-{n}.png" for n in (1, 2)]

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(page_file.as_uri())
        page.evaluate("document.fonts.ready")
        for n, path in enumerate(shots):
            page.evaluate(f"window.scrollTo(0, {n * height})")
            page.screenshot(path=str(path))
        browser.close()

    assert [path.stat().st_size > 0 for path in shots] == [True, True]
