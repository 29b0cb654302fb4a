"""Fixtures for the workbook tests: the demo database built once per run (see
`shared_sqlite` in tests/conftest.py) and copied into each test's tmp_path, and
a snapshot of the record to prove that a refused import changed nothing."""
import datetime as dt
import shutil

import pytest

from inspect_tui.store import db as store
from inspect_tui.store.models import ChangeLog, ProgressNote, Task

TODAY = dt.date(2025, 5, 6)
ACTOR = "tester"


def _build_demo(path) -> None:
    from inspect_tui.rules import demo

    store.connect(str(path), create=True)
    try:
        demo.build(TODAY)
    finally:
        store.close()


@pytest.fixture(scope="session")
def demo_template(shared_sqlite):
    """The demo built for TODAY: once per run (under xdist too), this worker's copy."""
    return shared_sqlite(f"excel-demo-build-{TODAY}", _build_demo)[0]


@pytest.fixture
def demo_db(tmp_path, demo_template):
    path = tmp_path / "t.sqlite3"
    shutil.copy(demo_template, path)
    store.connect(str(path))
    yield path
    store.close()


@pytest.fixture
def empty_db(tmp_path):
    store.connect(str(tmp_path / "t.sqlite3"), create=True)
    yield
    store.close()


def snapshot() -> tuple:
    """Everything an import could touch."""
    return (ChangeLog.select().count(),
            sorted(Task.select(Task.id, Task.status, Task.version, Task.completed_on,
                               Task.evidence_ref).tuples()),
            ProgressNote.select().count())
