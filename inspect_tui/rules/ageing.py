"""Overdue, days overdue and ageing buckets, always for a given `today`.

A task is overdue when the unit still has to act on it (open or in
progress) and its due date has passed. Buckets: not yet due; due within 7
days; overdue 1-30, 31-90, over 90 days.
"""
import datetime as dt

from peewee import Case

from inspect_tui.rules.vocab import ACTIVE_TASK
from inspect_tui.store.models import Task


def days_overdue(status: str, due_on: dt.date, today: dt.date) -> int:
    if status not in ACTIVE_TASK or due_on >= today:
        return 0
    return (today - due_on).days


def is_overdue(status: str, due_on: dt.date, today: dt.date) -> bool:
    return days_overdue(status, due_on, today) > 0


def _ranges(today: dt.date) -> list[tuple[str, dt.date | None, dt.date | None]]:
    """Each bucket's due dates, earliest and latest (None: open-ended), in date order:
    the one definition the Python, the SQL CASE and the SQL filter all use."""
    day = dt.timedelta(days=1)
    return [("overdue_90_plus", None, today - 91 * day),
            ("overdue_31_90", today - 90 * day, today - 31 * day),
            ("overdue_1_30", today - 30 * day, today - day),
            ("due_7", today, today + 7 * day),
            ("not_due", today + 8 * day, None)]


def bucket(status: str, due_on: dt.date, today: dt.date) -> str | None:
    """The ageing bucket of an active task; None for reported, verified, cancelled."""
    if status not in ACTIVE_TASK:
        return None
    return next(name for name, _, latest in _ranges(today) if latest is None or due_on <= latest)


def overdue_condition(today: dt.date):
    return Task.status.in_(ACTIVE_TASK) & (Task.due_on < today)


def due_range(name: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The earliest and latest due date of one bucket (None: open-ended)."""
    _, earliest, latest = next(r for r in _ranges(today) if r[0] == name)
    return earliest, latest


def due_condition(name: str, today: dt.date):
    """The due dates of one bucket, as a SQL condition (the status apart, so a
    list can read one status at a time)."""
    earliest, latest = due_range(name, today)
    condition = Task.due_on.is_null(False)
    if earliest is not None:
        condition &= Task.due_on >= earliest
    if latest is not None:
        condition &= Task.due_on <= latest
    return condition


def bucket_condition(name: str, today: dt.date):
    """The tasks in one bucket, as a SQL condition (the list behind a bar)."""
    return Task.status.in_(ACTIVE_TASK) & due_condition(name, today)


def bucket_expression(today: dt.date):
    """The same buckets as `bucket`, as a portable SQL CASE on due_on."""
    ranges = _ranges(today)
    return Case(None, [(Task.due_on <= latest, name) for name, _, latest in ranges[:-1]],
                ranges[-1][0])
