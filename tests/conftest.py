"""Shared fixtures for the store, rules and CLI tests.

Every test gets its own database: a fresh SQLite file in tmp_path, or (for
the tests marked `postgres`) a uniquely named PostgreSQL database that is
dropped afterwards. Seeded databases are copied from a template built once
per session (a file copy for SQLite, CREATE DATABASE ... TEMPLATE for
PostgreSQL), so each test still starts from a pristine, independent copy.
`today` is always passed in; nothing here reads the wall clock.
"""
import datetime as dt
import shutil
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


def unique_pg_name(prefix: str = "itui_test") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


# --- global state ---------------------------------------------------------------

OWN_FOLDERS = ("store", "rules", "cli")  # tests/ui and tests/excel keep their own set-up


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


def _fresh_pg_database(template: str | None = None):
    """A uniquely named database (a copy of `template` if given), bound while the
    test runs and dropped after it."""
    name = unique_pg_name()
    _pg_create(name, template=template)
    database = store.connect(pg_url(name))
    try:
        yield database
    finally:
        store.close()
        _pg_drop(name)


@pytest.fixture
def pg(pg_server):
    """An empty, uniquely named PostgreSQL database, migrated and bound; dropped after."""
    yield from _fresh_pg_database()


@pytest.fixture
def pg_urls(pg_server):
    """Make empty, uniquely named PostgreSQL databases (not bound); all dropped after."""
    names = []

    def new_url() -> str:
        name = unique_pg_name()
        _pg_create(name)
        names.append(name)
        return pg_url(name)

    yield new_url
    store.close()
    for name in names:
        _pg_drop(name)


# --- SQLite -----------------------------------------------------------------------

@pytest.fixture
def sqlite_db(tmp_path):
    database = store.connect(str(tmp_path / "t.sqlite3"))
    yield database
    store.close()


# --- seeded templates -----------------------------------------------------------------

def _seed_connected() -> None:
    from inspect_tui.rules import seed

    seed.load_defaults(ACTOR)


@pytest.fixture(scope="session")
def seeded_sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "seeded.sqlite3"
    store.connect(str(path))
    try:
        _seed_connected()
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def seeded_pg_template(pg_server):
    name = unique_pg_name("itui_tpl")
    _pg_create(name)
    store.connect(pg_url(name))
    try:
        _seed_connected()
    finally:
        store.close()
    yield name
    _pg_drop(name)


@pytest.fixture
def seeded_sqlite(tmp_path, seeded_sqlite_template):
    target = tmp_path / "t.sqlite3"
    shutil.copyfile(seeded_sqlite_template, target)
    database = store.connect(str(target))
    yield database
    store.close()


@pytest.fixture
def seeded_pg(seeded_pg_template):
    yield from _fresh_pg_database(template=seeded_pg_template)


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


# --- the demo database (built once, read only) ------------------------------------

@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    """(path, report) of the demo database built once for 23/11/2026."""
    from inspect_tui.rules import demo, meta

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    store.connect(str(path))
    try:
        report = demo.build(DEMO_TODAY)
        meta.put("demo", "1")
    finally:
        store.close()
    return path, report


@pytest.fixture
def demo_db(demo_build):
    """The session's demo database, bound for reading (tests must not write)."""
    database = store.connect(str(demo_build[0]))
    yield database
    store.close()


# --- building small scenarios ---------------------------------------------------------

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


@pytest.fixture
def make():
    return Builder()
