"""Count every change to a chat's rows on SQLite, so that an event can read before its turn.

On SQLite one writer at a time holds the write turn (``bot.store.write_turn``), and what an
event does while holding it bounds the events per second. An answer event now reads its chat
outside the turn, in a snapshot, and takes the turn only at its first write; it then checks
in one lookup that nothing of its chat changed since it read (``owners.version``), or runs
again holding the turn from the start (``bot.store.repository.chat_store``).

That check is only as good as the count, so the database keeps it, not the code: triggers
add one to ``owners.version`` whenever a row of the chat changes (the chat's own row, its
applications, their answers and parts, its members and its links), whoever writes it: an
event, the web editor, the retention purge, a member's deletion in another chat.
PostgreSQL locks the chat's row ``FOR UPDATE`` before it reads instead and has no
triggers: there only an event's save of the chat's state counts, and nothing reads it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

#: How each table finds the chat (``owners.id``) a row of it belongs to, from the row ``{row}``.
OWNER_OF = {
    "applications": "{row}.owner_id",
    "answers": "(SELECT owner_id FROM applications WHERE id = {row}.application_id)",
    "answer_parts": ("(SELECT applications.owner_id FROM answers JOIN applications"
                     " ON applications.id = answers.application_id"
                     " WHERE answers.id = {row}.answer_id)"),
    "chat_members": "{row}.owner_id",
    "draft_links": "{row}.owner_id",
}
#: The rows each kind of change has: an insert the new, a delete the old, an update both.
ROWS = {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}
#: Changes counted another way: a part's insert updates its answer (migration 0008's
#: trigger, ``answer_parts_touch_answer``), whose trigger counts it, once per part.
COUNTED_ELSEWHERE = {("answer_parts", "INSERT")}


def triggers() -> dict[str, str]:
    """Return the triggers by name: each change to a chat's rows adds one to its version."""
    # An update that counts itself (an event saving the chat's state) is not counted again.
    made = {"owners_version_update": """
        CREATE TRIGGER owners_version_update AFTER UPDATE ON owners
        FOR EACH ROW WHEN NEW.version = OLD.version BEGIN
            UPDATE owners SET version = OLD.version + 1 WHERE id = NEW.id;
        END"""}
    for table, owner in OWNER_OF.items():
        for change, rows in ROWS.items():
            if (table, change) in COUNTED_ELSEWHERE:
                continue
            chats = ", ".join(owner.format(row=row) for row in rows)
            name = f"{table}_version_{change.lower()}"
            made[name] = f"""
        CREATE TRIGGER {name} AFTER {change} ON {table}
        FOR EACH ROW BEGIN
            UPDATE owners SET version = version + 1 WHERE id IN ({chats});
        END"""
    return made


def upgrade() -> None:
    """Add ``owners.version``; on SQLite, the triggers that keep it."""
    op.add_column("owners", sa.Column("version", sa.Integer(), nullable=False,
                                      server_default="0"))
    if op.get_bind().dialect.name == "sqlite":
        for statement in triggers().values():
            op.execute(statement)


def downgrade() -> None:
    """Drop the triggers and the column."""
    if op.get_bind().dialect.name == "sqlite":
        for name in triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_column("owners", "version")  # SQLite drops a column in place since 3.35
