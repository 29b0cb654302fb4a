"""Every file of the hostile corpus (tests/excel/hostile_corpus.py), imported
both ways, dry run and real: the exact answer, nothing changed in the database
(a dump of every table compared before and after), each file answered within
10 seconds; the files the rules in the database answer, on PostgreSQL too;
then each file once more in a process of its own, to measure its peak memory
(under 300 MB)."""
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inspect_tui.excel.progress_import import import_progress
from inspect_tui.excel.record_import import import_record
from inspect_tui.store import db as store
from inspect_tui.store.models import database

from .hostile_corpus import CASES, LANG, NAMES, TODAY, prepare

ACTOR = "tester"
SECONDS = 10
MEGABYTES = 300
CODES = {"status", "note", "completed_on", "evidence_ref", "status_reason", "due_on", "description"}
DB_NAMES = [name for name, _kind, _builder, db in CASES if db]
RAW = re.compile(r"\(\w*Error\)|KeyError|ParseError|Traceback|\bhit\.\w+|\b(excel|error|ui)\.[a-z_]+\.")

def _corpus(request, tmp_path_factory, backend: str):
    """A seeded database on `backend` with the corpus's tasks, and the corpus:
    (SQLite path or None, the database, {name: Case})."""
    folder = tmp_path_factory.mktemp(f"corpus-{backend}")
    done, path = None, None
    if backend == "sqlite":
        path = folder / "corpus.sqlite3"
        shutil.copyfile(request.getfixturevalue("seeded_sqlite_template"), path)
        db = store.connect(str(path))
    else:
        copies = request.getfixturevalue("pg_copies")  # tests/conftest.py: copies of the seeded database
        name = copies.new(request.getfixturevalue("seeded_pg_template"))
        db = store.connect(f"postgresql://postgres@127.0.0.1:5432/{name}")

        def done():
            copies.done(name)
    try:
        yield path, db, prepare(folder, ACTOR)
    finally:
        if not db.is_closed():
            db.close()
        if done:
            done()


def bound(corpus) -> dict:
    """The corpus's cases, its database bound (the two backends' fixtures live side by side)."""
    _path, db, cases = corpus
    if database.obj is not db:
        database.initialize(db)
    return cases


@pytest.fixture(scope="module")
def on_sqlite(request, tmp_path_factory):
    yield from _corpus(request, tmp_path_factory, "sqlite")


@pytest.fixture(scope="module")
def on_postgres(request, tmp_path_factory):
    yield from _corpus(request, tmp_path_factory, "postgres")


def dump() -> dict:
    """Every row of every table, in a stable order."""
    found = {}
    for table in sorted(database.get_tables()):
        rows = database.execute_sql(f'SELECT * FROM "{table}"').fetchall()
        found[table] = sorted(rows, key=repr)
    return found


def run(case, dry_run: bool):
    if case.kind == "template":
        return import_record(case.path, ACTOR, TODAY, LANG, dry_run=dry_run)
    return import_progress([case.path], ACTOR, TODAY, LANG, dry_run=dry_run)


def check_both_ways(case) -> None:
    """Dry run then real import: the exact reasons, nothing applied, the dump unchanged."""
    before = dump()
    for dry_run in (True, False):
        started = time.perf_counter()
        report = run(case, dry_run)
        seconds = time.perf_counter() - started
        assert seconds < SECONDS, f"{case.name}: {seconds:.1f} s"
        reasons = [p.reason for p in report.problems]
        assert sorted(reasons) == sorted(case.reasons), (case.name, dry_run)
        assert report.problem_count == len(case.reasons)
        assert report.ok == (not case.reasons) and not report.applied
        assert not report.changes or case.reasons  # rows that are fine are listed, never applied
        assert report.already == case.already
        for p in report.problems:  # what a person reads: no codes, no exception names
            assert not RAW.search(p.reason), p.reason
            assert p.field not in CODES, p.field
            if p.row:
                assert p.sheet and p.file == case.path.name
        assert dump() == before, (case.name, dry_run)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_every_hostile_file_both_ways_changes_nothing(on_sqlite, name):
    check_both_ways(bound(on_sqlite)[name])


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("name", DB_NAMES)
def test_files_the_rules_answer_on_postgresql_too(on_postgres, name):
    """The files whose answer comes from the rules in the database (the rest are
    refused before the database is asked anything)."""
    check_both_ways(bound(on_postgres)[name])


def test_the_corpus_is_large_enough():
    assert len(NAMES) >= 40 and len(set(NAMES)) == len(NAMES) and len(DB_NAMES) >= 10


MEASURE = r"""
import json, os, resource, sys, time
from pathlib import Path
from inspect_tui.excel.progress_import import import_progress
from inspect_tui.excel.record_import import import_record
from inspect_tui.store import db as store

db, cases = sys.argv[1], json.loads(sys.argv[2])
import datetime as dt
today = dt.date.fromisoformat(sys.argv[3])
for name, kind, path in cases:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # a process of its own for each file: its peak is the file's
        os.close(read)
        store.connect(db)
        started = time.perf_counter()
        if kind == "template":
            report = import_record(Path(path), "tester", today, "vi", dry_run=True)
        else:
            report = import_progress([Path(path)], "tester", today, "vi", dry_run=True)
        seconds = time.perf_counter() - started
        store.close()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB -> MB
        os.write(write, json.dumps([name, seconds, peak, report.problem_count]).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        line = pipe.read()
    os.waitpid(pid, 0)
    print(line, flush=True)
"""


@pytest.mark.slow  # a process of its own for each file
def test_each_file_is_answered_within_the_time_and_memory_budget(on_sqlite):
    path, _db, cases = on_sqlite
    listed = json.dumps([[c.name, c.kind, str(c.path)] for c in cases.values()])
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path), listed, TODAY.isoformat()],
                          capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("[")]
    assert [r[0] for r in results] == list(cases)
    slowest = max(results, key=lambda r: r[1])
    largest = max(results, key=lambda r: r[2])
    print(f"\nslowest: {slowest[0]} {slowest[1]:.2f} s, {slowest[2]:.0f} MB; "
          f"largest: {largest[0]} {largest[1]:.2f} s, {largest[2]:.0f} MB")
    for name, seconds, peak, problems in results:
        assert seconds < SECONDS, (name, seconds)
        assert peak < MEGABYTES, (name, peak)
        assert problems == len(cases[name].reasons), name
