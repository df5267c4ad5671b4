"""The rich menu: drawn with Pillow and Sarabun, created through the fake LINE API."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from line_support import ACCESS_TOKEN
from PIL import Image

from bot.coach.texts import Command, default_texts
from bot.web import richmenu

PROJECT = Path(__file__).resolve().parent.parent
MENU_ID = "richmenu-8dc4f2d8a1b3c5e7f9a0b2c4d6e8f0a1"


@pytest.fixture
def line_env(monkeypatch, httpserver):
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", ACCESS_TOKEN)
    monkeypatch.setenv("LINE_API_HOST", httpserver.url_for(""))
    return httpserver


def test_image_only_writes_a_png_line_accepts(tmp_path):
    path = tmp_path / "menu.png"
    assert richmenu.main(["--create", "--image-only", str(path)]) == 0
    image = Image.open(io.BytesIO(path.read_bytes()))
    assert (image.format, image.size, path.stat().st_size < 1024 * 1024) == (
        "PNG", (2500, 843), True)


def test_the_areas_cover_the_menu_side_by_side_and_send_their_labels():
    request = richmenu.rich_menu_request()
    bounds = [(a.bounds.x, a.bounds.y, a.bounds.width, a.bounds.height) for a in request.areas]
    assert bounds == [(0, 0, 500, 843), (500, 0, 500, 843), (1000, 0, 500, 843),
                      (1500, 0, 500, 843), (2000, 0, 500, 843)]
    assert [(a.action.type, a.action.label, a.action.text) for a in request.areas] == [
        ("message", label, label) for label in ["เริ่ม", "ทำต่อ", "ความคืบหน้า", "ดูร่าง", "ช่วยเหลือ"]]


def test_every_button_sends_a_word_the_bot_recognises_as_its_command():
    texts = default_texts()
    sent = [area.action.text for area in richmenu.rich_menu_request().areas]

    assert [texts.command(text) for text in sent] == [
        Command("start"), Command("resume"), Command("progress"), Command("draft"), Command("help")]
    assert [button.command for button in richmenu.buttons()] == [
        "start", "resume", "progress", "draft", "help"]


def test_the_labels_and_chat_bar_text_fit_line_limits():
    request = richmenu.rich_menu_request()
    # LINE: an action label up to 20 characters, the chat bar text up to 14.
    assert [len(a.action.label) <= 20 for a in request.areas] == [True] * 5
    assert len(request.chat_bar_text) <= 14


def test_the_buttons_follow_the_command_words_of_the_wording_file(tmp_path, monkeypatch):
    from bot.coach.texts import CONVERSATIONS_DIR, load_texts

    source = (CONVERSATIONS_DIR / "th.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "th.yaml"
    edited.write_text(source.replace("resume: [ทำต่อ,", "resume: [ทำข้อที่ค้าง, ทำต่อ,")
                            .replace("  chat_bar: เมนูโค้ช", "  chat_bar: เมนู"), encoding="utf-8")
    monkeypatch.setattr(richmenu, "default_texts", lambda: load_texts(edited))

    request = richmenu.rich_menu_request()

    assert (request.areas[1].action.label, request.areas[1].action.text,
            request.chat_bar_text) == ("ทำข้อที่ค้าง", "ทำข้อที่ค้าง", "เมนู")


def test_create_makes_the_menu_uploads_its_image_and_sets_it_default(line_env, capsys):
    line_env.expect_request("/v2/bot/richmenu", method="POST").respond_with_json(
        {"richMenuId": MENU_ID})
    line_env.expect_request(f"/v2/bot/richmenu/{MENU_ID}/content",
                            method="POST").respond_with_json({})
    line_env.expect_request(f"/v2/bot/user/all/richmenu/{MENU_ID}",
                            method="POST").respond_with_json({})
    assert richmenu.main(["--create"]) == 0
    calls = [(r.path, r.headers.get("Content-Type"), r.headers["Authorization"])
             for r, _ in line_env.log]
    assert calls == [
        ("/v2/bot/richmenu", "application/json", f"Bearer {ACCESS_TOKEN}"),
        (f"/v2/bot/richmenu/{MENU_ID}/content", "image/png", f"Bearer {ACCESS_TOKEN}"),
        (f"/v2/bot/user/all/richmenu/{MENU_ID}", None, f"Bearer {ACCESS_TOKEN}"),
    ]
    created = line_env.log[0][0].get_json()
    assert (created["size"], created["chatBarText"], len(created["areas"])) == (
        {"width": 2500, "height": 843}, "เมนูโค้ช", 5)
    assert Image.open(io.BytesIO(line_env.log[1][0].get_data())).size == (2500, 843)
    assert MENU_ID in capsys.readouterr().out


def test_create_reports_a_refusal_from_line(line_env, capsys):
    line_env.expect_request("/v2/bot/richmenu", method="POST").respond_with_json(
        {"message": "Authentication failed"}, status=401)
    assert richmenu.main(["--create"]) == 1
    assert "status=401" in capsys.readouterr().err


def test_create_names_the_missing_access_token(monkeypatch, capsys):
    monkeypatch.delenv("LINE_CHANNEL_ACCESS_TOKEN", raising=False)
    assert richmenu.main(["--create"]) == 2
    assert "LINE_CHANNEL_ACCESS_TOKEN" in capsys.readouterr().err


def test_without_an_action_it_prints_usage():
    with pytest.raises(SystemExit):
        richmenu.main(["--help"])
    assert richmenu.main([]) == 2


@pytest.mark.slow
def test_python_m_bot_richmenu_writes_the_image(tmp_path):
    path = tmp_path / "menu.png"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "richmenu", "--create", "--image-only", str(path)],
        cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert (result.returncode, path.exists()) == (0, True), result.stderr
