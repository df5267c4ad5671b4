"""Draft links that can be revoked: an opaque link id kept with its application and chat.

A token used to carry the application id and its chat's LINE id, readable by anyone who
decoded it, and could not be revoked before it expired. From here a token carries only a
random link id; its row says which application of which chat it opens, who asked for it
(None for a group member LINE did not name) and until when. Revoking deletes rows: by
chat (the revoke command, leave, unfollow), by chat and member (memberLeft), by member
(delete my data), by application and chat (cascades) and by expiry (purge) — each through
an index. Tokens issued before this migration have no row and answer 410.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``draft_links`` with the indexes its revocations and purge look rows up by."""
    op.create_table(
        "draft_links",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("application_id", sa.Integer(),
                  sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
        sa.Column("owner_id", sa.String(64), sa.ForeignKey("owners.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("member_id", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_draft_links_owner_member", "draft_links", ["owner_id", "member_id"])
    op.create_index("ix_draft_links_member_id", "draft_links", ["member_id"])
    op.create_index("ix_draft_links_application_id", "draft_links", ["application_id"])
    op.create_index("ix_draft_links_expires_at", "draft_links", ["expires_at"])


def downgrade() -> None:
    """Drop ``draft_links``: every link given out since the upgrade stops opening."""
    op.drop_index("ix_draft_links_expires_at", table_name="draft_links")
    op.drop_index("ix_draft_links_application_id", table_name="draft_links")
    op.drop_index("ix_draft_links_member_id", table_name="draft_links")
    op.drop_index("ix_draft_links_owner_member", table_name="draft_links")
    op.drop_table("draft_links")
