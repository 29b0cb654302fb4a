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
    other_zip = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook><sheets><sheet")
    refused([empty], "empty.xlsx", "rỗng")
    refused([text], "notes.xlsx", "không phải sổ tính")
    refused([other_zip], "other.xlsx", "không phải sổ tính")
    refused([broken], "broken.xlsx", "Không đọc được sổ tính: nội dung XML của thành phần")
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
    status = per_unit._col("status")
    modify(unit_file, lambda wb, ws: (ws.__setitem__(f"{col}{FIRST}", "06/5/2025"),
                                      ws.__setitem__(f"{col}{FIRST + 1}", 45780),
                                      ws.__setitem__(f"{status}{FIRST}", "Đã báo cáo hoàn thành"),
                                      ws.__setitem__(f"{status}{FIRST + 1}", "Đã báo cáo hoàn thành")))
    report = import_progress([unit_file], ACTOR, TODAY, dry_run=True)
    assert report.ok, report.problems
    dates = sorted(c.new for c in report.changes if c.field == "Ngày hoàn thành")
    assert dates == ["03/5/2025", "06/5/2025"]


def test_one_bad_file_stops_every_file(unit_file, tmp_path):
    good = per_unit.export_per_unit(tmp_path / "g", TODAY, only="SNV")[0][0].path
    modify(good, lambda wb, ws: ws.__setitem__(f"{per_unit._col('note')}{FIRST}", "Tiến độ tốt"))
    modify(unit_file, lambda wb, ws: ws.__setitem__(f"A{FIRST}", "abc"))
    refused([good, unit_file], "abc")


@pytest.mark.slow  # a workbook of 9,000 rows written and read
def test_nine_thousand_junk_rows(unit_file):
    def junk(wb, ws):
        for i in range(9_000):
            ws.append([f"rác {i}", None, None, None, None, None, None, "??", i])
    modify(unit_file, junk)
    report = refused([unit_file], "rác 0")
    assert report.problem_count == 9_000 and len(report.problems) == 200


@pytest.mark.slow  # a workbook of 50,000 rows written and read
def test_fifty_thousand_rows_are_read_and_checked(unit_file):
    """A province's workbook may hold tens of thousands of rows: every one is checked."""
    def junk(wb, ws):
        for i in range(50_000):
            ws.append([f"rác {i}"])
    modify(unit_file, junk)
    report = refused([unit_file], "rác 0")
    assert report.problem_count == 50_000 and len(report.problems) == 200


def test_a_row_past_the_row_limit_refuses_the_file(unit_file):
    from inspect_tui.excel import limits
    assert limits.ROWS_MAX == 60_000
    modify(unit_file, lambda wb, ws: ws.cell(row=limits.ROWS_MAX + 1, column=1, value="rác"))
    report = refused([unit_file], "vượt giới hạn 60.000 dòng")
    assert report.problem_count == 1


def test_a_status_typed_in_decomposed_unicode_is_read_as_the_label(unit_file):
    import unicodedata
    status, done = per_unit._col("status"), per_unit._col("completed_on")
    modify(unit_file, lambda wb, ws: (ws.__setitem__(f"{status}{FIRST}",
                                                     unicodedata.normalize("NFD", "Đã báo cáo hoàn thành")),
                                      ws.__setitem__(f"{done}{FIRST}", "05/5/2025")))
    task_id = load_workbook(unit_file).worksheets[0][f"A{FIRST}"].value
    report = import_progress([unit_file], ACTOR, TODAY)
    assert report.ok and report.applied, [p.reason for p in report.problems]
    assert Task.get_by_id(task_id).status == "reported_done"


def test_a_workbook_signed_by_another_database_is_tampered_with(unit_file, tmp_path):
    from inspect_tui.rules import meta
    meta.put(meta.EXCHANGE_KEY, "00" * 32)  # as if the file came from another database
    modify(unit_file, lambda wb, ws: ws.__setitem__(f"{per_unit._col('note')}{FIRST}", "Tiến độ"))
    refused([unit_file], "không khớp chữ ký")


def test_the_signing_key_is_made_once_and_kept_out_of_the_change_log(demo_db, tmp_path):
    from inspect_tui.rules import meta
    from inspect_tui.store.models import ChangeLog
    assert meta.exchange_key() is None
    logged = ChangeLog.select().count()
    per_unit.export_per_unit(tmp_path / "a", TODAY, only="STC")
    key = meta.exchange_key()
    assert key is not None and len(key) == 32
    per_unit.export_per_unit(tmp_path / "b", TODAY, only="STC")
    assert meta.exchange_key() == key and ChangeLog.select().count() == logged


def test_the_report_speaks_english_with_column_labels(unit_file):
    status = per_unit._col("status")
    modify(unit_file, lambda wb, ws: ws.__setitem__(f"{status}{FIRST}", "Cancelled"))
    report = import_progress([unit_file], ACTOR, TODAY, lang="en")
    (problem,) = report.problems
    assert problem.field == "Status" and problem.column == status and problem.row == FIRST
    assert problem.reason.startswith("Task ") and "may not set the status \"Cancelled\"" in problem.reason


def test_an_export_the_import_would_refuse_is_not_written(demo_db, tmp_path, monkeypatch):
    from inspect_tui.excel import limits
    from inspect_tui.excel.errors import ExcelError
    monkeypatch.setattr(limits, "ROWS_MAX", per_unit.HEADER_ROW + 1)
    with pytest.raises(ExcelError) as info:
        per_unit.export_per_unit(tmp_path / "u", TODAY, only="STC")
    assert "--year" in info.value.message("vi") and not (tmp_path / "u").exists()


def test_texts_with_carriage_returns_survive_a_save_by_excel(demo_db, tmp_path):
    """Excel writes a carriage return as _x000D_ and may recompose Unicode: the
    signature and the protected columns read the text as it survives that."""
    import unicodedata
    task = Task.select().where(Task.status == "open").first()
    tasks.update(task.id, ACTOR, TODAY, description=unicodedata.normalize("NFD", "Rà soát\r\nvăn bản"))
    path = per_unit.export_per_unit(tmp_path / "u", TODAY, only=task.responsible_unit.code)[0][0].path
    wb = load_workbook(path)
    for ws in wb.worksheets:  # as Excel would save it
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "\r" in cell.value:
                    cell.value = unicodedata.normalize("NFC", cell.value.replace("\r", "_x000D_"))
                    cell.data_type = "s"
    ws = wb.worksheets[0]
    row = next(r for r in ws.iter_rows(min_row=FIRST) if r[0].value == task.id)
    row[per_unit.KEYS.index("note")].value = "Đang làm"
    wb.save(path)
    report = import_progress([path], ACTOR, TODAY, dry_run=True)
    assert report.ok, [p.reason for p in report.problems]
    assert [c.new for c in report.changes] == ["Đang làm"]
