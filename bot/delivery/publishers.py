"""What the draft command answers: a card of signed links (LINE, browser), or files (terminal).

The terminal's files need no link, so :class:`FilePublisher` records none.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bot.coach.link_ports import LinkStore
from bot.coach.messages import Button, Card, Reply, Text
from bot.coach.ports import Analyzer, AnswerRecord, ApplicationRecord
from bot.coach.texts import Texts
from bot.draft import EDITIONS, FORMATS, build, file_name
from bot.rubrics import RubricSet

from .compile import compile_draft
from .links import DraftLinks


class LinkPublisher:
    """Answer with a card of signed links: the clean PDF and DOCX, the working DOCX, the preview.

    Each card's buttons share one new link id, recorded in the chat's store with the member
    who asked, so that revoking (a command, the member leaving, deletion) finds it.

    Four buttons fit a phone screen under the card's body; the working PDF and the text
    files of both editions are one tap further, on the preview page.
    """

    def __init__(self, links: DraftLinks, texts: Texts, *, editor: bool = False) -> None:
        """Sign links with ``links``, word the card with ``texts``; ``editor``: offer the editor.

        The editor's button sends the edit-on-web command, which answers with its own
        short-lived link: the card's link stays one link, and no editor link is made unasked.
        """
        self.links = links
        self.texts = texts
        self.editor = editor

    def __call__(self, application: ApplicationRecord, answers: dict[int, AnswerRecord], *,
                 chat_id: str, member_id: str | None, store: LinkStore) -> list[Reply]:
        """Record a new link for the member who asked and return the card; nothing is built yet."""
        now = datetime.now(UTC)
        link_id = store.issue_link(application.id, member_id=member_id, at=now,
                                   expires_at=now + self.links.max_age)
        urls = self.links.urls(link_id)
        days = self.links.days
        answered = sum(1 for a in answers.values() if a.has_text)
        card = Card(title=self.texts.get("draft_card_title", title=application.title),
                    body=self.texts.get("draft_card_body", answered=answered, days=days),
                    buttons=(Button(self.texts.label("draft_pdf"), url=urls["clean/pdf"]),
                             Button(self.texts.label("draft_docx"), url=urls["clean/docx"]),
                             Button(self.texts.label("draft_working"),
                                    url=urls["working/docx"]),
                             Button(self.texts.label("draft_preview"), url=urls["preview"])))
        if self.editor:
            card = replace(card, buttons=(*card.buttons, Button(
                self.texts.label("edit_on_web"), text=self.texts.word("edit_on_web"))))
        return [card]


class FilePublisher:
    """Write both editions of the draft as DOCX, PDF and text into a folder; list them."""

    def __init__(self, folder: Path, texts: Texts, *, rubrics: RubricSet,
                 analyzer: Analyzer | None) -> None:
        """Write into ``folder``, compiling with ``rubrics`` and ``analyzer``."""
        self.folder = Path(folder)
        self.texts = texts
        self.rubrics = rubrics
        self.analyzer = analyzer

    def __call__(self, application: ApplicationRecord, answers: dict[int, AnswerRecord], *,
                 chat_id: str, member_id: str | None, store: LinkStore) -> list[Reply]:
        """Build the files now (the terminal has no two-second limit) and list their paths."""
        draft = compile_draft(application, answers, rubrics=self.rubrics, analyzer=self.analyzer)
        self.folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for edition in EDITIONS:
            stem = f"{file_name(draft, edition)}-{application.id}"
            for fmt in FORMATS:
                path = self.folder / f"{stem}.{fmt}"
                path.write_bytes(build(draft, fmt, edition=edition))
                paths.append(str(path.resolve()))
        return [Text(self.texts.get("draft_files", title=application.title,
                                    paths="\n".join(paths)))]
