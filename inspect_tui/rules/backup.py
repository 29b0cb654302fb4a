"""Backups: a consistent copy of the working database in one SQLite file, and
loading such a copy into an empty database of either backend.

- From SQLite, the copy is made with SQLite's online backup API in one step:
  one consistent snapshot, while other programs keep writing (WAL).
- From PostgreSQL, a new SQLite file gets our schema from the migrations, then
  every table is copied in batches inside ONE repeatable-read, read-only
  transaction, so the copy is one moment of the database.
- The copy is written to a hidden temporary file next to the target and
  renamed into place: a killed backup never leaves a partial file under the
  target name (its leftover is removed by the next backup into that folder).
- The file is marked as ours in the SQLite header (`application_id`), so a
  restore can tell a backup from any other file.

Restore reads such a file (migrating a temporary copy first when it is older
than this version), refuses a target that holds data, and loads every table
in foreign-key order in ONE transaction, ids preserved; on PostgreSQL every
id sequence then continues after the largest id.

The copy works on the tables and columns the databases themselves report,
not on the models, so it follows the schema whatever the migrations add.
"""
import datetime as dt
import os
import re
import shutil
import socket
import sqlite3
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.request import pathname2url

from peewee import Database, DatabaseError, PostgresqlDatabase, SqliteDatabase

from inspect_tui.files import sync_path
from inspect_tui.rules.errors import DomainError
from inspect_tui.store import db as store
from inspect_tui.store.models import database, is_derived

try:  # the PostgreSQL driver is a dependency, but a SQLite-only install still backs up
    import psycopg2
    from psycopg2.extras import execute_values
    _DRIVER_ERRORS: tuple = (DatabaseError, sqlite3.Error, psycopg2.Error)
except ImportError:  # pragma: no cover
    execute_values = None
    _DRIVER_ERRORS = (DatabaseError, sqlite3.Error)

APPLICATION_ID = 0x49545549  # "ITUI": written in the SQLite header of every backup
SQLITE_MAGIC = b"SQLite format 3\x00"
HISTORY = store.HISTORY_TABLE
BATCH = 1000  # rows read and written at a time: memory stays flat however big the log
_PARTIAL = re.compile(r"^\..+\.(?P<host>[^.]+)-(?P<pid>\d+)\.partial(-journal|-wal|-shm)?$")


@dataclass(frozen=True)
class Copied:
    """What a backup or restore wrote: where, and how many rows of each table."""

    path: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# --- backup ---------------------------------------------------------------------------


def database_name(url: str) -> str:
    """"inspect" for db/inspect.sqlite3 and for postgresql://host/inspect."""
    path = store.sqlite_path(url)
    if path is None:
        from urllib.parse import unquote, urlparse
        return unquote(urlparse(url).path.lstrip("/")) or "postgresql"
    return path.name.split(".")[0] or "inspect"


def default_path(home: Path, url: str, now: dt.datetime) -> Path:
    """<data home>/db/backups/<dbname>-<YYYYMMDD-HHMMSS>.sqlite3"""
    return _default_in(home, database_name(url), now)


def _default_in(home: Path, name: str, now: dt.datetime) -> Path:
    return Path(home) / "db" / "backups" / f"{name}-{now:%Y%m%d-%H%M%S}.sqlite3"


def backup(out, source: Database | None = None) -> Copied:
    """Copy the bound database (or `source`) to the new SQLite file `out`."""
    source = source or database.obj
    out = Path(out).expanduser()
    if out.is_dir():
        raise DomainError("backup_out_is_folder", path=str(out))
    if out.exists():
        raise DomainError("backup_exists", path=str(out))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DomainError("backup_failed", path=str(out), detail=exc.strerror or str(exc)) from exc
    _remove_stale_partials(out.parent)
    temp = out.parent / f".{out.name}.{_host()}-{os.getpid()}.partial"
    try:
        if isinstance(source, SqliteDatabase):
            counts = _backup_sqlite(source, temp)
        else:
            counts = _backup_postgres(source, temp)
        sync_path(temp)
        _publish(temp, out)
        sync_path(out.parent)
    except DomainError:
        _remove_partial(temp)
        raise
    except _DRIVER_ERRORS as exc:
        _remove_partial(temp)
        raise DomainError("backup_failed", path=str(out), detail=_one_line(exc)) from exc
    except OSError as exc:
        _remove_partial(temp)
        raise DomainError("backup_failed", path=str(out), detail=exc.strerror or str(exc)) from exc
    except BaseException:
        _remove_partial(temp)
        raise
    return Copied(str(out), dict(sorted(counts.items())))


def _publish(temp: Path, out: Path) -> None:
    """The whole file appears under its name at once, and never over another file."""
    try:
        os.link(temp, out)  # atomic, and refuses an existing name
    except FileExistsError:
        raise DomainError("backup_exists", path=str(out)) from None
    except OSError:  # a filesystem without hard links
        if out.exists():
            raise DomainError("backup_exists", path=str(out)) from None
        os.replace(temp, out)
        return
    temp.unlink()


def _backup_sqlite(source: SqliteDatabase, temp: Path) -> dict[str, int]:
    target = sqlite3.connect(str(temp))
    try:
        # pages=-1: the whole file in one step, one snapshot; in WAL mode the
        # writers carry on meanwhile (a step-by-step copy would restart on each write).
        source.connection().backup(target, pages=-1)
        _mark(target)
        return {table: target.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                for table in _sqlite_tables(target)}
    finally:
        target.close()


def _backup_postgres(source: Database, temp: Path) -> dict[str, int]:
    target = store.make_database(str(temp), create=True)
    target.connect()
    try:
        with source.atomic():
            source.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            # the copy's schema is built by our migrations, up to the source's own
            # level (an older database is backed up as it is, before an upgrade)
            runner = store.migration_runner(target)
            applied = set(_applied(source))
            known = [m.name for m in runner.migrations()]
            if applied - set(known):
                raise DomainError("backup_source_newer", migration=sorted(applied - set(known))[-1])
            levels = [name for name in known if name in applied]
            if levels:
                runner.up(target=levels[-1])
            with target.atomic():
                counts = _copy(source, target)
        target.close()
        connection = sqlite3.connect(str(temp))
        try:
            _mark(connection)
        finally:
            connection.close()
        return counts
    finally:
        if not target.is_closed():
            target.close()


def before_upgrade(pending: list[str], now: dt.datetime | None = None) -> Copied:
    """The copy taken of the bound database just before migrations upgrade it
    (called when a database written by an older version is opened): the
    default backup path, the schema as it was."""
    from inspect_tui import settings

    source = database.obj
    name = source.database if isinstance(source, PostgresqlDatabase) else \
        Path(source.database).name.split(".")[0]
    return backup(_default_in(settings.load().home, name or "inspect", now or dt.datetime.now()), source)


def _mark(connection: sqlite3.Connection) -> None:
    """A single self-contained file (no WAL), marked as an inspect-tui backup."""
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute(f"PRAGMA application_id={APPLICATION_ID}")
    connection.commit()


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname()) or "host"


def _remove_stale_partials(folder: Path) -> None:
    """Leftovers of killed backups on this machine (their program is gone)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _PARTIAL.match(name)
        if match is None or match["host"] != _host() or _alive(int(match["pid"])):
            continue
        try:
            (folder / name).unlink()
        except OSError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_partial(temp: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            Path(f"{temp}{suffix}").unlink()
        except OSError:
            pass


# --- restore ----------------------------------------------------------------------------


@dataclass
class RestorePlan:
    """A checked backup and the bound, empty target; `apply()` loads it."""

    path: str  # the backup file as given
    target: str  # the target database, password hidden
    migrated: list[str]  # migrations applied to the temporary copy of an older backup
    source: SqliteDatabase

    def apply(self) -> Copied:
        target = database.obj
        try:
            with target.atomic():
                holder = _holds_data(target)
                if holder:  # someone wrote between the check and now
                    raise DomainError("restore_not_empty", db=self.target, table=holder)
                counts = _copy(self.source, target)
                if isinstance(target, PostgresqlDatabase):
                    _reset_sequences(target)
        except _DRIVER_ERRORS as exc:
            raise DomainError("restore_failed", detail=_one_line(exc)) from exc
        return Copied(self.target, dict(sorted(counts.items())))


@contextmanager
def restore_plan(path, target_url: str):
    """Check the backup `path` and the bound database (`target_url`, for
    messages), which must hold no data; yields a RestorePlan, nothing written
    yet. An older backup is migrated on a temporary copy, removed afterwards."""
    path = Path(path).expanduser()
    _check_backup_file(path)
    opened: list = []  # what to close and remove afterwards
    try:
        source, migrated = _open_backup(path, opened)
        holder = _holds_data(database.obj)
        if holder:
            raise DomainError("restore_not_empty", db=store.describe(target_url), table=holder)
        yield RestorePlan(str(path), store.describe(target_url), migrated, source)
    finally:
        for item in opened:
            if isinstance(item, Database) and not item.is_closed():
                item.close()
            elif isinstance(item, Path):
                shutil.rmtree(item, ignore_errors=True)


def _open_backup(path: Path, opened: list) -> tuple[SqliteDatabase, list[str]]:
    """The backup, read only; or, when it is older than this version, a
    migrated temporary copy of it (the file itself is never changed)."""
    try:
        source = _open_read_only(path)
        opened.append(source)
        if HISTORY not in source.get_tables():
            raise DomainError("not_a_backup", path=str(path))
        names = _applied(source)
        known = [m.name for m in store.migration_runner(source).migrations()]
        newer = sorted(set(names) - set(known))
        if newer:
            raise DomainError("backup_newer", path=str(path), migration=newer[-1])
        if not set(known) - set(names):
            return source, []
        source.close()
        folder = Path(tempfile.mkdtemp(prefix="inspect-tui-restore-"))
        opened.append(folder)
        copy = folder / "backup.sqlite3"
        shutil.copyfile(path, copy)
        source = store.make_database(str(copy))
        opened.append(source)
        source.connect()
        return source, store.migration_runner(source).up()
    except _DRIVER_ERRORS as exc:
        raise DomainError("not_a_backup", path=str(path)) from exc


def _check_backup_file(path: Path) -> None:
    if not path.is_file():
        raise DomainError("no_backup_file", path=str(path))
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise DomainError("no_backup_file", path=str(path)) from exc
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC) \
            or int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise DomainError("not_a_backup", path=str(path))


def _open_read_only(path: Path) -> SqliteDatabase:
    source = SqliteDatabase(f"file:{pathname2url(str(path.resolve()))}?mode=ro", uri=True)
    source.connect()
    if source.execute_sql("PRAGMA quick_check").fetchone()[0] != "ok":
        raise DomainError("not_a_backup", path=str(path))
    return source


def _applied(source: Database) -> list[str]:
    """The migrations the database records; a database without the history is not ours."""
    if HISTORY not in source.get_tables():
        raise DomainError("backup_no_history")
    return [name for (name,) in source.execute_sql(f'SELECT name FROM "{HISTORY}"').fetchall()]


def _holds_data(db: Database) -> str | None:
    """The first table holding a row (the migration history aside), or None."""
    for table in _tables(db):
        if table != HISTORY and db.execute_sql(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone():
            return table
    return None


def _reset_sequences(db: Database) -> None:
    """Every id sequence continues after the largest id loaded."""
    for table in _tables(db):
        row = db.execute_sql("SELECT pg_get_serial_sequence(%s, 'id')", (f'"{table}"',)).fetchone() \
            if "id" in {c.name for c in db.get_columns(table)} else None
        if row and row[0]:
            db.execute_sql(f'SELECT setval(%s, COALESCE(MAX("id"), 1), MAX("id") IS NOT NULL) '
                           f'FROM "{table}"', (row[0],))


# --- the copy itself ----------------------------------------------------------------------


def _copy(source: Database, target: Database) -> dict[str, int]:
    """Every table of `source` into the same (empty) tables of `target`, in
    foreign-key order, ids kept; the target's own migration history is
    replaced by the source's. Runs inside the caller's transactions."""
    tables = _tables(source)
    if set(tables) != set(_tables(target)):
        missing = sorted(set(tables) ^ set(_tables(target)))
        raise DomainError("backup_mismatch", table=missing[0])
    target.execute_sql(f'DELETE FROM "{HISTORY}"')
    keys = {table: target.get_foreign_keys(table) for table in tables}  # asked once: slow on PostgreSQL
    counts = {}
    for table in _load_order(keys):
        counts[table] = _copy_table(source, target, table, keys[table])
    return counts


def _copy_table(source: Database, target: Database, table: str, foreign_keys: list) -> int:
    columns = [c.name for c in source.get_columns(table)]
    target_columns = {c.name: c for c in target.get_columns(table)}
    if set(columns) != set(target_columns):
        raise DomainError("backup_mismatch", table=table)
    convert = [_converter(target, target_columns[name].data_type) for name in columns]
    # a row may point at a later row of its own table (unit.parent): those
    # columns are filled in a second pass, once every row is there
    own = [fk.column for fk in foreign_keys if fk.dest_table == table]
    later = [columns.index(name) for name in own]
    keys = source.get_primary_keys(table)
    key = keys[0] if len(keys) == 1 else None
    quoted = ", ".join(f'"{name}"' for name in columns)
    count = 0
    for rows in _batches(source, table, columns, key):
        values = []
        for row in rows:
            row = [fn(value) for fn, value in zip(convert, row)]
            for i in later:
                row[i] = None
            values.append(row)
        _insert(target, table, quoted, values)
        count += len(values)
    for name in own:
        if key is None:
            raise DomainError("backup_mismatch", table=table)
        for pairs in _batches(source, table, [key, name], key, where=f'"{name}" IS NOT NULL'):
            _update(target, table, name, key, [(value, row_key) for row_key, value in pairs])
    return count


def _batches(db: Database, table: str, columns: list[str], key: str | None, where: str = ""):
    """The rows of `table`, BATCH at a time, in key order (keyset paging: each
    query starts after the last key seen, so nothing is held but one batch)."""
    quoted = ", ".join(f'"{name}"' for name in columns)
    if key is None:  # no single key: one query, read a batch at a time
        cursor = db.execute_sql(f'SELECT {quoted} FROM "{table}"' + (f" WHERE {where}" if where else ""))
        while rows := cursor.fetchmany(BATCH):
            yield rows
        return
    position = columns.index(key)
    last = None
    while True:
        conditions = [where] if where else []
        params = ()
        if last is not None:
            conditions.append(f'"{key}" > {db.param}')
            params = (last,)
        sql = f'SELECT {quoted} FROM "{table}"'
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        sql += f' ORDER BY "{key}" LIMIT {BATCH}'
        rows = db.execute_sql(sql, params).fetchall()
        if not rows:
            return
        yield rows
        if len(rows) < BATCH:
            return
        last = rows[-1][position]


def _insert(db: Database, table: str, quoted: str, rows: list) -> None:
    if not rows:
        return
    cursor = db.cursor()
    if isinstance(db, PostgresqlDatabase):
        execute_values(cursor, f'INSERT INTO "{table}" ({quoted}) VALUES %s', rows, page_size=BATCH)
    else:
        marks = ", ".join("?" * len(rows[0]))
        cursor.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', rows)


def _update(db: Database, table: str, column: str, key: str, pairs: list) -> None:
    if pairs:
        p = db.param
        db.cursor().executemany(f'UPDATE "{table}" SET "{column}" = {p} WHERE "{key}" = {p}', pairs)


def _same(value):
    return value


def _to_bool(value):
    return value if value is None or isinstance(value, bool) else bool(int(value))


def _to_sqlite(value):
    """Values as peewee stores them in SQLite: ISO text, plain numbers, 0/1."""
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool):
        return int(value)
    return value


def _converter(target: Database, data_type: str):
    if isinstance(target, PostgresqlDatabase):
        # SQLite keeps booleans as 0/1, PostgreSQL will not take an integer for a
        # boolean; dates, timestamps and numbers arrive as text or numbers it reads.
        return _to_bool if data_type.lower() == "boolean" else _same
    return _to_sqlite


def _tables(db: Database) -> list[str]:
    """The record's tables: not SQLite's own, not those the triggers fill (is_derived)."""
    return [name for name in db.get_tables() if not name.startswith("sqlite_") and not is_derived(name)]


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    return [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        if not is_derived(name)]


def _load_order(foreign_keys: dict[str, list]) -> list[str]:
    """Referenced tables before the tables that point at them (alphabetical among equals)."""
    needs = {table: {fk.dest_table for fk in keys if fk.dest_table != table and fk.dest_table in foreign_keys}
             for table, keys in foreign_keys.items()}
    order: list[str] = []
    while needs:
        ready = sorted(t for t, deps in needs.items() if not deps - set(order))
        if not ready:  # a cycle between tables: none in our schema
            raise DomainError("backup_mismatch", table=sorted(needs)[0])
        for table in ready:
            order.append(table)
            del needs[table]
    return order


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
