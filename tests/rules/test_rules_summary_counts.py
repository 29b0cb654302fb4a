"""The summary's counts on the demo, both backends: all years count on the
tables alone, a year through the plan; either way they are the task list's
own figures, and all years are the sum of the years."""
import datetime as dt
from collections import Counter

import pytest

from inspect_tui.rules import summary, tasks
from inspect_tui.rules.vocab import ACTIVE_TASK, TASK_STATUSES

TODAY = dt.date(2026, 11, 23)
YEARS = range(2021, 2027)


def listed(year=None):
    return tasks.list_tasks(tasks.TaskFilter(year=year), TODAY, limit=None)


def worst(rows, top=10):
    by_unit = {}
    for r in rows:
        if r.status in ACTIVE_TASK:
            unit = by_unit.setdefault((r.unit_code, r.unit_name), [0, 0, r.due_on])
            unit[0] += r.days_overdue > 0
            unit[1] += 1
            unit[2] = min(unit[2], r.due_on)
    ranked = sorted(((code, name, n, open_, oldest) for (code, name), (n, open_, oldest) in by_unit.items()
                     if n), key=lambda u: (-u[2], u[4], u[1]))
    return [(code, n, open_, (TODAY - oldest).days) for code, _, n, open_, oldest in ranked[:top]]


@pytest.mark.parametrize("year", [None, 2024, 2025])
def test_task_counts_are_the_task_lists(demo_db, year):
    rows = listed(year)
    s = summary.summarise(TODAY, year)
    assert s.tasks_by_status == {st: sum(r.status == st for r in rows) for st in TASK_STATUSES}
    assert {b: n for b, n in s.tasks_by_bucket.items() if n} == Counter(r.bucket for r in rows if r.bucket)
    assert [(u.code, u.overdue, u.open, u.max_days) for u in s.worst_units] == worst(rows)
    assert s.overdue == sum(r.days_overdue > 0 for r in rows)


def test_all_years_are_the_sum_of_the_years(demo_db):
    whole = summary.summarise(TODAY)
    years = [summary.summarise(TODAY, y) for y in YEARS]
    assert whole.tasks > 0 and whole.visits_held > 0 and whole.findings > 0
    for part in ("visits_by_kind", "visits_by_status", "findings_by_area", "tasks_by_status", "tasks_by_bucket"):
        summed = Counter()
        for s in years:
            summed.update(getattr(s, part))
        assert {k: summed[k] for k in getattr(whole, part)} == getattr(whole, part), part


def test_worst_units_of_one_area(demo_db):
    rows = [r for r in listed() if r.area == "procedures"]
    found = summary.worst_units(TODAY, area="procedures")
    assert found and [(u.code, u.overdue, u.open, u.max_days) for u in found] == worst(rows)
