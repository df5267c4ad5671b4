"""Retention and scoped deletion: what purging and "delete my data" look rows up by.

- ``owners.ended_at``: when the chat ended (``unfollow``, ``leave``); purged a period later.
- ``applications.notice_at``: when the chat was told an idle application will be deleted.
- Indexes on ``processed_events.received_at`` (pruned by age), ``owners.ended_at``,
  ``applications.updated_at`` (idle ones) and ``applications.created_by`` (deletion).
- ``chat_members``: the members a group's or room's context has per-member entries for, so
  that deletion visits only those chats instead of reading every chat's context. Filled here
  from the contexts already stored.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: The per-member tables of a context on the day this was written (bot.coach.ports).
MEMBER_TABLES = ("edits", "confirm_delete", "undone", "pending_text", "edit_windows",
                 "awaiting_detail")


def upgrade() -> None:
    """Add the columns, the indexes and the chat members, filled from the stored contexts."""
    with op.batch_alter_table("owners") as batch:
        batch.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_owners_ended_at", ["ended_at"])
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("notice_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_applications_created_by", ["created_by"])
        batch.create_index("ix_applications_updated_at", ["updated_at"])
    op.create_index("ix_processed_events_received_at", "processed_events", ["received_at"])
    members = op.create_table(
        "chat_members",
        sa.Column("owner_id", sa.String(64),
                  sa.ForeignKey("owners.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_id", sa.String(64), primary_key=True))
    op.create_index("ix_chat_members_user_id", "chat_members", ["user_id"])
    rows = [{"owner_id": owner_id, "user_id": user_id}
            for owner_id, context in op.get_bind().execute(
                sa.text("SELECT id, context FROM owners WHERE kind <> 'user'"))
            for user_id in sorted(named_members(context))]
    if rows:
        op.bulk_insert(members, rows)


def named_members(context: object) -> set[str]:
    """Return the user ids a stored context has per-member entries for."""
    if isinstance(context, str):
        context = json.loads(context)
    if not isinstance(context, dict):
        return set()
    return {str(user) for key in MEMBER_TABLES if isinstance(context.get(key), dict)
            for user in context[key]}


def downgrade() -> None:
    """Drop the chat members, the indexes and the columns."""
    op.drop_index("ix_chat_members_user_id", table_name="chat_members")
    op.drop_table("chat_members")
    op.drop_index("ix_processed_events_received_at", table_name="processed_events")
    with op.batch_alter_table("applications") as batch:
        batch.drop_index("ix_applications_updated_at")
        batch.drop_index("ix_applications_created_by")
        batch.drop_column("notice_at")
    with op.batch_alter_table("owners") as batch:
        batch.drop_index("ix_owners_ended_at")
        batch.drop_column("ended_at")
