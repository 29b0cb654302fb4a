"""The task list a page at a time, at any size (1,000,000 tasks and more).

A page is read by keyset, never by OFFSET, and never by sorting every match:
each sort order is the merge of a few index walks that are already in order.

- "due": each status the filter lets through is one walk of the index on
  (status, due_on, id); the walks are merged by (due_on, id).
- "overdue" (most days late first): the same, the active statuses (open, in
  progress) first, then the others; earliest due date first in each.
- "unit": units by name, then in each unit its tasks by (due_on, id), one
  walk of the index on (responsible_unit, due_on, id) per unit.

Only the ids and sort keys are read by the walks, joined to what the filter
names and nothing else; the page's rows are then read whole, by id. How many
tasks match is another question (`tasks.count` with a cap), asked after the
rows are shown.
"""
import datetime as dt
from dataclasses import dataclass

from peewee import Tuple

from inspect_tui.rules.errors import DomainError
from inspect_tui.rules import ageing
from inspect_tui.rules.tasks import (
    SORTS,
    Responsible,
    TaskFilter,
    TaskRow,
    Visited,
    joined,
    narrow,
    narrow_units,
    scans,
    statuses_of,
)
from inspect_tui.rules.vocab import ACTIVE_TASK
from inspect_tui.store.models import ChangeLog, Finding, Plan, Task, Unit, Visit, database


@dataclass(frozen=True)
class Page:
    rows: list[TaskRow]
    after: tuple | None  # where the next page starts; None: nothing follows


def page(flt: TaskFilter, today: dt.date, limit: int = 100, after: tuple | None = None) -> Page:
    """The `limit` tasks that follow `after` (None: the first page) in the filter's order."""
    if flt.sort not in SORTS:
        raise DomainError("bad_choice", field="sort", value=flt.sort, choices=", ".join(SORTS))
    statuses = statuses_of(flt)
    if flt.sort == "unit":
        keys = _by_unit(flt, today, statuses, limit + 1, after)
    elif flt.sort == "overdue":
        groups = (tuple(s for s in statuses if s in ACTIVE_TASK),
                  tuple(s for s in statuses if s not in ACTIVE_TASK))
        arms = []
        for rank, group in enumerate(groups):
            if after is None or after[0] <= rank:
                start = after[1:] if after is not None and after[0] == rank else None
                arms += [(rank, walk) for walk in _walks(flt, today, group, limit + 1, start)]
        keys = _read(arms, limit + 1)
    else:
        keys = [k[1:] for k in _read([(0, w) for w in _walks(flt, today, statuses, limit + 1, after)],
                                     limit + 1)]
    more = len(keys) > limit
    keys = keys[:limit]
    return Page(_rows([k[-1] for k in keys], today), keys[-1] if more else None)


def _walk(flt, today, statuses, limit, start, extra=()):
    """The first `limit` matching tasks after `start` (due_on, id), in that order."""
    query = narrow([Task.due_on, Task.id], flt, today, statuses)
    if extra:
        query = query.where(*extra)
    if start is not None:
        query = query.where(Tuple(Task.due_on, Task.id) > Tuple(*start))
    return query.order_by(Task.due_on, Task.id).limit(limit)


def _walks(flt, today, statuses, limit, start) -> list:
    """One walk per status, each served in order by its index; one walk for
    them all when the filter matches text (a scan either way)."""
    if not statuses:
        return []
    if scans(flt):
        return [_walk(flt, today, statuses, limit, start)]
    return [_walk(flt, today, (s,), limit, start) for s in statuses]


def _read(arms: list[tuple[int, object]], limit: int) -> list[tuple]:
    """(rank, due_on, id) of the first `limit` rows of all the walks, ordered by
    rank then (due_on, id): read in one round trip (UNION ALL of the walks,
    each with its own ORDER BY and LIMIT), as a round trip to a database
    server costs more than a walk."""
    if not arms:
        return []
    parts, params = [], []
    for i, (rank, walk) in enumerate(arms):
        sql, values = walk.sql()
        parts.append(f"SELECT {int(rank)} AS r, w{i}.due_on, w{i}.id FROM ({sql}) AS w{i}")
        params += values
    sql = " UNION ALL ".join(parts) + f" ORDER BY 1, 2, 3 LIMIT {int(limit)}"
    return [(rank, _day(due), i) for rank, due, i in database.execute_sql(sql, params).fetchall()]


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


UNITS_AT_ONCE = 25  # units whose walks are read in one round trip (the "unit" sort)


def _by_unit(flt, today, statuses, limit, after) -> list[tuple]:
    """Units by (name, id), then each unit's tasks by (due_on, id): the units a
    few at a time, each one walk of the index on (responsible_unit, due_on, id)."""
    if not statuses:
        return []
    units = Unit.select(Unit.name, Unit.id).order_by(Unit.name, Unit.id)
    if flt.unit.strip():  # walk only the units the filter can let through
        units = units.where(narrow_units(flt.unit))
    if after is not None:
        units = units.where(Tuple(Unit.name, Unit.id) >= Tuple(after[0], after[1]))
    units = list(units.tuples())
    keys, first, size = [], 0, 1
    while first < len(units):
        # One unit first (it usually fills the page), then more at a time.
        batch = units[first:first + size]
        first, size = first + size, min(size * 4, UNITS_AT_ONCE)
        arms = []
        for rank, (name, unit_id) in enumerate(batch):
            start = after[2:] if after is not None and (name, unit_id) == tuple(after[:2]) else None
            arms.append((rank, _walk(flt, today, statuses, limit - len(keys), start,
                                     (Task.responsible_unit == unit_id,))))
        keys += [(*batch[rank], due, i) for rank, due, i in _read(arms, limit - len(keys))]
        if len(keys) >= limit:
            break
    return keys


def _rows(ids: list[int], today: dt.date) -> list[TaskRow]:
    """The page's rows whole (names, finding, visit), in the order of `ids`:
    plain tuples, as building a hundred model objects costs more than the read."""
    if not ids:
        return []
    query = joined(ROW_COLUMNS).where(Task.id.in_(ids)).tuples()
    found = {r[0]: r for r in query}
    rows = []
    for i in ids:
        if i in found:
            r = found[i]
            status, due_on = r[2], r[3]
            rows.append(TaskRow(*r, ageing.days_overdue(status, due_on, today),
                                ageing.bucket(status, due_on, today)))
    return rows


ROW_COLUMNS = (Task.id, Task.description, Task.status, Task.due_on, Task.completed_on, Task.assignee,
               Task.evidence_ref, Task.status_reason, Task.version, Responsible.code,
               Responsible.name, Finding.area, Finding.id, Finding.description,
               Finding.recommendation, Visit.id, Visited.code, Visited.name, Plan.year)


def stamp() -> int:
    """The last change recorded: a list read at one stamp need not be read again
    while the stamp stays (every write goes through the change log)."""
    last = ChangeLog.select(ChangeLog.id).order_by(ChangeLog.id.desc()).limit(1).scalar()
    return last or 0
