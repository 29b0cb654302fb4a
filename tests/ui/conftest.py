"""Each UI test gets its own SQLite database in tmp_path and a fixed `today`.

`demo_db` copies a demo database built once per session (the demo builder
is deterministic for a given today); `fresh_db` holds only the default
roster plus one held visit without findings, for the inspector's flow."""
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


def make_settings(tmp_path: Path, path: Path, **changes) -> Settings:
    return Settings(home=tmp_path, db=str(path), lang="vi", user=ACTOR,
                    today_override=TODAY, **changes)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    from inspect_tui.rules import demo
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    db.connect(str(path), create=True)
    demo.build(TODAY)
    db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def demo_db(tmp_path, demo_template):
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, path)
    db.connect(str(path), create=True)
    set_language("vi")
    yield make_settings(tmp_path, path)
    db.close()
    set_language("vi")


@pytest.fixture
def fresh_db(tmp_path):
    """Default roster and one held visit to Sở Tư pháp with a conclusion notice."""
    from inspect_tui.rules import inspections, seed
    path = tmp_path / "fresh.sqlite3"
    db.connect(str(path), create=True)
    seed.load_defaults("setup")
    plan = inspections.create_plan(2026, "12/KH-UBND", "setup", issued_on=dt.date(2026, 1, 20))
    visit_id = inspections.add_visit(plan.id, "STP", "setup", scheduled_on=dt.date(2026, 3, 2))
    inspections.update_visit(visit_id, "setup", status="held", held_on=dt.date(2026, 3, 2),
                             notice_number="35/TB-UBND", notice_date=dt.date(2026, 3, 10))
    set_language("vi")
    settings = make_settings(tmp_path, path)
    yield settings, visit_id
    db.close()
    set_language("vi")


