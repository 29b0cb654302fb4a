"""Nothing is cut off: at 80 columns every list keeps what a row must say (id,
days late, due date, unit, status), shortens the description first and uses
short status labels rather than "Trạng t"; the footer keeps Ctrl+P and Ctrl+Q
at every size; F2 and a resize lay the screen out again; indicator names show
whole and the chart names its periods and values; the task's page shows its
whole history and scrolls as one page."""
import pytest
from textual.widgets._footer import FooterKey

from inspect_tui.locale import t
from inspect_tui.rules import indicators, tasks
from inspect_tui.rules.tasks import TaskFilter
from inspect_tui.rules.vocab import TASK_STATUSES
from inspect_tui.store.models import Visit
from inspect_tui.ui.screens.task import TaskScreen

from ui_helpers import TODAY, running, settle, press, press_and_settle

SMALL, LARGE = (80, 24), (120, 40)
TASK_KEYS = ("id", "late", "due", "unit", "status")


def labels(lang: str = "vi") -> set[str]:
    """Every status as it may read: in full or in its short form."""
    return ({t(f"task_status.{s}", lang=lang) for s in TASK_STATUSES}
            | {t(f"ui.task_status_short.{s}", lang=lang) for s in TASK_STATUSES})


def column(table, key: str) -> list[str]:
    return [str(cell) for cell in table.get_column(key)]


def shown_keys(table) -> list[str]:
    return [c.key for c in table.shown]


def fits(table) -> bool:
    """No column runs past the table's right edge (nothing to scroll sideways for)."""
    return table.virtual_size.width <= table.scrollable_content_region.width


def assert_readable(table, keys=TASK_KEYS, lang: str = "vi") -> None:
    assert set(keys) <= set(shown_keys(table)), shown_keys(table)
    statuses = [s for s in column(table, "status") if s]
    assert statuses and set(statuses) <= labels(lang), set(statuses) - labels(lang)
    assert fits(table), (table.virtual_size, table.scrollable_content_region)


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_the_task_list_keeps_id_lateness_due_unit_and_status(demo_db, size):
    async with running(demo_db, size=size) as (app, pilot):
        await press_and_settle(pilot, "4")
        table = app.screen.query_one("#tasks")
        assert_readable(table)
        if size == LARGE:  # room for the description and the area too
            assert {"task", "area"} <= set(shown_keys(table))
        await press_and_settle(pilot, "f")  # the filter panel takes 26 columns
        assert_readable(table)
        assert not any("…" in s for s in column(table, "status"))


async def test_f2_and_a_resize_lay_the_task_list_out_again(demo_db):
    async with running(demo_db, size=SMALL) as (app, pilot):
        await press_and_settle(pilot, "4", "o")
        await press_and_settle(pilot, "f2")
        table = app.screen.query_one("#tasks")
        assert "Overdue ·" in str(app.screen.query_one("#filter-line").render())  # the filter kept
        assert_readable(table, lang="en")
        assert all(len(d) >= 9 for d in column(table, "due"))  # "09/06/2021", not "09/"
        await press_and_settle(pilot, "f2")
        assert_readable(app.screen.query_one("#tasks"))
        await pilot.resize_terminal(60, 20)
        await settle(pilot, 0.1)
        assert_readable(app.screen.query_one("#tasks"))
        await pilot.resize_terminal(120, 40)
        await settle(pilot, 0.1)
        table = app.screen.query_one("#tasks")
        assert_readable(table)
        assert "task" in shown_keys(table)


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_the_visit_screen_keeps_unit_due_date_and_status(demo_db, size):
    visit = Visit.get(Visit.status == "held")
    async with running(demo_db, size=size) as (app, pilot):
        app.open_visit(visit.id)
        await settle(pilot)
        table = app.screen.query_one("#findings")
        assert_readable(table, keys=("n", "text", "area", "due", "status"))


async def test_plans_and_a_units_page_keep_their_counts_at_80_columns(demo_db):
    async with running(demo_db, size=SMALL) as (app, pilot):
        await press_and_settle(pilot, "3", "down")
        visits = app.screen.query_one("#plan-visits")
        assert {"unit", "day", "status", "findings", "open", "overdue"} <= set(shown_keys(visits))
        assert fits(visits) and fits(app.screen.query_one("#plans"))
        assert "Trưởng đoàn: Trần Văn Minh" in str(app.screen.query_one("#plan-team").render())
        app.open_unit("STC")
        await settle(pilot)
        table = app.screen.query_one("#unit-visits")
        assert {"year", "status", "findings", "open", "overdue"} <= set(shown_keys(table))
        assert fits(table)
        assert not any("…" in f for f in column(app.screen.query_one("#unit-findings"), "finding"))


async def test_the_work_plan_shows_every_year_and_whole_titles_at_80_columns(demo_db):
    async with running(demo_db, size=SMALL) as (app, pilot):
        await press_and_settle(pilot, "5")
        grid = app.screen.query_one("#workplan-grid")
        assert [k for k in shown_keys(grid) if k.isdigit()] == ["2026", "2027", "2028", "2029", "2030"]
        assert fits(grid)
        assert not any("…" in title for title in column(grid, "title"))
        await press_and_settle(pilot, "enter")
        milestones = app.screen.query_one("#milestones")
        assert {"year", "due", "status"} <= set(shown_keys(milestones)) and fits(milestones)
        assert all("Chưa bắt đầu" in s or "Đang thực hiện" in s for s in column(milestones, "status"))


async def test_the_footer_keeps_the_palette_and_quit_at_every_size(demo_db):
    visit = Visit.get(Visit.status == "held")
    for size in (SMALL, LARGE, (60, 20)):
        async with running(demo_db, size=size) as (app, pilot):
            for open_screen in ("", "2", "3", "4", "5", "6", "task", "visit", "unit", "item"):
                if open_screen == "task":
                    await press(pilot, "4", "enter")
                elif open_screen == "visit":
                    app.open_visit(visit.id)
                elif open_screen == "unit":
                    app.open_unit("SNV")
                elif open_screen == "item":
                    await press(pilot, "5", "enter")
                elif open_screen:
                    await press(pilot, open_screen)
                await settle(pilot)
                footer = app.screen.query_one("WrappingFooter")
                visible = {k.action for k in footer.query(FooterKey)
                           if footer.region.contains_region(k.region)}
                assert {"command_palette", "app.quit"} <= visible, (size, open_screen, visible)


async def test_the_tasks_page_shows_its_whole_history_newest_first(demo_db):
    row = tasks.list_tasks(TaskFilter(quick="overdue"), TODAY, limit=1)[0]
    for n in range(14):  # a long history: more rows than the old table showed
        tasks.update(row.id, "đồng nghiệp", TODAY, assignee=f"Người {n}")
    async with running(demo_db, size=SMALL) as (app, pilot):
        app.open_task(row.id)
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        history = app.screen.query_one("#history")
        assert history.row_count >= 14
        assert history.size.height > history.row_count  # every row shows (and its heading)
        assert column(history, "new")[0] == "Người 13"  # the newest first
        page = app.screen.query_one("#task-detail")
        assert app.focused is page
        await press_and_settle(pilot, "end")
        assert page.scroll_y == page.max_scroll_y > 0 and page.scroll_x == 0


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_indicator_names_show_whole_and_the_chart_names_its_periods(demo_db, size):
    rows = {r.code: r for r in indicators.all_indicators()}
    async with running(demo_db, size=size) as (app, pilot):
        await press_and_settle(pilot, "6")
        table = app.screen.query_one("#indicator-list")
        names = column(table, "name")
        assert [n for n in names if n.startswith("Hồ sơ TTHC giải quyết đúng hạn, cấp")] == [
            "Hồ sơ TTHC giải quyết đúng hạn, cấp thành phố", "Hồ sơ TTHC giải quyết đúng hạn, cấp huyện",
            "Hồ sơ TTHC giải quyết đúng hạn, cấp xã"]
        assert names == [r.name for r in rows.values()]  # nothing cut: long names wrap
        assert fits(table)
        await press_and_settle(pilot, "down")  # a series over four years, one of them disputed
        chart = str(app.screen.query_one("#indicator-chart").render())
        for period, value in (("2022", "8,83%"), ("2023", "41,47%"), ("2024", "77,38%"),
                              ("2025", "93,43%")):
            line = next(line for line in chart.splitlines() if line.strip().startswith(period))
            assert line.rstrip().endswith(value) or value + " ⚠" in line
        await press_and_settle(pilot, "up")  # a single value: one labelled bar, not a solid block
        chart = str(app.screen.query_one("#indicator-chart").render())
        assert chart.splitlines() == [chart.splitlines()[0]]
        assert chart.startswith("2025 │") and chart.rstrip().endswith("67,15%")
