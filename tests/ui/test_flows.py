"""The TUI driven by key presses as a user would, checked on screen and in the database."""
import datetime as dt

from inspect_tui.rules import tasks
from inspect_tui.rules.tasks import TaskFilter
from inspect_tui.store.models import Finding, ProgressNote, Task
from inspect_tui.ui.screens.forms import FindingForm, TaskForm
from inspect_tui.ui.screens.overview import OverviewScreen
from inspect_tui.ui.screens.task import TaskScreen
from inspect_tui.ui.screens.tasks import TasksScreen
from inspect_tui.ui.screens.visit import VisitScreen

from ui_helpers import TODAY, running, screen_text, settle, type_text



def overdue_in_db() -> int:
    return tasks.count(TaskFilter(quick="overdue"), TODAY)


async def test_log_three_findings_with_two_tasks_each(fresh_db):
    settings, visit_id = fresh_db
    async with running(settings) as (app, pilot):
        await pilot.press("3")  # plans; the only plan is highlighted, its visit below
        await settle(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, VisitScreen)
        for n in range(1, 4):
            await pilot.press("f")
            await settle(pilot)
            assert isinstance(app.screen, FindingForm)
            if n == 2:  # choose the area from the keyboard: back to the area list
                await pilot.press("shift+tab", "shift+tab", "enter", "down", "down", "enter", "tab", "tab")
            await type_text(pilot, f"Ton tai so {n}")
            await pilot.press("tab")
            await type_text(pilot, f"Kien nghi {n}")
            await pilot.press("enter")
            await settle(pilot)
            # Saving a finding goes straight on to its first task.
            assert isinstance(app.screen, TaskForm)
            await type_text(pilot, f"Nhiem vu {n}.1")
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, VisitScreen)
            await pilot.press("t")
            await settle(pilot)
            await type_text(pilot, f"Nhiem vu {n}.2")
            await pilot.press("enter")
            await settle(pilot)
        shown = screen_text(app)
        for n in range(1, 4):
            assert f"Ton tai so {n}" in shown
            assert f"Nhiem vu {n}.1" in shown and f"Nhiem vu {n}.2" in shown
        assert "3 tồn tại · 6 nhiệm vụ đang mở" in shown

    found = list(Finding.select().where(Finding.visit == visit_id).order_by(Finding.position))
    assert [f.description for f in found] == ["Ton tai so 1", "Ton tai so 2", "Ton tai so 3"]
    assert found[0].recommendation == "Kien nghi 1"
    assert found[1].area != found[0].area  # picked with the keyboard
    all_tasks = list(Task.select().join(Finding).where(Finding.visit == visit_id))
    assert len(all_tasks) == 6
    # Defaults: the visited unit, 30 days after the conclusion notice (10/3/2026).
    assert {t.responsible_unit.code for t in all_tasks} == {"STP"}
    assert {t.due_on for t in all_tasks} == {dt.date(2026, 4, 9)}


async def test_forms_refuse_bad_input_and_save_nothing(fresh_db):
    settings, visit_id = fresh_db
    async with running(settings) as (app, pilot):
        app.open_visit(visit_id)
        await settle(pilot)
        await pilot.press("f", "enter")  # empty description
        await settle(pilot)
        assert isinstance(app.screen, FindingForm)
        assert "Không được để trống." in screen_text(app)
        assert Finding.select().count() == 0
        await type_text(pilot, "Chua niem yet TTHC")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskForm)
        await type_text(pilot, "Niem yet day du")
        await pilot.press("tab", "tab")  # unit code, then due date
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "31/02/2026")
        await settle(pilot)
        assert "Ngày không hợp lệ" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskForm)
        assert Task.select().count() == 0
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "2026-05-15")  # ISO works as well as dd/mm/yyyy
        await pilot.press("shift+tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "KHONG-CO")
        await settle(pilot)
        assert "Không có đơn vị mã" in screen_text(app)
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "SNV")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, VisitScreen)
    task = Task.get()
    assert (task.due_on, task.responsible_unit.code) == (dt.date(2026, 5, 15), "SNV")


async def test_move_a_task_and_see_the_overdue_count_change(demo_db):
    before = overdue_in_db()
    async with running(demo_db) as (app, pilot):
        assert f"Quá hạn: {before}" in screen_text(app)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert f"Quá hạn · {min(before, 100)}/{before} nhiệm vụ" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        task_id = app.screen.task_id
        status = Task.get_by_id(task_id).status
        await pilot.press("m")
        await settle(pilot)
        # The first choice from "open" is "in progress"; from "in progress", "reported done".
        if status == "open":
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert Task.get_by_id(task_id).status == "reported_done"
        assert "Đã báo cáo hoàn thành" in screen_text(app)
        # Verify, then reopen with a reason: the move needs one.
        await pilot.press("m", "enter")
        await settle(pilot)
        assert Task.get_by_id(task_id).status == "verified"
        await pilot.press("m", "enter")
        await settle(pilot)
        await pilot.press("enter")  # no reason given: refused, still on the form
        await settle(pilot)
        assert Task.get_by_id(task_id).status == "verified"
        await type_text(pilot, "Chua du ho so")
        await pilot.press("enter")
        await settle(pilot)
        assert Task.get_by_id(task_id).status == "in_progress"
        await pilot.press("m", "enter")  # report done again
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
        assert f"{before - 1} nhiệm vụ" in screen_text(app)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert f"Quá hạn: {before - 1}" in screen_text(app)
    assert overdue_in_db() == before - 1
    task = Task.get_by_id(task_id)
    assert task.status == "reported_done" and task.completed_on == TODAY


async def test_filter_overdue_and_unit_typed_without_diacritics(demo_db):
    expected = tasks.list_tasks(TaskFilter(quick="overdue", unit="Sở Tài chính"), TODAY, limit=None)
    assert expected
    async with running(demo_db) as (app, pilot):
        await pilot.press("4", "o")
        await settle(pilot)
        await pilot.press("f")  # the filters; the cursor lands in the unit field
        await type_text(pilot, "so tai chinh")
        await settle(pilot, 0.5)
        table = app.screen.query_one("#tasks")
        assert table.row_count == len(expected)
        units = {str(table.get_row(key)[3]) for key in table.rows}
        assert units == {"Sở Tài chính"}
        assert f"{len(expected)}/{len(expected)} nhiệm vụ" in screen_text(app)
        assert [int(key.value) for key in table.rows] == [t.id for t in expected]
        # The search box ignores diacritics too. (Escape closes the unit suggestions,
        # a second one leaves the filters for the list.)
        await pilot.press("escape", "escape", "slash")
        await type_text(pilot, "cong khai du toan")
        await settle(pilot, 0.5)
        rows = [table.get_row(key) for key in table.rows]
        assert rows and all("Sở Tài chính" == str(r[3]) for r in rows)


async def test_undo_the_last_change_of_the_session(demo_db):
    async with running(demo_db) as (app, pilot):
        await pilot.press("ctrl+z")  # nothing changed yet in this session
        await settle(pilot)
        await pilot.press("4", "o", "enter")
        await settle(pilot)
        task_id = app.screen.task_id
        notes_before = ProgressNote.select().where(ProgressNote.task == task_id).count()
        await pilot.press("n")
        await type_text(pilot, "Da gui cong van don doc")
        await pilot.press("enter")
        await settle(pilot)
        assert "Da gui cong van don doc" in screen_text(app)
        assert ProgressNote.select().where(ProgressNote.task == task_id).count() == notes_before + 1
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "Da gui cong van don doc" not in screen_text(app)
    assert ProgressNote.select().where(ProgressNote.task == task_id).count() == notes_before
    # The demo's own history (another actor, an earlier session) is never undone.
    assert Task.select().count() > 0


async def test_switch_language_and_back(demo_db):
    overdue = overdue_in_db()
    async with running(demo_db) as (app, pilot):
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
        assert "All tasks" in screen_text(app)
        footer = {b.binding.description for b in app.screen.active_bindings.values()}
        assert {"Overdue", "Undo", "Tiếng Việt"} <= footer
        await pilot.press("1")
        await settle(pilot)
        assert f"Overdue: {overdue}" in screen_text(app)
        await pilot.press("f2")
        await settle(pilot)
        assert f"Quá hạn: {overdue}" in screen_text(app)


async def test_overview_figure_opens_its_list(demo_db):
    async with running(demo_db) as (app, pilot):
        worst = app.screen.query_one("#by-unit").bars[0]
        assert app.focused.id == "by-unit"  # the worst units have the cursor from the start
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
        # The unit's open tasks, the most overdue first (as an area's bar opens).
        code = worst.payload["unit"]
        assert tasks.count(TaskFilter(quick="overdue", unit=code), TODAY) == worst.second
        expected = tasks.list_tasks(TaskFilter(quick="active", unit=code), TODAY, limit=None)
        assert len(expected) == worst.value
        table = app.screen.query_one("#tasks")
        assert [int(k.value) for k in table.rows] == [r.id for r in expected]
        assert f"{len(expected)}/{len(expected)} nhiệm vụ" in screen_text(app)
        # Back, then the ageing bucket "over 90 days".
        await pilot.press("escape")
        await settle(pilot)
        app.screen.query_one("#buckets").focus()
        await pilot.press("end", "enter")
        await settle(pilot)
        assert "Quá hạn trên 90 ngày" in screen_text(app)
        shown = app.screen.query_one("#tasks")
        late = [int(str(shown.get_row(k)[1]).strip("[]/bold red").replace(".", "")) for k in shown.rows]
        assert late and min(late) > 90
