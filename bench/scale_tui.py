"""The TUI rows of bench/run.py, headless (App.run_test, 120x40): the time
from the start to the overview with data, and from a key press until the
screen shows its result, for the app and for the bare apps of
scale_bare_tui on the same database. Each measurement waits with
`pilot.pause()` and `app.workers.wait_for_complete()` until the table shows
the expected state.

Keys (one row each): list (`4` from the overview), overdue (`o`), sort (`s`),
search (`/`, a text typed: timed from the last character to the results),
pagedown, back (Enter on a task, then timed: Escape back to the list).
"""
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

SIZE = (120, 40)
SEARCHES = ["mot cua", "quy che", "ke hoach cchc", "chu ky so", "niem yet", "bao cao ket qua"]
LIMIT = 120.0  # seconds a single key may take before the row gives up


def _line(app) -> str | None:
    found = app.screen.query("#filter-line")
    return str(found.first().render()) if found else None


def _table(app):
    found = app.screen.query("#tasks")
    return found.first() if found else None


async def _until(app, pilot, ready, started: float) -> float:
    while True:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if ready():
            return time.perf_counter() - started
        if time.perf_counter() - started > LIMIT:
            raise TimeoutError(f"no result after {LIMIT:.0f} s")
        await pilot.pause(0.002)


def _list_shown(app, before):
    def ready():
        table, line = _table(app), _line(app)
        return table is not None and table.row_count > 0 and line is not None and line != before
    return ready


async def press(app, pilot, keys, ready_factory) -> float:
    """Seconds from pressing `keys` until ready_factory(before)() holds."""
    before = _line(app)
    ready = ready_factory(app, before)
    started = time.perf_counter()
    await pilot.press(*keys)
    return await _until(app, pilot, ready, started)


def _typed(text):
    return [("space" if c == " " else c) for c in text]


async def _settle(app, pilot):
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def keys_session(app, key: str, reps: int, ours: bool, first_ready) -> list[float]:
    """One app session: open the list, then time `key` reps times."""
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await _until(app, pilot, first_ready, time.perf_counter())
        await _settle(app, pilot)
        if key == "list":
            for _ in range(reps):
                times.append(await press(app, pilot, ["4"], _list_shown))
                await pilot.press("escape")
                await _settle(app, pilot)
            return times
        await press(app, pilot, ["4"], _list_shown)
        await _settle(app, pilot)
        for i in range(reps):
            if key == "overdue":
                times.append(await press(app, pilot, ["o"], _list_shown))
                await press(app, pilot, ["o"], _list_shown)  # off again, not timed
            elif key == "sort":
                times.append(await press(app, pilot, ["s"], _list_shown))
            elif key == "search":
                text = SEARCHES[i % len(SEARCHES)]
                await pilot.press("slash", *_typed(text[:-1]))

                def found(app, before, text=text):
                    shown = _list_shown(app, before)
                    return lambda: shown() and text in _line(app)
                times.append(await press(app, pilot, _typed(text[-1]), found))
                await pilot.press("escape")
                await press(app, pilot, ["x"], _list_shown)  # clear, not timed
            elif key == "pagedown":
                table = _table(app)
                row = table.cursor_row

                def moved(app, before, row=row):
                    return lambda: _table(app).cursor_row > row
                times.append(await press(app, pilot, ["pagedown"], moved))
            elif key == "back":
                list_screen = app.screen
                await pilot.press("enter")
                await _until(app, pilot, lambda: app.screen is not list_screen, time.perf_counter())
                await _settle(app, pilot)

                def back(app, before, list_screen=list_screen):
                    return lambda: (app.screen is list_screen and _table(app) is not None
                                    and _table(app).row_count > 0)
                times.append(await press(app, pilot, ["escape"], back))
            else:
                raise ValueError(key)
            await _settle(app, pilot)
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


async def ours_start(url: str, today) -> float:
    from inspect_tui.ui.app import InspectApp
    started = time.perf_counter()
    app = InspectApp(settings_for(url, today))
    async with app.run_test(size=SIZE) as pilot:
        await _until(app, pilot, lambda: app.first_data_at is not None, started)
        return app.first_data_at - started


async def bare_start() -> float:
    from scale_bare_tui import LabelApp
    started = time.perf_counter()
    app = LabelApp()
    async with app.run_test(size=SIZE) as pilot:
        await _until(app, pilot, lambda: app.painted_at is not None, started)
        return app.painted_at - started


def _stats(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"median": statistics.median(ordered), "p95": p95, "n": len(ordered)}


def run_start(url: str, today, reps: int = 5) -> dict:
    import inspect_tui.ui.app  # noqa: F401  imports are not what this row times
    import scale_bare_tui  # noqa: F401
    ours, bare = [], []
    for _ in range(reps):
        bare.append(asyncio.run(bare_start()))
        ours.append(asyncio.run(ours_start(url, today)))
    return {"ours": _stats(ours), "bare": _stats(bare)}


def run_key(url: str, today, key: str, reps: int) -> dict:
    from inspect_tui.ui.app import InspectApp
    from scale_bare_tui import ListApp
    app = InspectApp(settings_for(url, today))
    ours = asyncio.run(keys_session(app, key, reps, True, lambda: app.first_data_at is not None))
    bare_app = ListApp(url, today)
    bare = asyncio.run(keys_session(bare_app, key, reps, False, lambda: True))
    return {"ours": _stats(ours), "bare": _stats(bare)}
