"""Build the phone-first HTML page where an officer reads the draft before downloading it.

The page is the working view: the title block, progress per dimension, every answer with
the assistant's findings beside it (quoted phrases marked inside the answer), the gaps,
and the download buttons of both editions, named and explained (``draft.editions``,
``draft.edition_notes``). ``links`` are keyed "<edition>/<kind>", e.g. "clean/pdf".
It loads nothing from outside: Sarabun comes from ``font_url``,
which the web app serves from :func:`bot.draft.fonts.font_path`.

``font_url`` may contain ``{weight}``; it is replaced by each name ``font_path`` accepts
("regular", "bold") to declare both faces. Without it, the URL is the regular face and
the browser thickens it for bold text.

Answers are user text: the template is rendered with autoescaping on, and marked
phrases are passed as segments, never as HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup

from bot.analysis.report import Finding
from bot.draft.fonts import CSS_WEIGHTS, FONT_FILES
from bot.draft.labels import draft_labels
from bot.draft.model import Draft
from bot.draft.outline import EDITIONS, Edition, Entry, Section, outline

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Download buttons of each edition, in the order they appear.
DOWNLOAD_KINDS = ("pdf", "docx", "txt")
_CSS_SAFE = re.compile(r"[A-Za-z0-9/:._~%?&=+,;@!$*()\[\]#-]")


@dataclass(frozen=True)
class Segment:
    """A run of answer text, marked when it is a phrase a finding quotes."""

    text: str
    marked: bool = False


@dataclass(frozen=True)
class Downloads:
    """The download buttons of one edition: its name, what it is for, (kind, label, URL)."""

    edition: Edition
    name: str
    note: str
    buttons: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Progress:
    """How far one section is: answered and total questions, and its points."""

    heading: str
    points: int | None
    answered: int
    total: int

    @property
    def percent(self) -> int:
        """Return the share of answered questions, 0–100."""
        return round(100 * self.answered / self.total) if self.total else 0


def render_preview(draft: Draft, links: dict[str, str], *, font_url: str) -> str:
    """Render the working view of ``draft`` with download ``links`` by "<edition>/<kind>"."""
    plan = outline(draft, "working")
    labels = draft_labels()
    return _template().render(
        plan=plan,
        labels=labels,
        progress=[_progress(s) for s in plan.sections],
        total=_total(plan.sections),
        entries={e.number: _segments(e) for e in plan.entries},
        view=labels.preview_edition.format(edition=labels.editions["working"]),
        downloads=[d for d in (_downloads(e, links) for e in EDITIONS) if d.buttons],
        fonts=_font_faces(font_url),
    )


def _downloads(edition: Edition, links: dict[str, str]) -> Downloads:
    """Return the download buttons of one edition, those without a link left out."""
    labels = draft_labels()
    buttons = tuple((kind, labels.downloads[kind], links[f"{edition}/{kind}"])
                    for kind in DOWNLOAD_KINDS if links.get(f"{edition}/{kind}"))
    return Downloads(edition=edition, name=labels.editions[edition],
                     note=labels.edition_notes[edition], buttons=buttons)


def _progress(section: Section) -> Progress:
    """Summarise one section's progress."""
    points = section.dimension.points if section.dimension is not None else None
    return Progress(heading=section.heading, points=points,
                    answered=section.answered, total=len(section.entries))


def _total(sections: tuple[Section, ...]) -> Progress:
    """Summarise the progress of the whole draft."""
    return Progress(heading=draft_labels().progress_total, points=None,
                    answered=sum(s.answered for s in sections),
                    total=sum(len(s.entries) for s in sections))


def _segments(entry: Entry) -> list[list[Segment]]:
    """Split each paragraph of ``entry`` into plain and marked segments."""
    quotes = _quotes(entry.findings)
    return [mark(paragraph, quotes) for paragraph in entry.paragraphs]


def _quotes(findings: tuple[Finding, ...]) -> list[str]:
    """Return the distinct quoted phrases of ``findings``."""
    return sorted({f.quote.strip() for f in findings if f.quote and f.quote.strip()})


def mark(text: str, quotes: list[str]) -> list[Segment]:
    """Split ``text`` so every occurrence of a quoted phrase is its own marked segment."""
    if not quotes:
        return [Segment(text)]
    # Longest first, so a phrase that contains another is marked whole.
    ordered = sorted(set(quotes), key=lambda q: (-len(q), q))
    pattern = re.compile("|".join(re.escape(q) for q in ordered))
    segments: list[Segment] = []
    start = 0
    for match in pattern.finditer(text):
        if match.start() > start:
            segments.append(Segment(text[start:match.start()]))
        segments.append(Segment(match.group(), marked=True))
        start = match.end()
    if start < len(text):
        segments.append(Segment(text[start:]))
    return segments


def _font_faces(font_url: str) -> list[tuple[int, Markup]]:
    """Return (CSS weight, quoted URL) for each Sarabun face the page declares."""
    if "{weight}" not in font_url:
        return [(400, css_string(font_url))]
    return [(CSS_WEIGHTS[name], css_string(font_url.replace("{weight}", name)))
            for name in FONT_FILES]


def css_string(value: str) -> Markup:
    """Quote ``value`` as a CSS string, escaping anything that could end it or the style."""
    escaped = "".join(ch if _CSS_SAFE.fullmatch(ch) else f"\\{ord(ch):x} " for ch in value)
    return Markup(f'"{escaped}"')


@lru_cache(maxsize=1)
def _template() -> Template:
    """Load and compile the preview template once, with autoescaping on."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("preview.html")
