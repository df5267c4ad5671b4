"""Keep each application's contact person and the award round it applies for.

The agency column exists since 0001. The award year is the round applied for, in the
Buddhist era; the application's ``year`` stays the year of the criteria it is written
against (2564). Existing applications have neither; the draft then leaves the lines out.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the contact person and the award year (both nullable)."""
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("contact", sa.String(300), nullable=True))
        batch.add_column(sa.Column("award_year", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Drop the contact person and the award year."""
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("award_year")
        batch.drop_column("contact")
