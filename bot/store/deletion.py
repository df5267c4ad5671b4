"""Delete my data on SQLAlchemy: the deletion method of :class:`~bot.store.SqlStore`.

:func:`erase_member` does it inside any session: the store's (the member asked) and the
retention purge's (the member blocked the bot long enough ago, :mod:`bot.store.retention`).

Only the deleting member's rows are looked up, each through an index, so the time does not
grow with the other tenants: their parts (``answer_parts.author_id``), the answers those
parts were in, their own chat, the applications they created (``applications.created_by``)
and the groups whose context names them (``chat_members.user_id``, kept by
:meth:`~bot.store.SqlStore.save_conversation`). Those group rows are locked (in id order, so
two deletions cannot deadlock) and read again under the lock, so another member's change
committed meanwhile is never overwritten by a stale copy.

On SQLite every connection runs with ``secure_delete`` (deleted text is overwritten, not
left in free pages) and a deletion is followed by a WAL checkpoint that truncates the
``-wal`` file, so the deleted text is neither in the database file nor beside it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from bot.coach.forgetting import Cleared, forget_member

from .database import Database
from .draft_files import delete_files_of_answers, delete_files_of_applications
from .links import delete_member_links
from .models import Answer, AnswerPart, Application, ChatMember, Owner, ProcessedEvent
from .write_turn import hold_turn

#: The session flag that asks for a WAL checkpoint once the transaction is committed.
CHECKPOINT = "checkpoint_after_commit"
#: Ids per ``IN (...)`` list, well under every database's limit of bound parameters.
CHUNK = 500


class UserDeletion:
    """Delete one member's data, touching only their rows (mixed into the SqlStore)."""

    session: Session
    owner: Owner

    def delete_user_data(self, user_id: str, *, placeholder: str = "-") -> int:
        """Delete everything of one user: their chat, their parts, what they typed elsewhere."""
        hold_turn(self.session)  # it reads other chats' rows: under the turn, not a snapshot
        removed = erase_member(self.session, user_id, placeholder=placeholder)
        forget_unsent(self.session, [self.owner.id])  # replies there may quote what they wrote
        return removed


def erase_member(session: Session, user_id: str, *, placeholder: str = "-") -> int:
    """Delete everything of one user in ``session``; return their parts and applications.

    Also what the retention purge does to a member whose 1:1 chat ended long enough ago.
    """
    removed = _delete_parts(session, user_id)
    removed += _delete_own_chat(session, user_id)
    cleared = _clear_details(session, user_id, placeholder)
    # Built draft files hold the deleted text: they go too (a 1:1 chat's by cascade).
    delete_files_of_applications(session, [a for c in cleared.values() for a in c.applications])
    _forget_in_contexts(session, user_id, cleared)
    delete_member_links(session, user_id)
    forget_unsent(session, [user_id])
    session.flush()
    session.info[CHECKPOINT] = True
    return removed


def _delete_parts(session: Session, user_id: str) -> int:
    """Delete the user's parts; an answer left with no current part is empty again."""
    answer_ids = list(session.scalars(
        select(AnswerPart.answer_id).where(AnswerPart.author_id == user_id).distinct()))
    # A DELETE's result is a CursorResult, which has the row count; execute() says Result.
    deleted = cast(CursorResult[Any], session.execute(
        delete(AnswerPart).where(AnswerPart.author_id == user_id)))
    live = (select(AnswerPart.id)
            .where(AnswerPart.answer_id == Answer.id, AnswerPart.revision == Answer.revision)
            .exists())
    for chunk in chunks(answer_ids):
        delete_files_of_answers(session, chunk)
        session.execute(
            update(Answer).where(Answer.id.in_(chunk), Answer.status == "answered", ~live)
            .values(status="empty").execution_options(synchronize_session="fetch"))
    return deleted.rowcount or 0


def _delete_own_chat(session: Session, user_id: str) -> int:
    """Delete the user's 1:1 chat with its applications; return how many applications."""
    own = session.get(Owner, user_id)
    if own is None or own.kind != "user":
        return 0
    count = session.scalar(select(func.count()).select_from(Application)
                           .where(Application.owner_id == user_id)) or 0
    session.delete(own)
    session.flush()
    return count


def _clear_details(session: Session, user_id: str, placeholder: str) -> dict[str, Cleared]:
    """Replace what the user typed in applications they created elsewhere; say where."""
    cleared: dict[str, Cleared] = {}
    for row in session.scalars(select(Application).where(Application.created_by == user_id)):
        cleared.setdefault(row.owner_id, Cleared()).add(row.id, row.title, row.agency,
                                                        row.contact)
        row.title = placeholder
        row.agency = placeholder if row.agency else row.agency
        row.contact = placeholder if row.contact else row.contact
        row.created_by = None
    return cleared


def _forget_in_contexts(session: Session, user_id: str, cleared: dict[str, Cleared]) -> None:
    """Forget the member in the groups that name them; note the applications cleared."""
    named = set(session.scalars(select(ChatMember.owner_id)
                                .where(ChatMember.user_id == user_id)))
    candidates = sorted(named | set(cleared))
    for chunk in chunks(candidates):
        locked = (select(Owner).where(Owner.id.in_(chunk)).order_by(Owner.id)
                  .with_for_update().execution_options(populate_existing=True))
        for owner in session.scalars(locked):
            owner.context = forget_member(owner.context or {}, user_id, cleared.get(owner.id))
    session.execute(delete(ChatMember).where(ChatMember.user_id == user_id))


def forget_unsent(session: Session, chat_ids: Sequence[str]) -> None:
    """Clear the replies still waiting in the outbox for these chats (bot.outbox): no text
    of a deleted chat or member stays behind in an unsent row."""
    session.execute(
        update(ProcessedEvent)
        .where(ProcessedEvent.chat_id.in_(list(chat_ids)),
               ProcessedEvent.next_attempt_at.is_not(None))
        .values(messages=None, reply_token=None, next_attempt_at=None, claimed_until=None,
                delivery="erased")
        .execution_options(synchronize_session=False))


def chunks(ids: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """Yield ``ids`` in lists of at most :data:`CHUNK`."""
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def after_deletion(database: Database, session: Session) -> None:
    """Checkpoint SQLite's WAL when the committed transaction deleted a member's data."""
    if session.info.pop(CHECKPOINT, False):
        database.checkpoint()
