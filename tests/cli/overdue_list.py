"""What `overdue` must print: the task list's overdue filter read whole by the
rules, in the list's "overdue" order."""
import datetime as dt

from inspect_tui.rules import tasks
from inspect_tui.store import db as store


def overdue_list(url: str, today: dt.date, **flt) -> list:
    store.connect(url)
    try:
        return tasks.list_tasks(tasks.TaskFilter(quick="overdue", sort="overdue", **flt), today, limit=None)
    finally:
        store.close()
