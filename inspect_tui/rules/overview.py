"""What the coordinator's first screen counts: active and overdue tasks by
unit and by area, ageing buckets, deadlines of the coming week, this month's
planned visits and the work plan's progress for the year.

The task figures are read from the counts the database's triggers keep
current with every write (migration 0007): totals by status and area; the
active tasks day by day from 90 days ago on, summed into the buckets (the
oldest bucket is what the others leave); totals by unit. Only a unit's
active tasks not yet due are counted on the task table, where they are few;
the rest are overdue. A million tasks then cost a few thousand rows read."""
import datetime as dt
from dataclasses import dataclass

from peewee import Case, fn

from inspect_tui.rules import ageing, workplan
from inspect_tui.rules.vocab import ACTIVE_TASK, AGEING_BUCKETS, AREAS
from inspect_tui.store.models import Plan, Task, TaskCountByArea, TaskCountByDay, TaskCountByUnit, Unit, Visit


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


def _active_by_unit() -> dict[int, int]:
    """Active tasks of each unit that has any (the trigger-kept counts)."""
    total = fn.SUM(TaskCountByUnit.n)
    query = (TaskCountByUnit.select(TaskCountByUnit.responsible_unit_id, total)
             .where(TaskCountByUnit.status.in_(ACTIVE_TASK))
             .group_by(TaskCountByUnit.responsible_unit_id).having(total > 0))
    return {unit: int(n) for unit, n in query.tuples()}


def _not_yet_due_by_unit(today: dt.date) -> dict[int, int]:
    """Active tasks due today or later, by unit: counted on the task table,
    where they are few (the due dates ahead); the rest of a unit's active
    tasks are overdue. One status at a time, so that each count is one walk
    of the index on (status, responsible unit, due date) in unit order."""
    found: dict[int, int] = {}
    for status in ACTIVE_TASK:
        query = (Task.select(Task.responsible_unit, fn.COUNT(Task.id))
                 .where((Task.status == status) & (Task.due_on >= today))
                 .group_by(Task.responsible_unit))
        for unit, n in query.tuples():
            found[unit] = found.get(unit, 0) + int(n)
    return found


def overdue_by_unit(today: dt.date) -> dict[int, tuple[int, int]]:
    """(active, overdue) of each unit with active tasks."""
    ahead = _not_yet_due_by_unit(today)
    return {unit: (n, n - ahead.get(unit, 0)) for unit, n in _active_by_unit().items()}


def unit_names(ids) -> dict[int, tuple[str, str]]:
    ids = list(ids)
    if not ids:
        return {}
    return {i: (code, name) for i, code, name in
            Unit.select(Unit.id, Unit.code, Unit.name).where(Unit.id.in_(ids)).tuples()}


def by_unit(today: dt.date, top: int = 10) -> list[UnitCount]:
    """Units with active tasks, the most overdue first. Only the units that can
    reach the top (by overdue, then active) are named, then ordered by name."""
    counts = overdue_by_unit(today)
    ranked = sorted(counts.items(), key=lambda item: (-item[1][1], -item[1][0]))
    if len(ranked) > top > 0:
        last = ranked[top - 1][1]
        ranked = [item for item in ranked if (item[1][1], item[1][0]) >= (last[1], last[0])]
    names = unit_names(unit for unit, _ in ranked)
    found = [UnitCount(*names[unit], active, overdue) for unit, (active, overdue) in ranked]
    found.sort(key=lambda u: (-u.overdue, -u.active, u.name))
    return found[:top]


@dataclass(frozen=True)
class Tallies:
    """The trigger-kept counts the overview and the summary need for one
    `today`: every status and area in total, and the active tasks of each
    area in each ageing bucket but the oldest (which is the rest)."""
    totals: dict[tuple[str, str], int]  # (status, area) -> tasks
    recent: dict[str, dict[str, int]]  # area -> bucket -> active tasks, the oldest bucket apart

    def status_total(self, status: str) -> int:
        return sum(n for (s, _), n in self.totals.items() if s == status)

    def active(self, area: str | None = None) -> int:
        return sum(n for (s, a), n in self.totals.items()
                   if s in ACTIVE_TASK and (area is None or a == area))

    def buckets(self, area: str | None = None) -> dict[str, int]:
        found = {b: 0 for b in AGEING_BUCKETS}
        for a, counts in self.recent.items():
            if area is None or a == area:
                for name, n in counts.items():
                    found[name] += n
        found[OLDEST] = self.active(area) - sum(found.values())
        return found

    def overdue(self, area: str | None = None) -> int:
        return sum(n for b, n in self.buckets(area).items() if b.startswith("overdue"))


OLDEST = "overdue_90_plus"  # open-ended into the past: counted as what the others leave


def _in_bucket(name: str, today: dt.date):
    earliest, latest = ageing.due_range(name, today)
    condition = TaskCountByDay.due_on >= earliest
    return condition if latest is None else condition & (TaskCountByDay.due_on <= latest)


def tallies(today: dt.date) -> Tallies:
    totals = {(s, a): int(n) for s, a, n in
              TaskCountByArea.select(TaskCountByArea.status, TaskCountByArea.area, TaskCountByArea.n)
              .where(TaskCountByArea.n != 0).tuples()}
    areas = sorted({a for _, a in totals})
    recent: dict[str, dict[str, int]] = {}
    named = [b for b in AGEING_BUCKETS if b != OLDEST]
    if areas:  # status and area named: each (status, area) is one walk of the key from `since`
        since = min(ageing.due_range(b, today)[0] for b in named)
        sums = [fn.SUM(Case(None, ((_in_bucket(b, today), TaskCountByDay.n),), 0)) for b in named]
        query = (TaskCountByDay.select(TaskCountByDay.area, *sums)
                 .where(TaskCountByDay.status.in_(ACTIVE_TASK) & TaskCountByDay.area.in_(areas)
                        & (TaskCountByDay.due_on >= since))
                 .group_by(TaskCountByDay.area))
        recent = {area: {b: int(n or 0) for b, n in zip(named, row)} for area, *row in query.tuples()}
    return Tallies(totals, recent)


def by_area(today: dt.date, counts: Tallies | None = None) -> list[AreaCount]:
    counts = tallies(today) if counts is None else counts
    return [AreaCount(a, counts.active(a), counts.overdue(a)) for a in AREAS]


def buckets(today: dt.date, counts: Tallies | None = None) -> dict[str, int]:
    return (tallies(today) if counts is None else counts).buckets()


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
    counts = tallies(today)
    ages = counts.buckets()
    active = sum(ages.values())
    overdue = sum(n for b, n in ages.items() if b.startswith("overdue"))
    due_week = ages["due_7"]  # due from today to a week ahead
    awaiting = counts.status_total("reported_done")
    year = min(max(today.year, workplan.YEARS[0]), workplan.YEARS[-1])
    return Overview(today, active, overdue, due_week, awaiting, by_unit(today, top), by_area(today, counts),
                    ages, visits_this_month(today), year, workplan.progress(year, today))
