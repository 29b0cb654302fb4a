"""Open the working database (SQLite file or PostgreSQL URL), guard its schema
and bring it up to date with the migration runner.

- SQLite write transactions begin IMMEDIATE, so a writer waits (up to
  BUSY_SECONDS) for another instead of failing at once with "database is
  locked" when it first reads and then writes.
- Migrations run one program at a time: an exclusive transaction on SQLite,
  an advisory lock on PostgreSQL; the second program then finds nothing to do.
- A database that records a migration this version does not know, or lacks
  a table, is refused: it was written by a newer inspect-tui, or damaged.
- Only `create=True` (init, demo, restore, the default database of the
  terminal app) may make a new SQLite file or fill an empty database.
"""
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from peewee import Database, DatabaseError, PostgresqlDatabase, SqliteDatabase
from playhouse.migrations import Runner

from inspect_tui.store.models import ALL_MODELS, database

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_SECONDS = 15  # how long a writer waits for another before giving up
SQLITE_PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": BUSY_SECONDS * 1000,
                  "synchronous": "normal"}
MIGRATION_LOCK = 7_254_401  # the PostgreSQL advisory lock key that serialises migrations
HISTORY_TABLE = "schema_migration"


class StoreError(Exception):
    """The database cannot be opened or is not usable: a message key under
    [error] in the locale files, and its values."""

    def __init__(self, key: str, **values):
        self.key = key
        self.values = values
        super().__init__(f"{key}: {values}")


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL or path; None for PostgreSQL. Unknown schemes are refused."""
    if is_postgres(url):
        return None
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).expanduser()
    if "://" in url:
        raise StoreError("unknown_db_scheme", url=url)
    return Path(url).expanduser()


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlparse(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def make_database(url: str, create: bool = False) -> Database:
    path = sqlite_path(url)
    if path is None:
        parts = urlparse(url)
        try:
            port = parts.port
        except ValueError:
            raise StoreError("bad_db_url", url=describe(url)) from None
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise StoreError("bad_db_url", url=describe(url))
        return PostgresqlDatabase(
            name,
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            host=parts.hostname, port=port, connect_timeout=10,
        )
    if path.is_dir():
        raise StoreError("db_is_folder", path=str(path))
    if not path.exists():
        if not create:
            raise StoreError("no_database", path=str(path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError("database", detail=f"{path}: {exc.strerror}") from exc
    return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE",
                          timeout=BUSY_SECONDS)


def migration_runner(db: Database) -> Runner:
    return Runner(db, str(MIGRATIONS), table_name=HISTORY_TABLE)


def pending_migrations(db: Database) -> list[str]:
    """Migrations this version knows that the database has not applied; refuses
    a database that applied one this version does not know."""
    status = migration_runner(db).status()
    unknown = [m.name for m in status if m.path is None]
    if unknown:
        raise StoreError("newer_schema", migration=unknown[-1])
    return [m.name for m in status if not m.applied]


@contextmanager
def serialised():
    """A transaction that one program at a time may hold: the advisory lock on
    PostgreSQL; on SQLite every write transaction already excludes the others."""
    db = database.obj
    if isinstance(db, PostgresqlDatabase):
        with db.atomic():
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            yield
    else:
        with db.atomic(lock_type="EXCLUSIVE"):
            yield


def _check_tables(db: Database) -> None:
    present = set(db.get_tables())
    for model in ALL_MODELS:
        if model._meta.table_name not in present:
            raise StoreError("missing_table", table=model._meta.table_name)


def open_raw(url: str, create: bool = False) -> Database:
    """Connect and bind the models, without looking at the schema."""
    db = make_database(url, create=create)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:  # driver errors differ per backend; we print one line
        _close(db)
        detail = " ".join(str(exc).split())
        raise StoreError("database", detail=f"{describe(url)}: {detail}") from exc
    database.initialize(db)
    return db


def prepare(db: Database, create: bool = False, migrate: bool = True, before_upgrade=None,
            name: str = "") -> None:
    """Check the schema of the bound database and apply pending migrations."""
    pending = pending_migrations(db)
    if pending:
        applied_before = len(pending) < len(migration_runner(db).migrations())
        if not applied_before and not create:
            raise StoreError("empty_database", db=name)
        if not migrate:
            raise StoreError("schema_pending", migration=pending[0])
        if applied_before and before_upgrade is not None:
            before_upgrade(db, pending)
        with serialised():
            pending_migrations(db)  # another program may have applied a newer one meanwhile
            migration_runner(db).up()
    _check_tables(db)


def connect(url: str, migrate: bool = True, create: bool = False,
            before_upgrade=None) -> Database:
    """Bind the models to `url`, check its schema and apply pending migrations.

    `before_upgrade(db, pending)` is called before migrating a database that
    already holds an older schema (to take a backup first)."""
    db = open_raw(url, create=create)
    try:
        prepare(db, create=create, migrate=migrate, before_upgrade=before_upgrade,
                name=describe(url))
    except StoreError:
        _close(db)
        raise
    except DatabaseError as exc:
        _close(db)
        detail = " ".join(str(exc).split())
        raise StoreError("database", detail=f"{describe(url)}: {detail}") from exc
    return db


def drop_schema(db: Database) -> None:
    """Remove every table of ours (demo --force on PostgreSQL rebuilds in place)."""
    tables = [m._meta.table_name for m in ALL_MODELS] + ["meta", HISTORY_TABLE]
    for table in tables:
        if isinstance(db, PostgresqlDatabase):
            db.execute_sql(f'DROP TABLE IF EXISTS "{table}" CASCADE')
        else:
            db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')


def _close(db: Database) -> None:
    if not db.is_closed():
        db.close()


def close() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()
