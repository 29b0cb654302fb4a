"""The import dialog (F5): what `inspect-tui import-progress` does, from the TUI.
A path checked beside the field, the dry run's report in the dialog, Ctrl+S
to apply a report without problems, and Ctrl+Z to undo it afterwards."""
import datetime as dt
import re


from inspect_tui.excel import per_unit
from inspect_tui.locale import t
from inspect_tui.store.models import ChangeLog, ProgressNote, Task
from inspect_tui.ui.screens.import_dialog import ImportDialog
from unit_edits import FIRST, edit
from ui_helpers import TODAY, running, screen_text, settle, type_text, press, press_and_settle

UNIT = "STC"
SHEET = "Tiến độ khắc phục"


def unit_workbook(settings, code=UNIT, out=None, name=None):
    """The unit's workbook as exported; renamed to `name` (as units do), in the home folder."""
    written, _ = per_unit.export_per_unit(out or settings.home / "from-units", TODAY, only=code)
    path = written[0].path
    return path.rename(settings.home / name) if name else path


def state() -> tuple:
    """What an import could touch: every task's status and version, and the notes."""
    return ([(t.id, t.status, t.version, t.completed_on, t.evidence_ref) for t in Task.select().order_by(Task.id)],
            [(n.task_id, n.text) for n in ProgressNote.select().order_by(ProgressNote.id)])


def notes(task_id) -> list[str]:
    return [n.text for n in ProgressNote.select().where(ProgressNote.task == task_id).order_by(ProgressNote.id)]


async def check(pilot, path) -> None:
    await press_and_settle(pilot, "f5")
    assert isinstance(pilot.app.screen, ImportDialog)
    await type_text(pilot, str(path))
    await press_and_settle(pilot, "enter")


async def test_check_shows_the_changes_then_ctrl_s_applies_them(demo_db):
    path = unit_workbook(demo_db)
    done, noted = edit(path, {
        0: {"status": "Đã báo cáo hoàn thành", "note": "Đã ban hành quy chế mới",
            "completed_on": "10/3/2026", "evidence_ref": "15/BC-STC"},
        1: {"note": "Đang dự thảo"},
    })
    before = state()
    was = t(f"task_status.{Task.get_by_id(done).status}")
    async with running(demo_db) as (app, pilot):
        awaiting = _awaiting(screen_text(app))
        await check(pilot, path)
        shown = screen_text(app)
        assert "Thay đổi sẽ thực hiện" in shown
        assert f"{path.name}\n{SHEET} / {FIRST} | {done} | Trạng thái | {was} → Đã báo cáo hoàn thành" in shown
        # where once for the changes of one sheet row
        assert f"\n | {done} | Báo cáo tiến độ mới | – → Đã ban hành quy chế mới" in shown
        assert f"| {done} | Ngày hoàn thành | – → 10/3/2026" in shown
        assert f"{path.name}\n{SHEET} / {FIRST + 1} | {noted} | Báo cáo tiến độ mới | – → Đang dự thảo" in shown
        assert "Kết quả kiểm tra 1 tệp — 5 thay đổi hợp lệ (2 nhiệm vụ)" in shown
        assert not app.screen.query_one("#problems").display  # no problem, no problem table
        assert state() == before  # the check is a dry run

        await press_and_settle(pilot, "ctrl+s")
        shown = screen_text(app)
        assert "Đã cập nhật 5 thay đổi của 2 nhiệm vụ." in shown
        assert "Thay đổi đã thực hiện" in shown
        task = Task.get_by_id(done)
        assert (task.status, task.completed_on, task.evidence_ref) == \
            ("reported_done", dt.date(2026, 3, 10), "15/BC-STC")
        assert notes(done)[-1] == "Đã ban hành quy chế mới"
        assert notes(noted)[-1] == "Đang dự thảo"

        await press_and_settle(pilot, "ctrl+s")  # once is enough
        assert "Đã cập nhật xong" in screen_text(app)
        assert notes(noted).count("Đang dự thảo") == 1

        await press_and_settle(pilot, "enter")  # checked again: the rows are already there
        assert "2 dòng đã được nhập trước đây" in screen_text(app)
        await press_and_settle(pilot, "escape")
        assert not isinstance(app.screen, ImportDialog)
        assert _awaiting(screen_text(app)) == awaiting + 1  # the overview reloaded


def _awaiting(overview: str) -> int:
    return int(re.search(r"Chờ xác nhận: (\d+)", overview).group(1))


async def test_ctrl_z_after_closing_the_dialog_undoes_the_import(demo_db, monkeypatch):
    monkeypatch.chdir(demo_db.home)  # a relative path: short to type
    path = unit_workbook(demo_db, name="stc.xlsx")
    task_id = edit(path, {0: {"status": "Đã báo cáo hoàn thành", "completed_on": "10/3/2026"}})[0]
    before = state()
    was = Task.get_by_id(task_id)
    async with running(demo_db) as (app, pilot):
        await check(pilot, path.name)
        await press_and_settle(pilot, "ctrl+s")
        assert Task.get_by_id(task_id).status == "reported_done"
        await press_and_settle(pilot, "escape")
        await press_and_settle(pilot, "ctrl+z")
        assert "Đã hoàn tác" in "\n".join(n.message for n in app._notifications)
        after = Task.get_by_id(task_id)
        assert (after.status, after.completed_on, after.version) == \
            (was.status, was.completed_on, was.version + 2)  # the undo is a change too
        assert [row for row in state()[0] if row[0] != task_id] == \
            [row for row in before[0] if row[0] != task_id]
        assert state()[1] == before[1]


async def test_ctrl_z_undoes_an_import_of_several_rows_at_once(demo_db, monkeypatch):
    monkeypatch.chdir(demo_db.home)  # a relative path: short to type
    path = unit_workbook(demo_db, name="stc.xlsx")
    ids = edit(path, {0: {"status": "Đã báo cáo hoàn thành", "note": "Đã ban hành quy chế mới",
                          "completed_on": "10/3/2026"},
                      1: {"note": "Đang dự thảo"}})
    before = state()
    was = Task.get_by_id(ids[0]).status
    async with running(demo_db) as (app, pilot):
        mark = ChangeLog.select().count()
        await check(pilot, path.name)
        await press_and_settle(pilot, "ctrl+s")
        assert Task.get_by_id(ids[0]).status == "reported_done"
        assert ChangeLog.select().count() > mark
        await press_and_settle(pilot, "escape")
        await press_and_settle(pilot, "ctrl+z")
        assert Task.get_by_id(ids[0]).status == was
        assert state()[1] == before[1]


async def test_a_file_with_problems_lists_them_and_cannot_be_applied(demo_db, monkeypatch):
    monkeypatch.chdir(demo_db.home)  # a relative path: short to type
    path = unit_workbook(demo_db, name="stc.xlsx")
    edit(path, {0: {"status": "Xong rồi"},
                1: {"description": "Sửa cả nội dung", "note": "Đã xong"},
                2: {"note": "Dòng này hợp lệ"}})
    before = state()
    async with running(demo_db) as (app, pilot):
        await check(pilot, path.name)
        shown = screen_text(app)
        status_at = f"{path.name}\n{SHEET} / {per_unit._col('status')}{FIRST}"
        described_at = f"{path.name}\n{SHEET} / {per_unit._col('description')}{FIRST + 1}"
        assert f"{status_at} | Trạng thái | Trạng thái \"Xong rồi\" không hợp lệ." in shown
        assert f"{described_at} | Nội dung khắc phục | Cột không được sửa đã bị thay đổi" in shown
        assert "Có 2 lỗi: không thay đổi gì trong cơ sở dữ liệu." in shown
        assert "Chưa thể cập nhật: hãy sửa tệp rồi nhấn Enter để kiểm tra lại." in shown
        await press_and_settle(pilot, "ctrl+s")
        assert "Chưa thể cập nhật" in screen_text(app)
        assert isinstance(app.screen, ImportDialog)
    assert state() == before


async def test_the_path_is_checked_beside_the_field(demo_db, monkeypatch):
    monkeypatch.chdir(demo_db.home)
    (demo_db.home / "empty").mkdir()
    (demo_db.home / "notes.txt").write_text("x")
    async with running(demo_db) as (app, pilot):
        await press_and_settle(pilot, "f5")
        assert str(demo_db.export_dir) in screen_text(app)  # the hint names the export folder
        await type_text(pilot, "khong-co.xlsx")
        await settle(pilot)
        assert "Không tìm thấy tệp hoặc thư mục này." in screen_text(app)
        await press_and_settle(pilot, "enter", "ctrl+s")
        shown = screen_text(app)
        assert "Hãy sửa các trường báo lỗi" in shown or "Hãy nhấn Enter để kiểm tra" in shown
        assert "Kết quả kiểm tra" not in shown
        for text, problem in (("notes.txt", "Tệp không phải sổ tính Excel (.xlsx)."),
                              ("empty", "Thư mục không có sổ tính .xlsx nào.")):
            await press(pilot, "ctrl+u")  # clear the field
            await type_text(pilot, text)
            await settle(pilot)
            assert problem in screen_text(app)


async def test_a_folder_imports_every_workbook_in_it(demo_db, monkeypatch):
    monkeypatch.chdir(demo_db.home)
    folder = demo_db.home / "returned"
    first = unit_workbook(demo_db, UNIT, folder)
    other = (Task.select(Task.responsible_unit).where(Task.status == "open")
             .where(Task.responsible_unit != Task.responsible_unit.rel_model.get(code=UNIT).id)
             .first().responsible_unit.code)
    second = unit_workbook(demo_db, other, folder)
    (folder / "~$lock.xlsx").write_bytes(b"")  # Excel's lock file while a book is open
    a = edit(first, {0: {"note": "Từ tệp thứ nhất"}})[0]
    b = edit(second, {0: {"note": "Từ tệp thứ hai"}})[0]
    async with running(demo_db) as (app, pilot):
        await check(pilot, folder.name)
        shown = screen_text(app)
        assert "Kết quả kiểm tra 2 tệp — 2 thay đổi hợp lệ (2 nhiệm vụ)" in shown
        assert first.name in shown and second.name in shown
        await press_and_settle(pilot, "ctrl+s")
        assert "Đã cập nhật 2 thay đổi của 2 nhiệm vụ." in screen_text(app)
    assert notes(a)[-1] == "Từ tệp thứ nhất" and notes(b)[-1] == "Từ tệp thứ hai"


async def test_at_80x24_the_report_is_brought_into_view(demo_db, monkeypatch):
    monkeypatch.chdir(demo_db.home)  # a relative path: short to type
    path = unit_workbook(demo_db, name="stc.xlsx")
    edit(path, {i: {"note": f"Tiến độ {i}"} for i in range(3)})
    async with running(demo_db, size=(80, 24)) as (app, pilot):
        await check(pilot, path.name)
        form = app.screen.query_one("#form")
        summary = app.screen.query_one("#import-summary")
        assert form.scroll_y > 0
        top = summary.virtual_region.y
        assert form.scroll_y <= top < form.scroll_y + form.scrollable_content_region.height
        assert "3 thay đổi hợp lệ" in screen_text(app)


async def test_a_long_report_lists_the_first_changes_and_counts_the_rest(demo_db, monkeypatch):
    from inspect_tui.excel import limits
    monkeypatch.setattr(limits, "CHANGES_SHOWN", 2)
    path = unit_workbook(demo_db)
    edit(path, {0: {"note": "Một"}, 1: {"note": "Hai"}, 2: {"note": "Ba"}})
    async with running(demo_db) as (app, pilot):
        await check(pilot, path)
        shown = screen_text(app)
        assert "– → Một" in shown and "– → Hai" in shown and "– → Ba" not in shown
        assert "… và 1 thay đổi khác không hiển thị." in shown
        assert "Kết quả kiểm tra 1 tệp — 3 thay đổi hợp lệ (3 nhiệm vụ)" in shown
