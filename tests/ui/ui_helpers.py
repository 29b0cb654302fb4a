"""Helpers shared by the UI tests: the fixed day, starting the app, and reading the screen."""
import datetime as dt
from contextlib import asynccontextmanager

TODAY = dt.date(2026, 3, 16)
ACTOR = "tester"


def screen_text(app) -> str:
    """Everything the current screen shows, as plain text."""
    from textual.widgets import Button, DataTable, OptionList, Static
    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, DataTable):
            for row_key in widget.rows:
                parts.append(" | ".join(str(c) for c in widget.get_row(row_key)))
        elif isinstance(widget, OptionList):
            parts.extend(str(o.prompt) for o in widget.options)
        elif isinstance(widget, Button):
            parts.append(str(widget.label))
        elif isinstance(widget, Static):
            parts.append(str(widget.render()))
    return "\n".join(parts)


async def settle(pilot, delay: float = 0.0) -> None:
    """Let timers, workers and the messages they post run to the end."""
    await pilot.pause(delay) if delay else await pilot.pause()
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[("space" if c == " " else c) for c in text])


@asynccontextmanager
async def running(settings, size=(120, 40)):
    """The app on `settings`, its first screen settled: yields (app, pilot)."""
    from inspect_tui.ui.app import InspectApp
    app = InspectApp(settings)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield app, pilot
