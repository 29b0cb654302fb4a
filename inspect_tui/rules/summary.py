"""Counts for a year (or all years): visits by unit kind, findings by area,
tasks by status and by ageing bucket, and the units with most overdue tasks."""
import datetime as dt
from dataclasses import dataclass

from peewee import Case, fn

from inspect_tui.rules import ageing, overview
from inspect_tui.rules.tasks import Responsible, TaskFilter, narrow
from inspect_tui.rules.vocab import (ACTIVE_TASK, AGEING_BUCKETS, AREAS, TASK_STATUSES, UNIT_KINDS,
                                    VISIT_STATUSES)
from inspect_tui.store.models import Finding, Plan, Task, Unit, Visit


@dataclass(frozen=True)
class UnitOverdue:
    code: str
    name: str
    overdue: int
    open: int
    max_days: int


@dataclass(frozen=True)
class Summary:
    year: int | None
    today: dt.date
    visits_by_kind: dict[str, int]  # held visits, by the kind of the visited unit
    visits_by_status: dict[str, int]
    findings_by_area: dict[str, int]
    tasks_by_status: dict[str, int]
    tasks_by_bucket: dict[str, int]  # active tasks only
    worst_units: list[UnitOverdue]

    @property
    def visits_held(self) -> int:
        return sum(self.visits_by_kind.values())

    @property
    def findings(self) -> int:
        return sum(self.findings_by_area.values())

    @property
    def tasks(self) -> int:
        return sum(self.tasks_by_status.values())

    @property
    def overdue(self) -> int:
        return sum(n for b, n in self.tasks_by_bucket.items() if b.startswith("overdue"))


def _zero(keys):
    return {k: 0 for k in keys}


def summarise(today: dt.date, year: int | None = None, top: int = 10) -> Summary:
    """Each count reads only the tables its filter names: all years count on
    `visit`, `finding` and `task` alone (the task counts walk the indexes on
    status), a year joins up to the plan (tasks.narrow, as the task list);
    all years read the tasks' counts from the trigger-kept tallies.
    The five-table join every count made before cost 6.3 s at a million tasks."""
    by_kind = _zero(UNIT_KINDS)
    by_status = _zero(VISIT_STATUSES)
    query = (Visit.select(Unit.kind, Visit.status, fn.COUNT(Visit.id)).join(Unit)
             .group_by(Unit.kind, Visit.status))
    if year:
        query = query.switch(Visit).join(Plan).where(Plan.year == year)
    for kind, status, n in query.tuples():
        by_status[status] = by_status.get(status, 0) + n
        if status == "held":
            by_kind[kind] = by_kind.get(kind, 0) + n

    by_area = _zero(AREAS)
    query = Finding.select(Finding.area, fn.COUNT(Finding.id)).group_by(Finding.area)
    if year:
        query = query.join(Visit).join(Plan).where(Plan.year == year)
    for area, n in query.tuples():
        by_area[area] = n

    tasks_by_status = _zero(TASK_STATUSES)
    buckets = _zero(AGEING_BUCKETS)
    if not year:  # all years: the counts the triggers keep (rules/overview.py)
        counts = overview.tallies(today)
        for (status, _), n in counts.totals.items():
            tasks_by_status[status] = tasks_by_status.get(status, 0) + n
        buckets.update(counts.buckets())
    else:
        for status, n in narrow([Task.status, fn.COUNT(Task.id)], TaskFilter(year=year), today
                                ).group_by(Task.status).tuples():
            tasks_by_status[status] = n
        expr = ageing.bucket_expression(today)
        for name, n in narrow([expr, fn.COUNT(Task.id)], TaskFilter(quick="active", year=year), today
                              ).group_by(expr).tuples():
            buckets[name] = n

    return Summary(year, today, by_kind, by_status, by_area, tasks_by_status, buckets,
                   worst_units(today, year, top))


def worst_units(today: dt.date, year: int | None = None, top: int = 10,
                area: str | None = None) -> list[UnitOverdue]:
    """Units by number of overdue tasks, then by the oldest due date. The
    active tasks are counted by unit id on `task` (joined to the finding and
    plan only for `area` and `year`); the few units found are named after.
    Without `year` and `area` the counts come from the trigger-kept tallies."""
    if not year and not area:
        return _worst_units_all(today, top)
    overdue = fn.SUM(Case(None, ((ageing.overdue_condition(today), 1),), 0))
    oldest = fn.MIN(Task.due_on)
    counted = (narrow([Task.responsible_unit.alias("unit_id"), overdue.alias("n"),
                       fn.COUNT(Task.id).alias("open"), oldest.alias("oldest")],
                      TaskFilter(quick="active", year=year, area=area), today)
               .group_by(Task.responsible_unit)
               .having(overdue > 0))
    query = (Responsible.select(Responsible.code, Responsible.name, counted.c.n, counted.c.open,
                                counted.c.oldest)
             .join(counted, on=(Responsible.id == counted.c.unit_id))
             .order_by(counted.c.n.desc(), counted.c.oldest, Responsible.name)
             .limit(top))
    return [UnitOverdue(code, name, int(n), int(open_), (today - _as_date(oldest)).days)
            for code, name, n, open_, oldest in query.tuples()]


def _worst_units_all(today: dt.date, top: int) -> list[UnitOverdue]:
    """The same ranking over all tasks: (active, overdue) by unit from the
    tallies; the oldest due date is read (index on status, unit, due date)
    only for the units that can reach the top."""
    counts = {u: c for u, c in overview.overdue_by_unit(today).items() if c[1] > 0}
    ranked = sorted(counts, key=lambda u: -counts[u][1])
    if len(ranked) > top > 0:
        ranked = [u for u in ranked if counts[u][1] >= counts[ranked[top - 1]][1]]
    if not ranked:
        return []
    oldest = {u: _as_date(day) for u, day in
              Task.select(Task.responsible_unit, fn.MIN(Task.due_on))
              .where(Task.status.in_(ACTIVE_TASK) & Task.responsible_unit.in_(ranked))
              .group_by(Task.responsible_unit).tuples()}
    names = overview.unit_names(ranked)
    found = sorted(ranked, key=lambda u: (-counts[u][1], oldest[u], names[u][1]))[:top]
    return [UnitOverdue(*names[u], counts[u][1], counts[u][0], (today - oldest[u]).days) for u in found]


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
