"""Helpers shared by the UI tests: the fixed day, starting the app, and reading the screen."""
import asyncio
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


ROUNDS = 200  # bounds every wait below: a test that waits in vain fails on its assertion


async def settle(pilot, delay: float = 0.0) -> None:
    """Let what the last keys started come to rest, waiting only as long as it needs:
    the messages they posted are handled, the workers they started have ended and
    what those posted back is handled, and the callbacks run after the next refresh
    (a screen putting its cursor on a row) have run. With no worker started, that
    is one pause and a few refreshes."""
    app = pilot.app
    await pilot.pause(delay) if delay else await pilot.pause()
    for _ in range(ROUNDS):
        busy = [w for w in app.workers if not w.is_finished]
        if busy:
            await app.workers.wait_for_complete(busy)
            await pilot.pause()  # what the workers posted, handled
            continue
        # Three refreshes: a callback run after a refresh may schedule another one.
        for _ in range(3):
            await refreshed(app)
        if all(w.is_finished for w in app.workers):  # nothing new started meanwhile
            return


async def refreshed(app) -> None:
    """Every screen of the stack has handled what was posted to it, and the current
    one has refreshed and run the callbacks scheduled until now."""
    for screen in list(app.screen_stack):
        done = asyncio.Event()
        if screen.call_after_refresh(done.set):  # False: the screen is closing
            try:
                await asyncio.wait_for(done.wait(), 5)  # a screen closed meanwhile never says
            except asyncio.TimeoutError:
                pass


async def until(pilot, condition, rounds: int = ROUNDS) -> bool:
    """Pause until `condition()` holds, at most `rounds` pauses (generous: the
    test's own assertion then says what is wrong)."""
    for _ in range(rounds):
        if condition():
            return True
        await pilot.pause()
    return condition()


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
