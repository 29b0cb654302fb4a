"""Issue 9's "done when", at 80x24 on the demo database, with the keys a
first-time user presses (the README's keys only):

    (overview)            the three units with most overdue tasks lead the first panel
    Enter                 the first unit's open tasks, the most overdue first
    Enter                 its most overdue task
    n, text, Enter        a progress note ("(Ctrl+Z: hoàn tác)" is said)
    m, [↓,] Enter         "Báo cáo hoàn thành" (↓ when the task is still "Chưa thực hiện")
    Ctrl+P, "qua han", Enter   the overdue list, found without diacritics
    5, Enter, m, Enter    a milestone's status, chosen in a dialog (a stray m changes nothing)
"""
from textual.command import CommandList
from textual.widgets._footer import FooterKey

from inspect_tui.rules import overview, workplan
from inspect_tui.store.models import ProgressNote, Task
from inspect_tui.ui.screens.forms import ChoicePrompt
from inspect_tui.ui.screens.task import TaskScreen
from inspect_tui.ui.screens.tasks import TasksScreen
from inspect_tui.ui.screens.workplan import WorkItemScreen

from ui_helpers import TODAY, running, screen_text, settle, type_text, until, press, press_and_settle, opens


def footer_keys(app) -> set[str]:
    footer = app.screen.query_one("WrappingFooter")
    return {k.action for k in footer.query(FooterKey) if footer.region.contains_region(k.region)}


async def test_a_first_day_at_80x24(demo_db):
    top = overview.by_unit(TODAY)[:3]
    assert [u.overdue for u in top] == sorted((u.overdue for u in overview.by_unit(TODAY)), reverse=True)[:3]
    async with running(demo_db, size=(80, 24)) as (app, pilot):
        bars = app.screen.query_one("#by-unit")
        assert [b.label for b in bars.bars[:3]] == [u.name for u in top]
        assert "Đơn vị nhiều nhiệm vụ quá hạn nhất" in bars.parent.border_title
        assert app.screen.region.contains_region(bars.region)  # on screen without scrolling

        await opens(pilot, TasksScreen, "enter")
        assert str(app.screen.query_one("#filter-line").render()).startswith(f"Đang mở · {top[0].name}")

        await opens(pilot, TaskScreen, "enter")
        task_id = app.screen.task_id
        task = Task.get_by_id(task_id)
        assert task.responsible_unit.code == top[0].code and task.due_on < TODAY

        await press_and_settle(pilot, "n")  # the note box is open before anything is typed
        assert not isinstance(app.screen, TaskScreen)
        await type_text(pilot, "Da gui cong van don doc")
        await press_and_settle(pilot, "enter")
        assert ProgressNote.select().where((ProgressNote.task == task_id)
                                           & (ProgressNote.text == "Da gui cong van don doc")).exists()

        await opens(pilot, ChoicePrompt, "m")
        if task.status == "open":
            await press(pilot, "down")
        await press_and_settle(pilot, "enter")
        assert Task.get_by_id(task_id).status == "reported_done"
        said = [n.message for n in app._notifications]
        assert 'Đã chuyển sang "Đã báo cáo hoàn thành". (Ctrl+Z: hoàn tác)' in said
        assert "app.undo" in footer_keys(app)  # and the footer offers it at 80 columns

        await press(pilot, "ctrl+p")
        await type_text(pilot, "qua han")
        await settle(pilot)  # the palette's search workers
        await until(pilot, lambda: any(c.option_count for c in app.screen.query(CommandList)))
        await press_and_settle(pilot, "enter")
        assert isinstance(app.screen, TasksScreen) and app.screen.quick == "overdue"

        before = next(m for m in workplan.item("GP1", TODAY).milestones if m.year == 2026)
        await opens(pilot, ChoicePrompt, "5", "enter", "m")
        assert next(m for m in workplan.item("GP1", TODAY).milestones if m.year == 2026) == before
        await opens(pilot, WorkItemScreen, "enter")
        after = next(m for m in workplan.item("GP1", TODAY).milestones if m.year == 2026)
        assert after.status != before.status and after.status != "cancelled"
        assert "Mốc 2026 của GP1" in screen_text(app) or any(
            "Mốc 2026 của GP1" in n.message for n in app._notifications)
