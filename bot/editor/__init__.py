"""The answer editor on the web: one application's answers, findings as you type, saves.

The edit-on-web command in the chat (and a button on the draft card) sends a link to ``/e/<token>``
(:mod:`bot.editor.links`); the page (``templates/editor.html`` and ``static/``) shows every
question with its answer, asks ``/e/<token>/analyze`` for the chat's analysis while the
officer types (:mod:`bot.editor.analysis`), and saves each answer as a new revision under the
chat's lock (:mod:`bot.editor.saving`), telling the chat on its next message. With
``LIFF_ID`` set, the page runs as a LIFF app and proves its LINE user (:mod:`bot.editor.liff`).
The routes and their JSON: :mod:`bot.editor.routes`.

:func:`init_app` attaches it to the web app: the signer (``EDITOR_LINK_MINUTES``), the
verifier, the service whose store and analysis it uses, the engine's link publisher, and the
draft card's button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask

from .guard import Sessions
from .liff import LiffVerifier, channel_id
from .links import DEFAULT_MINUTES, EditorLinkPublisher, EditorLinks
from .routes import bp
from .source import EditorSource, editor

if TYPE_CHECKING:
    from bot.delivery import LinkPublisher
    from bot.service import CoachService

__all__ = ["EditorLinkPublisher", "EditorLinks", "bp", "init_app"]


def init_app(app: Flask, *, service: CoachService,
             drafts: LinkPublisher | None = None) -> EditorLinkPublisher:
    """Attach the editor; the engine (and the draft card, when given) hand out its links.

    Raises ValueError when ``LIFF_ID`` is not what LINE gives (``<channel id>-<id>``).
    """
    config = app.config
    links = EditorLinks(config["SECRET_KEY"], config["PUBLIC_BASE_URL"],
                        minutes=int(config.get("EDITOR_LINK_MINUTES") or DEFAULT_MINUTES))
    liff_id = str(config.get("LIFF_ID") or "").strip()
    liff = None
    if liff_id:
        channel_id(liff_id)
        liff = LiffVerifier(liff_id, access_token=config["LINE_CHANNEL_ACCESS_TOKEN"],
                            host=config.get("LINE_API_HOST"),
                            timeout=float(config.get("LINE_TIMEOUT") or 5.0))
    app.extensions[editor.name] = EditorSource(
        links=links, service=service, sessions=Sessions(config["SECRET_KEY"]), liff=liff,
        secret_key=config["SECRET_KEY"], public_base_url=config["PUBLIC_BASE_URL"])
    publisher = EditorLinkPublisher(links)
    service.coach.editor = publisher
    if drafts is not None:
        drafts.editor = True  # the draft card's button asks for the editor
    return publisher
