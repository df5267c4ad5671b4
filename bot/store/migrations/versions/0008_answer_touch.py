"""A part's insert marks its answer answered as of the part's send time, in the database.

Appending a message to an answer used to cost an UPDATE of the answer after the part's
INSERT (status ``answered``, ``updated_at`` the part's send time). The retention purge reads
``answers.updated_at`` to tell an idle application from one being written, so the time must
stay current; a trigger keeps it so without a round trip: after each INSERT into
``answer_parts``, the answer gets ``status = 'answered'`` and ``updated_at = NEW.sent_at``
(what the application code set before). Taking a part out (status ``empty`` again, an
earlier revision current again) stays with the application code.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TRIGGER = "answer_parts_touch_answer"


def upgrade() -> None:
    """Create the trigger (and, on PostgreSQL, its function)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE answers SET status = 'answered', updated_at = NEW.sent_at
                WHERE id = NEW.answer_id;
                RETURN NULL;
            END $$""")
        op.execute(f"""
            CREATE TRIGGER {TRIGGER} AFTER INSERT ON answer_parts
            FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()""")
        return
    op.execute(f"""
        CREATE TRIGGER {TRIGGER} AFTER INSERT ON answer_parts
        FOR EACH ROW BEGIN
            UPDATE answers SET status = 'answered', updated_at = NEW.sent_at
            WHERE id = NEW.answer_id;
        END""")


def downgrade() -> None:
    """Drop the trigger: the application code must update the answer itself again."""
    op.execute(f"DROP TRIGGER {TRIGGER}" + (
        " ON answer_parts" if op.get_bind().dialect.name == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION {TRIGGER}()")
