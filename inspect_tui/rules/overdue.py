"""The overdue tasks as a stream, most days overdue first: what the
`overdue` command prints, for a record of a million tasks.

The task list's own filter (tasks.TaskFilter, quick "overdue") picks the
tasks; they are read the way the list's pages are (rules/task_pages.py):
one keyset walk of the (status, due_on, id) index per active status, merged
by (due_on, id), which for overdue tasks, all active, is the list's
"overdue" order. Each walk reads whole rows, a page at a time, straight
from the driver's cursor (peewee's per-row conversions cost more than the
query). So the first rows come at once on either backend, memory stays
flat (psycopg2 would fetch a whole result before the first row) and no
transaction stays open while a slow terminal reads.
"""
import datetime as dt
import heapq
from collections.abc import Iterator
from functools import lru_cache
from operator import itemgetter

from peewee import Tuple

from inspect_tui.rules import ageing
from inspect_tui.rules.tasks import Responsible, TaskFilter, Visited, conditions, joined, statuses_of
from inspect_tui.store.models import Finding, Plan, Task, database

PAGE = 500  # rows a walk reads first: the first lines come at once
PAGE_MAX = 4000  # each further page is four times the last, up to this: few queries, bounded memory

KEYS = ("id", "unit_code", "unit_name", "area", "finding", "description", "due_on", "status",
        "assignee", "visited_code", "year")
_COLUMNS = (Task.id, Responsible.code, Responsible.name, Finding.area, Finding.description,
            Task.description, Task.due_on, Task.status, Task.assignee, Visited.code, Plan.year)
_DUE, _ID = KEYS.index("due_on"), KEYS.index("id")


def rows(today: dt.date, unit: str = "", area: str | None = None, page: int = PAGE,
         page_max: int = PAGE_MAX) -> Iterator[dict]:
    """Each overdue task as of `today` as a dict of KEYS and days_overdue;
    `unit` and `area` as the task list's filter takes them."""
    flt = TaskFilter(quick="overdue", unit=unit, area=area, sort="overdue")
    where, _ = conditions(flt, today)
    walks = [_walk(where, status, page, page_max) for status in statuses_of(flt)]
    late = lru_cache(maxsize=8192)(lambda status, due: ageing.days_overdue(status, due, today))
    for values in heapq.merge(*walks, key=itemgetter(_DUE, _ID)):
        row = dict(zip(KEYS, values))
        row["due_on"] = due = _date(row["due_on"])
        row["days_overdue"] = late(row["status"], due)  # a few hundred dates among a million rows
        yield row


def _walk(where: list, status: str, page: int, page_max: int) -> Iterator[tuple]:
    """The rows of the tasks in one status, by (due_on, id), a page at a time
    (the due date as the driver gives it: ISO text on SQLite, which sorts
    as the date does, or a date)."""
    start = None
    while True:
        query = joined(_COLUMNS).where(*where, Task.status == status)
        if start is not None:
            query = query.where(Tuple(Task.due_on, Task.id) > Tuple(*start))
        found = database.execute(query.order_by(Task.due_on, Task.id).limit(page)).fetchall()
        yield from found
        if len(found) < page:
            return
        start = (found[-1][_DUE], found[-1][_ID])
        page = min(page * 4, max(page_max, page))


@lru_cache(maxsize=4096)
def _date(value) -> dt.date:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
