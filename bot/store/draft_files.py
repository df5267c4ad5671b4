"""Draft files on SQLAlchemy: built once per revision, claimed, stored, and deleted with the data.

``draft_files`` holds one row per application and kind ("clean/pdf", …). A worker that
finds no file for the application's current digest *claims* the row (one
``INSERT … ON CONFLICT DO UPDATE … WHERE``, on SQLite and PostgreSQL alike): the claim
replaces whatever file of an earlier revision was there, so that text since changed or
deleted is gone from the table at once, and only one worker (of any instance) builds a
revision. The builder stores the file only where the row still holds its digest: a row
deleted meanwhile (delete my data) or claimed for a newer revision is left alone.

:func:`delete_files_of_applications` and :func:`delete_files_of_answers` are for delete my
data; :func:`purge_files` for the retention purge. :mod:`bot.delivery.cache` is the user.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .database import Database
from .driver import DriverStatement
from .models import Answer, DraftFile, DraftLink
from .records import utc


@dataclass(frozen=True)
class StoredFile:
    """What ``draft_files`` holds for one application and kind."""

    digest: str
    status: str  # "building", "ready" or "failed"
    reason: str | None
    content: bytes | None
    started_at: datetime


def _rowcount(result: Any) -> int:
    """Return how many rows an INSERT, UPDATE or DELETE touched."""
    return cast(CursorResult[Any], result).rowcount or 0


#: One application's file of one kind; on PostgreSQL run on the driver, in binary.
_FILE_QUERY = (select(DraftFile.digest, DraftFile.status, DraftFile.reason, DraftFile.content,
                      DraftFile.started_at)
               .where(DraftFile.application_id == bindparam("application_id"),
                      DraftFile.kind == bindparam("kind")))
_FILE_ROW = DriverStatement(_FILE_QUERY)


def find_file(database: Database, application_id: int, kind: str) -> StoredFile | None:
    """Return the row of one application and kind, or None (read outside any lock: on SQLite
    a download reads its file without taking the write lock from the webhook).

    On PostgreSQL the row comes in the driver's binary format: in text a file's ``bytea``
    is hex, twice its size, which the server writes and the driver decodes (a 372 KiB PDF:
    3.3 ms a read, 1.1 ms of it the client's CPU; 0.5 ms in binary). SQLite's comes through
    SQLAlchemy, which turns its stored times into datetimes.
    """
    values = {"application_id": application_id, "kind": kind}
    with database.reading() as session:
        connection = session.connection()
        found = (_FILE_ROW.first(connection, values) if connection.dialect.name == "postgresql"
                 else connection.execute(_FILE_QUERY, values).first())
    if found is None:
        return None
    digest, status, reason, content, started_at = found
    return StoredFile(digest=digest, status=status, reason=reason,
                      content=None if content is None else bytes(content),
                      started_at=utc(started_at))


def claim_build(database: Database, application_id: int, kind: str, digest: str, *,
                now: datetime, stale_before: datetime) -> bool:
    """Claim the build of ``digest``; return False when another claim of it still holds.

    A row of another digest is replaced (its file dropped); a claim of the same digest
    made before ``stale_before`` (its worker died) is taken over.
    """
    insert = (postgresql.insert if database.engine.dialect.name == "postgresql"
              else sqlite.insert)
    statement = insert(DraftFile).values(
        application_id=application_id, kind=kind, digest=digest, status="building",
        reason=None, content=None, started_at=utc(now), built_at=None)
    statement = statement.on_conflict_do_update(
        index_elements=["application_id", "kind"],
        set_={"digest": digest, "status": "building", "reason": None, "content": None,
              "started_at": utc(now), "built_at": None},
        where=or_(DraftFile.digest != digest,
                  (DraftFile.status == "building") & (DraftFile.started_at < utc(stale_before))))
    with database.session() as session:
        # RETURNING, not the row count: an ORM session's INSERT does not report one.
        return session.execute(statement.returning(DraftFile.kind)).first() is not None


def _settle(database: Database, application_id: int, kind: str, digest: str,
            **values: Any) -> bool:
    """Update this digest's claim, if it still holds; return whether it did."""
    with database.session() as session:
        return _rowcount(session.execute(
            update(DraftFile).where(DraftFile.application_id == application_id,
                                    DraftFile.kind == kind, DraftFile.digest == digest)
            .values(**values).execution_options(synchronize_session=False))) == 1


def store_built(database: Database, application_id: int, kind: str, digest: str,
                content: bytes, *, now: datetime) -> bool:
    """Keep the built file, unless its claim was deleted or replaced meanwhile."""
    return _settle(database, application_id, kind, digest, status="ready", content=content,
                   built_at=utc(now))


def store_failure(database: Database, application_id: int, kind: str, digest: str,
                  reason: str, *, now: datetime) -> bool:
    """Remember that this digest cannot be built (``reason``), so it is not tried again."""
    return _settle(database, application_id, kind, digest, status="failed", reason=reason,
                   built_at=utc(now))


def drop_claim(database: Database, application_id: int, kind: str, digest: str) -> None:
    """Delete this digest's claim (a build that failed by accident is tried again)."""
    with database.session() as session:
        session.execute(delete(DraftFile).where(
            DraftFile.application_id == application_id, DraftFile.kind == kind,
            DraftFile.digest == digest))


def delete_files_of_applications(session: Session, application_ids: Sequence[int]) -> int:
    """Delete every file of these applications (their details were erased)."""
    if not application_ids:
        return 0
    return _rowcount(session.execute(
        delete(DraftFile).where(DraftFile.application_id.in_(list(application_ids)))
        .execution_options(synchronize_session=False)))


def delete_files_of_answers(session: Session, answer_ids: Sequence[int]) -> int:
    """Delete every file of the applications these answers belong to (parts were erased)."""
    if not answer_ids:
        return 0
    owners = select(Answer.application_id).where(Answer.id.in_(list(answer_ids)))
    return _rowcount(session.execute(
        delete(DraftFile).where(DraftFile.application_id.in_(owners))
        .execution_options(synchronize_session=False)))


def purge_files(database: Database, *, started_before: datetime) -> int:
    """Delete the files claimed before ``started_before`` and those no link opens any more."""
    unlinked = ~select(DraftLink.id).where(
        DraftLink.application_id == DraftFile.application_id).exists()
    with database.session() as session:
        return _rowcount(session.execute(
            delete(DraftFile).where(or_(DraftFile.started_at < utc(started_before), unlinked))
            .execution_options(synchronize_session=False)))
