"""The record template: written empty, filled as a team would, imported all or nothing."""
import datetime as dt

import pytest
from openpyxl import load_workbook

from inspect_tui.excel import template
from inspect_tui.excel.record_import import import_record
from inspect_tui.rules import seed
from inspect_tui.store.models import Finding, Plan, Task, Visit

from .conftest import ACTOR, snapshot
from .hostile_corpus import fill_rows

pytestmark = pytest.mark.slow  # each test writes, fills and imports a whole template: about a second

TODAY = dt.date(2025, 5, 6)


def fill(path, visits=None, findings_=None, tasks_=None, plan=None):
    rows = {"plan": [plan or [2025, "45/KH-UBND", "10/3/2025", "Toàn diện"]],
            "visits": visits if visits is not None else [
                ["KT1", "SNV", "06/5/2025", "BB 01", "120/TB-UBND", dt.datetime(2025, 5, 6), "Khá"],
                ["KT2", "STP", 45783, "", "", None, ""]],
            "findings": findings_ if findings_ is not None else [
                ["KT1", "KT1-1", "Cải cách thủ tục hành chính", "Trung bình", "=Chưa niêm yết TTHC", "Niêm yết"],
                ["KT2", "KT2-1", "Thể chế", "", "Chưa rà soát văn bản", ""]],
            "tasks": tasks_ if tasks_ is not None else [
                ["KT1-1", "Niêm yết đầy đủ TTHC", "", "Nguyễn Văn A", "30/6/2025"],
                ["KT2-1", "Rà soát văn bản", "STP", "", dt.datetime(2025, 7, 15)]]}
    fill_rows(path, rows, "vi")


def test_template_has_sheets_lists_and_a_marker(empty_db, tmp_path):
    seed.load_units(ACTOR)
    path = template.write_template(tmp_path / "t.xlsx", TODAY)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Kế hoạch", "Cuộc kiểm tra", "Tồn tại", "Nhiệm vụ", "Danh mục", "_xuat"]
    assert wb["_xuat"].sheet_state == "hidden" and wb["_xuat"]["B1"].value == template.FORMAT
    ws = wb["Tồn tại"]
    assert [c.value for c in ws[template.HEADER_ROW]][:3] == ["Mã cuộc KT", "Mã tồn tại", "Lĩnh vực"]
    assert any(dv.formula1.startswith("'Danh mục'!$D$2") for dv in ws.data_validations.dataValidation)
    assert wb["Cuộc kiểm tra"]["C5"].number_format == "dd/mm/yyyy"
    assert ws.freeze_panes == "A5" and ws["A1"].font.name == "Times New Roman"


def test_filled_template_imports_everything(empty_db, tmp_path):
    seed.load_units(ACTOR)
    path = template.write_template(tmp_path / "t.xlsx", TODAY)
    fill(path)
    state = snapshot()
    dry = import_record(path, ACTOR, TODAY, dry_run=True)
    assert dry.ok and len(dry.changes) == 7 and snapshot() == state  # the plan, 2 visits, 2 findings, 2 tasks
    assert {c.record for c in dry.changes} == {"mới"}
    report = import_record(path, ACTOR, TODAY)
    assert report.ok and report.applied
    plan = Plan.get(Plan.number == "45/KH-UBND")
    visits = list(Visit.select().where(Visit.plan == plan).order_by(Visit.id))
    assert [v.status for v in visits] == ["held", "held"]
    assert visits[0].notice_number == "120/TB-UBND" and visits[1].held_on == dt.date(2025, 5, 6)  # Excel day 45783
    assert Finding.select().count() == 2
    assert Finding.get(Finding.area == "procedures").description == "=Chưa niêm yết TTHC"
    assert sorted(t.due_on for t in Task.select()) == [dt.date(2025, 6, 30), dt.date(2025, 7, 15)]
    assert Task.get(Task.description == "Niêm yết đầy đủ TTHC").responsible_unit.code == "SNV"


def test_bad_rows_are_reported_and_nothing_changes(empty_db, tmp_path):
    seed.load_units(ACTOR)
    path = template.write_template(tmp_path / "t.xlsx", TODAY)
    fill(path, visits=[["KT1", "KHONG-CO", "32/5/2025", "", "", None, ""]],
         findings_=[["KT9", "F1", "Lĩnh vực lạ", "", "", ""]],
         tasks_=[["F2", "", "", "", "ngày mai"]])
    state = snapshot()
    report = import_record(path, ACTOR, TODAY)
    assert not report.ok and snapshot() == state
    text = " | ".join(f"{p.where()} {p.field}: {p.reason}" for p in report.problems)
    for needle in ("Cuộc kiểm tra / B5", "KHONG-CO", "Cuộc kiểm tra / C5", "32/5/2025",
                   "Tồn tại / A5", "KT9", "Lĩnh vực lạ", "Nhiệm vụ / E5", "ngày mai"):
        assert needle in text, text


def test_a_visit_held_after_the_report_day_is_refused(empty_db, tmp_path):
    seed.load_units(ACTOR)
    path = template.write_template(tmp_path / "t.xlsx", TODAY)
    fill(path, visits=[["KT1", "SNV", "07/5/2025", "", "", None, ""],
                       ["KT2", "STP", "06/5/2025", "", "", None, ""]],
         findings_=[], tasks_=[])
    state = snapshot()
    report = import_record(path, ACTOR, TODAY)
    assert not report.ok and snapshot() == state
    assert [(p.where(), p.reason) for p in report.problems] == [
        ("t.xlsx / Cuộc kiểm tra / C5",
         "Ngày kiểm tra 07/5/2025 còn ở phía trước: chưa thể ghi là đã kiểm tra.")]


def test_progress_file_is_not_a_template(demo_db, tmp_path):
    from inspect_tui.excel import per_unit
    path = per_unit.export_per_unit(tmp_path / "u", dt.date(2025, 5, 6), only="STC")[0][0].path
    report = import_record(path, ACTOR, TODAY)
    assert not report.ok and "mẫu ghi kết quả" in report.problems[0].reason


def test_the_same_template_twice_creates_nothing_the_second_time(empty_db, tmp_path):
    seed.load_units(ACTOR)
    path = template.write_template(tmp_path / "t.xlsx", TODAY)
    fill(path)
    first = import_record(path, ACTOR, TODAY)
    assert first.applied and first.created == {"plan": 1, "visits": 2, "findings": 2, "tasks": 2}
    state = snapshot()
    for dry_run in (True, False):
        again = import_record(path, ACTOR, TODAY, dry_run=dry_run)
        assert again.ok and not again.changes and not again.applied and again.already == 7
        assert snapshot() == state


def test_the_command_line_says_what_a_template_recorded(empty_db, tmp_path, capsys):
    from rich.console import Console
    from inspect_tui.excel.commands import _outcome, print_report
    seed.load_units(ACTOR)
    path = template.write_template(tmp_path / "t.xlsx", TODAY)
    fill(path)
    report = import_record(path, ACTOR, TODAY)
    console = Console(record=True, width=200)
    print_report(console, report, "vi")
    assert _outcome(console, report, "vi") == 0
    text = console.export_text()
    assert "Đã ghi 1 kế hoạch, 2 cuộc kiểm tra, 2 tồn tại và 2 nhiệm vụ mới." in text
    import re
    assert len(re.findall(r"│ mới +│", text)) == 7 and not re.search(r"│ 0 +│", text)
    assert "hit." not in text and "nhiệm vụ của 0" not in text


def test_every_problem_of_a_visit_row_is_reported_at_its_column(empty_db, tmp_path):
    seed.load_units(ACTOR)
    path = template.write_template(tmp_path / "t.xlsx", TODAY)
    fill(path, visits=[["KT1", "SNV", "07/5/2025", "", "", "01/5/2025", ""]], findings_=[], tasks_=[])
    state = snapshot()
    report = import_record(path, ACTOR, TODAY)
    assert not report.ok and snapshot() == state
    assert [(p.where(), p.field) for p in report.problems] == [
        ("t.xlsx / Cuộc kiểm tra / C5", "Ngày kiểm tra"), ("t.xlsx / Cuộc kiểm tra / F5", "Ngày thông báo")]
    assert "còn ở phía trước" in report.problems[0].reason
