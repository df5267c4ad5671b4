"""Editor links: a draft link row says what it opens, the draft pages or the answer editor.

An editor link (``/e/<token>``) is kept in ``draft_links`` beside the draft links, so that
every revocation that deletes a chat's or a member's draft links (the revoke command,
memberLeft, leave, unfollow, delete my data, the purge of expired links) deletes its editor
links too, through the same indexes. ``kind`` is "draft" for every row already there.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``draft_links.kind``, "draft" for the links given out so far."""
    with op.batch_alter_table("draft_links") as batch:
        batch.add_column(sa.Column("kind", sa.String(8), nullable=False,
                                   server_default="draft"))


def downgrade() -> None:
    """Delete the editor links (they would open the draft pages) and drop ``kind``."""
    op.execute("DELETE FROM draft_links WHERE kind <> 'draft'")
    with op.batch_alter_table("draft_links") as batch:
        batch.drop_column("kind")
