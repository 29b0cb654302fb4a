"""The task list at scale, as a user sees it: the total is counted only so far
("≥ N" past the cap), pages follow as the cursor goes down, and coming back
from a task shows what changed meanwhile, keeping the cursor's row."""
from inspect_tui.rules import tasks
from inspect_tui.store.models import Task
from inspect_tui.ui.screens import tasks as tasks_screen

from ui_helpers import ACTOR, TODAY, press, running, settle


def line(app) -> str:
    return str(app.screen.query_one("#filter-line").render())


async def test_a_total_past_the_cap_reads_at_least(demo_db, monkeypatch):
    monkeypatch.setattr(tasks_screen, "COUNT_CAP", 150)  # the demo holds 234 tasks
    async with running(demo_db) as (app, pilot):
        await pilot.press("4")
        await settle(pilot)
        assert line(app).startswith("Tất cả nhiệm vụ · 100/≥ 150 nhiệm vụ")
        await pilot.press("v")  # awaiting verification: fewer than the cap, counted exactly
        await settle(pilot)
        awaiting = Task.select().where(Task.status == "reported_done").count()
        assert f"{awaiting}/{awaiting} nhiệm vụ" in line(app)


async def test_the_next_page_follows_the_cursor_and_the_last_gives_the_total(demo_db):
    total = Task.select().count()
    async with running(demo_db) as (app, pilot):
        await pilot.press("4")
        await settle(pilot)
        table = app.screen.query_one("#tasks")
        assert table.row_count == 100
        for _ in range(12):
            await pilot.press("pagedown")
            await settle(pilot)
        assert table.row_count == total
        ids = [key.value for key in table.rows]
        assert len(set(ids)) == total
        assert f"{total}/{total} nhiệm vụ" in line(app)


async def test_back_from_a_task_shows_a_change_made_meanwhile(demo_db):
    async with running(demo_db) as (app, pilot):
        await pilot.press("4", "v")  # awaiting verification
        await settle(pilot)
        table = app.screen.query_one("#tasks")
        await pilot.press("down")
        chosen = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")  # nothing changed: the same rows, the cursor on its row
        await settle(pilot)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == chosen
        await pilot.press("enter")
        await settle(pilot)
        # A colleague verifies another task while this one is open.
        other = next(key.value for key in table.rows if key.value != chosen)
        tasks.move(int(other), "verified", ACTOR, TODAY)
        await pilot.press("escape")
        await settle(pilot)
        assert other not in [key.value for key in table.rows]
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == chosen


async def test_back_on_the_overview_its_figures_follow_a_change(demo_db):
    def overdue_label(app) -> str:
        return str(app.screen.query_one("#head-overdue").label)

    async with running(demo_db) as (app, pilot):
        before = overdue_label(app)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("escape")  # nothing written: the same figures
        await settle(pilot)
        assert overdue_label(app) == before
        await pilot.press("4")
        await settle(pilot)
        late = tasks.list_tasks(tasks.TaskFilter(quick="overdue"), TODAY, limit=None)
        tasks.move(late[0].id, "cancelled", ACTOR, TODAY, reason="Trùng nhiệm vụ khác")
        await pilot.press("escape")
        await settle(pilot)
        assert overdue_label(app) != before
        assert overdue_label(app) == f"Quá hạn: {len(late) - 1}"


async def test_a_list_opened_with_filters_shows_them_when_its_filters_open(demo_db):
    # The filter boxes are built only when they first open (f): they must hold
    # the filters the list was opened with, and keep them for the heading.
    async with running(demo_db) as (app, pilot):
        await press(pilot, "enter")  # the worst unit's open tasks, from the overview
        await settle(pilot)
        heading = line(app)
        unit = app.screen.current_filter().unit
        assert unit and heading.startswith("Đang mở · ")
        await press(pilot, "f")
        await settle(pilot)
        assert app.screen.query_one("#f-unit").value == unit
        assert line(app) == heading
