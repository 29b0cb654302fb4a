"""SVG snapshots of every main screen at 80x24 and at 120x40 on the demo
database (fixed today, no animation, no cursor blink). Regenerate with
--snapshot-update, after looking at what changed."""
import pytest
from textual.widgets import Input

from inspect_tui.locale import formats
from inspect_tui.ui.app import InspectApp
from ui_helpers import settle, press_and_settle

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


def _steady(*keys, then=None):
    async def run_before(pilot):
        await settle(pilot)
        if then:
            then(pilot.app)
            await settle(pilot)
        for key in keys:
            await press_and_settle(pilot, key)
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        await settle(pilot)
    return run_before


SCREENS = {
    "overview": _steady(),
    "units": _steady("2"),
    "plans": _steady("3", "down"),
    "tasks_overdue": _steady("4", "o"),
    "task": _steady("4", "o", "enter"),
    "visit": _steady(then=lambda app: app.open_visit(1)),
    "unit": _steady(then=lambda app: app.open_unit("STC")),
    "work_plan": _steady("5"),
    "work_item": _steady("5", "enter"),
    "indicators": _steady("6", "down"),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(demo_db, snap_compare, monkeypatch, screen, size):
    # The change log keeps the wall-clock time of the demo's build: shown as one fixed time.
    monkeypatch.setattr(formats, "datetime", lambda value, lang=None: "01/3/2026 09:00" if value else "")
    assert snap_compare(InspectApp(demo_db), terminal_size=SIZES[size], run_before=SCREENS[screen])


def test_overview_english_light(demo_db, snap_compare):
    app = InspectApp(demo_db.with_(lang="en", theme="light"))
    assert snap_compare(app, terminal_size=SIZES["120x40"], run_before=_steady())
