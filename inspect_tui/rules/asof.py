"""The record as it stood on a report date.

A report dated D (the `--today` of an export) shows what was true and known
on D, whatever happened to the database afterwards. Two clocks answer that:

- the record's own dates, where it has them: a unit exists from
  `started_on` until `ended_on`, a reorganisation takes effect on its
  `Succession.on_date`, an indicator figure covers a period that ends on a
  known day;
- the change log, where it has not: every change is logged with the moment
  `at` it was made and the value it overwrote, so the value of a field on D
  is the old value of the first change made after D (or the current value
  when nothing changed after D). That is "as known then": a status recorded
  on 10/5/2025 was not known to a report dated 06/5/2025.

Choices, and why:

- The responsible unit of a task: a reorganisation moves the open tasks of
  the units it ends when someone records it (often weeks before or after it
  takes effect), so for those moves the effective day is the succession's
  `on_date`, not the log's `at`: a report dated 06/5/2025 shows the district
  tasks under the district (districts existed until 01/7/2025), and one dated
  01/8/2025 under the city even if the reorganisation was recorded later. A
  task given to another unit by hand changed on the day it was logged.
- Milestones (and a work item's status and lead unit) have no dates of their
  own beyond the due date, so their status is the one known on D, from the
  change log. We do not simply blank milestones due after D: progress on this
  year's milestone (due 31/12) is exactly what a November report must show,
  and a past milestone's status set after D was still unknown on D.
- Indicator figures: only those whose period had ended by D (a "2025" value
  is not shown in a report dated 06/5/2025; "2025-Q1" is). An observation
  carries no date of its own report, so a year-to-date figure published
  before the year ended is held back until the period ends.

Records are not hidden because they were entered after D: a history typed in
later (the demo, a filled template) would otherwise vanish from every
report about the past.
"""
import datetime as dt

from inspect_tui.rules import audit
from inspect_tui.store.models import ChangeLog, Succession, Unit


def _after(day: dt.date) -> dt.datetime:
    """The first moment after the report day (the log's `at` is local time)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def values_on(model, record_ids, fields: tuple[str, ...], day: dt.date) -> dict[tuple[int, str], object]:
    """{(record id, field): value on `day`} for the fields of those records that
    were changed after `day`; a field missing from the result has its current
    value. The value on `day` is the old value of the first change made after it."""
    ids = list(record_ids)
    found: dict[tuple[int, str], object] = {}
    if not ids:
        return found
    entity = model._meta.table_name
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        query = (ChangeLog.select(ChangeLog.record_id, ChangeLog.field, ChangeLog.old)
                 .where((ChangeLog.entity == entity) & (ChangeLog.action == "update")
                        & ChangeLog.record_id.in_(chunk) & ChangeLog.field.in_(list(fields))
                        & (ChangeLog.at >= _after(day)))
                 .order_by(ChangeLog.id).tuples())
        for record_id, field, old in query:
            found.setdefault((record_id, field), audit.decode(model._meta.fields[field], old))
    return found


def _successions() -> dict[tuple[int, int], dt.date]:
    return {(p, s): on for p, s, on in Succession.select(
        Succession.predecessor, Succession.successor, Succession.on_date).tuples()}


def responsible_units_on(current: dict[int, int], day: dt.date) -> dict[int, int]:
    """{task id: unit id responsible on `day`} for the tasks in `current`
    ({task id: unit id now}) whose unit was different on `day`.

    The task's changes of unit are undone newest first while they took effect
    after `day`: a move made by a reorganisation takes effect on the
    succession's date, any other change on the day it was logged."""
    if not current:
        return {}
    changes: dict[int, list] = {}
    ids = list(current)
    for start in range(0, len(ids), 500):
        query = (ChangeLog.select(ChangeLog.record_id, ChangeLog.at, ChangeLog.old, ChangeLog.new)
                 .where((ChangeLog.entity == "task") & (ChangeLog.action == "update")
                        & (ChangeLog.field == "responsible_unit")
                        & ChangeLog.record_id.in_(ids[start:start + 500]))
                 .order_by(ChangeLog.id).tuples())
        for task_id, at, old, new in query:
            changes.setdefault(task_id, []).append((at, old, new))
    if not changes:
        return {}
    successions = _successions()
    result = {}
    for task_id, logged in changes.items():
        unit = current[task_id]
        for at, old, new in reversed(logged):
            old_id, new_id = _int(old), _int(new)
            if new_id != unit or old_id is None:
                break  # the log does not lead to the unit held now: trust what is stored
            effective = successions.get((old_id, new_id))
            if effective is None:
                effective = _date(at)
            if effective <= day:
                break
            unit = old_id
        if unit != current[task_id]:
            result[task_id] = unit
    return result


def unit_names(unit_ids) -> dict[int, tuple[str, str]]:
    """{unit id: (code, name)}."""
    ids = list(set(unit_ids))
    return {i: (c, n) for i, c, n in Unit.select(Unit.id, Unit.code, Unit.name)
            .where(Unit.id.in_(ids)).tuples()} if ids else {}


def _int(raw) -> int | None:
    if raw is None:
        return None
    try:
        return int(str(raw).strip('"'))
    except ValueError:
        return None


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
