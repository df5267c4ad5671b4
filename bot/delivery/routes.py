"""The pages a draft link opens: the web preview, the files, and the font they use.

Files are built when a link is opened, never inside the webhook. A tampered link answers
403, an expired one or one whose application was deleted 410, each with a page in Thai.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, render_template, send_file, url_for

from bot.draft import FORMATS, MIME_TYPES, build, content_disposition
from bot.draft import font_path, render_preview
from bot.draft.model import Draft
from bot.store import load_application

from .compile import compile_draft
from .links import DraftLinks, LinkError

log = logging.getLogger("bot.delivery")
bp = Blueprint("drafts", __name__, template_folder="templates")
FONT_WEIGHTS = ("regular", "bold")


class DraftDelivery:
    """Attach the link signer (``SECRET_KEY``, ``PUBLIC_BASE_URL``) to the app."""

    name = "drafts"

    def init_app(self, app) -> None:  # type: ignore[no-untyped-def]
        """Build the signer from the app's settings."""
        app.extensions[self.name] = DraftLinks(app.config["SECRET_KEY"],
                                               app.config["PUBLIC_BASE_URL"])

    @property
    def links(self) -> DraftLinks:
        """Return the current app's signer."""
        return current_app.extensions[self.name]


delivery = DraftDelivery()


def _open(token: str) -> Draft:
    """Read the token and compile the draft it is for, or raise LinkError."""
    claims = delivery.links.read(token)
    service = current_app.extensions["coach"].service
    loaded = load_application(service.database, claims.application_id)
    if loaded is None or not DraftLinks.matches(claims, loaded[0]):
        raise LinkError(410, "gone")
    application, answers = loaded
    return compile_draft(application, answers, rubrics=service.coach.rubrics,
                         analyzer=service.coach.analyzer)


@bp.errorhandler(LinkError)
def link_error(error: LinkError):  # type: ignore[no-untyped-def]
    """Explain in Thai why the link does not open."""
    log.info("draft link refused: %s", error.reason)
    return render_template("link_error.html", reason=error.reason), error.status


@bp.get("/d/<token>")
def preview(token: str) -> str:
    """Show the draft as a phone-first page with findings and download buttons."""
    draft = _open(token)
    links = {fmt: url_for("drafts.download", token=token, fmt=fmt) for fmt in FORMATS}
    font_url = url_for("drafts.font", weight="WEIGHT").replace("WEIGHT", "{weight}")
    return render_preview(draft, links, font_url=font_url)


@bp.get("/d/<token>/<fmt>")
def download(token: str, fmt: str) -> Response:
    """Send the draft as DOCX, PDF or plain text, named in Thai."""
    if fmt not in FORMATS:
        raise LinkError(404, "format")
    draft = _open(token)
    response = Response(build(draft, fmt), mimetype=MIME_TYPES[fmt])
    response.headers["Content-Disposition"] = content_disposition(draft.file_stem, fmt)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/fonts/sarabun-<weight>.ttf")
def font(weight: str) -> Response:
    """Serve the Sarabun font the preview uses (from the fontpkg-sarabun package)."""
    if weight not in FONT_WEIGHTS:
        raise LinkError(404, "font")
    return send_file(font_path(weight), mimetype=MIME_TYPES["ttf"], max_age=86400 * 30)
