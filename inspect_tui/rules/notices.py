"""The conclusion notice's deadline: 15 working days after the visit.

A held visit whose notice has no date yet is late once the deadline has
passed, and due this week when the deadline falls within the next 7 days
(the same window as the tasks' "due this week"). The overview and the visit
list show both; `state` also tells a notice issued late from one on time.
"""
import datetime as dt
from dataclasses import dataclass

from inspect_tui.rules import workdays
from inspect_tui.store.models import Plan, Unit, Visit

WEEK = dt.timedelta(days=7)


def due_on(held_on: dt.date) -> dt.date:
    return workdays.notice_due_on(held_on)


def state(held_on: dt.date | None, notice_date: dt.date | None, today: dt.date) -> str | None:
    """late, due_week, pending (not yet issued, not due this week), issued,
    issued_late; None for a visit not held."""
    if held_on is None:
        return None
    due = due_on(held_on)
    if notice_date is not None:
        return "issued_late" if notice_date > due else "issued"
    if today > due:
        return "late"
    return "due_week" if due <= today + WEEK else "pending"


@dataclass(frozen=True)
class NoticeDue:
    visit_id: int
    plan_id: int
    year: int
    plan_number: str
    unit_code: str
    unit_name: str
    held_on: dt.date
    due_on: dt.date
    state: str  # late or due_week
    days_late: int  # calendar days past the deadline (0 when not late)
    working_days_left: int  # working days from today to the deadline (0 when late)


def notices_due(today: dt.date, year: int | None = None) -> list[NoticeDue]:
    """Held visits whose conclusion notice is late or due within the week, the
    earliest deadline first. Only visits without a notice date are looked at."""
    query = (Visit.select(Visit.id, Visit.plan, Plan.year, Plan.number, Unit.code, Unit.name,
                          Visit.held_on)
             .join(Plan).switch(Visit).join(Unit)
             .where((Visit.status == "held") & Visit.held_on.is_null(False)
                    & Visit.notice_date.is_null(True)
                    & (Visit.held_on <= today)))
    if year:
        query = query.where(Plan.year == year)
    found = []
    for visit_id, plan_id, year_, number, code, name, held_on in query.tuples():
        held_on = held_on if isinstance(held_on, dt.date) else dt.date.fromisoformat(str(held_on)[:10])
        kind = state(held_on, None, today)
        if kind not in ("late", "due_week"):
            continue
        due = due_on(held_on)
        found.append(NoticeDue(visit_id, plan_id, year_, number, code, name, held_on, due, kind,
                               max(0, (today - due).days),
                               workdays.working_days_between(today, due) if due >= today else 0))
    return sorted(found, key=lambda n: (n.due_on, n.unit_name))
