"""The change log (who, when, which record and field, old and new value) and undo."""
import datetime as dt
import json

import pytest

from inspect_tui.rules import audit, tasks, units
from inspect_tui.rules.errors import DomainError
from inspect_tui.store.models import ChangeLog, ProgressNote, Succession, Task, Unit

TODAY = dt.date(2024, 10, 1)


def batch_rows(batch):
    return list(ChangeLog.select().where(ChangeLog.batch == batch).order_by(ChangeLog.id))


def latest_batch():
    return ChangeLog.select().order_by(ChangeLog.id.desc()).first().batch


def test_create_records_every_field(db):
    before = dt.datetime.now().replace(microsecond=0)
    row = units.create("X1", "Phòng Đặc biệt", "other", "chị Hoa", started_on=dt.date(2020, 1, 1))
    after = dt.datetime.now()
    rows = audit.history("unit", row.id)
    assert {r.field for r in rows} == {"code", "name", "kind", "parent", "started_on", "ended_on",
                                       "confirmed", "note", "search_text", "version"}
    assert {(r.actor, r.action, r.entity, r.record_id) for r in rows} == {
        ("chị Hoa", "create", "unit", row.id)}
    assert len({r.batch for r in rows}) == 1
    assert all(before <= r.at <= after for r in rows)
    fields = {r.field: r for r in rows}
    assert fields["name"].old is None and json.loads(fields["name"].new) == "Phòng Đặc biệt"
    assert json.loads(fields["started_on"].new) == "2020-01-01"  # ISO dates in the log
    assert fields["ended_on"].new is None
    assert json.loads(fields["confirmed"].new) is True


def test_update_records_old_and_new_of_changed_fields_only(db):
    row = units.create("X1", "Phòng Đặc biệt", "other", "an")
    units.update("X1", "bình", name="Phòng Điều hành", note="")
    rows = [r for r in audit.history("unit", row.id) if r.action == "update"]
    assert {r.field for r in rows} == {"name", "search_text", "version"}
    name = next(r for r in rows if r.field == "name")
    assert (name.actor, json.loads(name.old), json.loads(name.new)) == (
        "bình", "Phòng Đặc biệt", "Phòng Điều hành")


def test_rules_called_inside_one_change_make_one_batch_and_one_undo(db):
    with audit.change("an"):  # e.g. an import applying many rows
        units.create("X1", "Phòng Một", "other", "an")
        units.update("X1", "an", name="Phòng Một Mới")
        units.create("X2", "Phòng Hai", "other", "an")
    assert len({r.batch for r in ChangeLog.select()}) == 1
    with audit.change("an"):
        units.create("X3", "Phòng Ba", "other", "bình")  # another actor: its own batch
    assert len({r.batch for r in ChangeLog.select()}) == 2
    first = ChangeLog.select().where(ChangeLog.actor == "an").first().batch
    audit.undo(first, "an")
    assert not Unit.select().where(Unit.code.in_(["X1", "X2"])).exists()
    assert Unit.select().where(Unit.code == "X3").exists()


def test_undo_of_a_create_deletes_the_record_and_is_itself_logged(db):
    units.create("X1", "Phòng Một", "other", "an")
    first = latest_batch()
    units.create("X2", "Phòng Hai", "other", "an")
    second = latest_batch()
    x2 = Unit.get(Unit.code == "X2").id
    assert audit.last_batch() == second
    assert audit.undo(second, "bình") == f"Đơn vị {x2}: đã bỏ bản ghi vừa tạo"
    assert not Unit.select().where(Unit.code == "X2").exists()
    undo_batch = latest_batch()
    rows = batch_rows(undo_batch)
    assert {r.actor for r in rows} == {"bình"}
    assert {(r.action, r.record_id) for r in rows if r.action == "delete"} == {("delete", x2)}
    marker = [r for r in rows if r.action == "undo"]
    assert len(marker) == 1 and json.loads(marker[0].old) == second
    # the undone batch and the undo itself are skipped: the next undo reverts the first create
    assert audit.last_batch() == first
    audit.undo(audit.last_batch(), "bình")
    assert Unit.select().count() == 0
    assert audit.last_batch() is None


def test_undo_of_a_move_restores_status_dates_and_removes_the_note(seeded, make):
    task_id = make.chain("SNV", dt.date(2024, 9, 1), TODAY)
    tasks.move(task_id, "reported_done", "an", TODAY, completed_on=dt.date(2024, 9, 20))
    tasks.move(task_id, "in_progress", "an", TODAY, reason="Chưa đạt yêu cầu")
    assert ProgressNote.select().count() == 1
    reopen = latest_batch()
    # said in words: the task and its note
    assert audit.undo(reopen, "bình") == (
        f'Nhiệm vụ {task_id}: trở lại "Đã báo cáo hoàn thành"')
    task = Task.get_by_id(task_id)
    assert (task.status, task.completed_on, task.status_reason) == (
        "reported_done", dt.date(2024, 9, 20), "")
    assert task.version == 4  # undo is a change too: exports must notice it
    assert ProgressNote.select().count() == 0
    with pytest.raises(DomainError) as info:
        audit.undo("no-such-batch", "bình")
    assert info.value.key == "nothing_to_undo"


def test_undo_of_a_reorganisation(seeded, make):
    task_id = make.chain("STP", dt.date(2024, 9, 1), TODAY)
    units.create("VP-X", "Văn phòng X", "department", "an", parent="STP")
    successions = Succession.select().count()
    units.reorganise("merge", ["STP"], ["SNEW"], dt.date(2026, 1, 1), "an",
                     new_units=[{"code": "SNEW", "name": "Sở Tư pháp mới", "kind": "department"}])
    assert Task.get_by_id(task_id).responsible_unit.code == "SNEW"
    audit.undo(audit.last_batch(), "bình")
    assert Task.get_by_id(task_id).responsible_unit.code == "STP"
    assert units.get("STP").ended_on is None
    assert units.get("VP-X").parent.code == "STP"
    assert not Unit.select().where(Unit.code == "SNEW").exists()
    assert Succession.select().count() == successions
