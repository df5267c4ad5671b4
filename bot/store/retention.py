"""Retention: delete what is kept longer than the published policy allows, in bounded batches.

- A chat that ended (``unfollow``: the officer blocked the bot; ``leave``: the bot was
  removed from the group) is deleted whole ``ended_days`` after it ended, unless a
  ``follow`` or ``join`` brought it back meanwhile (that clears ``owners.ended_at``): a
  group with its applications, its members' entries and its links. A 1:1 chat takes with
  it everything of its member, as "delete my data" does
  (:func:`~bot.store.deletion.erase_member`: their parts in groups, their entries in
  groups' contexts, their links, the titles and details they typed replaced by a
  placeholder the group is told about), unless they wrote in a group since they blocked
  the bot (a part, an edit, a title, a link asked for): they still work there, and only
  their 1:1 chat goes.
- A webhook event id is kept ``event_days``, as long as LINE may redeliver the event.
- A draft link's row goes once the link expired (it opens no more anyway); a built draft
  file a day after it was built, or once no link opens its application.
- An application with no change (to it or its answers) for ``idle_days`` is deleted, but
  only once its chat was told, ``notice_days`` before, by a pushed message: with no way to
  push (no LINE channel configured) idle applications are kept. A chat with no application
  left and idle as long goes too.

Each batch (of event ids, links or idle applications; an ended chat is one) is one short
transaction (on SQLite one ``BEGIN IMMEDIATE``), so the webhook waits for at most one.
:func:`purge` takes a lock first (a PostgreSQL advisory lock, a file lock beside a SQLite
database) so only one purge runs at a time across processes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, and_, delete, or_, select, update
from sqlalchemy.orm import Session

from .database import Database
from .deletion import erase_member, forget_unsent
from .draft_files import purge_files
from .links import purge_expired_links
from .models import Answer, AnswerPart, Application, DraftLink, Owner, ProcessedEvent
from .records import utc

#: Any fixed number, other than the migration's; the purging session holds it.
PURGE_LOCK_KEY = 0x70757267  # "purg"
#: How long a built draft file is kept (personal data; it is built again when opened).
FILE_DAYS = timedelta(days=1)
#: Chats deleted per transaction: each takes its applications, answers and parts with it.
CHATS_PER_BATCH = 20


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each kind of data is kept, in days, and how many rows a transaction takes."""

    ended_days: float = 30
    event_days: float = 3
    idle_days: float = 365
    notice_days: float = 14
    batch: int = 500

    def __post_init__(self) -> None:
        """Refuse a policy that could not be kept: negative periods, a late notice."""
        if min(self.ended_days, self.event_days, self.notice_days) < 0 or self.batch < 1:
            raise ValueError("retention periods must be positive and the batch at least 1")
        if self.notice_days >= self.idle_days:
            raise ValueError("the idle notice must come before the idle period ends")


@dataclass(frozen=True)
class IdleApplication:
    """An idle application its chat is to be told about, and when it will be deleted."""

    id: int
    title: str
    delete_on: datetime


#: Tell a chat its idle applications will be deleted; return whether the message went out.
Notifier = Callable[[str, Sequence[IdleApplication]], bool]


@dataclass
class PurgeReport:
    """What a purge did, as counts (never ids: they are personal data)."""

    ended_chats: int = 0
    members_erased: int = 0  # 1:1 chats whose member's parts in groups went too
    members_kept: int = 0  # 1:1 chats whose member wrote in a group since: kept there
    events: int = 0
    links: int = 0
    draft_files: int = 0
    notices: int = 0
    idle_applications: int = 0
    idle_chats: int = 0
    skipped: bool = False  # another purge held the lock
    could_tell: bool = True  # False: no way to tell a chat, so idle applications were kept

    def lines(self) -> list[str]:
        """Describe the purge in one line per kind of row."""
        if self.skipped:
            return ["another purge is running; nothing done"]
        idle = [f"idle-application notices sent: {self.notices}",
                f"idle applications deleted: {self.idle_applications}"]
        if not self.could_tell:
            idle = ["idle applications kept: no LINE channel access token to tell their chats"]
        return [f"ended chats deleted: {self.ended_chats}",
                f"blocked 1:1 chats whose member went everywhere: {self.members_erased}",
                "blocked 1:1 chats whose member wrote in a group since (kept there): "
                f"{self.members_kept}",
                f"processed event ids deleted: {self.events}",
                f"expired draft link rows deleted: {self.links}",
                f"built draft files deleted (a day old, or no link opens them): "
                f"{self.draft_files}", *idle,
                f"idle chats with no application deleted: {self.idle_chats}"]


def purge(database: Database, policy: RetentionPolicy, *, notify: Notifier | None = None,
          now: datetime | None = None, placeholder: str | None = None) -> PurgeReport:
    """Apply the retention policy once; idle applications only when ``notify`` can tell.

    ``placeholder`` replaces the titles and details an erased member typed in groups
    (default: the wording's ``deleted_placeholder``).
    """
    now = utc(now or datetime.now(UTC))
    with _purge_lock(database) as held:
        if held is None:
            return PurgeReport(skipped=True)
        report = PurgeReport(could_tell=notify is not None)
        _purge_ended_chats(database, now - timedelta(policy.ended_days),
                           placeholder or _placeholder(), report)
        report.events = _purge_events(database, now - timedelta(policy.event_days),
                                      policy.batch)
        report.links = purge_expired_links(database, now=now, batch=policy.batch)
        report.draft_files = purge_files(database, started_before=now - FILE_DAYS)
        if notify is not None:
            report.notices = _give_notices(database, policy, now, notify)
            report.idle_applications = _purge_idle_applications(database, policy, now)
        report.idle_chats = _purge_idle_chats(database, now - timedelta(policy.idle_days))
    database.checkpoint()  # SQLite: the deleted rows leave the -wal file too
    return report


def _rowcount(result: Any) -> int:
    """Return how many rows a DELETE or UPDATE touched."""
    return cast(CursorResult[Any], result).rowcount or 0


def _placeholder() -> str:
    """Return the wording's placeholder for what a deleted member typed."""
    from bot.coach.texts import default_texts

    return default_texts().get("deleted_placeholder")


def _purge_ended_chats(database: Database, cutoff: datetime, placeholder: str,
                       report: PurgeReport) -> None:
    """Delete the chats that ended before ``cutoff``, one per transaction."""
    after = ""
    while True:
        with database.session() as session:
            ids = list(session.scalars(select(Owner.id)
                                       .where(Owner.ended_at < cutoff, Owner.id > after)
                                       .order_by(Owner.id).limit(CHATS_PER_BATCH)))
        for chat_id in ids:
            _purge_ended_chat(database, chat_id, cutoff, placeholder, report)
        if len(ids) < CHATS_PER_BATCH:
            return
        after = ids[-1]


def _purge_ended_chat(database: Database, chat_id: str, cutoff: datetime, placeholder: str,
                      report: PurgeReport) -> None:
    """Delete one ended chat; a blocked 1:1 chat's member everywhere, unless still at work."""
    with database.session() as session:
        # Locked and checked again: a follow or join may have brought it back.
        owner = session.scalar(select(Owner).where(Owner.id == chat_id, Owner.ended_at < cutoff)
                               .with_for_update())
        if owner is None or owner.ended_at is None:
            return
        report.ended_chats += 1
        if owner.kind == "user" and not wrote_in_a_group_since(session, chat_id,
                                                               utc(owner.ended_at)):
            erase_member(session, chat_id, placeholder=placeholder)
            report.members_erased += 1
            return
        report.members_kept += owner.kind == "user"
        forget_unsent(session, [chat_id])
        # A group's applications, members' entries (its context, chat_members) and links
        # go with it (ON DELETE CASCADE).
        session.execute(delete(Owner).where(Owner.id == chat_id)
                        .execution_options(synchronize_session=False))


def wrote_in_a_group_since(session: Session, user_id: str, moment: datetime) -> bool:
    """Tell whether the member wrote in a group at or after ``moment``.

    A part sent or edited, a title typed (an application created), a draft link asked
    for: each is looked up through the member's index. After an ``unfollow`` nothing of
    theirs can come from their 1:1 chat, so whatever is found was written in a group.
    """
    traces = (
        select(AnswerPart.id).where(AnswerPart.author_id == user_id,
                                    or_(AnswerPart.sent_at >= moment,
                                        AnswerPart.edited_at >= moment)),
        select(Application.id).where(Application.created_by == user_id,
                                     Application.created_at >= moment),
        select(DraftLink.id).where(DraftLink.member_id == user_id,
                                   DraftLink.created_at >= moment),
    )
    return any(session.scalar(trace.limit(1)) is not None for trace in traces)


def _purge_events(database: Database, cutoff: datetime, batch: int) -> int:
    """Delete the event ids received before ``cutoff``, ``batch`` per transaction."""
    deleted = 0
    while True:
        with database.session() as session:
            oldest = (select(ProcessedEvent.event_id).where(ProcessedEvent.received_at < cutoff)
                      .limit(batch))
            count = _rowcount(session.execute(
                delete(ProcessedEvent).where(ProcessedEvent.event_id.in_(oldest))
                .execution_options(synchronize_session=False)))
        deleted += count
        if count < batch:
            return deleted


def _changed_since(moment: Any) -> Any:
    """Return the condition: the application or one of its answers changed at or after it."""
    answered = (select(Answer.id).where(Answer.application_id == Application.id,
                                        Answer.updated_at >= moment).exists())
    return or_(Application.updated_at >= moment, answered)


def _idle(cutoff: datetime) -> Any:
    """Return the condition: the application and its answers unchanged since ``cutoff``."""
    return ~_changed_since(cutoff)


def _told() -> Any:
    """Return the condition: the chat was told, and nothing changed since."""
    return and_(Application.notice_at.is_not(None), ~_changed_since(Application.notice_at))


def _give_notices(database: Database, policy: RetentionPolicy, now: datetime,
                  notify: Notifier) -> int:
    """Tell each chat about its applications that will be idle long enough soon."""
    cutoff = now - timedelta(policy.idle_days - policy.notice_days)
    with database.session() as session:
        # An ended chat cannot be told (it blocked the bot, or the bot left): it goes whole.
        rows = session.execute(select(Application.owner_id, Application.id, Application.title)
                               .join(Owner, Application.owner_id == Owner.id)
                               .where(_idle(cutoff), ~_told(), Owner.ended_at.is_(None))
                               .order_by(Application.owner_id, Application.id)).all()
    by_chat: dict[str, list[IdleApplication]] = {}
    delete_on = now + timedelta(policy.notice_days)
    for owner_id, application_id, title in rows:
        by_chat.setdefault(owner_id, []).append(IdleApplication(application_id, title, delete_on))
    told = 0
    for chat_id, applications in by_chat.items():
        if notify(chat_id, applications):
            told += _mark_told(database, [a.id for a in applications], cutoff, now)
    return told


def _mark_told(database: Database, ids: list[int], cutoff: datetime, now: datetime) -> int:
    """Record that the chat was told, for the applications still idle."""
    with database.session() as session:
        return _rowcount(session.execute(
            update(Application).where(Application.id.in_(ids), _idle(cutoff))
            .values(notice_at=now).execution_options(synchronize_session=False)))


def _purge_idle_applications(database: Database, policy: RetentionPolicy,
                             now: datetime) -> int:
    """Delete the applications idle long enough whose chat was told long enough ago."""
    cutoff = now - timedelta(policy.idle_days)
    told = and_(_told(), Application.notice_at <= now - timedelta(policy.notice_days))
    deleted = 0
    while True:
        with database.session() as session:
            ids = list(session.scalars(select(Application.id).where(_idle(cutoff), told)
                                       .order_by(Application.id).limit(CHATS_PER_BATCH)))
            deleted += _rowcount(session.execute(
                delete(Application).where(Application.id.in_(ids), _idle(cutoff), told)
                .execution_options(synchronize_session=False)))
        if len(ids) < CHATS_PER_BATCH:
            return deleted


def _purge_idle_chats(database: Database, cutoff: datetime) -> int:
    """Delete the chats with no application left that have been idle since ``cutoff``."""
    empty = ~select(Application.id).where(Application.owner_id == Owner.id).exists()
    deleted = 0
    while True:
        with database.session() as session:
            ids = list(session.scalars(select(Owner.id).where(Owner.updated_at < cutoff, empty)
                                       .order_by(Owner.id).limit(CHATS_PER_BATCH)))
            deleted += _rowcount(session.execute(
                delete(Owner).where(Owner.id.in_(ids), Owner.updated_at < cutoff, empty)
                .execution_options(synchronize_session=False)))
        if len(ids) < CHATS_PER_BATCH:
            return deleted


def _purge_lock(database: Database) -> AbstractContextManager[Connection | None]:
    """Hold the purge lock if no other process holds it; yield None if another does."""
    return database.process_lock("purge", PURGE_LOCK_KEY, wait=False)


#: The settings of the policy: the environment variable and the field it sets.
SETTINGS = (("RETENTION_ENDED_DAYS", "ended_days"), ("RETENTION_EVENT_DAYS", "event_days"),
            ("RETENTION_IDLE_DAYS", "idle_days"), ("RETENTION_NOTICE_DAYS", "notice_days"),
            ("PURGE_BATCH", "batch"))


def retention_policy(settings: Mapping[str, Any]) -> RetentionPolicy:
    """Read the policy from settings (the environment, the app's config); ValueError names one."""
    values: dict[str, Any] = {}
    for name, attribute in SETTINGS:
        raw = settings.get(name)
        if raw in (None, ""):
            continue
        try:
            values[attribute] = int(raw) if attribute == "batch" else float(raw)
        except (TypeError, ValueError):
            raise ValueError(f"invalid setting {name}={raw!r}: expected a number") from None
    return RetentionPolicy(**values)
