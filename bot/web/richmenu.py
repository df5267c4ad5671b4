"""``python -m bot richmenu --create [--image-only PATH]``: the bot's rich menu.

Five buttons under the chat: start, resume, progress, draft and help. Each shows and sends the
first word of its command in ``conversations/th.yaml`` as a text message, so the menu drives the
same commands an officer can type. The image is drawn here with Pillow and the Sarabun font
(nothing is downloaded), then the menu is created, its image uploaded and the menu made the
default for every user of the channel.

Needs LINE_CHANNEL_ACCESS_TOKEN; LINE_API_HOST points it at another host (a fake LINE in tests).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

import fontpkg_sarabun
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessageAction,
    MessagingApi,
    MessagingApiBlob,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
)
from PIL import Image, ImageDraw, ImageFont

from bot.coach.texts import default_texts
from bot.web.config import ConfigError

WIDTH, HEIGHT = 2500, 843
#: The commands of the buttons, left to right.
MENU_COMMANDS = ("start", "resume", "progress", "draft", "help")
MENU_NAME = "lertrat-coach-main"
REQUEST_TIMEOUT = (3.0, 20.0)

BACKGROUND = (18, 58, 110)
TILE = (255, 255, 255)
INK = (18, 58, 110)
ACCENT = (212, 160, 23)
MARGIN = 24
FONT_DIR = Path(fontpkg_sarabun.__file__).parent / "files"


class Button(NamedTuple):
    """One button of the menu: its command, the label on the image, the text it sends."""

    command: str
    label: str
    text: str


def buttons() -> tuple[Button, ...]:
    """Return the menu's buttons, each labelled with and sending its command's first word."""
    texts = default_texts()
    return tuple(Button(command, texts.word(command), texts.word(command))
                 for command in MENU_COMMANDS)


def draw_image() -> bytes:
    """Draw the menu as a PNG: one tile per button, an icon above its Thai label."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT_DIR / "Sarabun-Bold.ttf"), 112)
    for index, button in enumerate(buttons()):
        left, top, right, bottom = _tile(index)
        draw.rounded_rectangle((left, top, right, bottom), radius=40, fill=TILE)
        centre_x = (left + right) // 2
        _ICONS[button.command](draw, centre_x, top + 250)
        _label(draw, button.label, centre_x, top + 600, right - left - 40, font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _tile(index: int) -> tuple[int, int, int, int]:
    """Return the box of one button's tile inside its area."""
    x, y, width, height = _area(index)
    return x + MARGIN // 2, y + MARGIN, x + width - MARGIN // 2, y + height - MARGIN


def _area(index: int) -> tuple[int, int, int, int]:
    """Return one button's tappable area (x, y, width, height); the last takes the remainder."""
    width = WIDTH // len(MENU_COMMANDS)
    x = index * width
    return x, 0, (WIDTH - x if index == len(MENU_COMMANDS) - 1 else width), HEIGHT


def _label(draw: ImageDraw.ImageDraw, text: str, centre_x: int, centre_y: int,
           max_width: int, font: ImageFont.FreeTypeFont) -> None:
    """Write a label centred on a point, shrinking the font until it fits the tile."""
    while draw.textlength(text, font=font) > max_width and font.size > 40:
        font = font.font_variant(size=font.size - 4)
    draw.text((centre_x, centre_y), text, font=font, fill=INK, anchor="mm")


def _icon_start(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
    """Draw a play sign in a circle."""
    draw.ellipse((x - 150, y - 150, x + 150, y + 150), fill=ACCENT)
    draw.polygon([(x - 45, y - 80), (x - 45, y + 80), (x + 85, y)], fill=TILE)


def _icon_continue(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
    """Draw an arrow pointing forward."""
    draw.rectangle((x - 140, y - 35, x + 30, y + 35), fill=ACCENT)
    draw.polygon([(x + 10, y - 110), (x + 10, y + 110), (x + 150, y)], fill=ACCENT)


def _icon_progress(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
    """Draw three rising bars."""
    for step, height in enumerate((90, 170, 250)):
        left = x - 150 + step * 105
        draw.rectangle((left, y + 125 - height, left + 80, y + 125), fill=ACCENT)


def _icon_draft(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
    """Draw a page with lines of text."""
    draw.rounded_rectangle((x - 110, y - 145, x + 110, y + 145), radius=18, fill=ACCENT)
    for row in range(4):
        line_y = y - 85 + row * 55
        draw.rectangle((x - 70, line_y, x + (70 if row < 3 else 10), line_y + 18), fill=TILE)


def _icon_help(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
    """Draw a question mark in a circle."""
    draw.ellipse((x - 150, y - 150, x + 150, y + 150), fill=ACCENT)
    font = ImageFont.truetype(str(FONT_DIR / "Sarabun-ExtraBold.ttf"), 230)
    draw.text((x, y), "?", font=font, fill=TILE, anchor="mm")


#: The icon above each command's label.
_ICONS: dict[str, Callable[[ImageDraw.ImageDraw, int, int], None]] = {
    "start": _icon_start, "resume": _icon_continue, "progress": _icon_progress,
    "draft": _icon_draft, "help": _icon_help}


def rich_menu_request() -> RichMenuRequest:
    """Describe the menu: its size, chat-bar text and one message area per button."""
    areas = []
    for index, button in enumerate(buttons()):
        x, y, width, height = _area(index)
        areas.append(RichMenuArea(bounds=RichMenuBounds(x=x, y=y, width=width, height=height),
                                  action=MessageAction(label=button.label, text=button.text)))
    return RichMenuRequest(size=RichMenuSize(width=WIDTH, height=HEIGHT), selected=True,
                           name=MENU_NAME, chat_bar_text=default_texts().richmenu.chat_bar,
                           areas=areas)


def configuration_from_env(environ: Mapping[str, str] | None = None) -> Configuration:
    """Build the SDK configuration from LINE_CHANNEL_ACCESS_TOKEN and LINE_API_HOST."""
    environ = os.environ if environ is None else environ
    token = environ.get("LINE_CHANNEL_ACCESS_TOKEN", "")
    if not token:
        raise ConfigError("missing setting LINE_CHANNEL_ACCESS_TOKEN: set the environment variable "
                          "LINE_CHANNEL_ACCESS_TOKEN")
    host = environ.get("LINE_API_HOST") or None
    return Configuration(access_token=token, host=host.rstrip("/") if host else None)


def create_rich_menu(configuration: Configuration, image: bytes) -> str:
    """Create the menu, upload its image and make it the default; return its id."""
    with ApiClient(configuration) as client:
        api = MessagingApi(client)
        rich_menu_id = api.create_rich_menu(rich_menu_request(),
                                            _request_timeout=REQUEST_TIMEOUT).rich_menu_id
        MessagingApiBlob(client).set_rich_menu_image(
            rich_menu_id, image, _headers={"Content-Type": "image/png"},
            _request_timeout=REQUEST_TIMEOUT)
        api.set_default_rich_menu(rich_menu_id, _request_timeout=REQUEST_TIMEOUT)
    return rich_menu_id


def main(argv: list[str]) -> int:
    """Run ``richmenu --create [--image-only PATH]``; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m bot richmenu",
        description="Create the bot's rich menu and make it the default.")
    parser.add_argument("--create", action="store_true", help="create, upload and set the menu")
    parser.add_argument("--image-only", metavar="PATH", type=Path,
                        help="only draw the menu image into PATH (no LINE call)")
    args = parser.parse_args(argv)
    if not args.create and args.image_only is None:
        parser.print_usage(sys.stderr)
        return 2
    image = draw_image()
    if args.image_only is not None:
        args.image_only.write_bytes(image)
        print(f"wrote {args.image_only} ({WIDTH}x{HEIGHT}, {len(image)} bytes)")
        return 0
    try:
        rich_menu_id = create_rich_menu(configuration_from_env(), image)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - one line, not a traceback
        print(f"error: the rich menu was not created: {type(error).__name__} "
              f"status={getattr(error, 'status', None)}", file=sys.stderr)
        return 1
    print(f"rich menu {rich_menu_id} created and set as the default")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
