"""The schema's head as the code knows it, and start-up without Alembic when it is reached."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.store import Database
from bot.store.database import SCHEMA_HEAD

PROJECT = Path(__file__).resolve().parent.parent


def test_the_known_head_is_alembics_own(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'head.sqlite3'}")
    head = ScriptDirectory.from_config(database.alembic_config()).get_current_head()
    assert head == SCHEMA_HEAD


def test_a_new_database_is_migrated_to_the_head(database_url):
    database = Database(database_url)
    assert database.current_revision() is None
    database.upgrade()
    assert (database.current_revision(), database.is_up_to_date()) == (SCHEMA_HEAD, True)
    database.dispose()


def test_a_database_behind_the_head_is_migrated_and_one_at_it_is_left_alone(database_url):
    database = Database(database_url)
    database.upgrade()
    config = database.alembic_config()
    command.downgrade(config, "0009")
    assert (database.current_revision(), database.is_up_to_date()) == ("0009", False)
    database.upgrade()
    with database.engine.connect() as connection:
        kinds = connection.execute(text("SELECT count(kind) FROM draft_links")).scalar()
    assert (database.current_revision(), kinds) == (SCHEMA_HEAD, 0)
    database.dispose()


def test_starting_on_a_migrated_database_loads_no_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'started.sqlite3'}"
    Database(url).upgrade()
    script = (f"from bot.store import Database\nDatabase({url!r}).upgrade()\n"
              "import json, sys\nprint(json.dumps('alembic' in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True,
                          text=True, timeout=120, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) is False
