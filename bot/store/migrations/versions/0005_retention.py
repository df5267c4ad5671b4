"""Retention and scoped deletion: what purging and "delete my data" look rows up by.

(Skeleton laid down so that 0006 can follow; filled in by the privacy work of issue 14.)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from alembic import op  # noqa: F401

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
