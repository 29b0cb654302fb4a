"""Everything can be found without knowing the insides: the palette finds
commands in either language without diacritics; a unit is picked by typing
its name; the task list says in words what it is filtered by, says when
nothing matches and names a year not typed whole; Escape goes back from every
screen; every overview bar opens the same kind of list; the focused panel shows."""
import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from inspect_tui.locale import set_language
from inspect_tui.rules import tasks
from inspect_tui.rules.tasks import TaskFilter
from inspect_tui.store.models import Task, Visit
from inspect_tui.ui.commands import Entry, score
from inspect_tui.ui.screens.forms import TaskEditForm
from inspect_tui.ui.screens.overview import OverviewScreen
from inspect_tui.ui.screens.plan_forms import VisitAddForm
from inspect_tui.ui.screens.plans import PlansScreen
from inspect_tui.ui.screens.tasks import TasksScreen
from inspect_tui.ui.screens.unit import UnitScreen
from inspect_tui.ui.screens.visit import VisitScreen
from inspect_tui.ui.screens.workplan import WorkItemScreen

from ui_helpers import TODAY, running, screen_text, settle, type_text, until, press, press_and_settle, opens

SMALL = (80, 24)


async def palette_hits(pilot, query: str) -> list[str]:
    await press_and_settle(pilot, "ctrl+p")
    await type_text(pilot, query)
    await settle(pilot)  # the palette's search workers
    hits = pilot.app.screen.query_one(CommandList)
    await until(pilot, lambda: hits.option_count > 0)
    return [str(hits.get_option_at_index(i).prompt).split("\n")[0] for i in range(hits.option_count)]


@pytest.mark.parametrize("query", ["qua han", "quá hạn", "Overdue", "QUA HAN"])
async def test_the_palette_finds_overdue_from_the_overview_in_any_spelling(demo_db, query):
    async with running(demo_db, size=SMALL) as (app, pilot):
        hits = await palette_hits(pilot, query)
        assert hits[0] == "Danh sách nhiệm vụ: Quá hạn", hits
        await press_and_settle(pilot, "enter")
        assert isinstance(app.screen, TasksScreen) and app.screen.quick == "overdue"
        assert f"Quá hạn · {tasks.count(TaskFilter(quick='overdue'), TODAY)}" in screen_text(app).replace(
            f"/{tasks.count(TaskFilter(quick='overdue'), TODAY)}", "")


async def test_the_palette_speaks_both_languages_and_still_finds_units(demo_db):
    async with running(demo_db, size=SMALL) as (app, pilot):
        assert "Xuất Excel" in await palette_hits(pilot, "export")  # English words, Vietnamese screen
        await press(pilot, "escape")
        assert (await palette_hits(pilot, "hoan tac"))[0] == "Hoàn tác"
        await press(pilot, "escape")
        assert "Đến đơn vị: Sở Tài chính" in await palette_hits(pilot, "so tai chinh")
        await press_and_settle(pilot, "escape")
        assert not isinstance(app.screen, CommandPalette)


def test_palette_scores_prefer_titles_and_need_every_word():
    set_language("vi")
    entry = Entry("Quá hạn", "Lọc nhanh: nhiệm vụ quá hạn", print, ("quick.overdue",))
    assert score("quá hạn", entry) == 1.0
    assert score("qua han", entry) == 1.0
    assert score("qua", entry) > score("nhanh", entry) > 0
    assert score("overdue", entry) > 0  # the English title
    assert score("han qua", entry) > 0  # words in any order
    assert score("qua xyz", entry) == 0


async def test_a_unit_is_picked_by_typing_its_name(demo_db):
    async with running(demo_db, size=SMALL) as (app, pilot):
        await press_and_settle(pilot, "4", "enter")
        task_id = app.screen.task_id
        await opens(pilot, TaskEditForm, "e", "tab")
        await type_text(pilot, "tai chinh")  # no diacritics, part of the name
        await settle(pilot)
        suggestions = app.screen.query_one("#unit-field").suggestions
        assert suggestions.display and "Sở Tài chính · STC" in [
            str(suggestions.get_option_at_index(i).prompt) for i in range(suggestions.option_count)]
        await opens(pilot, TaskEditForm, "enter")  # takes the highlighted suggestion, does not save yet
        assert app.screen.query_one("#unit", Input).value == "STC"
        assert "Sở Tài chính" in screen_text(app)
        await press_and_settle(pilot, "enter")
        assert not isinstance(app.screen, TaskEditForm)
        assert Task.get_by_id(task_id).responsible_unit.code == "STC"
        # A code in lower case is a unit too.
        await press(pilot, "e", "tab")
        await type_text(pilot, "snv")
        await opens(pilot, TaskEditForm, "escape")  # closes the suggestions only
        await press_and_settle(pilot, "ctrl+s")
    assert Task.get_by_id(task_id).responsible_unit.code == "SNV"


async def test_a_visit_is_added_for_a_unit_typed_by_name(fresh_db):
    settings, _ = fresh_db
    async with running(settings, size=SMALL) as (app, pilot):
        await opens(pilot, PlansScreen, "3")
        await opens(pilot, VisitAddForm, "v")
        await type_text(pilot, "so noi vu")
        await settle(pilot)
        await press(pilot, "enter", "tab")
        await type_text(pilot, "20/4/2026")
        await opens(pilot, PlansScreen, "enter")
    assert Visit.select().where(Visit.unit == Visit.unit.rel_model.get(code="SNV").id).count() == 1


async def test_the_heading_names_every_filter_and_an_empty_result_says_so(demo_db):
    expected = tasks.count(TaskFilter(quick="overdue", unit="STC", statuses=("in_progress",)), TODAY)
    assert expected
    async with running(demo_db, size=SMALL) as (app, pilot):
        await press(pilot, "4", "o", "f")
        await type_text(pilot, "so tai chinh")
        await press(pilot, "escape")  # the suggestions
        app.screen.query_one("#f-status").value = "in_progress"
        await settle(pilot, 0.4)
        heading = str(app.screen.query_one("#filter-line").render())
        assert heading.startswith(f"Quá hạn · Sở Tài chính · Đang thực hiện · {expected}/{expected} nhiệm vụ")
        assert app.screen.query_one("#tasks").row_count == expected
        # A year typed halfway is named, not silently ignored.
        app.screen.query_one("#f-year").focus()
        await type_text(pilot, "202")
        await settle(pilot, 0.4)
        assert 'Năm "202" chưa đủ 4 chữ số' in str(app.screen.query_one("#filter-line").render())
        assert app.screen.query_one("#tasks").row_count == expected
        await type_text(pilot, "1")
        await settle(pilot, 0.4)
        assert "năm 2021" in str(app.screen.query_one("#filter-line").render())
        # Nothing matches: the list says so and how to get out.
        app.screen.query_one("#f-text").value = "khong co nhiem vu nao nhu the"
        await settle(pilot, 0.4)
        assert app.screen.query_one("#tasks").row_count == 0
        empty = app.screen.query_one("#tasks-empty")
        assert empty.display and "Không có nhiệm vụ nào khớp" in str(empty.render())
        await press(pilot, "escape", "x")  # back to the list, clear every filter
        await settle(pilot, 0.4)
        assert not app.screen.query_one("#tasks-empty").display
        assert str(app.screen.query_one("#filter-line").render()).startswith("Tất cả nhiệm vụ · 100/")


async def test_escape_goes_back_from_every_screen(demo_db):
    visit = Visit.get(Visit.status == "held")
    async with running(demo_db, size=SMALL) as (app, pilot):
        for key in ("2", "3", "4", "5", "6"):
            await press_and_settle(pilot, key)
            assert not isinstance(app.screen, OverviewScreen)
            await press_and_settle(pilot, "escape")
            assert isinstance(app.screen, OverviewScreen), key
        for opened in (lambda: app.open_visit(visit.id), lambda: app.open_unit("SNV"),
                       lambda: app.open_task(1)):
            await press_and_settle(pilot, "4")
            opened()
            await settle(pilot)
            assert isinstance(app.screen, (VisitScreen, UnitScreen)) or app.screen.SCOPE == "task"
            await opens(pilot, TasksScreen, "escape")
        await opens(pilot, WorkItemScreen, "5", "enter")
        await opens(pilot, OverviewScreen, "escape", "escape")


async def test_every_overview_bar_opens_open_tasks_most_overdue_first(demo_db):
    async with running(demo_db, size=SMALL) as (app, pilot):
        panel = app.screen.query_one("#by-unit").parent
        other = app.screen.query_one("#by-area").parent
        assert panel.styles.border_top[0] == "heavy" and other.styles.border_top[0] == "round"
        unit = app.screen.query_one("#by-unit").bars[0]
        await press_and_settle(pilot, "enter")
        by_unit = app.screen
        assert (by_unit.quick, by_unit.sort) == ("active", "overdue")
        assert str(by_unit.query_one("#filter-line").render()).startswith(f"Đang mở · {unit.label} ·")
        await press_and_settle(pilot, "escape")
        app.screen.query_one("#by-area").focus()
        await settle(pilot)
        assert app.screen.query_one("#by-area").parent.styles.border_top[0] == "heavy"
        assert app.screen.query_one("#by-unit").parent.styles.border_top[0] == "round"
        await press_and_settle(pilot, "enter")
        by_area = app.screen
        assert (by_area.quick, by_area.sort) == ("active", "overdue")
        late = [int(str(c).replace(".", "") or 0) for c in by_area.query_one("#tasks").get_column("late")]
        assert late == sorted(late, reverse=True) and late[0] > 0
