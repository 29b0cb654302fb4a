"""Shared fixtures for the store, rules and CLI tests.

Every test gets its own database: a fresh SQLite file in tmp_path, or (for
the tests marked `postgres`) a PostgreSQL database of its own. Seeded databases
are copied from a template built once per session, so each test still starts
from a pristine, independent copy. `today` is always passed in; nothing here
reads the wall clock.

The rules and CLI tests run on both backends: `db`, `seeded`, `prebuilt`
(bound) and `seeded_url`, `new_db_url`, `demo_url` (URLs for the command line)
are parametrized over BACKENDS.

What makes PostgreSQL cheap enough for that (see PgCopies): a copy is made
with CREATE DATABASE ... TEMPLATE ahead of the test in a background thread, and
after the test it is reset to the template's rows in the background (~50 ms)
and used again, instead of being dropped: on PostgreSQL 15 every DROP DATABASE
forces a checkpoint, 0.5-5 s on this machine while other suites run. The few
databases left at the end are dropped by a detached process. The demo on
PostgreSQL is built at most once per session, and only for tests marked `slow`.

Under pytest-xdist (`-n 2`, see pyproject.toml) each worker is a session of its
own: database names carry the worker's id, and what is costly to build (the
demos, the seeded and migrated templates) is built once for the whole run by
the first worker that needs it, under a lock, in a folder the workers share
(see `_once`); each worker then works on its own copies.
"""
import datetime as dt
import fcntl
import io
import os
import pickle
import queue
import shutil
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest

from inspect_tui.locale import set_language
from inspect_tui.store import db as store

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_USER = "postgres"
ACTOR = "tester"
DEMO_TODAY = dt.date(2026, 11, 23)


# --- helpers ------------------------------------------------------------------

def pg_url(name: str) -> str:
    return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


def _pg_admin():
    import psycopg2

    conn = psycopg2.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres",
                            connect_timeout=3)
    conn.autocommit = True
    return conn


def _pg_create(name: str, template: str | None = None) -> None:
    conn = _pg_admin()  # autocommit: CREATE DATABASE cannot run in a transaction
    try:
        with conn.cursor() as cur:
            if template:
                cur.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            else:
                cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


def _pg_drop(name: str) -> None:
    conn = _pg_admin()
    try:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


# "gw0", "gw1", ... in a pytest-xdist worker, "" otherwise.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def unique_pg_name(prefix: str = "itui_test") -> str:
    worker = f"{WORKER}_" if WORKER else ""
    return f"{prefix}_{worker}{uuid.uuid4().hex[:12]}"


# --- built once per run, shared by the xdist workers -----------------------------------

def _shared_root(tmp_path_factory) -> Path:
    """A folder every worker of this run sees: the run's base temporary folder
    (each xdist worker's own is a folder inside it)."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if WORKER else base) / "shared"
    root.mkdir(exist_ok=True)
    return root


def _once(tmp_path_factory, key: str, build):
    """build(root) -> a picklable result, run once per test run whatever the number
    of workers: the first worker to ask builds under a lock (in `root`, the shared
    folder), the others wait for it and read the result. A build that raised is
    tried again by the next worker that asks."""
    root = _shared_root(tmp_path_factory)
    done = root / f"{key}.pickle"
    with open(root / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not done.exists():
            result = build(root)
            done.write_bytes(pickle.dumps(result))
        return pickle.loads(done.read_bytes())


def _shared_sqlite(tmp_path_factory, key: str, build) -> tuple[Path, object]:
    """(a copy of its own for this worker, what build returned) of a SQLite file
    that build(path) writes once per run (and leaves closed)."""

    def make(root: Path):
        result = build(root / f"{key}.sqlite3")
        store.close()
        return result

    result = _once(tmp_path_factory, key, make)
    path = tmp_path_factory.mktemp(key) / f"{key}.sqlite3"
    shutil.copyfile(_shared_root(tmp_path_factory) / f"{key}.sqlite3", path)
    return path, result


@pytest.fixture(scope="session")
def shared_sqlite(tmp_path_factory):
    """shared_sqlite(key, build) -> (path, result): build(path) makes a SQLite
    database (closed when it returns) once per test run, even under xdist; each
    worker gets a copy of its own at `path` (copy it again per test if tests write).
    `key` names the build: the same key must mean the same build."""

    def use(key: str, build):
        return _shared_sqlite(tmp_path_factory, key, build)

    return use


_DROP_LATER = """
import sys, psycopg2
host, port, user, *names = sys.argv[1:]
for name in names:
    try:
        conn = psycopg2.connect(host=host, port=port, user=user, dbname="postgres", connect_timeout=10)
        conn.autocommit = True
        conn.cursor().execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
        conn.close()
    except Exception:
        pass
"""


class _Dropper:
    """Drops databases in a background thread while the tests run, and hands what
    is left at the end of the session to a process of its own: on PostgreSQL 15
    each DROP DATABASE forces a checkpoint (0.5-5 s while other suites run), and
    pytest would wait for the session's last few for nothing."""

    def __init__(self):
        self.queue: queue.Queue = queue.Queue()
        self.current: str | None = None
        self.thread = threading.Thread(target=self._run, name="pg-dropper", daemon=True)
        self.thread.start()

    def _run(self):
        while (name := self.queue.get()) is not None:
            self.current = name
            try:
                _pg_drop(name)
            except Exception:  # pragma: no cover - a leftover itui_test_* database
                pass
            self.current = None

    def drop(self, name: str) -> None:
        self.queue.put(name)

    def finish(self) -> None:
        """Stop at once; a detached process drops what is not dropped yet (and the one
        being dropped, again: IF EXISTS)."""
        with self.queue.mutex:
            left = [name for name in self.queue.queue if name is not None]
            self.queue.queue.clear()
            self.queue.queue.append(None)
            self.queue.not_empty.notify()
        if self.current:
            left.append(self.current)
        if left:
            subprocess.Popen([sys.executable, "-c", _DROP_LATER, PG_HOST, str(PG_PORT), PG_USER, *left],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)


class _Pool:
    """Fresh databases for the tests: copies of one template, or plain new ones
    (template None).

    A copy a test is done with is reset in a background thread to the template's
    rows and sequence values (DELETE and COPY in one transaction, ~50 ms), or, for
    a plain database, to an empty public schema, and used again. Making a copy for
    each test and dropping it after costs far more: on PostgreSQL 15 every DROP
    DATABASE forces a checkpoint, ~0.5 s each on this machine while other suites
    run, which held the rules tests up by minutes. A copy whose schema a test
    changed (or that gained a schema) is dropped and replaced, not reset.
    """

    AHEAD = 2  # copies made before the first test asks

    def __init__(self, template: str | None, dropper: _Dropper):
        self.template = template
        self.dropper = dropper
        self.ready: queue.Queue = queue.Queue()
        self.used: queue.Queue = queue.Queue()
        self.names: list[str] = []  # every database this pool made and has not dropped
        self.tables: list[str] = []
        self.rows: dict[str, str] = {}  # table -> its rows in COPY text format
        self.sequences: list[tuple[str, int | None]] = []
        self.relations = 0
        first = self._make()
        if template is not None:
            self._take_snapshot(first)
        self.ready.put(first)
        self.thread = threading.Thread(target=self._work, name=f"pg-pool-{template}", daemon=True)
        self.thread.start()

    # -- in the background ---------------------------------------------------------------
    def _work(self):
        try:
            for _ in range(self.AHEAD - 1):
                self.ready.put(self._make())
            while (name := self.used.get()) is not None:
                self.ready.put(self._recycle(name))
        except Exception as exc:  # pragma: no cover - raised by the next take()
            self.ready.put(exc)

    def _make(self) -> str:
        name = unique_pg_name()
        _pg_create(name, template=self.template)
        self.names.append(name)
        return name

    def _connect(self, name: str):
        import psycopg2

        return psycopg2.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=name,
                                connect_timeout=10)

    def _relations(self, cur) -> int:
        cur.execute("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")
        return cur.fetchone()[0]

    def _other_schemas(self, cur) -> int:
        cur.execute("SELECT count(*) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                    "AND nspname NOT IN ('public', 'information_schema')")
        return cur.fetchone()[0]

    def _take_snapshot(self, name: str) -> None:
        """The rows and sequence values of a pristine copy (not of the template:
        a connection to the template would stop CREATE DATABASE copying it)."""
        conn = self._connect(name)
        try:
            with conn.cursor() as cur:
                self.relations = self._relations(cur)
                cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                            "ORDER BY tablename")
                self.tables = [r[0] for r in cur.fetchall()]
                for table in self.tables:
                    buffer = io.StringIO()
                    cur.copy_expert(f'COPY "{table}" TO STDOUT', buffer)
                    self.rows[table] = buffer.getvalue()
                cur.execute("SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), "
                            "last_value FROM pg_sequences WHERE schemaname = 'public'")
                self.sequences = cur.fetchall()
            conn.rollback()
        finally:
            conn.close()

    def _recycle(self, name: str) -> str:
        try:
            if self._reset(name):
                return name
        except Exception:  # pragma: no cover - whatever it was, a new copy replaces it
            pass
        self._drop(name)
        return self._make()

    def _reset(self, name: str) -> bool:
        admin = _pg_admin()
        try:
            with admin.cursor() as cur:  # a connection the test left open would hold locks
                cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
        finally:
            admin.close()
        conn = self._connect(name)
        try:
            with conn.cursor() as cur:
                if self._other_schemas(cur):
                    return False
                if self.template is None:  # back to the public schema of a new database
                    cur.execute("DROP SCHEMA IF EXISTS public CASCADE")
                    cur.execute("CREATE SCHEMA public AUTHORIZATION pg_database_owner")
                    cur.execute("GRANT USAGE ON SCHEMA public TO PUBLIC")
                    conn.commit()
                    return True
                if self._relations(cur) != self.relations:  # a test changed the schema
                    return False
                cur.execute("SET LOCAL session_replication_role = replica")  # no FK checks
                for table in self.tables:
                    cur.execute(f'DELETE FROM "{table}"')
                for table in self.tables:
                    if self.rows[table]:
                        cur.copy_expert(f'COPY "{table}" FROM STDIN', io.StringIO(self.rows[table]))
                for sequence, last in self.sequences:
                    cur.execute("SELECT setval(%s::regclass, %s, %s)",
                                (sequence, last or 1, last is not None))
            conn.commit()
        finally:
            conn.close()
        return True

    def _drop(self, name: str) -> None:
        self.names.remove(name)
        self.dropper.drop(name)

    # -- for the tests -----------------------------------------------------------------------
    def take(self) -> str:
        try:
            item = self.ready.get_nowait()
        except queue.Empty:  # every copy is in use (a test holding several): one more
            return self._make()
        if isinstance(item, Exception):
            raise item
        return item

    def give_back(self, name: str) -> None:
        self.used.put(name)

    def close(self) -> None:
        self.used.put(None)
        self.thread.join(timeout=120)
        for name in list(self.names):
            self._drop(name)


class PgCopies:
    """new(template=None) -> the name of a fresh database, a copy of `template`;
    done(name) when the test no longer uses it; url(name) its URL. (Test modules
    cannot `from conftest import ...`: the name `conftest` ends up bound to
    tests/ui/conftest.py.)"""

    url = staticmethod(pg_url)

    def __init__(self):
        self.dropper = _Dropper()
        self.pools: dict[str | None, _Pool] = {}
        self.owner: dict[str, _Pool] = {}
        self.adopted: list[str] = []

    def new(self, template: str | None = None) -> str:
        pool = self.pools.get(template)
        if pool is None:
            pool = self.pools[template] = _Pool(template, self.dropper)
        name = pool.take()
        self.owner[name] = pool
        return name

    def done(self, name: str) -> None:
        self.owner.pop(name).give_back(name)

    def adopt(self, template: str) -> None:
        """Drop `template` at the end of the session."""
        self.adopted.append(template)

    def forget(self, template: str) -> None:
        """Drop the copies of `template`, then the template itself."""
        pool = self.pools.pop(template, None)
        if pool is not None:
            pool.close()
        if template is not None:
            self.dropper.drop(template)

    def close(self) -> None:
        forgotten = list(self.pools)
        for template in forgotten:
            self.forget(template)
        for template in self.adopted:
            if template not in forgotten:
                self.dropper.drop(template)
        self.dropper.finish()


def _shared_pg(tmp_path_factory, key: str, build) -> tuple[str, object]:
    """(the name of a database of this worker's own, what build returned): build(name)
    fills a new PostgreSQL database (and closes it). Without xdist the database is
    built here; under xdist a source database is built once per run (see `_once`)
    and each worker makes its copy with CREATE DATABASE ... TEMPLATE; the sources are
    dropped when the run ends (pytest_sessionfinish). The caller drops its copy."""
    if not WORKER:
        name = unique_pg_name("itui_tpl")
        _pg_create(name)
        return name, build(name)

    def make(root: Path):
        source = unique_pg_name("itui_src")
        _pg_create(source)
        with open(root / "pg_sources", "a") as sources:
            sources.write(source + "\n")
        return source, build(source)

    source, result = _once(tmp_path_factory, f"pg-{key}", make)
    name = unique_pg_name("itui_tpl")
    _pg_create(name, template=source)
    return name, result


def pytest_sessionfinish(session):
    """The run's end (in the xdist controller, after every worker): drop the source
    databases the workers copied (see _shared_pg), by a detached process."""
    if hasattr(session.config, "workerinput"):
        return
    factory = getattr(session.config, "_tmp_path_factory", None)
    try:
        listed = factory.getbasetemp() / "shared" / "pg_sources"
        names = listed.read_text().split()
    except (AttributeError, OSError):
        return
    if names:
        subprocess.Popen([sys.executable, "-c", _DROP_LATER, PG_HOST, str(PG_PORT), PG_USER, *names],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)


def pytest_collection_modifyitems(items):
    """The tests that start real processes (tests/team: kills, concurrent writers,
    tens of seconds each) first: the two workers then share what is left, and
    neither ends the run alone on one of them."""
    team = Path(__file__).parent / "team"
    items.sort(key=lambda item: team not in Path(item.path).parents)


# --- global state ---------------------------------------------------------------

OWN_FOLDERS = ("store", "rules", "cli", "papers")  # tests/ui and tests/excel keep their own set-up


def _own(request) -> bool:
    here = Path(__file__).parent
    try:
        return Path(request.node.path).relative_to(here).parts[0] in OWN_FOLDERS
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _vietnamese_closed_clean(request, monkeypatch):
    """The language and the bound database are process-global: reset them; and
    settings must not be steered by the developer's own environment."""
    if not _own(request):
        yield
        return
    for name in ("INSPECT_TUI_DB", "INSPECT_TUI_LANG", "INSPECT_TUI_USER", "INSPECT_TUI_TODAY"):
        monkeypatch.delenv(name, raising=False)
    set_language("vi")
    yield
    store.close()
    set_language("vi")


# --- PostgreSQL -------------------------------------------------------------------

@pytest.fixture(scope="session")
def pg_server():
    try:
        _pg_admin().close()
    except Exception as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"PostgreSQL on {PG_HOST}:{PG_PORT} is not available: {exc}")
    return True


@pytest.fixture(scope="session")
def pg_copies(pg_server):
    """Fresh databases made ahead and dropped behind the tests (see PgCopies)."""
    copies = PgCopies()
    yield copies
    copies.close()


def _fresh_pg_database(copies: PgCopies, template: str | None = None):
    """A uniquely named database (a copy of `template` if given), bound while the
    test runs and dropped after it."""
    name = copies.new(template)
    try:
        database = store.connect(pg_url(name), create=True)
        yield database
    finally:
        store.close()
        copies.done(name)


def _pg_template(pg_copies, tmp_path_factory, key: str, fill=None):
    """A PostgreSQL template migrated (and filled by `fill()` while bound), built
    once per run; its copies are made per test."""

    def build(name: str) -> None:
        store.connect(pg_url(name), create=True)
        try:
            if fill is not None:
                fill()
        finally:
            store.close()

    name, _ = _shared_pg(tmp_path_factory, key, build)
    yield name
    pg_copies.forget(name)


@pytest.fixture(scope="session")
def empty_pg_template(pg_copies, tmp_path_factory):
    """A migrated PostgreSQL database without data, copied for each `pg` test."""
    yield from _pg_template(pg_copies, tmp_path_factory, "migrated")


@pytest.fixture
def pg(pg_copies, empty_pg_template):
    """An empty, uniquely named PostgreSQL database, migrated and bound; dropped after."""
    yield from _fresh_pg_database(pg_copies, template=empty_pg_template)


@pytest.fixture
def pg_urls(pg_copies):
    """Make empty PostgreSQL databases (not bound): new, or emptied again after
    another test (no schema but an empty public one)."""
    names = []

    def new_url() -> str:
        names.append(pg_copies.new(None))
        return pg_url(names[-1])

    yield new_url
    store.close()
    for name in names:
        pg_copies.done(name)


# --- SQLite -----------------------------------------------------------------------

@pytest.fixture
def sqlite_db(tmp_path):
    database = store.connect(str(tmp_path / "t.sqlite3"), create=True)
    yield database
    store.close()


# --- seeded templates -----------------------------------------------------------------

def _seed_connected() -> None:
    from inspect_tui.rules import seed

    seed.load_defaults(ACTOR)


def _build_seeded_sqlite(path: Path) -> None:
    database = store.connect(str(path), create=True)
    try:
        _seed_connected()
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # one file to copy
    finally:
        store.close()


@pytest.fixture(scope="session")
def seeded_sqlite_template(tmp_path_factory):
    return _shared_sqlite(tmp_path_factory, "seeded", _build_seeded_sqlite)[0]


@pytest.fixture(scope="session")
def seeded_pg_template(pg_copies, tmp_path_factory):
    yield from _pg_template(pg_copies, tmp_path_factory, "seeded", _seed_connected)


@pytest.fixture
def seeded_sqlite(tmp_path, seeded_sqlite_template):
    target = tmp_path / "t.sqlite3"
    shutil.copyfile(seeded_sqlite_template, target)
    database = store.connect(str(target))
    yield database
    store.close()


@pytest.fixture
def seeded_pg(pg_copies, seeded_pg_template):
    yield from _fresh_pg_database(pg_copies, template=seeded_pg_template)


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db(request):
    """An empty database on each backend (SQLite, then PostgreSQL)."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_db")
    return request.getfixturevalue("pg")


@pytest.fixture(params=BACKENDS)
def seeded(request):
    """A database holding the default data (roster, 2025 reorganisation,
    indicators, work plan) on each backend."""
    if request.param == "sqlite":
        return request.getfixturevalue("seeded_sqlite")
    return request.getfixturevalue("seeded_pg")


# --- scenarios built once per session ------------------------------------------------------

class _Built:
    """Databases with a scenario already built in them, one per (scenario, backend):
    the templates that `prebuilt` fixtures copy."""

    def __init__(self, request, tmp_path_factory):
        self.request = request
        self.tmp_path_factory = tmp_path_factory
        self.templates: dict[tuple[str, str], tuple[str, object]] = {}

    def template(self, key: str, base: str, build, backend: str):
        """(SQLite file or PostgreSQL database name, what `build` returned)."""
        if (key, backend) not in self.templates:
            fixture = self.request.getfixturevalue
            if backend == "sqlite":
                path = self.tmp_path_factory.mktemp("built") / "built.sqlite3"
                if base == "seeded":
                    shutil.copyfile(fixture("seeded_sqlite_template"), path)
                database = store.connect(str(path), create=True)
                try:
                    result = build(Builder())
                    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    store.close()
                self.templates[key, backend] = str(path), result
            else:
                copies = fixture("pg_copies")
                base_template = fixture("seeded_pg_template" if base == "seeded" else "empty_pg_template")
                name = unique_pg_name("itui_tpl")
                _pg_create(name, template=base_template)
                copies.adopt(name)
                store.connect(pg_url(name))
                try:
                    result = build(Builder())
                finally:
                    store.close()
                self.templates[key, backend] = name, result
        return self.templates[key, backend]


@pytest.fixture(scope="session")
def _built(request, tmp_path_factory):
    return _Built(request, tmp_path_factory)


@pytest.fixture
def prebuilt(backend, _built, tmp_path, request):
    """prebuilt(base, build) binds, on each backend, the `base` database ("db":
    empty, "seeded": the default data) with `build(make)` applied, and returns what
    `build` returned. The scenario is built once per session and backend and copied
    for each test (ids are the same in every copy), so a test costs a copy, not the
    writes that build it: for scenarios that many tests start from, e.g.

        @pytest.fixture
        def small(prebuilt):
            return prebuilt("db", build_small)
    """

    def use(base: str, build):
        key = f"{build.__module__}.{build.__qualname__}"
        template, result = _built.template(key, base, build, backend)
        if backend == "sqlite":
            path = tmp_path / "t.sqlite3"
            shutil.copyfile(template, path)
            store.connect(str(path))
            request.addfinalizer(store.close)
        else:
            copies = request.getfixturevalue("pg_copies")
            name = copies.new(template)
            request.addfinalizer(lambda: copies.done(name))
            request.addfinalizer(store.close)  # runs first
            store.connect(pg_url(name))
        return result

    return use


# --- database URLs for the command line (not bound) ------------------------------------

@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """"sqlite" or "postgres": for `url_maker`, `prebuilt` and tests that build their own URLs."""
    if request.param == "postgres":
        request.getfixturevalue("pg_server")
    return request.param


@pytest.fixture
def url_maker(tmp_path, request):
    """make(backend, template=None) -> URL of a new database (not bound): a SQLite
    path in tmp_path (a copy of `template`, a file, if given), or a PostgreSQL
    database (a copy of `template`, a database name, if given), dropped after."""
    made = []  # (copies, name)
    count = iter(range(1_000_000))

    def make(kind: str, template=None) -> str:
        if kind == "sqlite":
            path = tmp_path / f"db{next(count)}.sqlite3"
            if template is not None:
                shutil.copyfile(template, path)
            return str(path)
        copies = request.getfixturevalue("pg_copies")
        made.append((copies, copies.new(template)))
        return pg_url(made[-1][1])

    yield make
    store.close()
    for copies, name in made:
        copies.done(name)


@pytest.fixture
def seeded_url(backend, url_maker, request) -> str:
    """The URL of a fresh copy of the seeded database on each backend (not bound)."""
    template = request.getfixturevalue(f"seeded_{'sqlite' if backend == 'sqlite' else 'pg'}_template")
    return url_maker(backend, template)


@pytest.fixture
def new_db_url(backend, url_maker) -> str:
    """On each backend, where a new database goes: a SQLite path that does not exist
    yet, or an empty PostgreSQL database without tables (what `init` starts from)."""
    return url_maker(backend)


# --- the demo database (built once, read only) ------------------------------------

@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    """(path, report) of the demo database built once for 23/11/2026 (as `demo` builds it)."""
    from inspect_tui.rules import demo

    return _shared_sqlite(tmp_path_factory, f"demo-{DEMO_TODAY}",
                          lambda path: demo.create(str(path), DEMO_TODAY))


@pytest.fixture(scope="session")
def demo_build_pg(pg_copies, tmp_path_factory):
    """(URL, report) of the same demo on PostgreSQL, made by `demo` on an empty
    database: built once (about 6 s), only for tests marked slow (see DEMO_BACKENDS)."""
    from inspect_tui.rules import demo

    def build(name: str):
        try:
            return demo.create(pg_url(name), DEMO_TODAY)
        finally:
            store.close()

    name, report = _shared_pg(tmp_path_factory, f"demo-{DEMO_TODAY}", build)
    pg_copies.adopt(name)
    yield pg_url(name), report
    store.close()


# The PostgreSQL demo costs a build of its own: the fast run (-m "not slow") reads SQLite's.
DEMO_BACKENDS = ["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.slow])]


@pytest.fixture(params=DEMO_BACKENDS)
def demo_url(request) -> str:
    """The URL of the session's demo database on each backend (read only: tests must not write)."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("demo_build")[0])
    return request.getfixturevalue("demo_build_pg")[0]


@pytest.fixture(params=DEMO_BACKENDS)
def demo_db(request):
    """The session's demo database on each backend, bound for reading (tests must not write)."""
    if request.param == "sqlite":
        database = store.connect(str(request.getfixturevalue("demo_build")[0]))
    else:
        database = store.connect(request.getfixturevalue("demo_build_pg")[0])
    yield database
    store.close()


# --- building small scenarios ---------------------------------------------------------

# The nine districts the default roster dissolves in 2025 (their tasks pass to UBND thành phố).
DISTRICTS = ("Q-NK", "Q-BT", "Q-CR", "Q-OM", "Q-TN", "H-PD", "H-CD", "H-TL", "H-VT")


class Builder:
    """Short ways to create units, plans, visits, findings and tasks through the rules."""

    def __init__(self, actor: str = ACTOR):
        self.actor = actor

    def unit(self, code, name=None, kind="department", **kw):
        from inspect_tui.rules import units

        return units.create(code, name or f"Đơn vị {code}", kind, self.actor, **kw)

    def plan(self, year=2024, number=None, **kw) -> int:
        from inspect_tui.rules import inspections

        return inspections.create_plan(year, number or f"{year % 100}/KH-UBND", self.actor, **kw).id

    def visit(self, plan_id, unit_code, scheduled_on=None, held_on=None, notice_date=None) -> int:
        from inspect_tui.rules import inspections

        visit_id = inspections.add_visit(plan_id, unit_code, self.actor, scheduled_on=scheduled_on)
        if held_on:
            inspections.update_visit(visit_id, self.actor, status="held", held_on=held_on,
                                     notice_date=notice_date)
        return visit_id

    def finding(self, visit_id, area="procedures", description="Chưa niêm yết TTHC đầy đủ",
                **kw) -> int:
        from inspect_tui.rules import findings

        return findings.add(visit_id, area, description, self.actor, **kw).id

    def task(self, finding_id, due_on, today, description="Niêm yết công khai TTHC",
             **kw) -> int:
        from inspect_tui.rules import findings

        return findings.add_task(finding_id, description, due_on, self.actor, today, **kw)

    def chain(self, unit_code, due_on, today, year=2024, area="procedures",
              description="Niêm yết công khai TTHC", plan_id=None, held=None, **kw) -> int:
        """A plan (or the given one), a held visit to `unit_code`, a finding and one task."""
        plan_id = plan_id or self.plan(year)
        held = held or dt.date(year, 4, 6)
        visit_id = self.visit(plan_id, unit_code, scheduled_on=held, held_on=held,
                              notice_date=held + dt.timedelta(days=15))
        finding_id = self.finding(visit_id, area=area)
        return self.task(finding_id, due_on, today, description=description, **kw)

    def district_tasks(self, today) -> dict[str, list[int]]:
        """Two open tasks found at each of the nine districts in 2024 ({code: task ids}),
        recorded after the districts ended: they go straight to their heir."""
        plan = self.plan(2024)
        made = {}
        for i, code in enumerate(DISTRICTS):
            held = dt.date(2024, 4, 6 + i)
            visit = self.visit(plan, code, held, held_on=held, notice_date=held + dt.timedelta(days=14))
            finding = self.finding(visit, area="procedures")
            made[code] = [self.task(finding, dt.date(2024, 9, 1), today, description=f"Việc {n} {code}")
                          for n in (1, 2)]
        return made


@pytest.fixture
def make():
    return Builder()
