"""`history`: what happened to a record, or everything since a day (by one
person), read the way people read it, and as csv/json for machines."""
import csv
import datetime as dt
import io
import json
from types import SimpleNamespace

import pytest

from inspect_tui.locale import formats
from inspect_tui.store import db as store
from inspect_tui.store.models import ChangeLog, Unit

from cli_helpers import run, one_line

TODAY = dt.date(2026, 3, 2)
BEFORE = dt.datetime(2026, 1, 10, 8, 0, 0)  # the seed and the visit, as if recorded then
MOVED = dt.datetime(2026, 3, 2, 9, 30, 0)
EDITED = dt.datetime(2026, 3, 5, 14, 0, 0)


def as_json(url, *argv) -> list[dict]:
    result = run("--db", url, "history", *argv, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def _dated(actor: str | None, at: dt.datetime) -> None:
    query = ChangeLog.update(at=at)
    if actor is not None:
        query = query.where(ChangeLog.actor == actor)
    query.execute()


@pytest.fixture
def story(seeded_url, make, home):
    """A task found on 06/4/2024, due 01/6/2024; chị Hoa starts it on 02/3/2026 and
    anh Nam moves its deadline on 05/3/2026. The log's times are set, not the clock's."""
    from inspect_tui.rules import tasks

    store.connect(seeded_url)
    try:
        task_id = make.chain("SNV", dt.date(2024, 6, 1), TODAY)
        _dated(None, BEFORE)
        tasks.move(task_id, "in_progress", "chị Hoa", TODAY)
        _dated("chị Hoa", MOVED)
        tasks.update(task_id, "anh Nam", TODAY, due_on=dt.date(2026, 6, 30))
        _dated("anh Nam", EDITED)
        log_rows = ChangeLog.select().count()
        snv = Unit.get(Unit.code == "SNV").id
    finally:
        store.close()
    return SimpleNamespace(url=seeded_url, task=task_id, log_rows=log_rows, snv=snv)


def _line(text: str, *parts: str) -> str:
    found = [line for line in text.splitlines() if all(p in line for p in parts)]
    assert len(found) == 1, (parts, text)
    return found[0]


def test_history_of_a_task_after_a_move(story):
    shown = run("--db", story.url, "history", "task", story.task)
    assert shown.code == 0, shown.err
    assert f"Nhật ký thay đổi: Nhiệm vụ {story.task}" in shown.out
    for header in ("Thời điểm", "Người thực hiện", "Thao tác", "Bản ghi", "Trường", "Giá trị cũ", "Giá trị mới"):
        assert header in shown.out
    moved = _line(shown.out, "chị Hoa", "trạng thái")
    assert all(part in moved for part in ("02/3/2026 09:30", "Sửa", f"Nhiệm vụ {story.task}",
                                          "Chưa thực hiện", "Đang thực hiện"))
    deadline = _line(shown.out, "anh Nam", "hạn xử lý")
    assert "05/3/2026 14:00" in deadline and "01/6/2024" in deadline and "30/6/2026" in deadline
    created = _line(shown.out, "Tạo", "đơn vị chịu trách nhiệm")
    assert "SNV" in created  # a unit reads as its code, not its number

    rows = as_json(story.url, "task", story.task)
    assert {(r["entity"], r["record_id"]) for r in rows} == {("task", story.task)}
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
    status = [r for r in rows if r["action"] == "update" and r["field"] == "status"]
    assert status == [{"at": "2026-03-02T09:30:00", "actor": "chị Hoa", "action": "update", "entity": "task",
                       "record_id": story.task, "field": "status", "old": "open", "new": "in_progress",
                       "batch": status[0]["batch"]}]
    due = [r for r in rows if r["action"] == "update" and r["field"] == "due_on"]
    assert [(r["old"], r["new"], r["actor"]) for r in due] == [("2024-06-01", "2026-06-30", "anh Nam")]
    assert shown.out.rstrip().splitlines()[-1] == f"{formats.number(len(rows))} dòng"

    table = run("--db", story.url, "history", "task", story.task, "--format", "csv").out
    read = list(csv.DictReader(io.StringIO(table)))
    assert list(read[0]) == ["at", "actor", "action", "entity", "record_id", "field", "old", "new", "batch"]
    assert [(r["at"], r["field"], r["old"], r["new"]) for r in read] == [
        (r["at"], r["field"], "" if r["old"] is None else str(r["old"]), "" if r["new"] is None else str(r["new"]))
        for r in rows]


def test_since_and_user_filter_the_log(story):
    since = as_json(story.url, "--since", "01/3/2026")
    assert {r["actor"] for r in since} == {"chị Hoa", "anh Nam"}
    assert all(r["at"] >= "2026-03-01" for r in since)
    by_hoa = as_json(story.url, "--since", "2026-03-01", "--user", "chị Hoa")
    assert by_hoa and {r["actor"] for r in by_hoa} == {"chị Hoa"}
    assert by_hoa == [r for r in since if r["actor"] == "chị Hoa"]
    # --user works before the command too, like every global option
    before = run("--db", story.url, "--user", "chị Hoa", "history", "--since", "01/3/2026", "--format", "json")
    assert json.loads(before.out) == by_hoa
    later = as_json(story.url, "--since", "03/3/2026", "--user", "chị Hoa")
    assert later == []
    nothing = run("--db", story.url, "history", "--since", "03/3/2026", "--user", "chị Hoa")
    assert nothing.code == 0 and nothing.out.strip().splitlines()[-1] == "Không có thay đổi nào."
    assert run("--db", story.url, "history", "--since", "03/3/2026", "--format", "csv").out.splitlines()[0] \
        == "at,actor,action,entity,record_id,field,old,new,batch"


@pytest.mark.slow
def test_a_long_log_is_listed_whole(story):
    """More rows than one batch: every row once, in order (csv, json and the table)."""
    rows = list(csv.DictReader(io.StringIO(
        run("--db", story.url, "history", "--since", "01/1/2026", "--format", "csv").out)))
    assert len(rows) == story.log_rows > 1000
    assert len(as_json(story.url, "--since", "01/1/2026")) == story.log_rows
    table = run("--db", story.url, "history", "--since", "01/1/2026")
    assert table.out.rstrip().splitlines()[-1] == f"{formats.number(story.log_rows)} dòng"
    assert "." in formats.number(story.log_rows)  # 1.6xx, the Vietnamese way


def test_a_unit_by_code_or_number(story):
    by_code = as_json(story.url, "unit", "SNV")
    assert by_code and {(r["entity"], r["record_id"]) for r in by_code} == {("unit", story.snv)}
    assert as_json(story.url, "unit", story.snv) == by_code
    assert any(r["field"] == "code" and r["new"] == "SNV" for r in by_code)


def test_a_deleted_record_keeps_its_history(seeded_url, make, home):
    from inspect_tui.rules import audit

    store.connect(seeded_url)
    try:
        task_id = make.chain("SNV", dt.date(2024, 6, 1), TODAY)
        audit.undo(audit.last_batch(), "tester")  # takes the task back
    finally:
        store.close()
    rows = as_json(seeded_url, "task", task_id)
    assert {r["action"] for r in rows} == {"create", "delete"}
    shown = run("--db", seeded_url, "history", "task", task_id)
    assert "Tạo" in shown.out and "Xóa" in shown.out


def test_english(story):
    shown = run("--db", story.url, "--lang", "en", "history", "task", story.task)
    assert shown.code == 0
    assert "Change log: " in shown.out and "When" in shown.out and "Changed" in shown.out


def test_an_unknown_record_is_one_line(story):
    for argv, message in ((("task", "999999"), 'Không tìm thấy nhiệm vụ "999999".'),
                          (("unit", "KHONG-CO"), 'Không tìm thấy đơn vị "KHONG-CO".'),
                          (("visit", "abc"), 'Không tìm thấy cuộc kiểm tra "abc".'),
                          (("finding", "0"), 'Không tìm thấy tồn tại "0".')):
        result = run("--db", story.url, "history", *argv)
        assert result.code == 1 and result.out == ""
        assert one_line(result.err) == message


def test_usage_errors_exit_2(story, capsys):
    for argv in ((), ("task",), ("bogus", "1"), ("--since", "99/99/2026")):
        with pytest.raises(SystemExit) as info:
            run("--db", story.url, "history", *argv)
        assert info.value.code == 2, argv
        assert len(capsys.readouterr().err.strip().splitlines()) == 1
