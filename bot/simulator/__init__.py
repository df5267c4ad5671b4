"""Try the bot without LINE: a LINE-like chat page in the browser over the real webhook.

``python -m bot serve`` starts the web app on loopback with a generated channel secret and
token. The page's messages become signed LINE webhook events POSTed to ``/callback``; the
bot's replies go, through the real SDK, to a fake Messaging API served by the same process,
and come back to the page as the exact LINE message JSON, drawn as LINE draws it.

    page ──/sim/send──▶ simulator ──signed event──▶ /callback ──▶ coach
      ▲                     │                           │
      └──── LINE messages ──┴── inbox ◀── /v2/bot/message/reply|push ◀──┘
"""

from .app import create_simulator_app
from .server import main

__all__ = ["create_simulator_app", "main"]
