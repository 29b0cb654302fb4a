"""What the coordinator's first screen counts: active and overdue tasks by
unit and by area, ageing buckets, deadlines of the coming week, this month's
planned visits and the work plan's progress for the year. All counted in SQL,
on the task table alone where it can be (indexes of migration 0006 hold the
columns counted), joined to the findings only for their area."""
import datetime as dt
from dataclasses import dataclass

from peewee import Case, fn

from inspect_tui.rules import ageing, workplan
from inspect_tui.rules.vocab import ACTIVE_TASK, AGEING_BUCKETS, AREAS
from inspect_tui.store.models import Finding, Plan, Task, Unit, Visit


@dataclass(frozen=True)
class UnitCount:
    code: str
    name: str
    active: int
    overdue: int


@dataclass(frozen=True)
class AreaCount:
    area: str
    active: int
    overdue: int


@dataclass(frozen=True)
class PlannedVisit:
    id: int
    unit_code: str
    unit_name: str
    scheduled_on: dt.date | None
    plan_number: str


@dataclass(frozen=True)
class Overview:
    today: dt.date
    active: int
    overdue: int
    due_week: int
    awaiting: int
    by_unit: list[UnitCount]
    by_area: list[AreaCount]
    buckets: dict[str, int]
    visits_month: list[PlannedVisit]
    plan_year: int
    plan_progress: dict[str, int]


def _late(today):
    return fn.SUM(Case(None, ((Task.due_on < today, 1),), 0))


def by_unit(today: dt.date, top: int = 10) -> list[UnitCount]:
    """Units with active tasks, the most overdue first. Counted on the task table
    alone (index on status, responsible unit, due date), the names read after."""
    late = _late(today)
    counts = list(Task.select(Task.responsible_unit, fn.COUNT(Task.id), late)
                  .where(Task.status.in_(ACTIVE_TASK)).group_by(Task.responsible_unit).tuples())
    names = {i: (code, name) for i, code, name in
             Unit.select(Unit.id, Unit.code, Unit.name)
             .where(Unit.id.in_([c[0] for c in counts])).tuples()} if counts else {}
    found = [UnitCount(*names[i], int(n), int(overdue or 0)) for i, n, overdue in counts]
    found.sort(key=lambda u: (-u.overdue, -u.active, u.name))
    return found[:top]


def by_area(today: dt.date) -> list[AreaCount]:
    late = _late(today)
    counts = {a: (0, 0) for a in AREAS}
    query = (Task.select(Finding.area, fn.COUNT(Task.id), late)
             .join(Finding, on=(Task.finding == Finding.id))
             .where(Task.status.in_(ACTIVE_TASK)).group_by(Finding.area))
    for area, n, overdue in query.tuples():
        counts[area] = (int(n), int(overdue or 0))
    return [AreaCount(a, *counts[a]) for a in AREAS]


def by_status_and_due() -> dict[tuple[str, dt.date], int]:
    """How many tasks have each status and due date: one walk of the index on
    (status, due_on), from which the buckets and the headline figures follow."""
    query = Task.select(Task.status, Task.due_on, fn.COUNT(Task.id)).group_by(Task.status, Task.due_on)
    return {(status, _day(due)): int(n) for status, due, n in query.tuples()}


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def buckets(today: dt.date, counts: dict | None = None) -> dict[str, int]:
    counts = by_status_and_due() if counts is None else counts
    found = {b: 0 for b in AGEING_BUCKETS}
    for (status, due), n in counts.items():
        name = ageing.bucket(status, due, today)
        if name is not None:
            found[name] += n
    return found


def visits_this_month(today: dt.date) -> list[PlannedVisit]:
    first = today.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    query = (Visit.select(Visit.id, Unit.code, Unit.name, Visit.scheduled_on, Plan.number)
             .join(Unit).switch(Visit).join(Plan)
             .where((Visit.status == "planned") & (Visit.scheduled_on >= first)
                    & (Visit.scheduled_on < following))
             .order_by(Visit.scheduled_on, Unit.name))
    return [PlannedVisit(*row) for row in query.tuples()]


def overview(today: dt.date, top: int = 10) -> Overview:
    units = by_unit(today, top)
    counts = by_status_and_due()
    ages = buckets(today, counts)
    active = sum(ages.values())
    overdue = sum(n for b, n in ages.items() if b.startswith("overdue"))
    week = today + dt.timedelta(days=7)
    due_week = sum(n for (status, due), n in counts.items()
                   if status in ACTIVE_TASK and today <= due <= week)
    awaiting = sum(n for (status, _), n in counts.items() if status == "reported_done")
    year = min(max(today.year, workplan.YEARS[0]), workplan.YEARS[-1])
    return Overview(today, active, overdue, due_week, awaiting, units, by_area(today), ages,
                    visits_this_month(today), year, workplan.progress(year, today))
