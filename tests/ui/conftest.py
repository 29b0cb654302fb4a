"""Each UI test gets its own SQLite database in tmp_path and a fixed `today`.

`demo_db` copies a demo database built once per run (the demo builder is
deterministic for a given today); `fresh_db` copies one holding only the
default roster plus one held visit without findings, for the inspector's flow."""
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from inspect_tui.locale import set_language
from inspect_tui.settings import Settings
from inspect_tui.store import db

from ui_helpers import ACTOR, TODAY

os.environ["TEXTUAL_ANIMATIONS"] = "none"


def pytest_collection_modifyitems(items):
    """Every test here runs the whole app and its screens (seconds each): all of
    them are `slow`, left out of the inner loop (-m "not slow"), run by CI."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.slow)


def make_settings(tmp_path: Path, path: Path, **changes) -> Settings:
    return Settings(home=tmp_path, db=str(path), lang="vi", user=ACTOR,
                    today_override=TODAY, **changes)


def _build_demo(path: Path) -> None:
    from inspect_tui.rules import demo
    db.connect(str(path), create=True)
    try:
        demo.build(TODAY)
    finally:
        db.close()


def _build_fresh(path: Path) -> int:
    """Default roster and one held visit to Sở Tư pháp with a conclusion notice."""
    from inspect_tui.rules import inspections, seed
    db.connect(str(path), create=True)
    try:
        seed.load_defaults("setup")
        plan = inspections.create_plan(2026, "12/KH-UBND", "setup", issued_on=dt.date(2026, 1, 20))
        visit_id = inspections.add_visit(plan.id, "STP", "setup", scheduled_on=dt.date(2026, 3, 2))
        inspections.update_visit(visit_id, "setup", status="held", held_on=dt.date(2026, 3, 2),
                                 notice_number="35/TB-UBND", notice_date=dt.date(2026, 3, 10))
        return visit_id
    finally:
        db.close()


def _copy_of(template: Path, path: Path) -> Settings:
    shutil.copy(template, path)
    db.connect(str(path))
    set_language("vi")
    return make_settings(path.parent, path)


@pytest.fixture
def demo_db(tmp_path, shared_sqlite):
    """The demo for TODAY, built once per run (under xdist too) and copied for each test."""
    yield _copy_of(shared_sqlite(f"ui-demo-{TODAY}", _build_demo)[0], tmp_path / "demo.sqlite3")
    db.close()
    set_language("vi")


@pytest.fixture
def fresh_db(tmp_path, shared_sqlite):
    """Default roster and one held visit to Sở Tư pháp with a conclusion notice
    (built once per run, copied for each test): (settings, the visit's id)."""
    template, visit_id = shared_sqlite("ui-fresh", _build_fresh)
    yield _copy_of(template, tmp_path / "fresh.sqlite3"), visit_id
    db.close()
    set_language("vi")
