"""SIGKILL at random moments (a power cut, a closed laptop) during an import,
`init` and `demo`, as real processes on both backends: each operation is
wholly there or wholly absent, the database passes its integrity check, and
the operation can simply be run again. (Exports and backups have their own
kill tests beside their commands.)"""
import datetime as dt
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from inspect_tui.excel import per_unit
from inspect_tui.store import db as store
from inspect_tui.store.models import ProgressNote, Unit

from processes import run_cli
from unit_edits import edit

TODAY = dt.date(2026, 11, 23)
RUNS = 3
pytestmark = pytest.mark.slow


def _kill_after(process, seconds: float) -> None:
    time.sleep(seconds)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert "Traceback" not in process.stderr.read()


def _integrity_ok(url: str) -> None:
    path = store.sqlite_path(url)
    if path is not None and path.exists():
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _fresh_target(request, tmp_path, run: int) -> str:
    if request.node.callspec.params["backend"] == "sqlite":
        return str(tmp_path / f"run{run}" / "inspect.sqlite3")
    return request.getfixturevalue("pg_urls")()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request):
    return request.param


def _units(url: str) -> int:
    """How many units the database holds (0 when there is no database or schema yet)."""
    path = store.sqlite_path(url)
    if path is not None and not path.exists():
        return 0
    try:
        store.connect(url, migrate=False)
    except store.StoreError:
        return 0
    try:
        return Unit.select().count()
    finally:
        store.close()


def test_init_killed_then_run_again(request, backend, tmp_path):
    rng = random.Random(7)
    full = None
    for run in range(RUNS):
        url = _fresh_target(request, tmp_path, run)
        _kill_after(run_cli("--db", url, "init"), rng.uniform(0.3, 1.5))
        _integrity_ok(url)
        found = _units(url)
        again = run_cli("--db", url, "init")
        assert again.wait(timeout=120) == 0, again.stderr.read()
        full = full or _units(url)
        assert found in (0, full)  # the roster is loaded whole or not at all
        assert _units(url) == full


def test_two_inits_at_once_on_a_new_database(request, backend, tmp_path):
    url = _fresh_target(request, tmp_path, 0)
    runs = [run_cli("--db", url, "init") for _ in range(2)]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in runs]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert all("Traceback" not in err for _, err in outcomes)
    single = _fresh_target(request, tmp_path, 1)
    assert run_cli("--db", single, "init").wait(timeout=120) == 0
    assert _units(url) == _units(single)  # loaded once, not twice


def test_import_killed_is_applied_whole_or_not_at_all(url, make, tmp_path):
    plan = make.plan(2024)
    for _ in range(4):
        make.chain("STC", dt.date(2026, 12, 31), TODAY, plan_id=plan)
    written, _ = per_unit.export_per_unit(tmp_path / "units", TODAY, only="STC")
    path = written[0].path
    edit(path, {i: {"note": f"Đơn vị báo cáo dòng {i}"} for i in range(4)})
    rng = random.Random(11)
    for _ in range(RUNS):
        run = run_cli("--db", url, "--today", "23/11/2026", "import-progress", path)
        _kill_after(run, rng.uniform(0.3, 1.6))
        _integrity_ok(url)
        notes = ProgressNote.select().where(ProgressNote.text.startswith("Đơn vị báo cáo")).count()
        assert notes in (0, 4)
    finish = run_cli("--db", url, "--today", "23/11/2026", "import-progress", path)
    assert finish.wait(timeout=120) == 0, finish.stdout.read()
    assert ProgressNote.select().where(ProgressNote.text.startswith("Đơn vị báo cáo")).count() == 4


def test_demo_killed_leaves_no_partial_database(request, backend, tmp_path):
    rng = random.Random(5)
    for run in range(RUNS):
        url = _fresh_target(request, tmp_path, run)
        _kill_after(run_cli("demo", "--out", url, "--today", "23/11/2026"), rng.uniform(0.5, 3.0))
        _integrity_ok(url)
        found = _units(url)
        path = store.sqlite_path(url)
        if path is not None:  # built beside the target, renamed into place whole
            assert found == 0 or path.exists()
        again = run_cli("demo", "--out", url, "--today", "23/11/2026", "--force")
        assert again.wait(timeout=180) == 0, again.stderr.read()
        complete = _units(url)
        assert found in (0, complete)
        if path is not None:
            leftovers = [p.name for p in Path(path).parent.iterdir() if p.name.startswith(".~")]
            assert leftovers == []
