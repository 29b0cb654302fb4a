"""The counts the database's triggers keep (migration 0007) are always a plain
recount of the tasks, on both backends, whatever wrote: the rules (new tasks,
status moves, new due dates, another responsible unit, a finding's new area,
undo) or a bare delete cascading from a visit. And the overview and the
summary read from them give the figures a count of every task gives."""
import datetime as dt
import random
from collections import Counter

import pytest

from inspect_tui.rules import audit, findings, overview, summary, tasks
from inspect_tui.rules.ageing import bucket, is_overdue
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.tasks import MOVES, needs_reason
from inspect_tui.rules.vocab import ACTIVE_TASK, AREAS, TASK_STATUSES
from inspect_tui.store.models import (Finding, Task, TaskCountByArea, TaskCountByDay, TaskCountByUnit, Visit,
                                      database)

TODAY = dt.date(2026, 11, 23)
UNITS = ["STC", "SXD", "SYT", "STP", "SCT", "SGDDT"]
DAYS = [-400, -120, -91, -90, -60, -31, -30, -8, -1, 0, 1, 7, 8, 30, 200]
pytestmark = pytest.mark.slow


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _nonzero(rows) -> dict:
    return {tuple(key): n for *key, n in rows if n}


def recount() -> dict[str, dict]:
    """The three tallies counted again from the tasks, by plain GROUP BYs."""
    by_day = database.execute_sql(
        "SELECT t.status, f.area, t.due_on, COUNT(*) FROM task t JOIN finding f ON f.id = t.finding_id "
        "GROUP BY t.status, f.area, t.due_on").fetchall()
    by_area = database.execute_sql(
        "SELECT t.status, f.area, COUNT(*) FROM task t JOIN finding f ON f.id = t.finding_id "
        "GROUP BY t.status, f.area").fetchall()
    by_unit = database.execute_sql(
        "SELECT responsible_unit_id, status, COUNT(*) FROM task GROUP BY responsible_unit_id, status").fetchall()
    return {"day": {(s, a, _day(d)): n for s, a, d, n in by_day},
            "area": _nonzero(by_area), "unit": _nonzero(by_unit)}


def tallied() -> dict[str, dict]:
    return {"day": {(s, a, _day(d)): n for s, a, d, n in TaskCountByDay.select(
                TaskCountByDay.status, TaskCountByDay.area, TaskCountByDay.due_on, TaskCountByDay.n).tuples()
                if n},
            "area": _nonzero(TaskCountByArea.select(TaskCountByArea.status, TaskCountByArea.area,
                                                    TaskCountByArea.n).tuples()),
            "unit": _nonzero(TaskCountByUnit.select(TaskCountByUnit.responsible_unit_id, TaskCountByUnit.status,
                                                    TaskCountByUnit.n).tuples())}


def assert_tallies_are_a_recount() -> None:
    assert tallied() == recount()


def _every_task(today: dt.date) -> list[tasks.TaskRow]:
    return tasks.list_tasks(tasks.TaskFilter(), today, limit=None)


def assert_overview_counts_every_task(today: dt.date) -> None:
    rows = _every_task(today)
    active = [r for r in rows if r.status in ACTIVE_TASK]
    seen = overview.overview(today, top=3)
    assert seen.active == len(active)
    assert seen.overdue == sum(is_overdue(r.status, r.due_on, today) for r in rows)
    assert seen.due_week == sum(today <= r.due_on <= today + dt.timedelta(days=7) for r in active)
    assert seen.awaiting == sum(r.status == "reported_done" for r in rows)
    assert {b: n for b, n in seen.buckets.items() if n} == Counter(
        bucket(r.status, r.due_on, today) for r in active)
    assert [(a.area, a.active, a.overdue) for a in seen.by_area] == [
        (area, sum(r.area == area for r in active),
         sum(r.area == area and is_overdue(r.status, r.due_on, today) for r in active)) for area in AREAS]
    units = {}
    for r in active:
        unit = units.setdefault(r.unit_code, [r.unit_name, 0, 0])
        unit[1] += 1
        unit[2] += is_overdue(r.status, r.due_on, today)
    expected = sorted(((code, name, n, late) for code, (name, n, late) in units.items()),
                      key=lambda u: (-u[3], -u[2], u[1]))[:3]
    assert [(u.code, u.name, u.active, u.overdue) for u in seen.by_unit] == expected

    whole = summary.summarise(today, top=3)
    assert whole.tasks_by_status == {s: sum(r.status == s for r in rows) for s in TASK_STATUSES}
    assert whole.tasks_by_bucket == seen.buckets
    worst = {}
    for r in active:
        unit = worst.setdefault(r.unit_code, [r.unit_name, 0, 0, r.due_on])
        unit[1] += is_overdue(r.status, r.due_on, today)
        unit[2] += 1
        unit[3] = min(unit[3], r.due_on)
    ranked = sorted(((code, *rest) for code, rest in worst.items() if rest[1]),
                    key=lambda u: (-u[2], u[4], u[1]))[:3]
    assert [(u.code, u.overdue, u.open, u.max_days) for u in whole.worst_units] == [
        (code, late, n, (today - oldest).days) for code, _, late, n, oldest in ranked]


def _build(make, rng: random.Random) -> tuple[list[int], list[int]]:
    plan = make.plan(2025)
    finding_ids, task_ids = [], []
    for i, code in enumerate(UNITS):
        held = dt.date(2025, 3, 1) + dt.timedelta(days=7 * i)
        visit = make.visit(plan, code, scheduled_on=held, held_on=held,
                           notice_date=held + dt.timedelta(days=10))
        for area in rng.sample(AREAS, 2):
            finding = make.finding(visit, area=area)
            finding_ids.append(finding)
            for _ in range(3):
                due = TODAY + dt.timedelta(days=rng.choice(DAYS))
                task_ids.append(make.task(finding, max(due, held + dt.timedelta(days=20)), TODAY))
    return finding_ids, task_ids


def _random_write(rng: random.Random, make, finding_ids: list[int], task_ids: list[int]) -> str | None:
    """One write of a random kind through the rules; the kind, or None when refused."""
    kind = rng.choice(["move", "move", "due", "unit", "area", "add", "undo"])
    task_id = rng.choice(task_ids)
    try:
        if kind == "move":
            old = Task.get_by_id(task_id).status
            new = rng.choice(MOVES[old]) if MOVES[old] else None
            if not new:
                return None
            tasks.move(task_id, new, make.actor, TODAY, reason="Lý do" if needs_reason(old, new) else "")
        elif kind == "due":
            tasks.update(task_id, make.actor, TODAY, due_on=TODAY + dt.timedelta(days=rng.choice(DAYS)))
        elif kind == "unit":
            tasks.update(task_id, make.actor, TODAY, responsible=rng.choice(UNITS))
        elif kind == "area":
            finding_id = rng.choice(finding_ids)
            findings.update(finding_id, make.actor, area=rng.choice(AREAS))
        elif kind == "add":
            due = TODAY + dt.timedelta(days=rng.choice(DAYS))
            task_ids.append(make.task(rng.choice(finding_ids), due, TODAY))
        else:
            batch = audit.last_batch()
            if not batch:
                return None
            audit.undo(batch, make.actor)
    except DomainError:
        return None  # a move or undo the rules refuse changes nothing
    finally:
        task_ids[:] = [t for t in task_ids if Task.get_or_none(Task.id == t) is not None]
    return kind


def test_the_tallies_are_a_recount_after_random_writes(seeded, make):
    rng = random.Random(7)
    finding_ids, task_ids = _build(make, rng)
    assert_tallies_are_a_recount()
    done = Counter()
    for step in range(120):
        done[_random_write(rng, make, finding_ids, task_ids)] += 1
        if step % 30 == 29:
            assert_tallies_are_a_recount()
    assert_tallies_are_a_recount()
    assert all(done[kind] >= 3 for kind in ("move", "due", "unit", "area", "add", "undo")), done
    for shift in (-120, -40, 0, 3, 95):
        assert_overview_counts_every_task(TODAY + dt.timedelta(days=shift))


def test_a_bare_delete_cascading_from_a_visit_leaves_the_tallies_right(seeded, make):
    """Deleting a visit deletes its findings and their tasks by cascade: the
    findings' areas are gone before the tasks are."""
    rng = random.Random(3)
    finding_ids, _ = _build(make, rng)
    visit_id = Finding.get_by_id(finding_ids[0]).visit_id
    with database.atomic():
        Visit.delete().where(Visit.id == visit_id).execute()
    assert Task.select().join(Finding).where(Finding.visit == visit_id).count() == 0
    assert_tallies_are_a_recount()
    with database.atomic():
        Finding.delete().where(Finding.id == finding_ids[-1]).execute()
    assert_tallies_are_a_recount()
    assert_overview_counts_every_task(TODAY)


def test_an_empty_record_has_empty_figures(seeded):
    seen = overview.overview(TODAY)
    assert (seen.active, seen.overdue, seen.due_week, seen.awaiting, seen.by_unit) == (0, 0, 0, 0, [])
    assert all(n == 0 for n in seen.buckets.values())
    assert summary.summarise(TODAY).worst_units == []
