"""The export dialog (F4): options as in `inspect-tui export`, validation beside
the fields, the export in a worker, and the path of what was written."""
import openpyxl

from inspect_tui.store.models import Task
from inspect_tui.ui.screens.export import ExportDialog
from ui_helpers import running, screen_text, settle, type_text, press, press_and_settle, opens



async def test_status_workbook_for_one_year_from_the_dialog(demo_db):
    async with running(demo_db) as (app, pilot):
        await opens(pilot, ExportDialog, "f4")
        expected = demo_db.export_dir / "bao-cao-cchc-2025-ngay-2026-03-16.xlsx"
        await type_text(pilot, "2025")
        await settle(pilot)
        assert str(expected) in screen_text(app)  # the default path follows the options
        await press_and_settle(pilot, "enter")  # the export worker, then what it posted
        shown = screen_text(app)
        assert "Đã xuất" in shown and str(expected) in shown
        assert app.screen.query_one("#export-progress").percentage == 1
    book = openpyxl.load_workbook(expected)
    assert book.sheetnames[:3] == ["Tổng hợp", "Kiểm tra", "Tồn tại - Khắc phục"]
    years = [row[1] for row in book["Kiểm tra"].iter_rows(min_row=5, values_only=True)
             if isinstance(row[0], int)]
    assert years and set(years) == {2025}


async def test_wrong_options_are_named_beside_the_field_and_nothing_is_written(demo_db):
    async with running(demo_db) as (app, pilot):
        await press_and_settle(pilot, "f4")
        await type_text(pilot, "20x5")
        await press(pilot, "tab", "tab")  # to the unit code
        await type_text(pilot, "KHONGCO")
        await press_and_settle(pilot, "enter")
        shown = screen_text(app)
        assert "Năm phải là số từ 2000 đến 2100." in shown
        assert "KHONGCO" in shown and "Hãy sửa các trường báo lỗi" in shown
        assert isinstance(app.screen, ExportDialog)
    assert not demo_db.export_dir.exists() or not any(demo_db.export_dir.iterdir())


async def test_per_unit_workbooks_for_one_unit_in_english(demo_db):
    unit = (Task.select(Task.responsible_unit).where(Task.status == "open")
            .order_by(Task.responsible_unit).first().responsible_unit.code)
    out = demo_db.home / "for-units"
    async with running(demo_db) as (app, pilot):
        await press_and_settle(pilot, "f4")
        await press(pilot, "shift+tab", "enter", "down", "enter")  # kind: per unit
        await press(pilot, "tab", "tab", "tab")  # year, as of -> unit code
        await type_text(pilot, unit)
        await press(pilot, "tab", "enter", "down", "enter")  # language: English
        await press(pilot, "tab")
        await type_text(pilot, str(out))
        await press_and_settle(pilot, "enter")  # the export worker, then what it posted
        assert "Đã xuất 1 sổ tính đơn vị" in screen_text(app)
        await press_and_settle(pilot, "escape")
        assert not isinstance(app.screen, ExportDialog)
    files = list(out.iterdir())
    assert len(files) == 1 and unit.lower() in files[0].name
    sheet = openpyxl.load_workbook(files[0]).worksheets[0]
    assert sheet.protection.sheet
    assert "Status" in [c.value for row in sheet.iter_rows(max_row=10) for c in row]
