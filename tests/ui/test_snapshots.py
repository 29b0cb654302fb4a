"""SVG snapshots of the main screens at 120x40 on the demo database (fixed
today, no animation, no cursor blink). Regenerate with --snapshot-update."""
from textual.widgets import Input

from inspect_tui.ui.app import InspectApp
from ui_helpers import settle

SIZE = (120, 40)


def _steady(*keys, then=None):
    async def run_before(pilot):
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if then:
            then(pilot.app)
            await settle(pilot)
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        await settle(pilot)
    return run_before


def test_overview(demo_db, snap_compare):
    assert snap_compare(InspectApp(demo_db), terminal_size=SIZE, run_before=_steady())


def test_tasks_overdue(demo_db, snap_compare):
    assert snap_compare(InspectApp(demo_db), terminal_size=SIZE, run_before=_steady("4", "o"))


def test_visit(demo_db, snap_compare):
    assert snap_compare(InspectApp(demo_db), terminal_size=SIZE,
                        run_before=_steady(then=lambda app: app.open_visit(1)))


def test_work_plan(demo_db, snap_compare):
    assert snap_compare(InspectApp(demo_db), terminal_size=SIZE, run_before=_steady("5"))


def test_indicators(demo_db, snap_compare):
    assert snap_compare(InspectApp(demo_db), terminal_size=SIZE, run_before=_steady("6", "down"))


def test_overview_english_light(demo_db, snap_compare):
    app = InspectApp(demo_db.with_(lang="en", theme="light"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_steady())
