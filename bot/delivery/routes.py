"""The pages a draft link opens: the web preview, the files, and the font they use.

Files are built when a link is opened, never inside the webhook. A tampered link answers
403; an expired one, a revoked one (its row deleted: the revoke command, the member left,
the bot was removed or blocked, delete my data) and one whose application is gone 410; an
unknown format or edition 404; each with a page in Thai. Links expire after the app's
``LINK_MAX_AGE_DAYS`` (7 by default).

Files are built once per revision of the application, in a build process, never in the
web worker, and kept in the database (:mod:`bot.delivery.cache`): a download waits for its
build at most ``DRAFT_WAIT_SECONDS``, then answers 503 with a page (and ``Retry-After``)
saying the file is being prepared; an application too large to build within the bounds
answers 422 with a page naming the longest answers to shorten.

URLs: ``/d/<token>`` is the preview (the working view, findings marked, with downloads of
both editions); ``/d/<token>/<edition>/<fmt>`` a file, ``edition`` "clean" or "working";
``/d/<token>/<fmt>`` the clean file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, send_file, url_for

from bot.coach.ports import Analyzer, AnswerRecord, ApplicationRecord
from bot.coach.texts import default_texts
from bot.draft import (
    EDITIONS,
    FORMATS,
    MIME_TYPES,
    Edition,
    content_disposition,
    file_name,
    font_path,
    render_preview,
)
from bot.draft.labels import draft_labels
from bot.draft.model import Draft
from bot.rubrics import RubricSet
from bot.store import Database, load_application
from bot.store.links import find_link

from .cache import BuildLimits, DraftFiles, Preparing, TooLarge
from .compile import compile_draft, compile_with_rubric
from .job import DraftJob
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
    files: DraftFiles


#: The app's settings that bound a download, and the field of BuildLimits each sets.
LIMIT_SETTINGS = (("DRAFT_WAIT_SECONDS", "wait_seconds"), ("DRAFT_BUILD_TIMEOUT", "build_timeout"),
                  ("DRAFT_MAX_CHARS", "max_chars"), ("DRAFT_BUILDERS", "builders"))


def build_limits(config: dict[str, Any]) -> BuildLimits:
    """Read the download bounds from the app's settings (checked by bot.web.config)."""
    defaults = BuildLimits()
    values = {field: type(getattr(defaults, field))(config[name])
              for name, field in LIMIT_SETTINGS if config.get(name) is not None}
    return BuildLimits(**values)


class DraftDelivery:
    """Attach what the draft pages read (the signer and the stored applications) to the app."""

    name = "drafts"

    def init_app(self, app: Flask, *, links: DraftLinks, database: Database,
                 rubrics: RubricSet, analyzer: Analyzer | None) -> None:
        """Keep the signer, and the database and content the drafts are compiled from.

        ``links`` is the signer the publisher signs with, built with the app's
        ``LINK_MAX_AGE_DAYS`` (:func:`bot.web.create_app`), so the card and the pages tell
        and check the same lifetime.
        """
        files = DraftFiles(database, build_limits(app.config))
        app.extensions[self.name] = DraftSource(links=links, database=database,
                                                rubrics=rubrics, analyzer=analyzer,
                                                files=files)

    @property
    def source(self) -> DraftSource:
        """Return what the current app's draft pages read."""
        source: DraftSource = current_app.extensions[self.name]
        return source


delivery = DraftDelivery()


def _load(token: str) -> tuple[ApplicationRecord, dict[int, AnswerRecord]]:
    """Read the token and the application it opens, or raise LinkError."""
    source = delivery.source
    link = find_link(source.database, source.links.read(token))
    if link is None:
        raise LinkError(410, "revoked")
    loaded = load_application(source.database, link.application_id)
    if loaded is None or loaded[0].owner_id != link.owner_id:
        raise LinkError(410, "gone")
    return loaded


def _open(token: str) -> Draft:
    """Read the token and compile the draft it is for, or raise LinkError."""
    source = delivery.source
    application, answers = _load(token)
    return compile_draft(application, answers, rubrics=source.rubrics, analyzer=source.analyzer)


def build(job: DraftJob) -> bytes:
    """Return the job's file from the cache, or built in a build process (bot.delivery.cache)."""
    return delivery.source.files.get(job)


@bp.errorhandler(LinkError)
def link_error(error: LinkError) -> tuple[str, int]:
    """Explain in Thai why the link does not open."""
    log.info("draft link refused: %s", error.reason)
    texts = default_texts()
    days = delivery.source.links.days
    labels = draft_labels()
    page = render_template("link_error.html", reason=error.reason, bot=texts.bot_name,
                           draft_word=texts.word("draft"), delete_word=texts.word("delete"),
                           revoke_word=texts.word("revoke_links"),
                           days=days, editions=[(labels.editions[e], labels.edition_notes[e])
                                                for e in EDITIONS])
    return page, error.status


@bp.errorhandler(Preparing)
def preparing(error: Preparing) -> Response:
    """Say in Thai that the file is being prepared, and have the browser ask again shortly."""
    log.info("draft file not ready within the wait; asked to come back")
    texts = default_texts()
    page = render_template("preparing.html", bot=texts.bot_name, seconds=error.retry_after)
    response = Response(page, status=503, content_type=MIME_TYPES["html"])
    response.headers["Retry-After"] = str(error.retry_after)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(TooLarge)
def too_large(error: TooLarge) -> tuple[str, int]:
    """Explain in Thai that the application is too large to build, and what to shorten."""
    log.info("draft too large to build: %s, %d characters", error.reason, error.characters)
    texts = default_texts()
    page = render_template("too_large.html", bot=texts.bot_name, reason=error.reason,
                           characters=error.characters, max_chars=error.max_chars,
                           longest=error.longest, edit_word=texts.word("edit"),
                           draft_word=texts.word("draft"))
    return page, 422


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
    source = delivery.source
    application, answers = _load(token)
    chosen: Edition = "working" if edition == "working" else "clean"
    rubric = source.rubrics.get(application.track, application.year)
    job = DraftJob(application=application, answers=answers, rubric=rubric,
                   analyzer=source.analyzer, edition=chosen, fmt=fmt)
    content = build(job)
    # Only the name is needed here: compiled without the analysis, it costs nothing.
    named = compile_with_rubric(application, answers, rubric=rubric, analyzer=None)
    # content_type, not mimetype: MIME_TYPES holds whole types, charset included.
    response = Response(content, content_type=MIME_TYPES[fmt])
    response.headers["Content-Disposition"] = content_disposition(file_name(named, chosen), fmt)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/fonts/sarabun-<weight>.ttf")
def font(weight: str) -> Response:
    """Serve the Sarabun font the preview uses (from the fontpkg-sarabun package)."""
    if weight not in FONT_WEIGHTS:
        raise LinkError(404, "font")
    return send_file(font_path(weight), mimetype=MIME_TYPES["ttf"], max_age=86400 * 30)
