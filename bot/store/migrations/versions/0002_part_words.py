"""Keep each answer part's word count.

Acknowledging a message then adds the new part's words to the others' instead of
tokenizing the whole answer again. Existing parts are counted once here.

The count is frozen as it was when this migration was written, so that replaying it after
the analysis changes its tokenizer gives the same numbers: nlpo3 (the Rust newmm) over a copy
of PyThaiNLP 5.4.0's ``words_th.txt`` (CC0-1.0, 62,107 words, SHA-256 35f65d43…940c3265)
kept beside the migrations in ``data/0002_words_th.txt.xz``; a word is a token that holds a
letter or a digit and is not the repetition mark MAI YAMOK. Nothing here imports ``bot``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from __future__ import annotations

import functools
import lzma
import re
import tempfile
import unicodedata
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DICTIONARY = Path(__file__).resolve().parent.parent / "data" / "0002_words_th.txt.xz"
DICTIONARY_NAME = "lertrat-migration-0002-words_th"
_WORD_CHAR = re.compile(r"[^\W_]")
_SURROGATE = re.compile("[\ud800-\udfff]")
MAI_YAMOK = unicodedata.lookup("THAI CHARACTER MAIYAMOK")  # ๆ, the repetition mark


def upgrade() -> None:
    """Add the words column and count the words of every stored part."""
    with op.batch_alter_table("answer_parts") as batch:
        batch.add_column(sa.Column("words", sa.Integer(), nullable=False, server_default="0"))
    parts = sa.table("answer_parts", sa.column("id", sa.Integer), sa.column("text", sa.Text),
                     sa.column("words", sa.Integer))
    connection = op.get_bind()
    rows = connection.execute(sa.select(parts.c.id, parts.c.text)).all()
    for part_id, text in rows:
        connection.execute(sa.update(parts).where(parts.c.id == part_id)
                           .values(words=count_words(text)))


def downgrade() -> None:
    """Drop the words column."""
    with op.batch_alter_table("answer_parts") as batch:
        batch.drop_column("words")


def count_words(text: str) -> int:
    """Count the tokens of ``text`` that hold a letter or a digit, as on 2026-11-24."""
    if not text:
        return 0
    from nlpo3 import segment

    _load_dictionary()
    # nlpo3 hands the text to Rust as UTF-8, which a lone surrogate cannot be.
    tokens = segment(_SURROGATE.sub("\ufffd", text), DICTIONARY_NAME, safe=False, parallel=False)
    return sum(1 for token in tokens if token != MAI_YAMOK and _WORD_CHAR.search(token))


@functools.cache
def _load_dictionary() -> None:
    """Load the frozen word list into nlpo3 under this migration's own name, once a process."""
    from nlpo3 import load_dict

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "words_th.txt"
        path.write_bytes(lzma.decompress(DICTIONARY.read_bytes()))
        message, loaded = load_dict(str(path), DICTIONARY_NAME)
    # nlpo3 never replaces a dictionary: a second load in the same process reports the name
    # as taken, and the first load is still there.
    if not loaded and "already exists" not in message:
        raise RuntimeError(f"migration 0002: cannot load its word list: {message}")
