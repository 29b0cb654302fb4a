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

from ui_helpers import TODAY, running, screen_text, settle, type_text, press, press_and_settle, steps, Typed, opens



def overdue_in_db() -> int:
    return tasks.count(TaskFilter(quick="overdue"), TODAY)


async def test_log_three_findings_with_two_tasks_each(fresh_db):
    settings, visit_id = fresh_db
    async with running(settings) as (app, pilot):
        await press_and_settle(pilot, "3")  # plans; the only plan is highlighted, its visit below
        await opens(pilot, VisitScreen, "enter", "enter")
        for n in range(1, 4):
            await opens(pilot, FindingForm, "f")
            if n == 2:  # choose the area from the keyboard: back to the area list
                await press(pilot, "shift+tab", "shift+tab", "enter", "down", "down", "enter", "tab", "tab")
            await type_text(pilot, f"Ton tai so {n}")
            await press(pilot, "tab")
            await type_text(pilot, f"Kien nghi {n}")
            await press_and_settle(pilot, "enter")
            # Saving a finding goes straight on to its first task.
            assert isinstance(app.screen, TaskForm)
            await type_text(pilot, f"Nhiem vu {n}.1")
            await opens(pilot, VisitScreen, "enter")
            await steps(pilot, "t", Typed(f"Nhiem vu {n}.2"), "enter")
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
        await opens(pilot, FindingForm, "f", "enter")  # empty description
        assert "Không được để trống." in screen_text(app)
        assert Finding.select().count() == 0
        await type_text(pilot, "Chua niem yet TTHC")
        await opens(pilot, TaskForm, "enter")
        await type_text(pilot, "Niem yet day du")
        await press(pilot, "tab", "tab")  # unit code, then due date
        await press(pilot, "ctrl+a", "ctrl+k")
        await type_text(pilot, "31/02/2026")
        await settle(pilot)
        assert "Ngày không hợp lệ" in screen_text(app)
        await opens(pilot, TaskForm, "enter")
        assert Task.select().count() == 0
        await press(pilot, "ctrl+a", "ctrl+k")
        await type_text(pilot, "2026-05-15")  # ISO works as well as dd/mm/yyyy
        await press(pilot, "shift+tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "KHONG-CO")
        await settle(pilot)
        assert "Không có đơn vị mã" in screen_text(app)
        await press(pilot, "ctrl+a", "ctrl+k")
        await type_text(pilot, "SNV")
        await opens(pilot, VisitScreen, "ctrl+s")
    task = Task.get()
    assert (task.due_on, task.responsible_unit.code) == (dt.date(2026, 5, 15), "SNV")


async def test_move_a_task_and_see_the_overdue_count_change(demo_db):
    before = overdue_in_db()
    async with running(demo_db) as (app, pilot):
        assert f"Quá hạn: {before}" in screen_text(app)
        await press_and_settle(pilot, "4")
        await press_and_settle(pilot, "o")
        assert f"Quá hạn · {min(before, 100)}/{before} nhiệm vụ" in screen_text(app)
        await opens(pilot, TaskScreen, "enter")
        task_id = app.screen.task_id
        status = Task.get_by_id(task_id).status
        await press_and_settle(pilot, "m")
        # The first choice from "open" is "in progress"; from "in progress", "reported done".
        if status == "open":
            await press(pilot, "down")
        await press_and_settle(pilot, "enter")
        assert Task.get_by_id(task_id).status == "reported_done"
        assert "Đã báo cáo hoàn thành" in screen_text(app)
        # Verify, then reopen with a reason: the move needs one.
        await press_and_settle(pilot, "m", "enter")
        assert Task.get_by_id(task_id).status == "verified"
        await press_and_settle(pilot, "m", "enter")
        await press_and_settle(pilot, "enter")  # no reason given: refused, still on the form
        assert Task.get_by_id(task_id).status == "verified"
        await type_text(pilot, "Chua du ho so")
        await press_and_settle(pilot, "enter")
        assert Task.get_by_id(task_id).status == "in_progress"
        await press_and_settle(pilot, "m", "enter")  # report done again
        await opens(pilot, TasksScreen, "escape")
        assert f"{before - 1} nhiệm vụ" in screen_text(app)
        await opens(pilot, OverviewScreen, "1")
        assert f"Quá hạn: {before - 1}" in screen_text(app)
    assert overdue_in_db() == before - 1
    task = Task.get_by_id(task_id)
    assert task.status == "reported_done" and task.completed_on == TODAY


async def test_filter_overdue_and_unit_typed_without_diacritics(demo_db):
    expected = tasks.list_tasks(TaskFilter(quick="overdue", unit="Sở Tài chính"), TODAY, limit=None)
    assert expected
    async with running(demo_db) as (app, pilot):
        await press_and_settle(pilot, "4", "o")
        await press(pilot, "f")  # the filters; the cursor lands in the unit field
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
        await press(pilot, "escape", "escape", "slash")
        await type_text(pilot, "cong khai du toan")
        await settle(pilot, 0.5)
        rows = [table.get_row(key) for key in table.rows]
        assert rows and all("Sở Tài chính" == str(r[3]) for r in rows)


async def test_undo_the_last_change_of_the_session(demo_db):
    async with running(demo_db) as (app, pilot):
        await press_and_settle(pilot, "ctrl+z")  # nothing changed yet in this session
        await press_and_settle(pilot, "4", "o", "enter")
        task_id = app.screen.task_id
        notes_before = ProgressNote.select().where(ProgressNote.task == task_id).count()
        await press(pilot, "n")
        await type_text(pilot, "Da gui cong van don doc")
        await press_and_settle(pilot, "enter")
        assert "Da gui cong van don doc" in screen_text(app)
        assert ProgressNote.select().where(ProgressNote.task == task_id).count() == notes_before + 1
        await press_and_settle(pilot, "ctrl+z")
        assert "Da gui cong van don doc" not in screen_text(app)
    assert ProgressNote.select().where(ProgressNote.task == task_id).count() == notes_before
    # The demo's own history (another actor, an earlier session) is never undone.
    assert Task.select().count() > 0


async def test_switch_language_and_back(demo_db):
    overdue = overdue_in_db()
    async with running(demo_db) as (app, pilot):
        await press_and_settle(pilot, "4")
        await opens(pilot, TasksScreen, "f2")
        assert "All tasks" in screen_text(app)
        footer = {b.binding.description for b in app.screen.active_bindings.values()}
        assert {"Overdue", "Undo", "Tiếng Việt"} <= footer
        await press_and_settle(pilot, "1")
        assert f"Overdue: {overdue}" in screen_text(app)
        await press_and_settle(pilot, "f2")
        assert f"Quá hạn: {overdue}" in screen_text(app)


async def test_overview_figure_opens_its_list(demo_db):
    async with running(demo_db) as (app, pilot):
        worst = app.screen.query_one("#by-unit").bars[0]
        assert app.focused.id == "by-unit"  # the worst units have the cursor from the start
        await opens(pilot, TasksScreen, "enter")
        # The unit's open tasks, the most overdue first (as an area's bar opens).
        code = worst.payload["unit"]
        assert tasks.count(TaskFilter(quick="overdue", unit=code), TODAY) == worst.second
        expected = tasks.list_tasks(TaskFilter(quick="active", unit=code), TODAY, limit=None)
        assert len(expected) == worst.value
        table = app.screen.query_one("#tasks")
        assert [int(k.value) for k in table.rows] == [r.id for r in expected]
        assert f"{len(expected)}/{len(expected)} nhiệm vụ" in screen_text(app)
        # Back, then the ageing bucket "over 90 days".
        await press_and_settle(pilot, "escape")
        app.screen.query_one("#buckets").focus()
        await press_and_settle(pilot, "end", "enter")
        assert "Quá hạn trên 90 ngày" in screen_text(app)
        shown = app.screen.query_one("#tasks")
        late = [int(str(shown.get_row(k)[1]).strip("[]/bold red").replace(".", "")) for k in shown.rows]
        assert late and min(late) > 90
