"""A coordinator assigns and reschedules a task from its detail (key e); a
change saved on a stale screen (someone else wrote meanwhile) is refused."""
from inspect_tui.rules import tasks
from inspect_tui.rules.tasks import TaskFilter
from inspect_tui.store.models import ProgressNote, Task
from inspect_tui.ui.screens.forms import TaskEditForm
from ui_helpers import TODAY, running, screen_text, settle, type_text



def unassigned() -> int:
    return tasks.count(TaskFilter(quick="unassigned"), TODAY)


async def test_assign_and_reschedule_an_unassigned_task(demo_db):
    before = unassigned()
    async with running(demo_db) as (app, pilot):
        await pilot.press("4", "n")  # tasks, quick filter "no assignee"
        await settle(pilot)
        await pilot.press("enter")  # its first task
        await settle(pilot)
        task_id = app.screen.task_id
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, TaskEditForm)
        await pilot.press("tab", "tab")  # the due date
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "31/12/2026")
        await pilot.press("tab")
        await type_text(pilot, "Nguyễn Thị Lan")
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(app)
        assert "Nguyễn Thị Lan" in shown and "31/12/2026" in shown
        assert "Người phụ trách" in shown  # the history names the field changed
    task = Task.get_by_id(task_id)
    assert task.assignee == "Nguyễn Thị Lan" and task.due_on.isoformat() == "2026-12-31"
    assert unassigned() == before - 1


async def test_a_bad_unit_code_is_named_and_nothing_is_saved(demo_db):
    async with running(demo_db) as (app, pilot):
        await pilot.press("4", "enter")
        await settle(pilot)
        task_id = app.screen.task_id
        before = Task.get_by_id(task_id)
        await pilot.press("e", "tab", "ctrl+a", "ctrl+k")
        await type_text(pilot, "SKHDT")  # merged into Sở Tài chính in 2025: gone today
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskEditForm)
        assert "SKHDT" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
    after = Task.get_by_id(task_id)
    assert (after.version, after.responsible_unit_id) == (before.version, before.responsible_unit_id)


async def test_a_note_on_a_task_someone_else_just_changed_is_refused(demo_db):
    async with running(demo_db) as (app, pilot):
        await pilot.press("4", "enter")
        await settle(pilot)
        task_id = app.screen.task_id
        tasks.update(task_id, "đồng nghiệp", TODAY, assignee="Trần Văn Bình")  # another terminal
        notes = ProgressNote.select().where(ProgressNote.task == task_id).count()
        await pilot.press("n")
        await type_text(pilot, "Da nhac don vi")
        await pilot.press("enter")
        await settle(pilot)
        assert any("vừa được đồng nghiệp sửa" in n.message for n in app._notifications)
        assert ProgressNote.select().where(ProgressNote.task == task_id).count() == notes
        assert "Trần Văn Bình" in screen_text(app)  # the screen shows the newer copy
