"""Draft files built once per revision of an application, shared by every worker.

A download used to build its DOCX or PDF inside the web request. From here the file is
built once per revision (outside the web worker, :mod:`bot.delivery.builds`) and kept in
``draft_files``: one row per application and kind ("clean/pdf", …), replaced by the next
revision's, with the SHA-256 of everything the file is made of. Rows go with their
application (ON DELETE CASCADE), with delete my data and with the retention purge.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-09
"""
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0009"
# "0008" as given; until the migration 0008 of the work done beside this one is in the tree,
# the newest one there, so that the chain always has one head (the lead fixes it).
_EARLIER = sorted(p.name[:4] for p in Path(__file__).parent.glob("00[0-9][0-9]_*.py")
                  if p.name[:4] < revision)
down_revision = "0008" if "0008" in _EARLIER else _EARLIER[-1]
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``draft_files``, keyed by application and kind."""
    op.create_table(
        "draft_files",
        sa.Column("application_id", sa.Integer(),
                  sa.ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("reason", sa.String(16), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_draft_files_started_at", "draft_files", ["started_at"])


def downgrade() -> None:
    """Drop ``draft_files``: files are built again on the next download."""
    op.drop_index("ix_draft_files_started_at", table_name="draft_files")
    op.drop_table("draft_files")
