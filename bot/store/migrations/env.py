"""Alembic environment: migrate the connection the app hands over, or the configured URL."""

from alembic import context
from sqlalchemy import Connection, create_engine

from bot.store.models import Base

target_metadata = Base.metadata


def run_migrations(connection: Connection) -> None:
    """Run the migrations on one connection."""
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Use the connection from ``config.attributes``, else connect to ``sqlalchemy.url``."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database to migrate: set sqlalchemy.url or pass a connection")
    engine = create_engine(url)
    with engine.connect() as connection:
        run_migrations(connection)


main()
