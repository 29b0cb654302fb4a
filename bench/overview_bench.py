"""How long the TUI takes to show the overview on the demo database, against
the bare queries behind it (rules.overview.overview) in the same run: the
ratio is what the screen costs on top of SQL. Headless (App.run_test), so it
measures the app, not the terminal.

    /work/venv/bin/python bench/overview_bench.py [--runs 7]
"""
import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TODAY = dt.date(2026, 11, 23)


async def shown_after(settings) -> float:
    from inspect_tui.ui.app import InspectApp
    app = InspectApp(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        while app.first_data_at is None:
            await pilot.pause(0.005)
        return app.first_data_at - app.started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    from inspect_tui.rules import demo, overview
    from inspect_tui.settings import Settings
    from inspect_tui.store import db
    home = Path(tempfile.mkdtemp())
    path = home / "demo.sqlite3"
    db.connect(str(path), create=True)
    demo.build(TODAY)
    settings = Settings(home=home, db=str(path), lang="vi", user="bench", today_override=TODAY)
    app_times, sql_times = [], []
    for _ in range(runs):
        started = time.perf_counter()
        overview.overview(TODAY)
        sql_times.append(time.perf_counter() - started)
        app_times.append(asyncio.run(shown_after(settings)))
    app_ms, sql_ms = statistics.median(app_times) * 1000, statistics.median(sql_times) * 1000
    print(f"overview on screen: median {app_ms:.0f} ms "
          f"(min {min(app_times) * 1000:.0f}, max {max(app_times) * 1000:.0f}, {runs} runs)")
    print(f"bare queries:       median {sql_ms:.1f} ms")
    print(f"ratio screen/queries: {app_ms / sql_ms:.1f}x")


if __name__ == "__main__":
    main()
