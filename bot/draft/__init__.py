"""Turn a stored application into files: DOCX, PDF, plain text and an HTML preview.

The web app serves what these functions return; they read no database and write no
file. A route that sends a draft sets ``Content-Type`` from :data:`MIME_TYPES` and
``Content-Disposition`` from :func:`content_disposition` with :func:`file_name`, which
names the edition (by its name in the ``draft.editions`` wording).
The DOCX and PDF builders (python-docx, fpdf2) are imported on first use, so that a process
that never builds a file (a web worker, when files are built elsewhere) never loads them.
The first PDF of a process loads PyThaiNLP's word list (about half a second);
:func:`warm_up` at start-up moves that cost out of the first request.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from bot.draft.cleaning import cut_bytes
from bot.draft.fonts import font_path
from bot.draft.labels import draft_labels
from bot.draft.model import FILE_STEM_BYTES, Draft, DraftAnswer
from bot.draft.outline import EDITIONS, Edition
from bot.draft.preview import render_preview
from bot.draft.text import build_text

if TYPE_CHECKING:
    from bot.draft.docx import build_docx
    from bot.draft.pdf import build_pdf

#: Content types of what this package builds, by file extension.
MIME_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "ttf": "font/ttf",
}
#: The file formats :func:`build` writes, by extension.
FORMATS = ("docx", "pdf", "txt")
#: The ASCII name used when a Thai file name has no ASCII letters at all.
FALLBACK_STEM = "lertrat-draft"
#: Characters RFC 5987 lets through unencoded in ``filename*`` (attr-char).
_ATTR_CHARS = "!#$&+-.^_`|~"
_NOT_ASCII_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def warm_up() -> None:
    """Build every format once, so the template, fonts and Thai word list load before a request."""
    from bot.draft.samples import public_service_draft

    draft = public_service_draft()
    for fmt in FORMATS:
        build(draft, fmt, edition="clean")
    render_preview(draft, {}, font_url="")


def _build_txt(draft: Draft, *, edition: Edition = "working") -> bytes:
    """Return the draft as UTF-8 plain text."""
    return build_text(draft, edition=edition).encode("utf-8")


class _Builder(Protocol):
    """Render a draft of one edition as file bytes."""

    def __call__(self, draft: Draft, *, edition: Edition = ...) -> bytes: ...


#: The builders imported on first use (PEP 562 ``__getattr__``), by name: their modules.
_LAZY_BUILDERS = {"build_docx": "bot.draft.docx", "build_pdf": "bot.draft.pdf"}


def __getattr__(name: str) -> Any:
    """Import the DOCX or PDF builder when it is first asked for."""
    if name in _LAZY_BUILDERS:
        return getattr(importlib.import_module(_LAZY_BUILDERS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build(draft: Draft, fmt: str, *, edition: Edition = "clean") -> bytes:
    """Return the draft as a file of format ``fmt`` ("docx", "pdf" or "txt") and edition."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown draft edition {edition!r}; expected one of {EDITIONS}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown draft format {fmt!r}; expected one of {FORMATS}")
    builder: _Builder = _build_txt if fmt == "txt" else __getattr__(f"build_{fmt}")
    return builder(draft, edition=edition)


def file_name(draft: Draft, edition: Edition) -> str:
    """Return the draft's file name (no extension) for one edition, ending with its name."""
    suffix = f"-{draft_labels().editions[edition]}"
    stem = cut_bytes(draft.file_stem, FILE_STEM_BYTES - len(suffix.encode("utf-8"))).strip()
    return stem + suffix


def content_disposition(filename: str, ext: str) -> str:
    """Return an ``attachment`` header naming the file in ASCII and in UTF-8 (RFC 6266/5987)."""
    ext = ext.lstrip(".")
    full = f"{filename}.{ext}"
    encoded = quote(full, safe=_ATTR_CHARS, encoding="utf-8")
    return f"attachment; filename=\"{_ascii_stem(filename)}.{ext}\"; filename*=UTF-8''{encoded}"


def _ascii_stem(filename: str) -> str:
    """Return ``filename`` if it is plain ASCII, else our name plus its ASCII fragments."""
    folded = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    stem = _NOT_ASCII_NAME.sub("-", folded).strip("-._")
    if stem == filename:
        return stem
    return f"{FALLBACK_STEM}-{stem}" if stem else FALLBACK_STEM


__all__ = [
    "EDITIONS",
    "FORMATS",
    "Edition",
    "Draft",
    "DraftAnswer",
    "MIME_TYPES",
    "build",
    "build_docx",
    "build_pdf",
    "build_text",
    "content_disposition",
    "file_name",
    "font_path",
    "render_preview",
    "warm_up",
]
