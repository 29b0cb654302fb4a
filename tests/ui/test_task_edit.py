"""A coordinator assigns and reschedules a task from its detail (key e); a
change saved on a stale screen (someone else wrote meanwhile) is refused."""
from inspect_tui.rules import tasks
from inspect_tui.rules.tasks import TaskFilter
from inspect_tui.store.models import ProgressNote, Task
from inspect_tui.ui.screens.forms import TaskEditForm
from ui_helpers import TODAY, running, screen_text, type_text, press, press_and_settle, opens



def unassigned() -> int:
    return tasks.count(TaskFilter(quick="unassigned"), TODAY)


async def test_assign_and_reschedule_an_unassigned_task(demo_db):
    before = unassigned()
    async with running(demo_db) as (app, pilot):
        await press_and_settle(pilot, "4", "n")  # tasks, quick filter "no assignee"
        await press_and_settle(pilot, "enter")  # its first task
        task_id = app.screen.task_id
        await opens(pilot, TaskEditForm, "e")
        await press(pilot, "tab", "tab")  # the due date
        await press(pilot, "ctrl+a", "ctrl+k")
        await type_text(pilot, "31/12/2026")
        await press(pilot, "tab")
        await type_text(pilot, "Nguyễn Thị Lan")
        await press_and_settle(pilot, "enter")
        shown = screen_text(app)
        assert "Nguyễn Thị Lan" in shown and "31/12/2026" in shown
        assert "Người phụ trách" in shown  # the history names the field changed
    task = Task.get_by_id(task_id)
    assert task.assignee == "Nguyễn Thị Lan" and task.due_on.isoformat() == "2026-12-31"
    assert unassigned() == before - 1


async def test_a_bad_unit_code_is_named_and_nothing_is_saved(demo_db):
    async with running(demo_db) as (app, pilot):
        await press_and_settle(pilot, "4", "enter")
        task_id = app.screen.task_id
        before = Task.get_by_id(task_id)
        await press(pilot, "e", "tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "SKHDT")  # merged into Sở Tài chính in 2025: gone today
        await opens(pilot, TaskEditForm, "enter")
        assert "SKHDT" in screen_text(app)
        await press_and_settle(pilot, "escape")
    after = Task.get_by_id(task_id)
    assert (after.version, after.responsible_unit_id) == (before.version, before.responsible_unit_id)


async def test_a_note_on_a_task_someone_else_just_changed_is_refused(demo_db):
    async with running(demo_db) as (app, pilot):
        await press_and_settle(pilot, "4", "enter")
        task_id = app.screen.task_id
        tasks.update(task_id, "đồng nghiệp", TODAY, assignee="Trần Văn Bình")  # another terminal
        notes = ProgressNote.select().where(ProgressNote.task == task_id).count()
        await press(pilot, "n")
        await type_text(pilot, "Da nhac don vi")
        await press_and_settle(pilot, "enter")
        assert any("vừa được đồng nghiệp sửa" in n.message for n in app._notifications)
        assert ProgressNote.select().where(ProgressNote.task == task_id).count() == notes
        assert "Trần Văn Bình" in screen_text(app)  # the screen shows the newer copy
