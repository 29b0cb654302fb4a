"""Nothing changes by accident: a milestone's status is chosen in a dialog and
"Hủy" asked again; Ctrl+Z inside a text box edits the text, never the
database; every saved change says that Ctrl+Z takes it back, and the undo
says in words what it undid; a new task's default due date is ahead of
today, and a date already past is saved only once confirmed."""
import datetime as dt

from textual.widgets import Input

from inspect_tui.rules import findings, inspections, tasks, workplan
from inspect_tui.rules.tasks import TaskFilter
from inspect_tui.store.models import Milestone, ProgressNote, Task, Visit
from inspect_tui.ui.screens.forms import ChoicePrompt, ConfirmPrompt, TaskForm, TextPrompt
from inspect_tui.ui.screens.tasks import TasksScreen
from inspect_tui.ui.screens.workplan import WorkItemScreen

from ui_helpers import TODAY, running, screen_text, settle, type_text, press, press_and_settle, opens

SMALL = (80, 24)


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def milestone(code: str, year: int) -> Milestone:
    return next(m for m in workplan.item(code, TODAY).milestones if m.year == year)


async def test_a_milestone_status_is_chosen_in_a_dialog_and_cancelling_asks_again(demo_db):
    before = milestone("GP1", 2026)
    async with running(demo_db, size=SMALL) as (app, pilot):
        await opens(pilot, WorkItemScreen, "5", "enter")  # the work plan, its first item
        await opens(pilot, ChoicePrompt, "m")
        assert "Mốc 2026 của GP1" in screen_text(app)
        await press_and_settle(pilot, "escape")  # leaving the dialog changes nothing
        assert milestone("GP1", 2026).status == before.status
        # "Hủy" is the last choice; choosing it asks again, with "no" under the cursor.
        await opens(pilot, ConfirmPrompt, "m", "end", "enter")
        assert "Hủy mốc 2026 của GP1?" in screen_text(app)
        await opens(pilot, WorkItemScreen, "enter")  # a stray Enter: "Không, giữ nguyên"
        assert milestone("GP1", 2026).status == before.status
        await press_and_settle(pilot, "m", "end", "enter", "down", "enter")  # yes, cancel it
        assert milestone("GP1", 2026).status == "cancelled"
        assert any("Hủy" in m and "(Ctrl+Z: hoàn tác)" in m for m in messages(app))
        await press_and_settle(pilot, "ctrl+z")
        assert any(m.startswith("Đã hoàn tác: Mốc tiến độ") for m in messages(app))
    assert Milestone.get_by_id(before.id).status == before.status


async def test_ctrl_z_in_a_text_box_edits_the_text_never_the_database(demo_db):
    async with running(demo_db, size=SMALL) as (app, pilot):
        await press_and_settle(pilot, "4", "enter")
        task_id = app.screen.task_id
        notes = ProgressNote.select().where(ProgressNote.task == task_id).count()
        await press(pilot, "n")
        await type_text(pilot, "Da nhac lan hai")
        await press_and_settle(pilot, "enter")
        assert ProgressNote.select().where(ProgressNote.task == task_id).count() == notes + 1
        # A form: Ctrl+Z takes back typing, a word at a time, and the note stays saved.
        await press(pilot, "n")
        await type_text(pilot, "Cong van so 12")
        await opens(pilot, TextPrompt, "ctrl+z")
        assert app.screen.query_one("#text", Input).value == "Cong van so "
        await press(pilot, "ctrl+z", "ctrl+z")
        assert app.screen.query_one("#text", Input).value == "Cong "
        await press(pilot, "ctrl+y")
        assert app.screen.query_one("#text", Input).value == "Cong van "
        await press_and_settle(pilot, "ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z")  # more than there is: still nothing saved undone
        assert app.screen.query_one("#text", Input).value == ""
        assert ProgressNote.select().where(ProgressNote.task == task_id).count() == notes + 1
        await press_and_settle(pilot, "escape", "escape")  # the form, then the task: the list
        # The list's search box: the same.
        assert isinstance(app.screen, TasksScreen)
        await press(pilot, "slash")
        await type_text(pilot, "ngan sach")
        await press_and_settle(pilot, "ctrl+z")
        assert app.screen.query_one("#f-text", Input).value == "ngan "
        # The command palette (a dialog) is no place for the database undo either.
        await press_and_settle(pilot, "escape", "ctrl+p", "ctrl+z")
        await press_and_settle(pilot, "escape")
        assert ProgressNote.select().where(ProgressNote.task == task_id).count() == notes + 1
        # From the list, Ctrl+Z takes the note back and says so in words.
        await press_and_settle(pilot, "ctrl+z")
        assert any(m.startswith(f"Đã hoàn tác: Nhiệm vụ {task_id}: đã bỏ ghi chú tiến độ vừa thêm")
                   for m in messages(app))
    assert ProgressNote.select().where(ProgressNote.task == task_id).count() == notes


async def test_a_move_offers_ctrl_z_and_a_cancellation_is_confirmed_by_its_reason(demo_db):
    row = tasks.list_tasks(TaskFilter(quick="overdue"), TODAY, limit=1)[0]
    async with running(demo_db, size=SMALL) as (app, pilot):
        app.open_task(row.id)
        await settle(pilot)
        await opens(pilot, ChoicePrompt, "m")
        shown = screen_text(app)
        assert f"Chuyển nhiệm vụ số {row.id}" in shown and "Ctrl+Z để hoàn tác" in shown
        await opens(pilot, TextPrompt, "end", "enter")  # "Hủy nhiệm vụ": asks for the reason, saying what it does
        assert "Nhiệm vụ sẽ thôi được theo dõi" in screen_text(app)
        await press_and_settle(pilot, "escape")  # not cancelled
        assert Task.get_by_id(row.id).status == row.status
        await press(pilot, "m")
        if row.status == "open":
            await press(pilot, "down")
        await press_and_settle(pilot, "enter")  # reported done
        assert Task.get_by_id(row.id).status == "reported_done"
        assert 'Đã chuyển sang "Đã báo cáo hoàn thành". (Ctrl+Z: hoàn tác)' in messages(app)
        await press_and_settle(pilot, "ctrl+z")
        assert any(m.startswith(f"Đã hoàn tác: Nhiệm vụ {row.id}: trở lại") for m in messages(app))
    assert Task.get_by_id(row.id).status == row.status


async def test_a_default_due_date_is_ahead_and_a_past_one_asks_first(fresh_db):
    settings, _ = fresh_db
    # A visit whose notice is so old that notice + 30 days has passed.
    plan = inspections.plans()[0]
    visit_id = inspections.add_visit(plan.id, "SNV", "setup", scheduled_on=dt.date(2026, 1, 5))
    inspections.update_visit(visit_id, "setup", status="held", held_on=dt.date(2026, 1, 5),
                             notice_number="5/TB-UBND", notice_date=dt.date(2026, 1, 10))
    finding = findings.add(visit_id, "procedures", "Chua niem yet", "setup")
    assert findings.default_due(visit_id, 30, TODAY) == TODAY + dt.timedelta(days=30)
    async with running(settings, size=SMALL) as (app, pilot):
        app.open_visit(visit_id)
        await settle(pilot)
        await opens(pilot, TaskForm, "t")  # a task for the finding under the cursor
        assert app.screen.query_one("#due", Input).value == "15/4/2026"  # 16/3 + 30 days
        await type_text(pilot, "Niem yet lai")
        await press(pilot, "tab", "tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "01/3/2026")
        await opens(pilot, ConfirmPrompt, "enter")
        assert "Hạn xử lý 01/3/2026 đã qua" in screen_text(app)
        await opens(pilot, TaskForm, "enter")  # no: back to the form, nothing saved
        assert Task.select().count() == 0
        await press_and_settle(pilot, "enter", "down", "enter")  # save, yes
        assert not isinstance(app.screen, (TaskForm, ConfirmPrompt))
    task = Task.get(Task.finding == finding.id)
    assert task.due_on == dt.date(2026, 3, 1)


async def test_errors_name_fields_as_people_do(demo_db):
    async with running(demo_db, size=SMALL) as (app, pilot):
        await press_and_settle(pilot, "4", "enter")
        await press(pilot, "e", "tab", "tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "01/01/1990")
        await press_and_settle(pilot, "enter")
        error = str(app.screen.query_one("#form-error").render())
        assert "hạn xử lý" in error and "due_on" not in error


async def test_cancelling_a_visit_is_confirmed(demo_db):
    visit = Visit.get(Visit.status == "planned")
    async with running(demo_db, size=SMALL) as (app, pilot):
        app.open_visit(visit.id)
        await settle(pilot)
        await press_and_settle(pilot, "r")
        await press(pilot, "enter")  # the status list
        options = [str(p) for p, _ in app.screen.query_one("#status")._options]
        await opens(pilot, ConfirmPrompt, *["down"] * options.index("Hủy"), "enter", "ctrl+s")
        await press_and_settle(pilot, "escape")
        assert Visit.get_by_id(visit.id).status == "planned"
        await press_and_settle(pilot, "ctrl+s", "down", "enter")
    assert Visit.get_by_id(visit.id).status == "cancelled"
