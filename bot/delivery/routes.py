"""The pages a draft link opens: the web preview, the files, and the font they use.

Files are built when a link is opened, never inside the webhook. A tampered link answers
403, an expired one or one whose application was deleted 410, an unknown format or edition
404, each with a page in Thai.

URLs: ``/d/<token>`` is the preview (the working view, findings marked, with downloads of
both editions); ``/d/<token>/<edition>/<fmt>`` a file, ``edition`` "clean" or "working";
``/d/<token>/<fmt>`` the clean file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, render_template, send_file, url_for

from bot.coach.ports import Analyzer
from bot.coach.texts import default_texts
from bot.draft import (
    EDITIONS,
    FORMATS,
    MIME_TYPES,
    Edition,
    build,
    content_disposition,
    file_name,
    font_path,
    render_preview,
)
from bot.draft.labels import draft_labels
from bot.draft.model import Draft
from bot.rubrics import RubricSet
from bot.store import Database, load_application

from .compile import compile_draft
from .links import DraftLinks, LinkError

log = logging.getLogger("bot.delivery")
bp = Blueprint("drafts", __name__, template_folder="templates")
FONT_WEIGHTS = ("regular", "bold")


@dataclass(frozen=True)
class DraftSource:
    """What the draft pages need: the link signer, the database, the rubrics and the analyzer."""

    links: DraftLinks
    database: Database
    rubrics: RubricSet
    analyzer: Analyzer | None


class DraftDelivery:
    """Attach what the draft pages read (the signer and the stored applications) to the app."""

    name = "drafts"

    def init_app(self, app: Flask, *, links: DraftLinks, database: Database,
                 rubrics: RubricSet, analyzer: Analyzer | None) -> None:
        """Keep the signer, and the database and content the drafts are compiled from."""
        app.extensions[self.name] = DraftSource(links=links, database=database,
                                                rubrics=rubrics, analyzer=analyzer)

    @property
    def source(self) -> DraftSource:
        """Return what the current app's draft pages read."""
        source: DraftSource = current_app.extensions[self.name]
        return source


delivery = DraftDelivery()


def _open(token: str) -> Draft:
    """Read the token and compile the draft it is for, or raise LinkError."""
    source = delivery.source
    claims = source.links.read(token)
    loaded = load_application(source.database, claims.application_id)
    if loaded is None or not DraftLinks.matches(claims, loaded[0]):
        raise LinkError(410, "gone")
    application, answers = loaded
    return compile_draft(application, answers, rubrics=source.rubrics, analyzer=source.analyzer)


@bp.errorhandler(LinkError)
def link_error(error: LinkError) -> tuple[str, int]:
    """Explain in Thai why the link does not open."""
    log.info("draft link refused: %s", error.reason)
    texts = default_texts()
    days = int(delivery.source.links.max_age.total_seconds() // 86400)
    labels = draft_labels()
    page = render_template("link_error.html", reason=error.reason, bot=texts.bot_name,
                           draft_word=texts.word("draft"), delete_word=texts.word("delete"),
                           days=days, editions=[(labels.editions[e], labels.edition_notes[e])
                                                for e in EDITIONS])
    return page, error.status


@bp.get("/d/<token>")
def preview(token: str) -> str:
    """Show the working view of the draft, with downloads of both editions."""
    draft = _open(token)
    links = {f"{edition}/{fmt}": url_for("drafts.download", token=token, edition=edition,
                                         fmt=fmt)
             for edition in EDITIONS for fmt in FORMATS}
    font_url = url_for("drafts.font", weight="WEIGHT").replace("WEIGHT", "{weight}")
    return render_preview(draft, links, font_url=font_url)


@bp.get("/d/<token>/<fmt>")
def download_clean(token: str, fmt: str) -> Response:
    """Send the clean edition of the draft as DOCX, PDF or plain text."""
    return download(token, "clean", fmt)


@bp.get("/d/<token>/<edition>/<fmt>")
def download(token: str, edition: str, fmt: str) -> Response:
    """Send one edition of the draft as DOCX, PDF or plain text, named in Thai."""
    if edition not in EDITIONS:
        raise LinkError(404, "edition")
    if fmt not in FORMATS:
        raise LinkError(404, "format")
    draft = _open(token)
    chosen: Edition = "working" if edition == "working" else "clean"
    response = Response(build(draft, fmt, edition=chosen), mimetype=MIME_TYPES[fmt])
    response.headers["Content-Disposition"] = content_disposition(file_name(draft, chosen), fmt)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/fonts/sarabun-<weight>.ttf")
def font(weight: str) -> Response:
    """Serve the Sarabun font the preview uses (from the fontpkg-sarabun package)."""
    if weight not in FONT_WEIGHTS:
        raise LinkError(404, "font")
    return send_file(font_path(weight), mimetype=MIME_TYPES["ttf"], max_age=86400 * 30)
