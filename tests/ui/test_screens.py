"""Every main screen opens on the demo database and shows what it should;
the command palette offers the actions; bindings can be remapped."""
from textual.command import CommandList
from textual.widgets._footer import FooterKey

from inspect_tui.rules import workplan
from inspect_tui.store.models import WorkItemNote
from inspect_tui.ui import keymap
from inspect_tui.ui.screens.unit import UnitScreen
from inspect_tui.ui.screens.visit import VisitScreen
from inspect_tui.ui.screens.workplan import WorkItemScreen
from ui_helpers import TODAY, running, screen_text, settle, type_text, until, press, press_and_settle, opens



async def test_units_roster_on_a_past_day_and_a_unit_page(demo_db):
    async with running(demo_db) as (app, pilot):
        await press_and_settle(pilot, "2")
        tree = app.screen.query_one("#roster")
        assert "Đơn vị ngày 16/3/2026" in str(tree.root.label)
        assert "Sở Kế hoạch và Đầu tư" not in str([str(n.label) for n in tree.root.children[0].children])
        await press(pilot, "d", "ctrl+a", "ctrl+k")
        await type_text(pilot, "01/3/2024")
        await settle(pilot)
        labels = [str(n.label) for group in tree.root.children for n in group.children]
        assert any("Sở Kế hoạch và Đầu tư" in label for label in labels)
        assert any("Quận Ninh Kiều" in label for label in labels)
        await press(pilot, "enter")  # back to the tree
        await opens(pilot, UnitScreen, "down", "down", "enter")
        assert "Nhiệm vụ đang mở:" in screen_text(app)
        app.screen.query_one("#unit-visits").focus()
        await opens(pilot, VisitScreen, "enter")


async def test_reorganised_unit_shows_its_history(demo_db):
    async with running(demo_db) as (app, pilot):
        app.open_unit("SKHDT")
        await settle(pilot)
        shown = screen_text(app)
        assert "Sở Kế hoạch và Đầu tư → Sở Tài chính" in shown and "Hợp nhất" in shown


async def test_plans_team_and_visits(demo_db):
    async with running(demo_db) as (app, pilot):
        await press_and_settle(pilot, "3")
        await press_and_settle(pilot, "down")  # the 2025 plan
        shown = screen_text(app)
        assert "Trưởng đoàn: Trần Văn Minh" in shown
        assert "65/KH-UBND" in shown and "TB-UBND" in shown


async def test_work_plan_grid_item_milestone_and_note(demo_db):
    async with running(demo_db) as (app, pilot):
        await press_and_settle(pilot, "5")
        assert "GP1" in screen_text(app) and "2030" in screen_text(app)
        await opens(pilot, WorkItemScreen, "enter")
        before = next(m.status for m in workplan.item("GP1", TODAY).milestones if m.year == 2026)
        await press_and_settle(pilot, "m")  # a dialog: nothing changes yet
        assert next(m.status for m in workplan.item("GP1", TODAY).milestones if m.year == 2026) == before
        await press_and_settle(pilot, "enter")  # the first status it does not have now
        after = next(m.status for m in workplan.item("GP1", TODAY).milestones if m.year == 2026)
        assert after != before
        await press(pilot, "n")
        await type_text(pilot, "Da trinh du thao")
        await press_and_settle(pilot, "enter")
        assert "Da trinh du thao" in screen_text(app)
    assert WorkItemNote.select().count() == 1


async def test_indicators_flag_conflicting_sources(demo_db):
    async with running(demo_db) as (app, pilot):
        await press_and_settle(pilot, "6")
        await press_and_settle(pilot, "down")
        shown = screen_text(app)
        assert "93,43%" in shown and "86,46%" in shown
        assert "các nguồn không khớp" in shown
        chart = app.screen.query_one("#indicator-chart")
        assert [p.period for p in chart.points] == ["2022", "2023", "2024", "2025"]
        assert "2025" in str(chart.render()) and "93,43%" in str(chart.render())


async def test_command_palette_offers_actions_and_units(demo_db):
    async with running(demo_db) as (app, pilot):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Hoàn tác", "Xuất Excel", "English", "Nhiệm vụ"} <= set(titles)
        await press_and_settle(pilot, "ctrl+p")
        await type_text(pilot, "ninh kieu")
        await settle(pilot)  # the palette's search workers
        await until(pilot, lambda: any(c.option_count for c in app.screen.query(CommandList)))
        await press_and_settle(pilot, "down", "enter")
        assert isinstance(app.screen, UnitScreen) and app.screen.code == "Q-NK"


async def test_bindings_can_be_remapped_from_settings(demo_db):
    async with running(demo_db.with_(keys={"app.tasks": "t", "tasks.overdue": "O"})) as (app, pilot):
        await press_and_settle(pilot, "t")
        await press_and_settle(pilot, "O")
        assert "Quá hạn ·" in screen_text(app)


async def test_small_terminal_still_shows_the_overview(demo_db):
    async with running(demo_db, size=(80, 24)) as (app, pilot):
        assert app.screen.has_class("narrow")
        assert "Quá hạn:" in screen_text(app)


async def test_an_empty_record_says_so_on_the_overview(fresh_db):
    settings, _visit = fresh_db
    async with running(settings) as (app, pilot):
        shown = screen_text(app)
        assert "Quá hạn: 0" in shown
        assert "Không có nhiệm vụ khắc phục nào đang mở." in shown


async def test_every_binding_of_the_task_list_is_visible_in_the_footer(demo_db):
    async with running(demo_db) as (app, pilot):
        await press_and_settle(pilot, "4")
        footer = app.screen.query_one("WrappingFooter")
        shown = {k.description for k in footer.query(FooterKey)
                 if footer.region.contains_region(k.region)}
        wanted = {a.title for a in keymap.of_scope("tasks") + keymap.of_scope("app")}
        assert wanted <= shown, wanted - shown
