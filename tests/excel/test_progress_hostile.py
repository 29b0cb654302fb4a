"""Hostile or broken files: each gives a clear report and changes nothing."""
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from inspect_tui.excel import per_unit
from inspect_tui.excel.progress_import import import_progress
from inspect_tui.rules import tasks
from inspect_tui.store.models import Task

from .conftest import ACTOR, TODAY, snapshot

FIRST = per_unit.HEADER_ROW + 1


@pytest.fixture
def unit_file(demo_db, tmp_path):
    written, _ = per_unit.export_per_unit(tmp_path / "units", TODAY, only="STC")
    return written[0].path


def refused(paths, *needles):
    state = snapshot()
    report = import_progress(paths, ACTOR, TODAY)
    assert not report.ok and not report.applied
    assert snapshot() == state
    text = " | ".join(f"{p.where()} {p.field} {p.reason}" for p in report.problems)
    for needle in needles:
        assert needle in text, text
    return report


def modify(path, fn):
    wb = load_workbook(path)
    fn(wb, wb.worksheets[0])
    wb.save(path)


def test_empty_file_and_not_a_workbook(tmp_path, demo_db):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    text = tmp_path / "notes.xlsx"
    text.write_text("Mã NV;Trạng thái\n1;xong\n", "utf-8")
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    refused([empty], "empty.xlsx", "rỗng")
    refused([text], "notes.xlsx", "không phải sổ tính")
    refused([broken], "broken.xlsx", "Không đọc được")
    refused([tmp_path / "missing.xlsx"], "Không tìm thấy")


def test_a_workbook_without_the_hidden_sheet(tmp_path, demo_db):
    path = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active.append(["Mã NV", "Trạng thái"])
    wb.save(path)
    refused([path], "other.xlsx", "Không phải tệp tiến độ")


def test_wrong_sheet_name(unit_file):
    modify(unit_file, lambda wb, ws: setattr(ws, "title", "Sheet1"))
    refused([unit_file], "Thiếu trang tính \"Tiến độ khắc phục\"")


def test_missing_column(unit_file):
    modify(unit_file, lambda wb, ws: ws.delete_cols(10))
    refused([unit_file], "Thiếu cột \"Ngày hoàn thành\"")


def test_formula_in_an_editable_cell(unit_file):
    modify(unit_file, lambda wb, ws: ws.__setitem__(f"{per_unit._col('evidence_ref')}{FIRST}", "=1+1"))
    refused([unit_file], f"{per_unit._col('evidence_ref')}{FIRST}", "công thức")


def test_merged_cells_in_the_data(unit_file):
    modify(unit_file, lambda wb, ws: ws.merge_cells(f"I{FIRST}:K{FIRST}"))
    refused([unit_file], f"I{FIRST}:K{FIRST}", "gộp")


def test_edited_protected_column(unit_file):
    col = per_unit._col("description")
    modify(unit_file, lambda wb, ws: ws.__setitem__(f"{col}{FIRST}", "Đã sửa nội dung"))
    refused([unit_file], f"{col}{FIRST}", "Nội dung khắc phục", "không được sửa", "Đã sửa nội dung")


def test_unknown_task_id_and_bad_status_and_bad_date(unit_file):
    def change(wb, ws):
        ws[f"A{FIRST}"] = 999999
        ws[f"{per_unit._col('status')}{FIRST + 1}"] = "Xong rồi"
        ws[f"{per_unit._col('completed_on')}{FIRST + 2}"] = "31/02/2025"
    modify(unit_file, change)
    refused([unit_file], "999999", "Xong rồi", "31/02/2025")


def test_refused_status_move(demo_db, tmp_path):
    verified = Task.select().where(Task.status == "in_progress").first()
    tasks.move(verified.id, "reported_done", ACTOR, TODAY)
    tasks.move(verified.id, "in_progress", ACTOR, TODAY, reason="Chưa đạt")
    unit = verified.responsible_unit.code
    path = per_unit.export_per_unit(tmp_path / "u", TODAY, only=unit)[0][0].path

    def change(wb, ws):
        for row in ws.iter_rows(min_row=FIRST):
            if row[0].value == verified.id:
                row[per_unit.KEYS.index("status")].value = "Chưa thực hiện"
    modify(path, change)
    refused([path], "không thể chuyển", "Đang thực hiện", "Chưa thực hiện")


def test_conflict_shows_both_values(unit_file):
    wb = load_workbook(unit_file)
    task_id = wb.worksheets[0][f"A{FIRST}"].value
    modify(unit_file, lambda wb, ws: ws.__setitem__(f"{per_unit._col('evidence_ref')}{FIRST}", "12/BC"))
    tasks.update(task_id, ACTOR, TODAY, evidence_ref="99/CV")
    refused([unit_file], "sau khi xuất", "trong tệp \"12/BC\"", "trong CSDL \"99/CV\"")


def test_dates_as_text_and_as_numbers_are_accepted(unit_file):
    col = per_unit._col("completed_on")
    modify(unit_file, lambda wb, ws: (ws.__setitem__(f"{col}{FIRST}", "06/5/2025"),
                                      ws.__setitem__(f"{col}{FIRST + 1}", 45780)))
    report = import_progress([unit_file], ACTOR, TODAY, dry_run=True)
    assert report.ok, report.problems
    dates = sorted(c.new for c in report.changes if c.field == "completed_on")
    assert dates == ["03/5/2025", "06/5/2025"]


def test_one_bad_file_stops_every_file(unit_file, tmp_path):
    good = per_unit.export_per_unit(tmp_path / "g", TODAY, only="SNV")[0][0].path
    modify(good, lambda wb, ws: ws.__setitem__(f"{per_unit._col('note')}{FIRST}", "Tiến độ tốt"))
    modify(unit_file, lambda wb, ws: ws.__setitem__(f"A{FIRST}", "abc"))
    refused([good, unit_file], "abc")


def test_fifty_thousand_junk_rows(unit_file):
    def junk(wb, ws):
        for i in range(50_000):
            ws.append([f"rác {i}", None, None, None, None, None, None, "??", i])
    modify(unit_file, junk)
    report = refused([unit_file], "rác 0")
    assert report.problem_count == 50_000 and len(report.problems) == 200
