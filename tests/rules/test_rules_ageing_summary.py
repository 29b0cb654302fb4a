"""Overdue, days overdue and ageing buckets for a given day, in Python and in
SQL, and the year summary built on them."""
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspect_tui.rules import ageing, overview, summary, tasks
from inspect_tui.rules.vocab import AGEING_BUCKETS
from inspect_tui.store.models import Task

TODAY = dt.date(2024, 10, 1)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.mark.parametrize("offset, late, bucket", [
    (100, 0, "not_due"),
    (8, 0, "not_due"),
    (7, 0, "due_7"),
    (1, 0, "due_7"),
    (0, 0, "due_7"),  # due today is not yet overdue
    (-1, 1, "overdue_1_30"),
    (-30, 30, "overdue_1_30"),
    (-31, 31, "overdue_31_90"),
    (-90, 90, "overdue_31_90"),
    (-91, 91, "overdue_90_plus"),
    (-1000, 1000, "overdue_90_plus"),
])
@pytest.mark.parametrize("status", ["open", "in_progress"])
def test_days_overdue_and_bucket_boundaries(status, offset, late, bucket):
    due = days(offset)
    assert ageing.days_overdue(status, due, TODAY) == late
    assert ageing.is_overdue(status, due, TODAY) is (late > 0)
    assert ageing.bucket(status, due, TODAY) == bucket


@pytest.mark.parametrize("status", ["reported_done", "verified", "cancelled"])
@pytest.mark.parametrize("offset", [-400, -31, -1, 0, 5])
def test_finished_tasks_are_never_overdue(status, offset):
    assert ageing.days_overdue(status, days(offset), TODAY) == 0
    assert not ageing.is_overdue(status, days(offset), TODAY)
    assert ageing.bucket(status, days(offset), TODAY) is None


def test_the_same_task_ages_with_the_day_it_is_looked_at():
    due = dt.date(2024, 6, 30)
    assert ageing.bucket("open", due, dt.date(2024, 6, 23)) == "due_7"
    assert ageing.bucket("open", due, dt.date(2024, 7, 1)) == "overdue_1_30"
    assert ageing.bucket("open", due, dt.date(2024, 8, 15)) == "overdue_31_90"
    assert ageing.bucket("open", due, dt.date(2025, 1, 1)) == "overdue_90_plus"


# --- SQL agrees with Python ------------------------------------------------------------

N_TASKS = 12


@pytest.fixture
def twelve_tasks(seeded, make):
    plan_id = make.plan(2024)
    visit_id = make.visit(plan_id, "SNV", dt.date(2024, 4, 6))
    finding_id = make.finding(visit_id)
    ids = [make.task(finding_id, TODAY, TODAY, description=f"Việc {i}") for i in range(N_TASKS)]
    tasks.move(ids[0], "reported_done", "an", TODAY)
    tasks.move(ids[1], "cancelled", "an", TODAY, reason="trùng")
    tasks.move(ids[2], "in_progress", "an", TODAY)
    return ids


@given(offsets=st.lists(st.integers(-200, 60), min_size=N_TASKS, max_size=N_TASKS),
       today_shift=st.integers(-40, 40))
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_sql_buckets_agree_with_python(twelve_tasks, offsets, today_shift):
    today = TODAY + dt.timedelta(days=today_shift)
    for task_id, offset in zip(twelve_tasks, offsets):
        Task.update(due_on=days(offset)).where(Task.id == task_id).execute()
    expected = {b: 0 for b in AGEING_BUCKETS}
    expected_overdue = set()
    for task in Task.select():
        name = ageing.bucket(task.status, task.due_on, today)
        if name:
            expected[name] += 1
        if ageing.is_overdue(task.status, task.due_on, today):
            expected_overdue.add(task.id)
    assert summary.summarise(today).tasks_by_bucket == expected
    assert overview.buckets(today) == expected
    for name in AGEING_BUCKETS:
        assert tasks.count(tasks.TaskFilter(bucket=name), today) == expected[name]
    found = tasks.list_tasks(tasks.TaskFilter(quick="overdue"), today, limit=None)
    assert {r.id for r in found} == expected_overdue
    assert all(r.days_overdue == ageing.days_overdue(r.status, r.due_on, today) for r in found)


# --- the summary ----------------------------------------------------------------------------

def test_summary_counts_for_a_year(seeded, make):
    plan = make.plan(2024)
    older = make.plan(2023)
    t1 = make.chain("SNV", days(-40), TODAY, plan_id=plan, area="procedures")
    make.chain("Q-NK", days(-100), TODAY, plan_id=plan, area="digital")
    t3 = make.chain("CA-TP", days(3), TODAY, plan_id=plan, area="digital")
    make.chain("STP", days(-200), TODAY, plan_id=older, year=2023)
    tasks.move(t3, "in_progress", "an", TODAY)
    finding_of_t1 = Task.get_by_id(t1).finding_id
    t4 = make.task(finding_of_t1, days(-10), TODAY)
    tasks.move(t4, "reported_done", "an", TODAY)
    planned = make.visit(plan, "STC", dt.date(2024, 11, 5))
    assert planned

    s = summary.summarise(TODAY, 2024)
    assert s.visits_by_kind == {"department": 1, "vertical": 1, "district": 1, "commune": 0, "other": 0}
    assert s.visits_by_status == {"planned": 1, "held": 3, "postponed": 0, "cancelled": 0}
    assert s.visits_held == 3
    assert s.findings_by_area["procedures"] == 1 and s.findings_by_area["digital"] == 2
    assert s.findings == 3
    assert s.tasks_by_status == {"open": 2, "in_progress": 1, "reported_done": 1, "verified": 0,
                                 "cancelled": 0}
    assert s.tasks_by_bucket == {"not_due": 0, "due_7": 1, "overdue_1_30": 0, "overdue_31_90": 1,
                                 "overdue_90_plus": 1}
    assert s.overdue == 2
    assert [(u.code, u.overdue, u.open, u.max_days) for u in s.worst_units] == [
        ("Q-NK", 1, 1, 100), ("SNV", 1, 1, 40)]

    everything = summary.summarise(TODAY)
    assert everything.tasks == 5 and everything.overdue == 3
    assert everything.worst_units[0].code == "STP" and everything.worst_units[0].max_days == 200
    assert summary.summarise(TODAY, 2022).tasks == 0
    # looked at a year later, everything still open is overdue by more than 90 days
    later = summary.summarise(days(400), 2024)
    assert later.tasks_by_bucket["overdue_90_plus"] == 3


def test_overview_counts_agree_with_the_task_list(seeded, make):
    plan = make.plan(2024)
    make.chain("SNV", days(-40), TODAY, plan_id=plan, area="procedures")
    make.chain("SNV", days(2), TODAY, plan_id=plan, area="digital")
    done = make.chain("Q-NK", days(-5), TODAY, plan_id=plan)
    tasks.move(done, "reported_done", "an", TODAY)
    make.visit(plan, "STP", TODAY + dt.timedelta(days=10))
    o = overview.overview(TODAY)
    assert (o.active, o.overdue, o.due_week, o.awaiting) == (2, 1, 1, 1)
    assert [(u.code, u.active, u.overdue) for u in o.by_unit] == [("SNV", 2, 1)]
    areas = {a.area: (a.active, a.overdue) for a in o.by_area}
    assert areas["procedures"] == (1, 1) and areas["digital"] == (1, 0)
    assert [v.unit_code for v in o.visits_month] == ["STP"]
    assert o.plan_year == 2026 and o.plan_progress["not_started"] == 11
    page = tasks.list_tasks(tasks.TaskFilter(bucket="overdue_31_90"), TODAY)
    assert [r.days_overdue for r in page] == [40]
