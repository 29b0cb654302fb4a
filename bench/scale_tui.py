"""The TUI rows of bench/run.py, headless (App.run_async, 120x40): the time
from the start to the overview with data, and from a key until the screen
shows its result, for the app and for the bare apps of scale_bare_tui on the
same database, both timed the same way.

What a user sees, and nothing of the test harness's own waiting: a key is
posted as the terminal driver posts it (an events.Key to the app), the
screen's state is polled every millisecond until it shows the result, then
the next refresh is awaited (screen.call_after_refresh) so the frame is
painted; the time runs from posting the key to that refresh. Textual's
Pilot is not used: its press() waits for the process to be idle (at least
2 x 20 ms of sleep per key, longer when the app is busy), which measures the
wait, not the app.

Keys (one row each): list (`4` from the overview), overdue (`o`), sort (`s`),
search (`/`, a text typed: timed from the last character to the results,
the 250 ms pause after typing included, in both apps), pagedown, back (Enter
on a task, then timed: Escape back to the list).
"""
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from textual import events
from textual.keys import key_to_character
from textual.worker import WorkerCancelled

SIZE = (120, 40)
SEARCHES = ["mot cua", "quy che", "ke hoach cchc", "chu ky so", "niem yet", "bao cao ket qua"]
LIMIT = 120.0  # seconds a single key may take before the row gives up
STEP = 0.001  # the polling step
QUIET = 0.3  # between keys: longer than the 250 ms pause after typing, so no reload is pending


def _line(app) -> str | None:
    found = app.screen.query("#filter-line")
    return str(found.first().render()) if found else None


def _table(app):
    found = app.screen.query("#tasks")
    return found.first() if found else None


class Running:
    """An app running headless in a task of this event loop."""

    def __init__(self, app):
        self.app = app
        self.task: asyncio.Task | None = None

    async def __aenter__(self) -> "Running":
        self.task = asyncio.create_task(self.app.run_async(headless=True, size=SIZE))
        return self

    async def __aexit__(self, *exc) -> None:
        if not self.task.done():
            self.app.exit()
        await self.task

    async def painted(self) -> None:
        """Until the screen has been refreshed (the frame drawn)."""
        done = asyncio.Event()
        self.app.screen.call_after_refresh(done.set)
        await self._until(done.is_set)

    async def _until(self, ready, started: float | None = None) -> None:
        started = time.perf_counter() if started is None else started
        while not ready():
            if self.task.done():
                self.task.result()  # the app's own error, if it failed
                raise RuntimeError("the app ended")
            if time.perf_counter() - started > LIMIT:
                raise TimeoutError(f"no result after {LIMIT:.0f} s")
            await asyncio.sleep(STEP)

    async def shown(self, ready, started: float) -> float:
        """Seconds from `started` until `ready()` holds and the frame is painted."""
        await self._until(ready, started)
        await self.painted()
        return time.perf_counter() - started

    def post(self, key: str) -> None:
        self.app.post_message(events.Key(key, key_to_character(key)))

    async def press(self, key: str, ready) -> float:
        """Seconds from posting `key` until `ready()` holds, painted."""
        started = time.perf_counter()
        self.post(key)
        return await self.shown(ready, started)

    async def settle(self) -> None:
        """Until no reload is pending or running (nothing here is timed)."""
        for _ in range(2):
            await asyncio.sleep(QUIET)
            while True:
                try:
                    await self.app.workers.wait_for_complete()
                    break
                except WorkerCancelled:  # a replaced screen's read: the rest still run
                    continue
            await self.painted()


def _list_shown(app, before):
    def ready():
        table, line = _table(app), _line(app)
        return table is not None and table.row_count > 0 and line is not None and line != before
    return ready


def _typed(text):
    return ["space" if c == " " else c for c in text]


async def _type(run: Running, text: str) -> None:
    """Type `text` into the focused box, each key handled before the next."""
    for key in _typed(text):
        run.post(key)
    await run._until(lambda: getattr(run.app.focused, "value", None) == text)


async def _time_key(run: Running, key: str, i: int) -> float:
    app = run.app
    if key == "overdue":
        took = await run.press("o", _list_shown(app, _line(app)))
        await run.settle()
        await run.press("o", _list_shown(app, _line(app)))  # off again, not timed
        return took
    if key == "sort":
        return await run.press("s", _list_shown(app, _line(app)))
    if key == "search":
        text = SEARCHES[i % len(SEARCHES)]
        run.post("slash")
        await run._until(lambda: getattr(app.focused, "value", None) == "")
        await _type(run, text[:-1])
        shown = _list_shown(app, _line(app))
        took = await run.press(_typed(text[-1])[0], lambda: shown() and text in _line(app))
        await run.settle()
        run.post("escape")
        await run._until(lambda: app.focused is _table(app))
        await run.press("x", _list_shown(app, _line(app)))  # cleared, not timed
        return took
    if key == "pagedown":
        table = _table(app)
        if table.cursor_row >= table.row_count - 1:  # at the end of a short list: back up, untimed
            await run.press("ctrl+home", lambda: table.cursor_row == 0)  # home is the first column
            await run.settle()
        row = table.cursor_row
        return await run.press("pagedown", lambda: table.cursor_row > row)
    if key == "back":
        list_screen = app.screen
        await run.press("enter", lambda: app.screen is not list_screen)
        await run.settle()
        return await run.press("escape", lambda: app.screen is list_screen and _table(app) is not None
                               and _table(app).row_count > 0)
    raise ValueError(key)


async def keys_session(app, key: str, reps: int, first_ready) -> list[float]:
    """One app session: open the list, then time `key` reps times."""
    times = []
    async with Running(app) as run:
        await run.shown(first_ready, time.perf_counter())
        await run.settle()
        if key == "list":
            for _ in range(reps):
                times.append(await run.press("4", _list_shown(app, None)))
                await run.settle()
                run.post("escape")
                await run._until(lambda: _table(app) is None)
                await run.settle()
            return times
        await run.press("4", _list_shown(app, None))
        await run.settle()
        for i in range(reps):
            times.append(await _time_key(run, key, i))
            await run.settle()
    return times


def settings_for(url: str, today):
    """The app's settings for `url`; the database is connected as the command line does."""
    from inspect_tui.settings import Settings
    from inspect_tui.store import db as store
    from inspect_tui.store.models import database
    if database.obj is None:
        store.connect(url)
    home = Path(tempfile.mkdtemp(prefix="itui-bench-"))
    return Settings(home=home, db=url, lang="vi", user="bench", today_override=today)


async def start(make_app, ready) -> float:
    """Seconds from making the app until `ready(app)` holds, painted."""
    started = time.perf_counter()
    app = make_app()
    async with Running(app) as run:
        return await run.shown(lambda: ready(app), started)


def _stats(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"median": statistics.median(ordered), "p95": p95, "n": len(ordered)}


def run_start(url: str, today, reps: int = 5) -> dict:
    from inspect_tui.ui.app import InspectApp
    from scale_bare_tui import LabelApp  # imports are not what this row times
    settings = settings_for(url, today)
    ours, bare = [], []
    for _ in range(reps):
        bare.append(asyncio.run(start(LabelApp, lambda app: app.painted_at is not None)))
        ours.append(asyncio.run(start(lambda: InspectApp(settings),
                                      lambda app: app.first_data_at is not None)))
    return {"ours": _stats(ours), "bare": _stats(bare)}


def run_key(url: str, today, key: str, reps: int) -> dict:
    from inspect_tui.ui.app import InspectApp
    from scale_bare_tui import ListApp
    app = InspectApp(settings_for(url, today))
    ours = asyncio.run(keys_session(app, key, reps, lambda: app.first_data_at is not None))
    bare_app = ListApp(url, today)
    bare = asyncio.run(keys_session(bare_app, key, reps,
                                    lambda: bool(bare_app.screen_stack and bare_app.screen.query("Label"))))
    return {"ours": _stats(ours), "bare": _stats(bare)}
