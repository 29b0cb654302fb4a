"""The demo database: the figures of the 2021-2025 history, every status and
ageing bucket present, the reorganisation applied, and the same every time."""
import datetime as dt

import pytest

from inspect_tui.rules import demo, inspections, meta, summary, tasks
from inspect_tui.rules.vocab import AGEING_BUCKETS, TASK_STATUSES
from inspect_tui.store import db as store
from inspect_tui.store.models import Plan, Task

pytestmark = pytest.mark.slow  # each test reads or builds the whole demo: seconds

TODAY = dt.date(2026, 11, 23)


def test_demo_holds_45_visits_split_25_4_16(demo_build, demo_db):
    report = demo_build[1]  # the same on PostgreSQL: see test_demo_is_the_same_on_postgres
    assert (report.visits_2021_2025, report.departments, report.verticals, report.districts) == (
        45, 25, 4, 16)
    assert report.plans == 6  # 2021-2025 and this year's
    assert sorted(p.year for p in Plan.select()) == [2021, 2022, 2023, 2024, 2025, 2026]
    held = [v for v in inspections.visits(TODAY) if 2021 <= v.year <= 2025]
    assert len(held) == 45 and {v.status for v in held} == {"held"}
    assert meta.is_demo()


def test_demo_has_tasks_in_every_status_and_bucket(demo_build, demo_db):
    report = demo_build[1]
    assert set(report.by_status) == set(TASK_STATUSES)
    assert all(n > 0 for n in report.by_status.values())
    assert sum(report.by_status.values()) == report.tasks == Task.select().count()
    assert report.overdue > 0
    s = summary.summarise(TODAY)
    assert all(s.tasks_by_bucket[b] > 0 for b in AGEING_BUCKETS)
    assert s.overdue == report.overdue == tasks.count(tasks.TaskFilter(quick="overdue"), TODAY)
    assert tasks.count(tasks.TaskFilter(quick="due_week"), TODAY) > 0


def test_demo_history_shows_units_as_they_were(demo_db):
    day = TODAY
    # districts ended on 01/7/2025: their unfinished tasks are UBND thành phố's now
    rows = tasks.list_tasks(tasks.TaskFilter(quick="active"), day, limit=None)
    assert not {r.unit_code for r in rows} & {"Q-NK", "Q-BT", "Q-CR", "Q-OM", "Q-TN", "H-PD",
                                               "H-CD", "H-TL", "H-VT", "SKHDT", "STNMT", "SNNPTNT",
                                               "SGTVT", "STTTT", "SLDTBXH"}
    from_districts = [r for r in rows if r.visited_code.startswith(("Q-", "H-"))]
    assert from_districts and {r.unit_code for r in from_districts} == {"UBND-TP"}
    visits_2021 = {v.unit_code for v in inspections.visits(day, year=2021)}
    assert {"Q-NK", "STNMT", "SKHDT"} <= visits_2021


@pytest.mark.slow
def test_demo_is_deterministic(demo_build, tmp_path):
    # a second build on SQLite; PostgreSQL's own build is compared in the next test
    store.connect(str(tmp_path / "again.sqlite3"), create=True)
    again = demo.build(TODAY)
    assert again == demo_build[1]


@pytest.mark.slow
@pytest.mark.postgres
def test_demo_is_the_same_on_postgres(demo_build, demo_build_pg):
    assert demo_build_pg[1] == demo_build[1]
