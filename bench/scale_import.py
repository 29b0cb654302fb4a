"""The import rows of bench/run.py.

Setup (not timed): a copy of the benchmark database (imports write); the
app's own per-unit workbooks (HMAC-signed) for the units with most open
tasks until 10,000 rows, every row given a progress note and open tasks
moved to "in progress", edited with openpyxl in the editable cells only, as
a unit would; and one workbook of 50,000 rows (or every open task there is):
in a second copy, that many open tasks are handed to one unit, as a
province gathering its units' tasks would hold them, and its workbook made.

Rows: `import-progress --dry-run` of the one big workbook (the 50,000-row
check), then `import-progress` of the 10,000 edited rows, against the bare import:
read_only openpyxl reading the same cells, bare peewee models applying the
same changes (version check, UPDATE, a note) in one transaction.
"""
import datetime as dt
import multiprocessing
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bare_models import bare_models
from scale_common import BENCH_DIR, PG_HOST, ROOT, bare_connect, is_pg
from scale_proc import measure

CLI = str(ROOT / ".venv" / "bin" / "inspect-tui")
HEADER_ROW = 5  # per-unit sheet: headings on row 5
COL = {"task": 0, "status": 7, "note": 8}  # columns of inspect_tui/excel/per_unit.KEYS
IN_PROGRESS, OPEN = "Đang thực hiện", "Chưa thực hiện"
NOTE = "Đã triển khai, báo cáo kết quả bằng văn bản ngày 20/11/2026."


def copy_database(url: str, purpose: str = "import") -> str:
    """A fresh copy to import into: a file copy, or a PostgreSQL TEMPLATE copy."""
    if is_pg(url):
        import psycopg2
        name = url.rsplit("/", 1)[1]
        copy = f"{name}_{purpose}"
        admin = psycopg2.connect(dbname="postgres", user="postgres", host=PG_HOST)
        admin.autocommit = True
        cur = admin.cursor()
        cur.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
        admin.close()
        return url.rsplit("/", 1)[0] + "/" + copy
    target = BENCH_DIR / "work" / f"{Path(url).stem}-{purpose}.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src = bare_connect(url)
    dst = bare_connect(str(target))
    src.backup(dst)  # consistent even if a WAL is left over
    src.close()
    dst.close()
    return str(target)


def gather(url: str, rows: int) -> None:
    """Hand `rows` open tasks to the unit with most of them (a copy of the database)."""
    con = bare_connect(url)
    cur = con.cursor()
    cur.execute("SELECT responsible_unit_id FROM task WHERE status IN ('open', 'in_progress') "
                "GROUP BY responsible_unit_id ORDER BY COUNT(*) DESC LIMIT 1")
    unit = cur.fetchone()[0]
    mark = "%s" if is_pg(url) else "?"
    cur.execute(f"UPDATE task SET responsible_unit_id = {mark} WHERE id IN (SELECT id FROM task "
                f"WHERE status IN ('open', 'in_progress') ORDER BY id LIMIT {mark})", (unit, rows))
    con.commit()
    con.close()


def make_files(url: str, today: dt.date, folder: Path, rows_total: int, rows_edited: int):
    """The app's per-unit workbooks of the units with most open tasks, until
    `rows_total` rows: (all files, edited files, rows in all, rows edited)."""

    from inspect_tui.excel import per_unit
    from inspect_tui.excel.limits import ROWS_MAX
    from inspect_tui.excel.safety import Sanitiser
    from inspect_tui.rules import exchange, meta
    from inspect_tui.store import db as store
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    store.connect(url)
    key = meta.exchange_key(create=True)
    con = bare_connect(url)
    cur = con.cursor()
    cur.execute("SELECT u.code, u.name, COUNT(*) FROM task t JOIN unit u ON t.responsible_unit_id = u.id "
                "WHERE t.status IN ('open', 'in_progress') GROUP BY u.code, u.name ORDER BY COUNT(*) DESC")
    units = cur.fetchall()
    con.close()
    files, edited, n, n_edited = [], [], 0, 0
    exported_at = dt.datetime.now().replace(microsecond=0)
    for code, name, _ in units:
        if n >= rows_total:
            break
        rows = exchange.open_tasks_of(code)
        if not rows or HEADER_ROW + len(rows) > ROWS_MAX:
            continue
        path = folder / per_unit.file_name(code, today, "vi")
        per_unit.write_unit_workbook(path, code, name, rows, today, "vi", exported_at, Sanitiser(), key)
        files.append(path)
        n += len(rows)
        if n_edited < rows_edited:
            n_edited += _edit(path)
            edited.append(path)
    store.close()
    return files, edited, n, n_edited


def _edit(path: Path) -> int:
    from openpyxl import load_workbook
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    changed = 0
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        if row[COL["task"]].value is None:
            continue
        if row[COL["status"]].value == OPEN:
            row[COL["status"]].value = IN_PROGRESS
        row[COL["note"]].value = NOTE
        row[COL["note"]].data_type = "s"
        changed += 1
    wb.save(path)
    return changed


def bare_import(url: str, files: list[Path], today: dt.date) -> int:
    """read_only openpyxl + bare peewee: the same changes, all or nothing."""
    from openpyxl import load_workbook
    from peewee import PostgresqlDatabase, SqliteDatabase

    if is_pg(url):
        db = PostgresqlDatabase(url.rsplit("/", 1)[1], user="postgres", host=PG_HOST)
    else:
        db = SqliteDatabase(url, pragmas={"journal_mode": "wal", "synchronous": "normal", "foreign_keys": 1})
    Task, ProgressNote = bare_models(db)

    codes = {OPEN: "open", IN_PROGRESS: "in_progress", "Đã báo cáo hoàn thành": "reported_done"}
    changes = []
    for path in files:
        wb = load_workbook(path, read_only=True)
        for row in wb.worksheets[0].iter_rows(min_row=HEADER_ROW + 1, values_only=True):
            if row[COL["task"]] is None:
                continue
            changes.append((int(row[COL["task"]]), codes[row[COL["status"]]], row[COL["note"]]))
        wb.close()
    now = dt.datetime.now().replace(microsecond=0)
    with db.atomic():
        for start in range(0, len(changes), 500):
            chunk = changes[start:start + 500]
            current = {t.id: t for t in Task.select(Task.id, Task.status, Task.version)
                       .where(Task.id.in_([c[0] for c in chunk]))}
            notes = []
            for task_id, status, note in chunk:
                task = current[task_id]
                if status != task.status:
                    Task.update(status=status, version=Task.version + 1).where(
                        (Task.id == task_id) & (Task.version == task.version)).execute()
                notes.append({"task_id": task_id, "noted_on": today, "author": "bench", "text": note,
                              "created_at": now})
            ProgressNote.insert_many(notes).execute()
    db.close()
    return len(changes)


def _setup(url: str, today: dt.date, folder: Path, check: bool, check_rows: int, import_rows: int) -> dict:
    out = {}
    if check:
        copy = copy_database(url, "check")
        gather(copy, check_rows)
        files, _, out["rows"], _ = make_files(copy, today, folder / "check", check_rows, 0)
        out["check_db"], out["check_file"] = copy, str(files[0])
    copy = copy_database(url)
    _, edited, _, out["edited_rows"] = make_files(copy, today, folder / "edit", import_rows, import_rows)
    out["import_db"], out["edited"] = copy, [str(p) for p in edited]
    out["edited_files"] = len(edited)
    return out


def run(url: str, today: dt.date, size: str, check_rows: int = 50_000, import_rows: int = 10_000,
        which=("import_check", "import_progress")) -> dict:
    folder = BENCH_DIR / "work" / f"progress-{size}-{'pg' if is_pg(url) else 'sqlite'}"
    started = time.perf_counter()
    # The setup in a process of its own: a child started from this one would report
    # this one's peak memory as its own (Linux keeps the high-water mark across exec).
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        out = pool.submit(_setup, url, today, folder, "import_check" in which, check_rows,
                          import_rows).result()
    out["setup_s"] = time.perf_counter() - started
    if "import_check" in which:
        out["check"] = measure([CLI, "--db", out["check_db"], "--today", today.isoformat(), "--user",
                                "bench", "import-progress", "--dry-run", out["check_file"]], timeout=900)
    base = [CLI, "--db", out["import_db"], "--today", today.isoformat(), "--user", "bench", "import-progress"]
    if "import_progress" in which:
        out["ours"] = measure(base + out["edited"], timeout=900)
        # the bare import as a process too, so both pay for starting Python
        out["bare"] = measure([sys.executable, __file__, "bare", out["import_db"], today.isoformat()]
                              + out["edited"], timeout=900)
    return out


if __name__ == "__main__" and sys.argv[1] == "bare":
    print(bare_import(sys.argv[2], [Path(p) for p in sys.argv[4:]], dt.date.fromisoformat(sys.argv[3])))
