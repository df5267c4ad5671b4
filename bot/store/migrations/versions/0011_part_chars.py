"""Keep each answer part's length beside its word count, so that sums never read the text.

Every message an officer sends reads the open answer's parts to tell how long the answer is
(``bot.store.repository._chat_state``), and the limits read the whole application's. With
``sum(length(text))`` the database read every part's text to count its characters: an answer
of 80 one-thousand-character parts took 0.28 ms to read on SQLite, inside the write lock,
growing with the answer. ``chars`` is a generated column (``length(text)``, stored), so no
code path can write a part without it, and ``ix_answer_parts_counts`` holds the count, the
words and the characters of an answer's revision: the sums read the index alone (0.014 ms).

SQLite cannot add a stored generated column to a table, so there the table is rebuilt (its
rows copied, the column computed as they go in) and, as a rebuild drops a table's triggers,
migration 0008's trigger is made again (frozen here as 0008 wrote it); PostgreSQL adds the
column in place.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEX = "ix_answer_parts_counts"
COUNTED = ["answer_id", "revision", "words", "chars"]
#: Migration 0008's trigger on SQLite, as it made it: a part's insert touches its answer.
TOUCH_TRIGGER = """
    CREATE TRIGGER answer_parts_touch_answer AFTER INSERT ON answer_parts
    FOR EACH ROW BEGIN
        UPDATE answers SET status = 'answered', updated_at = NEW.sent_at
        WHERE id = NEW.answer_id;
    END"""


def upgrade() -> None:
    """Add ``answer_parts.chars`` (the length of its text) and the index that sums it."""
    column = sa.Column("chars", sa.Integer(), sa.Computed("length(text)", persisted=True),
                       nullable=True)
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("answer_parts", recreate="always") as batch:
            batch.add_column(column)
        op.execute(TOUCH_TRIGGER)
    else:
        op.add_column("answer_parts", column)
    op.create_index(INDEX, "answer_parts", COUNTED)


def downgrade() -> None:
    """Drop the index and the column (on SQLite in place: the trigger stays)."""
    op.drop_index(INDEX, table_name="answer_parts")
    op.drop_column("answer_parts", "chars")
