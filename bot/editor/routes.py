"""The editor's routes: the page, LIFF sign-in, the live analysis and saving (docs/editor-api).

``GET /e/<token>`` serves the page (``templates/editor.html``, its data as JSON in the page);
``POST /e/<token>/liff``, ``/analyze`` and ``/answers/<number>`` answer JSON. A tampered link
answers 403, an expired, revoked or gone one 410: the page in Thai for a GET, ``{"error":
<Thai>}`` for a POST. Every POST needs the page's CSRF token and this origin
(:mod:`bot.editor.guard`), and, when ``LIFF_ID`` is set, the LIFF session cookie.

Nothing logged names a token, a link id, a LINE id or what was written: only outcomes.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, jsonify, make_response, render_template, request

from bot.coach.link_ports import EDITOR, LinkRecord
from bot.coach.ports import AnswerRecord, ApplicationRecord
from bot.coach.texts import default_texts
from bot.delivery.links import LinkError
from bot.rubrics import Question, Rubric
from bot.store import load_application
from bot.store.links import find_link, owner_kind

from . import analysis
from .guard import CSRF_HEADER, csrf_ok, csrf_token, same_origin
from .liff import LiffRefused
from .saving import WEB_PREFIX, Conflict, OverApplication, SaveRequest, save_answer
from .source import EditorRefused, editor

log = logging.getLogger("bot.editor")
bp = Blueprint("editor", __name__, template_folder="templates", static_folder="static",
               static_url_path="/e/static")
#: How often the page may ask for an analysis while the officer types.
ANALYZE_EVERY_MS = 700
#: A page session's id: what the page makes once per load.
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
#: Thai for a link that does not open, by the reason.
_LINK_ERRORS = {"invalid": "editor_error_invalid"}


def page_policy(liff: bool) -> str:
    """Return the editor page's content security policy (LINE's SDK only with LIFF)."""
    script = " https://static.line-scdn.net" if liff else ""
    connect = " https://api.line.me https://liffsdk.line-scdn.net" if liff else ""
    return (f"default-src 'none'; script-src 'self'{script}; style-src 'self'; "
            f"connect-src 'self'{connect}; img-src 'self' data:; font-src 'self'; "
            "form-action 'none'; base-uri 'none'; frame-ancestors 'none'")


@bp.errorhandler(LinkError)
def link_error(error: LinkError) -> tuple[Any, int]:
    """Explain in Thai why the link does not open: a page, or JSON for the page's calls."""
    log.info("editor link refused: %s", error.reason)
    texts = default_texts()
    if request.method != "GET":
        key = _LINK_ERRORS.get(error.reason, "editor_error_link")
        return jsonify(error=texts.get(key)), error.status
    page = render_template("editor_error.html", reason=error.reason, bot=texts.bot_name,
                           minutes=editor.source.links.minutes,
                           revoke_word=texts.word("revoke_links"),
                           delete_word=texts.word("delete"),
                           editor_word=texts.word("edit_on_web"))
    return page, error.status


@bp.errorhandler(EditorRefused)
def refused(error: EditorRefused) -> tuple[Response, int]:
    """Answer a refused call with its Thai reason."""
    log.info("editor call refused: %s", error.reason)
    return jsonify(error=default_texts().get(error.key, **error.values)), error.status


def _open(token: str) -> LinkRecord:
    """Read the token and find its editor link, or raise LinkError."""
    source = editor.source
    link = find_link(source.database, source.links.read(token), kind=EDITOR)
    if link is None:
        raise LinkError(410, "revoked")
    if link.expires_at <= datetime.now(UTC):
        raise LinkError(410, "expired")
    return link


def _application(link: LinkRecord) -> tuple[ApplicationRecord, dict[int, AnswerRecord], Rubric]:
    """Read the link's application and answers, or raise LinkError when it is gone."""
    loaded = load_application(editor.source.database, link.application_id)
    if loaded is None or loaded[0].owner_id != link.owner_id:
        raise LinkError(410, "gone")
    application, answers = loaded
    return application, answers, editor.source.rubrics.get(application.track, application.year)


def _seconds_left(link: LinkRecord) -> int:
    """Return how many seconds the link still opens for."""
    return max(1, int((link.expires_at - datetime.now(UTC)).total_seconds()))


def _author(link: LinkRecord) -> str | None:
    """Return who edits: the LIFF user when LIFF is on (required), else who asked for the link."""
    source = editor.source
    if source.liff is None:
        return link.member_id
    user = source.sessions.user(request, link.id, max_age=_seconds_left(link))
    if user is None:
        raise EditorRefused(403, "no LIFF session", "editor_error_liff")
    return user


def _guarded(token: str) -> tuple[LinkRecord, dict[str, Any]]:
    """Open the link for a POST: same origin and its CSRF token, and a JSON object body."""
    link = _open(token)
    source = editor.source
    if not (same_origin(request, source.public_base_url)
            and csrf_ok(source.secret_key, link.id, request.headers.get(CSRF_HEADER))):
        raise EditorRefused(403, "csrf", "editor_error_forbidden")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise EditorRefused(400, "not a JSON object", "editor_error_bad_input")
    return link, body


def _question(rubric: Rubric, application: ApplicationRecord, number: Any) -> Question:
    """Return the application's question ``number``, or refuse the call."""
    if isinstance(number, int) and not isinstance(number, bool):
        for question in rubric.questions_for(application.category):
            if question.number == number:
                return question
    raise EditorRefused(400, "no such question", "editor_error_bad_input")


def _text(body: dict[str, Any], question: Question) -> str:
    """Return the body's text, refusing one over the answer's limit (413)."""
    text = body.get("text")
    if not isinstance(text, str):
        raise EditorRefused(400, "no text", "editor_error_bad_input")
    limit = analysis.answer_limit(editor.source.coach, question)
    if len(text) > limit:
        raise EditorRefused(413, "over the limit", "editor_error_too_long",
                            chars=len(text), limit=limit)
    return text


def _questions(application: ApplicationRecord, answers: dict[int, AnswerRecord],
               rubric: Rubric) -> list[dict[str, Any]]:
    """Return every question of an application with its answer, for the page."""
    return [analysis.question_entry(editor.source.coach, rubric, question,
                                    answers.get(question.number))
            for question in rubric.questions_for(application.category)]


@bp.get("/e/<token>")
def page(token: str) -> Response:
    """Serve the editor of the link's application, its data embedded as JSON.

    With LIFF, until the page has proved its LINE user belongs to the chat, it carries no
    answer: they come with the answer to ``POST /e/<token>/liff``.
    """
    link = _open(token)
    application, answers, rubric = _application(link)
    source = editor.source
    liff = source.liff
    needs_liff = liff is not None and source.sessions.user(
        request, link.id, max_age=_seconds_left(link)) is None
    data = {
        "application": analysis.application_entry(rubric, application),
        "csrf": csrf_token(source.secret_key, link.id),
        "liff_id": liff.liff_id if liff is not None else None,
        "needs_liff": needs_liff,
        "limits": {"analyze_every_ms": ANALYZE_EVERY_MS},
        "questions": [] if needs_liff else _questions(application, answers, rubric),
        "texts": {"edit_word": default_texts().word("edit_on_web")},
    }
    response = make_response(render_template("editor.html", page=data))
    response.headers["Content-Security-Policy"] = page_policy(liff is not None)
    return response


@bp.post("/e/<token>/liff")
def liff_sign_in(token: str) -> Response:
    """Verify the page's LIFF ID token with LINE, check the chat, and bind the session."""
    link, body = _guarded(token)
    source = editor.source
    if source.liff is None:
        return jsonify(ok=True)  # nothing to prove: the signed link alone opens the editor
    try:
        user = source.liff.user_of(str(body.get("id_token") or ""))
        kind = owner_kind(source.database, link.owner_id)
        if kind is None:
            raise LinkError(410, "gone")
        if not source.liff.is_member(kind, link.owner_id, user):
            raise EditorRefused(403, "not a member", "editor_error_not_member")
    except LiffRefused as refusal:
        key = "editor_error_line" if refusal.status >= 500 else "editor_error_liff"
        raise EditorRefused(refusal.status, f"LIFF: {refusal.reason}", key) from None
    response = jsonify(ok=True, questions=_questions(*_application(link)))
    source.sessions.bind(response, request, link.id, user, max_age=_seconds_left(link))
    log.info("editor LIFF session bound")
    return response


@bp.post("/e/<token>/analyze")
def analyze(token: str) -> Response:
    """Analyse the text being edited, as the chat analyses an answer."""
    link, body = _guarded(token)
    _author(link)
    application, _answers, rubric = _application(link)
    question = _question(rubric, application, body.get("question"))
    text = _text(body, question)
    return jsonify(analysis.analyse(editor.source.coach, rubric, application, question, text))


@bp.post("/e/<token>/answers/<int:number>")
def save(token: str, number: int) -> tuple[Response, int]:
    """Save the answer as a new revision (one per page session), or say it conflicts."""
    link, body = _guarded(token)
    author = _author(link)
    application, _answers, rubric = _application(link)
    question = _question(rubric, application, number)
    text = _text(body, question)
    base, session = body.get("base"), body.get("session")
    if not (isinstance(base, str) and isinstance(session, str)
            and SESSION_ID.fullmatch(session)):
        raise EditorRefused(400, "no base or session", "editor_error_bad_input")
    if not text.strip():
        raise EditorRefused(400, "empty", "editor_error_empty")
    kind = owner_kind(editor.source.database, link.owner_id)
    if kind is None:
        raise LinkError(410, "gone")
    request_ = SaveRequest(link_id=link.id, chat_id=link.owner_id, chat_type=kind,
                           application_id=application.id, question=number, text=text,
                           base=base, session=session, author=author)
    try:
        saved = save_answer(editor.source.service.stores, request_,
                            secret_key=editor.source.secret_key,
                            word_count=editor.source.coach.word_count,
                            application_chars=analysis.application_limit(editor.source.coach))
    except OverApplication as over:
        raise EditorRefused(413, "over the application's limit",
                            "editor_error_application_too_long",
                            chars=over.chars, limit=over.limit) from None
    except Conflict as conflict:
        log.info("editor save conflicted")
        return jsonify(conflict_body(conflict.answer, number)), 409
    log.info("editor answer saved")
    return jsonify(saved=True, revision=saved.revision, base=saved.base,
                   saved_at=saved.saved_at.isoformat()), 200


def conflict_body(answer: AnswerRecord | None, number: int) -> dict[str, Any]:
    """Return what the page shows beside its text: the stored answer, and who wrote it."""
    texts = default_texts()
    author = None
    if answer is not None and answer.parts:
        web = all((part.message_id or "").startswith(WEB_PREFIX) for part in answer.parts)
        author = texts.get("editor_author_web" if web else "editor_author_chat")
    return {"conflict": True,
            "theirs": {"text": answer.text if answer is not None else "",
                       "base": analysis.digest(answer),
                       "revision": answer.revision if answer is not None else 0,
                       "author": author},
            "message": texts.get("editor_conflict", number=number)}
