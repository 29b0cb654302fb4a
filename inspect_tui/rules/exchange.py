"""Queries for exchanging the record as workbooks: every finding with its
tasks, streamed in pages so a national-scale export keeps memory flat, and
the open tasks of each unit for the per-unit progress workbooks.

The rows of the status workbook are as of its report date (`today`): each
task stands under the unit responsible for it on that day (rules/asof.py),
so a report dated before the 2025 reorganisation shows district tasks under
their district, not under the unit that took them over later."""
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from peewee import JOIN

from inspect_tui.rules import ageing, asof
from inspect_tui.rules.tasks import latest_notes
from inspect_tui.rules.vocab import ACTIVE_TASK
from inspect_tui.store.models import ChangeLog, Finding, Plan, Task, Unit, Visit

Responsible = Unit.alias("responsible")
Visited = Unit.alias("visited")


@dataclass(frozen=True)
class FindingTaskRow:
    """One row of the findings-and-tasks sheet: a task, or a finding without tasks."""
    finding_id: int
    first_of_finding: bool
    year: int
    visited_code: str
    visited_name: str
    area: str
    finding: str
    recommendation: str
    task_id: int | None
    description: str
    unit_code: str
    unit_name: str
    due_on: dt.date | None
    status: str
    completed_on: dt.date | None
    evidence_ref: str
    version: int
    days_overdue: int
    latest_note: str


def _scope(query, year: int | None, unit: str | None):
    if year:
        query = query.where(Plan.year == year)
    if unit:
        # the unit's tasks now, and those it held once (a report dated before a
        # reorganisation shows them under it); finding_task_rows keeps the right ones
        held = Unit.select(Unit.id).where(Unit.code == unit)
        once = (ChangeLog.select(ChangeLog.record_id)
                .where((ChangeLog.entity == "task") & (ChangeLog.field == "responsible_unit")
                       & (ChangeLog.action == "update")
                       & ChangeLog.old.in_([str(u.id) for u in held])))
        query = query.where((Responsible.code == unit) | (Visited.code == unit) | Task.id.in_(once))
    return query


def _rows_query(year, unit):
    query = (Finding.select(Finding.id, Plan.year, Visited.code, Visited.name, Finding.area,
                            Finding.description, Finding.recommendation, Task.id, Task.description,
                            Responsible.code, Responsible.name, Task.due_on, Task.status,
                            Task.completed_on, Task.evidence_ref, Task.version, Responsible.id)
             .join(Visit, on=(Finding.visit == Visit.id))
             .join(Plan, on=(Visit.plan == Plan.id))
             .switch(Visit).join(Visited, on=(Visit.unit == Visited.id))
             .switch(Finding).join(Task, JOIN.LEFT_OUTER, on=(Task.finding == Finding.id))
             .join(Responsible, JOIN.LEFT_OUTER, on=(Task.responsible_unit == Responsible.id)))
    return _scope(query, year, unit)


def count_rows(year: int | None = None, unit: str | None = None, today: dt.date | None = None) -> int:
    """The rows finding_task_rows yields (for one unit as of `today`, counted by
    reading them: a unit's rows are few)."""
    if unit and today is not None:
        return sum(1 for _ in finding_task_rows(today, year, unit))
    return _rows_query(year, unit).count()


def finding_task_rows(today: dt.date, year: int | None = None, unit: str | None = None,
                      page: int = 2000) -> Iterator[FindingTaskRow]:
    """Findings in visit order, each followed by its tasks; a finding's rows are
    contiguous, and `first_of_finding` marks the first (for counting findings)."""
    query = _rows_query(year, unit).order_by(Plan.year, Visit.held_on, Visit.id, Finding.position,
                                             Finding.id, Task.id).tuples()
    previous = None
    batch = []

    def flush(batch):
        notes = latest_notes([r[7] for r in batch if r[7] is not None])
        held = asof.responsible_units_on({r[7]: r[16] for r in batch if r[7] is not None}, today)
        names = asof.unit_names(held.values())
        for r in batch:
            code, name = r[9], r[10]
            if r[7] in held:
                code, name = names[held[r[7]]]
            yield r, code, name, notes.get(r[7], "")

    def emit(batch):
        nonlocal previous
        for r, ucode, uname, note in flush(batch):
            (finding_id, year_, vcode, vname, area, finding, rec, task_id, desc, _code, _name,
             due, status, done, evidence, version, _unit_id) = r
            if unit and task_id is not None and ucode != unit and vcode != unit:
                continue  # another unit's task on the report date
            first = finding_id != previous
            previous = finding_id
            yield FindingTaskRow(
                finding_id, first, year_, vcode, vname, area, finding, rec, task_id, desc or "",
                ucode or "", uname or "", _date(due), status or "", _date(done), evidence or "",
                version or 0, ageing.days_overdue(status, _date(due), today) if task_id else 0, note)

    for r in query.iterator():
        batch.append(r)
        if len(batch) >= page:
            yield from emit(batch)
            batch = []
    yield from emit(batch)


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class UnitTaskRow:
    """An open task as sent to the unit responsible for it."""
    task_id: int
    version: int
    visited_name: str
    notice_number: str
    notice_date: dt.date | None
    area: str
    finding: str
    description: str
    due_on: dt.date
    status: str
    completed_on: dt.date | None
    evidence_ref: str
    latest_note: str


def units_with_open_tasks(year: int | None = None) -> list[tuple[str, str]]:
    """(code, name) of every unit responsible for an open or in-progress task."""
    query = (Task.select(Responsible.code, Responsible.name).distinct()
             .join(Responsible, on=(Task.responsible_unit == Responsible.id))
             .switch(Task).join(Finding).join(Visit).join(Plan)
             .where(Task.status.in_(ACTIVE_TASK)).order_by(Responsible.code))
    if year:
        query = query.where(Plan.year == year)
    return list(query.tuples())


def open_tasks_of(unit_code: str, year: int | None = None) -> list[UnitTaskRow]:
    query = (Task.select(Task.id, Task.version, Visited.name, Visit.notice_number, Visit.notice_date,
                         Finding.area, Finding.description, Task.description, Task.due_on,
                         Task.status, Task.completed_on, Task.evidence_ref)
             .join(Responsible, on=(Task.responsible_unit == Responsible.id))
             .switch(Task).join(Finding).join(Visit).join(Plan)
             .switch(Visit).join(Visited, on=(Visit.unit == Visited.id))
             .where(Task.status.in_(ACTIVE_TASK) & (Responsible.code == unit_code))
             .order_by(Task.due_on, Task.id))
    if year:
        query = query.where(Plan.year == year)
    rows = list(query.tuples())
    notes = latest_notes([r[0] for r in rows])
    return [UnitTaskRow(r[0], r[1], r[2], r[3] or "", _date(r[4]), r[5], r[6], r[7], _date(r[8]),
                        r[9], _date(r[10]), r[11] or "", notes.get(r[0], "")) for r in rows]


def roster_tree() -> tuple[dict[int, str], dict[str, str | None]]:
    """(unit id -> code, code -> its parent's code) of every unit ever: what a
    roster file is compared with before any row is applied."""
    everyone = list(Unit.select(Unit.id, Unit.code, Unit.parent).tuples())
    code_of = {unit_id: code for unit_id, code, _parent in everyone}
    return code_of, {code: code_of.get(parent) for _id, code, parent in everyone}


def units_by_code(codes, chunk: int = 500) -> dict[str, Unit]:
    """The units with these codes, read in chunks (a roster lists thousands)."""
    codes = list(codes)
    found = {}
    for i in range(0, len(codes), chunk):
        found.update({u.code: u for u in Unit.select().where(Unit.code.in_(codes[i:i + chunk]))})
    return found
