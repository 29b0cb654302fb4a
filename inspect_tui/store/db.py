"""Open the working database (SQLite file or PostgreSQL URL) and bring its
schema up to date with the migration runner."""
from pathlib import Path
from urllib.parse import unquote, urlparse

from peewee import Database, PostgresqlDatabase, SqliteDatabase
from playhouse.migrations import Runner

from inspect_tui.store.models import database

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000}


class StoreError(Exception):
    """The database cannot be opened or is not usable."""


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def make_database(url: str) -> Database:
    if is_postgres(url):
        parts = urlparse(url)
        return PostgresqlDatabase(
            unquote(parts.path.lstrip("/")),
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            host=parts.hostname,
            port=parts.port,
        )
    path = Path(url.removeprefix("sqlite:///")).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{path}: {exc.strerror}") from exc
    return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS)


def migration_runner(db: Database) -> Runner:
    return Runner(db, str(MIGRATIONS))


def connect(url: str, migrate: bool = True) -> Database:
    """Bind the models to `url` and apply pending migrations."""
    db = make_database(url)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:  # driver errors differ per backend
        detail = " ".join(str(exc).split())  # drivers answer in several lines; we print one
        raise StoreError(f"{url}: {detail}") from exc
    database.initialize(db)
    if migrate:
        migration_runner(db).up()
    return db


def close() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()
