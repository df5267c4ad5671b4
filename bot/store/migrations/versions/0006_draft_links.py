"""Draft links that can be revoked: an opaque link id kept with its application and chat.

(Skeleton laid down first; filled in by the link work of issue 14.)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
from alembic import op  # noqa: F401

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
