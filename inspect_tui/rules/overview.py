"""What the coordinator's first screen counts: active and overdue tasks by
unit and by area, ageing buckets, deadlines of the coming week, this month's
planned visits and the work plan's progress for the year. All counted in SQL."""
import datetime as dt
from dataclasses import dataclass

from peewee import Case, fn

from inspect_tui.rules import ageing, workplan
from inspect_tui.rules.tasks import Responsible, joined
from inspect_tui.rules.vocab import ACTIVE_TASK, AGEING_BUCKETS, AREAS
from inspect_tui.store.models import Plan, Task, Unit, Visit


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


def _overdue_sum(today):
    return fn.SUM(Case(None, ((ageing.overdue_condition(today), 1),), 0))


def by_unit(today: dt.date, top: int = 10) -> list[UnitCount]:
    """Units with active tasks, the most overdue first."""
    overdue = _overdue_sum(today)
    query = (joined([Responsible.code, Responsible.name, fn.COUNT(Task.id), overdue])
             .where(Task.status.in_(ACTIVE_TASK))
             .group_by(Responsible.code, Responsible.name)
             .order_by(overdue.desc(), fn.COUNT(Task.id).desc(), Responsible.name)
             .limit(top))
    return [UnitCount(code, name, int(n), int(late or 0)) for code, name, n, late in query.tuples()]


def by_area(today: dt.date) -> list[AreaCount]:
    from inspect_tui.store.models import Finding
    overdue = _overdue_sum(today)
    counts = {a: (0, 0) for a in AREAS}
    query = (joined([Finding.area, fn.COUNT(Task.id), overdue])
             .where(Task.status.in_(ACTIVE_TASK)).group_by(Finding.area))
    for area, n, late in query.tuples():
        counts[area] = (int(n), int(late or 0))
    return [AreaCount(a, *counts[a]) for a in AREAS]


def buckets(today: dt.date) -> dict[str, int]:
    counts = {b: 0 for b in AGEING_BUCKETS}
    expr = ageing.bucket_expression(today)
    query = joined([expr, fn.COUNT(Task.id)]).where(Task.status.in_(ACTIVE_TASK)).group_by(expr)
    for name, n in query.tuples():
        counts[name] = int(n)
    return counts


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
    ages = buckets(today)
    active = sum(ages.values())
    overdue = sum(n for b, n in ages.items() if b.startswith("overdue"))
    due_week = (Task.select().where(Task.status.in_(ACTIVE_TASK) & (Task.due_on >= today)
                                    & (Task.due_on <= today + dt.timedelta(days=7))).count())
    awaiting = Task.select().where(Task.status == "reported_done").count()
    year = min(max(today.year, workplan.YEARS[0]), workplan.YEARS[-1])
    return Overview(today, active, overdue, due_week, awaiting, units, by_area(today), ages,
                    visits_this_month(today), year, workplan.progress(year, today))
