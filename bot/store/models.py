"""SQLAlchemy 2.0 models: owners (chats), applications, answers and their parts.

An answer is never overwritten. Each message becomes an :class:`AnswerPart` with its
author and the time LINE says it was sent; an edit starts a new revision of the answer,
and the parts of earlier revisions stay as its earlier versions. A part keeps LINE's id of
its message, so that editing the message in LINE edits the part and unsending it deletes it,
and its quote token, so that a reply can quote it.
Deleting a user's data deletes the parts they wrote, in every revision, wherever they wrote
them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ID_LENGTH = 64  # LINE ids are 33 characters; leave room for the simulator's and tests' ids


class Base(DeclarativeBase):
    """Base of all models."""


class Owner(Base):
    """A chat that owns applications: one user's 1:1 chat, a group or a room."""

    __tablename__ = "owners"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(32), default="new")
    # Not a foreign key: the engine treats a vanished application as "none active".
    active_application_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: On SQLite, how many times a row of the chat changed (migration 0012's triggers keep
    #: it): an event that read the chat before taking the write turn checks it did not move.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: When the chat ended (unfollow, leave); its data goes a retention period later.
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True,
                                                      index=True)

    applications: Mapped[list[Application]] = relationship(
        back_populates="owner", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Application.id")


class Application(Base):
    """One award application of an owner."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    #: Who typed the title (the application is created from it) and so owns its details.
    created_by: Mapped[str | None] = mapped_column(String(ID_LENGTH), nullable=True, index=True)
    track: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300))
    agency: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: Who the awarding office may call about the application: a name and a phone number.
    contact: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: The award round applied for (Buddhist year); ``year`` is the criteria's year.
    award_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    current_question: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    #: When the chat was told the idle application will be deleted (retention).
    notice_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    owner: Mapped[Owner] = relationship(back_populates="applications")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="application", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Answer.question")


class Answer(Base):
    """The answer to one question of an application; its text lives in its parts."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("application_id", "question", name="uq_answer_question"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    question: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="empty")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    application: Mapped[Application] = relationship(back_populates="answers")
    parts: Mapped[list[AnswerPart]] = relationship(
        back_populates="answer", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(AnswerPart.revision, AnswerPart.sent_at, AnswerPart.id)")


class AnswerPart(Base):
    """One message that is part of an answer, with its author and its send time."""

    __tablename__ = "answer_parts"
    __table_args__ = (
        Index("ix_answer_parts_order", "answer_id", "revision", "sent_at", "id"),
        # An answer's count, words and characters, summed from the index alone.
        Index("ix_answer_parts_counts", "answer_id", "revision", "words", "chars"),
        # A LINE message is one part at most; parts typed without LINE (NULL) are many.
        Index("ux_answer_parts_message_id", "message_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    author_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), nullable=True, index=True)
    text: Mapped[str] = mapped_column(Text)
    #: The text's length in characters, kept by the database (migration 0011).
    chars: Mapped[int | None] = mapped_column(Integer, Computed("length(text)", persisted=True))
    #: Its word count, so that acknowledging a part never re-reads the whole answer.
    words: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: LINE's id of the message, to find the part when it is edited or unsent.
    message_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), nullable=True)
    #: LINE's token for quoting that message in a reply; LINE documents no length limit.
    quote_token: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: When the edit that gave the part its text was made: edits arrive out of order.
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    answer: Mapped[Answer] = relationship(back_populates="parts")


class ProcessedEvent(Base):
    """A webhook event that was processed; its id makes a redelivery change nothing.

    It is also the event's outbox row (see :mod:`bot.outbox`): the replies to deliver, kept
    until a sender has sent them (then the messages and token are cleared: personal data).
    """

    __tablename__ = "processed_events"
    __table_args__ = (
        Index("ix_processed_events_due", "next_attempt_at",
              postgresql_where=text("next_attempt_at IS NOT NULL"),
              sqlite_where=text("next_attempt_at IS NOT NULL")),
    )

    event_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    chat_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), nullable=True)
    reply_token: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: LINE message objects as JSON (``Message.to_dict()``, as bot.web.line_json writes it);
    #: NULL: nothing (more) to send.
    messages: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    #: The ``X-Line-Retry-Key`` of every push of this row: LINE sends a key's push once.
    retry_key: Mapped[str | None] = mapped_column(String(36), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: When a sender should try next; NULL once settled (only due rows are in the index).
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                             nullable=True)
    #: The lease: until then one sender holds the row.
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                           nullable=True)
    #: What the last attempt is known to have done: sending (no answer yet), unknown, not_sent.
    last_attempt: Mapped[str | None] = mapped_column(String(16), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: How it ended: replied, pushed, failed, given_up, erased.
    delivery: Mapped[str | None] = mapped_column(String(16), nullable=True)


class ChatMember(Base):
    """A member a group's or room's context has per-member entries for (what deletion visits)."""

    __tablename__ = "chat_members"

    owner_id: Mapped[str] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"),
                                          primary_key=True)
    user_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, index=True)


class DraftFile(Base):
    """A draft file built once for one revision of an application (bot.delivery.cache).

    One row per application and kind ("clean/pdf", ...): a newer revision's build replaces
    it, so the table holds at most one file per kind of each application. ``digest`` is
    the SHA-256 of everything the file is made of; a row whose digest is not the
    application's current one is never served. The file is personal data: it goes with
    its application (ON DELETE CASCADE), with delete my data and with the retention purge.
    """

    __tablename__ = "draft_files"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    #: "building" (claimed by a worker at ``started_at``), "ready" or "failed".
    status: Mapped[str] = mapped_column(String(8))
    #: Why a build failed: "timeout" (over DRAFT_BUILD_TIMEOUT); None otherwise.
    reason: Mapped[str | None] = mapped_column(String(16), nullable=True)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    built_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class DraftLink(Base):
    """A draft link given out: its random id (all a token carries), application, chat, asker.

    Revoking a link deletes its row (one indexed DELETE per revocation); a link whose row
    is gone answers 410. Rows go with their application or chat, and after ``expires_at``.
    """

    __tablename__ = "draft_links"
    __table_args__ = (Index("ix_draft_links_owner_member", "owner_id", "member_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    #: The member who asked (None: a group member LINE did not name).
    member_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    #: What the link opens: "draft" (the draft pages) or "editor" (the answer editor).
    kind: Mapped[str] = mapped_column(String(8), default="draft", server_default="draft")
