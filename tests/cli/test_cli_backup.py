"""`backup` and `restore`, as a team uses them: a consistent copy while others
write, SQLite → PostgreSQL → SQLite with every row intact, refusals in one
line that change nothing, and programs killed half-way leave no partial file
and no half-loaded database."""
import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest

from inspect_tui.locale import formats
from inspect_tui.rules import backup as backup_rules
from inspect_tui.store import db as store
from inspect_tui.store.models import is_derived

from cli_helpers import run, one_line

TODAY = dt.date(2026, 3, 2)
EXE = shutil.which("inspect-tui", path=str(Path(sys.executable).parent))
COMMAND = [EXE] if EXE else [sys.executable, "-m", "inspect_tui"]


def env_for(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECT_TUI_")}
    env.update(INSPECT_TUI_HOME=str(home), COLUMNS="200", PYTHONIOENCODING="utf-8")
    return env


def command(home, *argv, **kw):
    return subprocess.run([*COMMAND, *map(str, argv)], cwd=home, env=env_for(home), capture_output=True,
                          text=True, encoding="utf-8", timeout=60, **kw)


# --- reading databases as they are, without the application ---------------------------------

def _connect_raw(url: str):
    if url.startswith("postgresql://"):
        import psycopg2

        return psycopg2.connect(url)
    return sqlite3.connect(url)


def _tables(conn) -> list[str]:
    cur = conn.cursor()
    if isinstance(conn, sqlite3.Connection):
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return sorted(name for (name,) in cur.fetchall() if not is_derived(name))


def content(url: str) -> dict[str, list]:
    """Every row of every table (None when the SQLite file does not exist)."""
    if not url.startswith("postgresql://") and not Path(url).exists():
        return None
    conn = _connect_raw(url)
    try:
        cur = conn.cursor()
        rows = {}
        for table in _tables(conn):
            cur.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            rows[table] = cur.fetchall()
        return rows
    finally:
        conn.close()


def data_counts(url: str) -> dict[str, int]:
    """Rows per table, the migration history aside ({} for no database or no tables)."""
    rows = content(url) or {}
    return {table: len(r) for table, r in rows.items() if table != "schema_migration"}


def backup_counts(path) -> dict[str, int]:
    return data_counts(str(path))


def integrity(path) -> str:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


# --- building data through the rules -------------------------------------------------------------

def add_work(url: str, make) -> int:
    """A task with a history (moved, a note), a reorganised unit tree and a demo flag; its id."""
    from inspect_tui.rules import meta, tasks

    store.connect(url)
    try:
        task_id = make.chain("SNV", dt.date(2024, 6, 1), TODAY)
        tasks.move(task_id, "in_progress", "chị Hoa", TODAY)
        tasks.add_note(task_id, "Đã niêm yết 12/15 thủ tục", "chị Hoa", TODAY)
        make.unit("PHONG-A", "Phòng thử nghiệm", kind="other", parent="SNV")
        meta.put("demo", "0")
        return task_id
    finally:
        store.close()


def grow_log(url: str, rows: int) -> None:
    """Many change-log rows, so that copying takes a moment."""
    conn = _connect_raw(url)
    try:
        cur = conn.cursor()
        values = [(dt.datetime(2026, 1, 1, 8, 0, 0).isoformat(" "), "máy", f"b{i // 50}", "update",
                   "unit", 1, "note", '"cũ"', f'"ghi chú {i}"') for i in range(rows)]
        sql = "INSERT INTO change_log (at, actor, batch, action, entity, record_id, field, old, new) VALUES "
        if isinstance(conn, sqlite3.Connection):
            cur.executemany(sql + f"({', '.join(['?'] * 9)})", values)
        else:
            from psycopg2.extras import execute_values

            execute_values(cur, sql + "%s", values, page_size=2000)
        conn.commit()
    finally:
        conn.close()


# --- backup ------------------------------------------------------------------------------------------

WRITER = r"""
import datetime as dt, sys
from inspect_tui.rules import database, tasks
database.open_database(sys.argv[1])
task_id = int(sys.argv[2])
for i in range(1_000_000):
    tasks.add_note(task_id, f"Ghi chú số {i}", "người viết", dt.date(2026, 3, 2))
    if i == 0:
        print("ready", flush=True)
"""


@pytest.mark.slow
def test_backup_while_another_program_writes_is_whole_and_consistent(seeded_url, make, home):
    task_id = add_work(seeded_url, make)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, seeded_url, str(task_id)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env_for(home), cwd=home)
    try:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        out = home / "sao-luu" / "truoc-kiem-tra.sqlite3"
        result = run("--db", seeded_url, "backup", "--out", out)
        live = data_counts(seeded_url)["progress_note"]
    finally:
        writer.kill()
        writer.wait()
    assert result.code == 0, result.err
    assert integrity(out) == "ok"
    copy = content(str(out))
    # one moment of the database: every note has its log rows, however the writer raced
    notes = [r for r in copy["progress_note"] if r[1] == task_id]
    logged = [r for r in copy["change_log"] if r[5] == "progress_note" and r[7] == "text"]
    assert len(notes) == len(logged) >= 2
    assert live >= len(copy["progress_note"])
    # what the user reads: the path, the total and each table's rows, Vietnamese style
    total = sum(len(rows) for rows in copy.values())
    assert result.out.splitlines()[0] == f"Đã sao lưu vào {out}: {formats.number(total)} dòng."
    change_log = next(line for line in result.out.splitlines() if "change_log" in line)
    assert formats.number(len(copy["change_log"])) in change_log and "." in formats.number(len(copy["change_log"]))
    assert sorted(copy) == sorted(content(seeded_url))  # every table, the history and meta included
    assert [r[1] for r in copy["schema_migration"]] == [r[1] for r in content(seeded_url)["schema_migration"]]
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left behind


def test_default_path_and_existing_file(seeded_url, home):
    path = backup_rules.default_path(home, seeded_url, dt.datetime(2026, 3, 2, 14, 5, 9))
    name = "db0" if not seeded_url.startswith("postgresql://") else seeded_url.rsplit("/", 1)[1]
    assert path == home / "db" / "backups" / f"{name}-20260302-140509.sqlite3"
    first = run("--db", seeded_url, "backup")
    assert first.code == 0, first.err
    written = list((home / "db" / "backups").glob("*.sqlite3"))
    assert len(written) == 1 and str(written[0]) in first.out
    before = written[0].read_bytes()
    again = run("--db", seeded_url, "backup", "--out", written[0])
    assert again.code == 1
    assert one_line(again.err) == f"{written[0]} đã tồn tại; chọn tên khác với --out."
    assert written[0].read_bytes() == before


# --- restore -----------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.postgres
def test_sqlite_to_postgres_and_back_keeps_every_row(url_maker, seeded_sqlite_template, make, home):
    from inspect_tui.rules import units

    original = url_maker("sqlite", seeded_sqlite_template)
    task_id = add_work(original, make)
    pg = url_maker("postgres")  # an empty database, as createdb leaves it
    back = str(home / "lai-sqlite.sqlite3")

    assert run("--db", original, "backup", "--out", home / "1.sqlite3").code == 0
    loaded = run("--db", pg, "restore", home / "1.sqlite3", "--yes")
    assert loaded.code == 0, loaded.err
    assert run("--db", pg, "backup", "--out", home / "2.sqlite3").code == 0
    assert run("--db", back, "restore", home / "2.sqlite3", "--yes").code == 0

    before, after = content(original), content(back)
    assert sorted(before) == sorted(after)
    for table in before:
        assert before[table] == after[table], table
    assert data_counts(pg) == data_counts(original)
    # the same history reads the same on both
    assert run("--db", pg, "history", "task", task_id, "--format", "json").out == \
        run("--db", original, "history", "task", task_id, "--format", "json").out
    # the counts the triggers keep (left out of the copy) are rebuilt whole on each side
    assert run("--db", pg, "--today", "23/11/2026", "summary", "--format", "json").out == \
        run("--db", back, "--today", "23/11/2026", "summary", "--format", "json").out == \
        run("--db", original, "--today", "23/11/2026", "summary", "--format", "json").out
    # PostgreSQL carries on after the largest id: new records do not collide
    store.connect(pg)
    try:
        largest = max(r[0] for r in before["unit"])
        assert units.create("MOI", "Đơn vị mới", "other", "tester").id == largest + 1
    finally:
        store.close()


def test_restore_into_a_database_holding_data_is_refused(seeded_url, home):
    assert run("--db", seeded_url, "backup", "--out", home / "b.sqlite3").code == 0
    before = content(seeded_url)
    refused = run("--db", seeded_url, "restore", home / "b.sqlite3", "--yes")
    assert refused.code == 1
    assert "đã có dữ liệu" in one_line(refused.err) and "không có gì thay đổi" in refused.err
    assert content(seeded_url) == before


def test_restore_needs_yes_without_a_terminal(seeded_url, url_maker, backend, home):
    assert run("--db", seeded_url, "backup", "--out", home / "b.sqlite3").code == 0
    target = url_maker(backend)
    refused = command(home, "--db", target, "restore", home / "b.sqlite3", stdin=subprocess.DEVNULL)
    assert refused.returncode == 1
    assert one_line(refused.stderr) == ("Không hỏi xác nhận được vì đầu vào không phải bàn phím: "
                                        "thêm --yes để nạp bản sao.")
    assert not any(data_counts(target).values())


class _Keyboard(StringIO):
    def isatty(self):
        return True


@pytest.mark.slow
def test_restore_asks_first_on_a_terminal(seeded_url, url_maker, backend, home, monkeypatch):
    assert run("--db", seeded_url, "backup", "--out", home / "b.sqlite3").code == 0
    target = url_maker(backend)
    monkeypatch.setattr(sys, "stdin", _Keyboard("n\n"))
    declined = run("--db", target, "restore", home / "b.sqlite3")
    assert declined.code == 1
    assert declined.out.startswith(f"Nạp bản sao {home / 'b.sqlite3'} vào ")
    assert "[y/N] Đã hủy; không có gì thay đổi." in declined.out.replace("\n", " ")
    assert not any(data_counts(target).values())
    monkeypatch.setattr(sys, "stdin", _Keyboard("y\n"))
    accepted = run("--db", target, "restore", home / "b.sqlite3")
    assert accepted.code == 0, accepted.err
    assert data_counts(target) == backup_counts(home / "b.sqlite3")


def _plain_sqlite(path: Path, template) -> Path:
    shutil.copyfile(template, path)
    return path


def test_what_is_not_a_backup_is_refused_in_one_line(url_maker, seeded_sqlite_template, home):
    target = url_maker("sqlite")
    good = home / "good.sqlite3"
    assert run("--db", url_maker("sqlite", seeded_sqlite_template), "backup", "--out", good).code == 0
    garbage = home / "rac.sqlite3"
    garbage.write_bytes(random.Random(7).randbytes(20_000))
    text = home / "ghi-chu.txt"
    text.write_text("Biên bản kiểm tra\n", "utf-8")
    truncated = home / "cat-ngang.sqlite3"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    cases = {
        garbage: f"{garbage} không phải bản sao do \"inspect-tui backup\" tạo ra, hoặc đã hỏng; không có gì thay đổi.",
        text: f"{text} không phải bản sao do \"inspect-tui backup\" tạo ra, hoặc đã hỏng; không có gì thay đổi.",
        # a working database is a SQLite file, but not a backup
        _plain_sqlite(home / "working.sqlite3", seeded_sqlite_template):
            f"{home / 'working.sqlite3'} không phải bản sao do \"inspect-tui backup\" tạo ra, hoặc đã hỏng; "
            "không có gì thay đổi.",
        truncated: f"{truncated} không phải bản sao do \"inspect-tui backup\" tạo ra, hoặc đã hỏng; "
                   "không có gì thay đổi.",
        home / "khong-co.sqlite3": f"Không có tệp sao lưu {home / 'khong-co.sqlite3'}.",
    }
    for path, message in cases.items():
        refused = run("--db", target, "restore", path, "--yes")
        assert refused.code == 1, path
        assert one_line(refused.err) == message
        assert not any(data_counts(target).values())


def test_a_backup_from_a_newer_version_is_refused(url_maker, seeded_sqlite_template, backend, home):
    path = home / "b.sqlite3"
    assert run("--db", url_maker("sqlite", seeded_sqlite_template), "backup", "--out", path).code == 0
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migration (name, applied) VALUES ('0099_tu_tuong_lai', '2030-01-01')")
    conn.commit()
    conn.close()
    target = url_maker(backend)
    refused = run("--db", target, "restore", path, "--yes")
    assert refused.code == 1
    assert one_line(refused.err) == (f"Bản sao {path} do phiên bản inspect-tui mới hơn tạo ra "
                                     "(migration 0099_tu_tuong_lai): hãy cập nhật inspect-tui trước khi nạp.")
    assert not any(data_counts(target).values())


V1_ROWS = [
    "INSERT INTO unit (id, code, name, kind, parent_id, started_on, ended_on, confirmed, note, search_text) "
    "VALUES (7, 'SNV', 'Sở Nội vụ', 'department', NULL, NULL, NULL, 1, '', 'snv so noi vu')",
    "INSERT INTO plan (id, year, level, issuer_id, number, issued_on, kind, title, derived_from_id) "
    "VALUES (3, 2024, 'city', NULL, '45/KH-UBND', '2024-03-05', 'comprehensive', '', NULL)",
    "INSERT INTO visit (id, plan_id, unit_id, scheduled_on, held_on, status, minutes_ref, notice_number, "
    "notice_date, assessment) VALUES (4, 3, 7, '2024-04-06', '2024-04-06', 'held', '', '112/TB-UBND', "
    "'2024-04-20', '')",
    "INSERT INTO finding (id, visit_id, area, severity, description, recommendation, position, search_text) "
    "VALUES (5, 4, 'procedures', 'moderate', 'Chưa niêm yết TTHC', '', 0, 'chua niem yet tthc')",
    "INSERT INTO task (id, finding_id, responsible_unit_id, description, assignee, due_on, status, "
    "status_reason, completed_on, evidence_ref, version, created_at, search_text) VALUES "
    "(6, 5, 7, 'Niêm yết công khai', '', '2024-06-01', 'open', '', NULL, '', 1, "
    "'2024-04-21 08:00:00', 'niem yet cong khai')",
    "INSERT INTO change_log (id, at, actor, batch, action, entity, record_id, field, old, new) VALUES "
    "(9, '2024-04-21 08:00:00', 'an', 'b1', 'create', 'task', 6, 'status', NULL, '\"open\"')",
]


def test_an_older_backup_is_upgraded_then_loaded(url_maker, backend, home):
    """A backup made by the first schema version: upgraded on a copy, the file untouched."""
    path = home / "cu.sqlite3"
    old = store.make_database(str(path), create=True)
    old.connect()
    store.migration_runner(old).up(target="0001_record")
    for sql in V1_ROWS:
        old.execute_sql(sql)
    old.execute_sql("PRAGMA journal_mode=DELETE")
    old.execute_sql(f"PRAGMA application_id={backup_rules.APPLICATION_ID}")
    old.close()
    before = path.read_bytes()
    target = url_maker(backend)
    loaded = run("--db", target, "restore", path, "--yes")
    assert loaded.code == 0, loaded.err
    assert "0002_work_plan_and_indicators" in loaded.out
    assert path.read_bytes() == before
    from inspect_tui.rules import tasks

    store.connect(target)
    try:
        row = tasks.row(6, TODAY)
        assert (row.visited_code, row.due_on, row.status) == ("SNV", dt.date(2024, 6, 1), "open")
        names = [m for (m,) in store.database.obj.execute_sql("SELECT name FROM schema_migration")]
        assert sorted(names) == sorted(m.name for m in store.migration_runner(store.database.obj).migrations())
    finally:
        store.close()


# --- killed half-way ------------------------------------------------------------------------------------

def _timed(home, *argv) -> float:
    started = time.monotonic()
    done = command(home, *argv)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


def _killed(home, delay: float, *argv) -> None:
    process = subprocess.Popen([*COMMAND, *map(str, argv)], cwd=home, env=env_for(home),
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.slow  # real processes killed at random moments
def test_a_killed_backup_leaves_no_partial_file(seeded_url, home):
    grow_log(seeded_url, 5_000)
    folder = home / "backups"
    whole = _timed(home, "--db", seeded_url, "backup", "--out", folder / "whole.sqlite3")
    expected = backup_counts(folder / "whole.sqlite3")
    rng = random.Random(20260302)
    for i in range(3):
        out = folder / f"killed-{i}.sqlite3"
        _killed(home, rng.uniform(0.2, 1.0) * whole, "--db", seeded_url, "backup", "--out", out)
        if out.exists():  # the rename happened: then the file is whole
            assert integrity(out) == "ok" and backup_counts(out) == expected
    # the next backup into the folder clears what the killed ones left
    assert command(home, "--db", seeded_url, "backup", "--out", folder / "after.sqlite3").returncode == 0
    leftovers = [p.name for p in folder.iterdir() if not p.name.endswith(".sqlite3") or p.name.startswith(".")]
    assert leftovers == []
    for path in folder.iterdir():
        assert integrity(path) == "ok" and backup_counts(path) == expected


@pytest.mark.slow  # real processes killed at random moments
def test_a_killed_restore_leaves_the_target_whole_or_empty(seeded_url, url_maker, backend, home):
    grow_log(seeded_url, 5_000)
    path = home / "b.sqlite3"
    assert run("--db", seeded_url, "backup", "--out", path).code == 0
    expected = backup_counts(path)
    whole = _timed(home, "--db", url_maker(backend), "restore", path, "--yes")
    rng = random.Random(20260302)
    retried = False
    for _ in range(3):
        target = url_maker(backend)
        _killed(home, rng.uniform(0.2, 1.0) * whole, "--db", target, "restore", path, "--yes")
        counts = data_counts(target)
        assert counts == expected or not any(counts.values()), counts
        if not any(counts.values()) and not retried:  # an empty target takes the restore again
            assert command(home, "--db", target, "restore", path, "--yes").returncode == 0
            assert data_counts(target) == expected
            retried = True
