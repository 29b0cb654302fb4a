"""Per-unit workbooks: protection, drop-downs, hidden import data; and the
round trip export -> unit edits -> dry run -> import -> export again."""
import datetime as dt

import pytest
from openpyxl import load_workbook

from inspect_tui.excel import export, per_unit
from inspect_tui.excel.progress_import import import_progress
from inspect_tui.rules import tasks
from inspect_tui.store.models import ProgressNote, Task

from unit_edits import edit

from .conftest import ACTOR, TODAY, snapshot

LATER = TODAY + dt.timedelta(days=3)


@pytest.fixture
def unit_files(demo_db, tmp_path):
    written, _ = per_unit.export_per_unit(tmp_path / "units", TODAY,
                                          exported_at=dt.datetime(2025, 5, 6, 9, 0))
    return {w.unit: w for w in written}


def col(key):
    return per_unit._col(key)


def test_unit_workbook_is_protected_with_a_status_list(unit_files):
    w = unit_files["STC"]
    wb = load_workbook(w.path)
    ws = wb.worksheets[0]
    assert ws.title == "Tiến độ khắc phục" and ws.protection.sheet
    first = per_unit.HEADER_ROW + 1
    for key in per_unit.KEYS:
        locked = ws[f"{col(key)}{first}"].protection.locked
        assert locked == (key not in per_unit.EDITABLE), key
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists[0].formula1 == '"Chưa thực hiện,Đang thực hiện,Đã báo cáo hoàn thành"'
    assert str(lists[0].sqref) == f"{col('status')}{first}:{col('status')}{first + w.tasks - 1}"
    dates = [dv for dv in ws.data_validations.dataValidation if dv.type == "date"]
    assert dates and col("completed_on") in str(dates[0].sqref)
    meta = wb["_xuat"]
    assert meta.sheet_state == "veryHidden" and wb.security.lockStructure
    assert meta["B1"].value == per_unit.FORMAT and meta["B2"].value == "STC"
    assert meta["B3"].value == "2025-05-06T09:00:00"
    assert meta[f"A{per_unit.SIGNATURE_ROW}"].value == "signature"
    assert len(meta[f"B{per_unit.SIGNATURE_ROW}"].value) == 64  # HMAC-SHA256, hex
    ids = [int(r[0]) for r in meta.iter_rows(min_row=per_unit.META_TABLE_ROW + 1, values_only=True)]
    versions = [int(r[1]) for r in meta.iter_rows(min_row=per_unit.META_TABLE_ROW + 1, values_only=True)]
    assert len(ids) == w.tasks
    assert versions == [Task.get_by_id(i).version for i in ids]
    assert all(Task.get_by_id(i).status in ("open", "in_progress") for i in ids)
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$5:$5"
    assert ws[f"{col('due_on')}{first}"].number_format == "dd/mm/yyyy"


def test_round_trip_dry_run_then_import_then_export_again(unit_files, tmp_path):
    before_export = export.export_status_workbook(tmp_path / "before.xlsx", TODAY)
    path = unit_files["STC"].path
    ids = edit(path, {
        0: {"status": "Đã báo cáo hoàn thành", "note": "Đã ban hành quy chế mới",
            "completed_on": "03/5/2025", "evidence_ref": "=15/BC-STC"},
        1: {"status": "Đang thực hiện", "note": "Đang dự thảo"},
        2: {"note": "Chờ ý kiến Sở Tư pháp", "evidence_ref": "CV 88/STC"},
    })
    state = snapshot()
    dry = import_progress([path], ACTOR, LATER, dry_run=True)
    assert dry.ok and dry.dry_run and not dry.applied, [(p.where(), p.reason) for p in dry.problems]
    assert {c.field for c in dry.changes} >= {"Trạng thái", "Báo cáo tiến độ mới", "Ngày hoàn thành",
                                              "Văn bản chứng minh"}
    assert snapshot() == state

    report = import_progress([path], ACTOR, LATER)
    assert report.ok and report.applied
    done = Task.get_by_id(ids[0])
    assert done.status == "reported_done" and done.completed_on == dt.date(2025, 5, 3)
    assert done.evidence_ref == "=15/BC-STC"
    assert tasks.latest_notes([ids[0]])[ids[0]] == "Đã ban hành quy chế mới"
    assert Task.get_by_id(ids[1]).status == "in_progress"
    third = Task.get_by_id(ids[2])
    assert third.evidence_ref == "CV 88/STC"
    assert ProgressNote.select().where(ProgressNote.task == ids[2]).order_by(ProgressNote.id.desc()).first().text \
        == "Chờ ý kiến Sở Tư pháp"

    state = snapshot()
    again = import_progress([path], ACTOR, LATER)  # the same file twice: already there
    assert again.ok and not again.changes and again.already == 3
    assert snapshot() == state

    after = export.export_status_workbook(tmp_path / "after.xlsx", LATER)
    b, a = before_export.tally.tasks_by_status, after.tally.tasks_by_status
    assert a["reported_done"] == b["reported_done"] + 1
    wb = load_workbook(after.path)
    ws = wb["Tồn tại - Khắc phục"]
    row = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[0] == ids[0])
    assert row[9] == "Đã báo cáo hoàn thành" and row[11] == "Đã ban hành quy chế mới"
    cell = next(r for r in ws.iter_rows(min_row=5) if r[0].value == ids[0])[11]
    assert cell.data_type == "s"

    tasks.move(ids[0], "verified", "coordinator", LATER)  # then the record moves on
    later = import_progress([path], ACTOR, LATER)
    assert not later.ok and "phiên bản" in later.problems[0].reason
    assert "Đã xác nhận" in later.problems[0].reason  # both values shown


def test_formula_like_text_and_control_characters_are_safe(unit_files, tmp_path):
    task_id = edit(unit_files["STC"].path, {0: {"note": "x"}})[0]
    tasks.update(task_id, ACTOR, TODAY, description="=HYPERLINK(\"http://x\")\x07 bell",
                 evidence_ref="@SUM(A1)")
    result = export.export_status_workbook(tmp_path / "safe.xlsx", TODAY)
    # One typed value looks like a formula (the description; evidence is not on this
    # workbook). The letterhead's own "- Bộ Nội vụ;" lines are not counted.
    assert result.stripped == 1 and result.neutralised == 1
    ws = load_workbook(result.path)["Tồn tại - Khắc phục"]
    cell = next(r for r in ws.iter_rows(min_row=5) if r[0].value == task_id)[6]
    assert cell.value == "=HYPERLINK(\"http://x\") bell" and cell.data_type == "s"


def test_an_import_is_logged_as_saving_each_row_would_and_one_undo_takes_it_back(unit_files):
    from inspect_tui.rules import audit
    from inspect_tui.store.models import ChangeLog

    path = unit_files["STC"].path
    ids = edit(path, {0: {"status": "Đã báo cáo hoàn thành", "completed_on": "03/5/2025",
                          "note": "Đã ban hành quy chế"},
                      1: {"note": "Chờ ý kiến Sở Tư pháp"}})
    before = {i: (Task.get_by_id(i).status, Task.get_by_id(i).version) for i in ids}
    notes_before = ProgressNote.select().count()
    report = import_progress([path], ACTOR, LATER)
    assert report.ok and report.applied
    moved, noted = Task.get_by_id(ids[0]), Task.get_by_id(ids[1])
    # a move then a note (two versions), a note alone (one), as the task page would save them
    assert moved.status == "reported_done" and moved.version == before[ids[0]][1] + 2
    assert noted.status == before[ids[1]][0] and noted.version == before[ids[1]][1] + 1
    log = list(ChangeLog.select().where((ChangeLog.entity == "task") & (ChangeLog.record_id == ids[0]))
               .order_by(ChangeLog.id.desc()).limit(4))
    assert {(r.field, r.actor) for r in log} >= {("status", ACTOR), ("version", ACTOR)}
    status = next(r for r in log if r.field == "status")
    assert (audit.decode(None, status.old), audit.decode(None, status.new)) == (before[ids[0]][0], "reported_done")
    made = ChangeLog.select().where((ChangeLog.entity == "progress_note") & (ChangeLog.batch == status.batch)
                                    & (ChangeLog.field == "text"))
    assert sorted(audit.decode(None, r.new) for r in made) == ["Chờ ý kiến Sở Tư pháp", "Đã ban hành quy chế"]
    assert ProgressNote.select().count() == notes_before + 2

    said = audit.undo(audit.last_batch(), ACTOR)  # Ctrl+Z: the whole import, in one step
    assert said.startswith("Nhiệm vụ")
    assert {i: Task.get_by_id(i).status for i in ids} == {i: s for i, (s, _v) in before.items()}
    assert ProgressNote.select().count() == notes_before
