"""Keep each answer part's word count.

Acknowledging a message then adds the new part's words to the others' instead of
tokenizing the whole answer again. Existing parts are counted once here.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answer_parts") as batch:
        batch.add_column(sa.Column("words", sa.Integer(), nullable=False, server_default="0"))
    parts = sa.table("answer_parts", sa.column("id", sa.Integer), sa.column("text", sa.Text),
                     sa.column("words", sa.Integer))
    connection = op.get_bind()
    rows = connection.execute(sa.select(parts.c.id, parts.c.text)).all()
    if rows:
        from bot.analysis import word_count

        for part_id, text in rows:
            connection.execute(sa.update(parts).where(parts.c.id == part_id)
                               .values(words=word_count(text)))


def downgrade() -> None:
    with op.batch_alter_table("answer_parts") as batch:
        batch.drop_column("words")
