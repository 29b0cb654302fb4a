"""What people read when the database itself says no: a colleague holding the
write lock (SQLite waits, then one line), a read-only database (reads work,
writes get one line). Nothing is half written."""
import datetime as dt
import sqlite3
import threading
import time

import pytest

from inspect_tui import cli
from inspect_tui.excel import per_unit
from inspect_tui.rules import tasks
from inspect_tui.rules.errors import DomainError
from inspect_tui.store.models import ProgressNote, database

from processes import bound_url
from unit_edits import edit

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def sqlite_task(seeded_sqlite, make):
    return make.chain("STC", dt.date(2026, 12, 31), TODAY)


def _hold_write_lock(path: str, seconds: float) -> threading.Thread:
    held = threading.Event()

    def hold():
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    return thread


@pytest.mark.slow
def test_a_writer_waits_for_a_colleague_instead_of_failing(sqlite_task):
    thread = _hold_write_lock(database.obj.database, 0.8)
    tasks.add_note(sqlite_task, "Chờ đồng nghiệp ghi xong", "an", TODAY)  # waits, then writes
    thread.join()
    assert ProgressNote.select().where(ProgressNote.text == "Chờ đồng nghiệp ghi xong").exists()


@pytest.mark.slow
def test_past_the_busy_timeout_one_line_and_nothing_written(sqlite_task):
    database.obj.execute_sql("PRAGMA busy_timeout = 200")  # the real wait is 15 s
    thread = _hold_write_lock(database.obj.database, 1.5)
    try:
        with pytest.raises(DomainError) as info:
            tasks.add_note(sqlite_task, "Không kịp ghi", "an", TODAY)
    finally:
        thread.join()
    assert info.value.key == "db_busy"
    assert info.value.message() == ("Cơ sở dữ liệu đang bận: một chương trình khác đã ghi liên tục "
                                    "hơn 15 giây; chưa có gì thay đổi, hãy thử lại.")
    assert not ProgressNote.select().where(ProgressNote.text == "Không kịp ghi").exists()


@pytest.mark.postgres
def test_a_read_only_database_serves_reads_and_refuses_writes_in_one_line(seeded_pg, make, capsys,
                                                                         tmp_path):
    task_id = make.chain("STC", dt.date(2026, 1, 31), TODAY)
    written, _ = per_unit.export_per_unit(tmp_path, TODAY, only="STC")
    edit(written[0].path, {0: {"note": "Đơn vị đã làm"}})
    url = bound_url()
    name = database.obj.database
    database.obj.execute_sql(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    database.obj.close()
    assert cli.main(["--db", url, "--today", "23/11/2026", "overdue"]) == 0
    assert str(task_id) in capsys.readouterr().out
    assert cli.main(["--db", url, "--today", "23/11/2026", "import-progress",
                     str(written[0].path)]) == 1
    said = capsys.readouterr()
    report = "".join(said.out.replace("│", "").split())  # the report's table, unwrapped
    assert "".join("Cơ sở dữ liệu chỉ cho phép đọc: không ghi được thay đổi nào.".split()) in report
    assert said.err.strip() == "Có 1 lỗi: không thay đổi gì trong cơ sở dữ liệu."
    database.obj.connect()
    database.obj.execute_sql("SET default_transaction_read_only = off")
    database.obj.execute_sql(f'ALTER DATABASE "{name}" SET default_transaction_read_only = off')
