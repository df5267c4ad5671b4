"""The outbox: each event's replies kept with its id until a sender delivers them.

``processed_events`` gains what a sender needs to deliver an event's replies after the
webhook answered LINE: the chat, the reply token, the messages as LINE message objects
(JSON), a retry key fixed for the row (``X-Line-Retry-Key`` on every push), the attempts
made, when the next one is due (NULL once settled: the partial index holds only the rows
still to send), until when a sender holds the row (its lease), what the last attempt was
known to have done, when it was sent and how (replied, pushed, failed, given_up, erased).
Rows of events without replies carry no messages and are never due.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

DUE = sa.text("next_attempt_at IS NOT NULL")


def upgrade() -> None:
    """Add the outbox columns and the index of the rows still to send."""
    with op.batch_alter_table("processed_events") as table:
        table.add_column(sa.Column("chat_id", sa.String(64), nullable=True))
        table.add_column(sa.Column("reply_token", sa.Text(), nullable=True))
        table.add_column(sa.Column("messages", sa.JSON(), nullable=True))
        table.add_column(sa.Column("retry_key", sa.String(36), nullable=True))
        table.add_column(sa.Column("attempts", sa.Integer(), nullable=False,
                                   server_default="0"))
        table.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True),
                                   nullable=True))
        table.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("last_attempt", sa.String(16), nullable=True))
        table.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("delivery", sa.String(16), nullable=True))
    op.create_index("ix_processed_events_due", "processed_events", ["next_attempt_at"],
                    postgresql_where=DUE, sqlite_where=DUE)


def downgrade() -> None:
    """Drop the outbox: replies not yet sent are lost."""
    op.drop_index("ix_processed_events_due", table_name="processed_events")
    with op.batch_alter_table("processed_events") as table:
        for column in ("delivery", "sent_at", "last_attempt", "claimed_until", "next_attempt_at",
                       "attempts", "retry_key", "messages", "reply_token", "chat_id"):
            table.drop_column(column)
