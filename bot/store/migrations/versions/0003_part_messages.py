"""Keep each answer part's LINE message id and quote token, and when its text was last edited.

A member may edit a text in LINE (``messageEdited``, groups only) or unsend it; the part
that came from that message is found by its id. Edits may arrive out of order, so the part
keeps the time of the edit that gave it its text: an older edit arriving later changes
nothing. Message ids are unique (a LINE message is one part at most); parts typed in the
terminal have none, and there may be any number of those. Existing parts have no id.

The quote token lets a reply quote the message the part came from (a finding pointing at
the message that holds it); LINE's tokens do not expire, and their length is not
documented, hence a text column. Parts typed in the terminal, and existing parts, have none.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the message id (unique, nullable), the quote token and the edit time to the parts."""
    with op.batch_alter_table("answer_parts") as batch:
        batch.add_column(sa.Column("message_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("quote_token", sa.Text(), nullable=True))
        batch.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ux_answer_parts_message_id", "answer_parts", ["message_id"], unique=True)


def downgrade() -> None:
    """Drop the message id, the quote token and the edit time."""
    op.drop_index("ux_answer_parts_message_id", table_name="answer_parts")
    with op.batch_alter_table("answer_parts") as batch:
        batch.drop_column("edited_at")
        batch.drop_column("quote_token")
        batch.drop_column("message_id")
