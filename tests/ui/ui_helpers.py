"""Helpers shared by the UI tests: the fixed day, starting the app, and reading the screen."""
import asyncio
import datetime as dt
import unicodedata
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
    (a screen putting its cursor on a row) have run. `delay` first lets a timer
    (the search box's debounce) fire."""
    app = pilot.app
    if delay:
        await asyncio.sleep(delay)
    await handled(app)
    for _ in range(ROUNDS):
        busy = [w for w in app.workers if not w.is_finished]
        if busy:
            await app.workers.wait_for_complete(busy)
            await handled(app)  # what the workers posted
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


async def until(pilot, condition, seconds: float = 30.0) -> bool:
    """Wait until `condition()` holds, at most `seconds` (generous: the test's own
    assertion then says what is wrong), letting the app handle what it is sent."""
    app = pilot.app
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.005)
        await handled(app)
    return True


def key_event(key: str):
    """The Key event a terminal sends for `key` (a key name such as "enter" or
    "ctrl+s", or one character such as "/" or "ầ"), named as Textual names it."""
    from textual import events
    from textual.keys import KEY_NAME_REPLACEMENTS, key_to_character
    if len(key) == 1 and not key.isalnum():
        name = unicodedata.name(key, key).lower().replace("-", "_").replace(" ", "_")
        return events.Key(KEY_NAME_REPLACEMENTS.get(name, name), key)
    return events.Key(key, key_to_character(key))


async def press(pilot, *keys: str) -> None:
    """Press `keys` one after another, as a terminal sends them: each is handled
    by the app, then by the widget it reaches and whatever that widget posts,
    before the next is sent. (Pilot.press waits for the process to look idle,
    twice per key and at least 40 ms; this waits for the message queues
    themselves, so a test pays for what the app does, not for the waiting.)"""
    app = pilot.app
    for key in keys:
        app.post_message(key_event(key))
        await handled(app)


class Typed(str):
    """Among the keys given to `steps`: a text typed key by key."""


async def steps(pilot, *items: str) -> None:
    """A user's keys and typing, in order: a key name is pressed and what it
    started settles; a Typed text is typed. steps(pilot, "tab", Typed("STP"), "enter")"""
    for item in items:
        if isinstance(item, Typed):
            await type_text(pilot, item)
        else:
            await press_and_settle(pilot, item)


async def opens(pilot, screen_class, *keys: str):
    """Press `keys` and let them settle: the screen they lead to is a
    `screen_class` (asserted); returns it."""
    await press_and_settle(pilot, *keys)
    assert isinstance(pilot.app.screen, screen_class), (pilot.app.screen, screen_text(pilot.app))
    return pilot.app.screen


async def press_and_settle(pilot, *keys: str) -> None:
    await press(pilot, *keys)
    await settle(pilot)


async def handled(app, rounds: int = 3) -> None:
    """What is in the app's queue now has been handled, then `rounds` times what
    is in the queues of every widget of the current screen (a key goes from the
    app to the focused widget, which may post to itself and to its parents)."""
    await _drained([app])
    for _ in range(rounds):
        await _drained([app, *app.screen.walk_children(with_self=True)])
    await app.animator.wait_until_complete()  # a scroll moves in steps, even with animations off


async def _drained(nodes) -> None:
    waits = []
    for node in nodes:
        done = asyncio.Event()
        if node.call_later(done.set):  # False: the node is closing
            waits.append(done.wait())
    if waits:
        await asyncio.wait_for(asyncio.gather(*waits), 30)


async def type_text(pilot, text: str) -> None:
    """Type `text`, then let what it started (suggestions, checks) settle, as a
    user reads what the box says before the next key."""
    await press(pilot, *[("space" if c == " " else c) for c in text])
    await settle(pilot)


@asynccontextmanager
async def running(settings, size=(120, 40)):
    """The app on `settings`, its first screen settled: yields (app, pilot)."""
    from inspect_tui.ui.app import InspectApp
    app = InspectApp(settings)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield app, pilot
