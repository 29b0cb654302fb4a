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


def bucket(status: str, due_on: dt.date, today: dt.date) -> str | None:
    """The ageing bucket of an active task; None for reported, verified, cancelled."""
    if status not in ACTIVE_TASK:
        return None
    late = (today - due_on).days
    if late <= 0:
        return "due_7" if -late <= 7 else "not_due"
    if late <= 30:
        return "overdue_1_30"
    if late <= 90:
        return "overdue_31_90"
    return "overdue_90_plus"


def overdue_condition(today: dt.date):
    return Task.status.in_(ACTIVE_TASK) & (Task.due_on < today)


def bucket_condition(name: str, today: dt.date):
    """The tasks in one bucket, as a SQL condition (the list behind a bar)."""
    day = dt.timedelta(days=1)
    bounds = {
        "not_due": Task.due_on > today + 7 * day,
        "due_7": (Task.due_on >= today) & (Task.due_on <= today + 7 * day),
        "overdue_1_30": (Task.due_on < today) & (Task.due_on >= today - 30 * day),
        "overdue_31_90": (Task.due_on < today - 30 * day) & (Task.due_on >= today - 90 * day),
        "overdue_90_plus": Task.due_on < today - 90 * day,
    }
    return Task.status.in_(ACTIVE_TASK) & bounds[name]


def bucket_expression(today: dt.date):
    """The same buckets as `bucket`, as a portable SQL CASE on due_on."""
    day = dt.timedelta(days=1)
    return Case(None, (
        (Task.due_on < today - 90 * day, "overdue_90_plus"),
        (Task.due_on < today - 30 * day, "overdue_31_90"),
        (Task.due_on < today, "overdue_1_30"),
        (Task.due_on <= today + 7 * day, "due_7"),
    ), "not_due")
