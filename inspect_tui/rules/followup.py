"""What earlier visits left open, and findings that come back.

When the team visits a unit again, it checks on the spot the remediation
tasks earlier visits left unfinished: the unit's own, and those passed to it
by a reorganisation (a merged department's tasks pass to its successor, see
`units.heir_on`). Each is recorded as verified or still open, with one key:
verified moves the task to "Đã xác nhận" (through "Đã báo cáo hoàn thành" if
the unit had not reported it), still open sends a reported task back to "Đang
thực hiện" with the reason, or notes that it is still open.

A new finding in the same reform area as an earlier finding of the same unit
(or of a unit it carries on) whose remediation is unfinished repeats it (tồn
tại lặp lại): `Finding.repeats` points at the earlier one. The unit page, the
summary workbook and the year's report count them per unit.
"""
import datetime as dt
from dataclasses import dataclass

from peewee import Case, fn

from inspect_tui.locale import formats, t
from inspect_tui.rules import ageing, audit, tasks
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.inspections import get_visit
from inspect_tui.rules.tasks import Visited, joined, latest_notes
from inspect_tui.rules.vocab import ACTIVE_TASK, CHECK_RESULTS, UNFINISHED_TASK
from inspect_tui.store.models import (Finding, ItemCheck, Plan, Succession, Task, Unit,
                                      Visit)

CHECKABLE_VISITS = ("planned", "held")  # checked during the visit, or recorded after it


def visit_day(visit: Visit) -> dt.date:
    """The day a visit stands for: held, else scheduled, else 1 January of its plan's year."""
    return visit.held_on or visit.scheduled_on or dt.date(visit.plan.year, 1, 1)


def unit_family(unit: Unit | int) -> set[int]:
    """The unit and every unit whose work it carries on: the predecessors that
    passed their open tasks to it (directly or through a chain of reorganisations)."""
    unit_id = unit if isinstance(unit, int) else unit.id
    family, todo = {unit_id}, [unit_id]
    while todo:
        links = (Succession.select(Succession.predecessor)
                 .where((Succession.successor.in_(todo)) & (Succession.takes_open_tasks == True))  # noqa: E712
                 .tuples())
        todo = [p for (p,) in links if p not in family]
        family.update(todo)
    return family


def _earlier(visit: Visit):
    """Findings of visits held before `visit` (never the visit itself)."""
    return (Finding.visit != visit.id) & Visit.held_on.is_null(False) & (Visit.held_on < visit_day(visit))


# --- what the last visits left open ----------------------------------------------------

@dataclass(frozen=True)
class OpenItem:
    task_id: int
    version: int  # the task's, for a check made on this copy
    description: str
    status: str
    due_on: dt.date
    days_overdue: int
    unit_code: str  # responsible now
    unit_name: str
    area: str
    finding_id: int
    finding: str
    repeated: bool  # the finding itself repeated an earlier one
    visit_id: int  # the earlier visit that found it
    visited_code: str  # the unit as it was visited (a predecessor, when passed on)
    visited_name: str
    held_on: dt.date | None
    year: int
    notice_number: str
    passed_on: bool  # came from a unit this one carries on
    latest_note: str
    check: str | None  # verified / still_open at this visit; None: not checked yet
    checked_on: dt.date | None


def open_items(visit_id: int, today: dt.date) -> list[OpenItem]:
    """The tasks earlier visits left open for the visited unit, oldest visit first,
    with what this visit recorded for each: tasks of its earlier visits (even if
    a reorganisation has since passed them on) and tasks it is responsible for
    (those passed to it by a reorganisation among them). A task checked here
    stays in the list after the check."""
    visit = get_visit(visit_id)
    family = unit_family(visit.unit_id)
    checks = {c.task_id: c for c in ItemCheck.select().where(ItemCheck.visit == visit.id)}
    unfinished = Task.status.in_(UNFINISHED_TASK)
    if checks:
        unfinished |= Task.id.in_(list(checks))
    query = (joined(tasks.COLUMNS + (Visit.held_on, Visit.notice_number, Finding.repeats))
             .where((Task.responsible_unit.in_(list(family)) | Visit.unit.in_(list(family)))
                    & _earlier(visit) & unfinished)
             .order_by(Visit.held_on, Visit.id, Finding.position, Finding.id, Task.id))
    rows = list(query.objects())
    notes = latest_notes([r.id for r in rows])
    result = []
    for r in rows:
        check = checks.get(r.id)
        result.append(OpenItem(
            r.id, r.version, r.description, r.status, r.due_on,
            ageing.days_overdue(r.status, r.due_on, today), r.unit_code, r.unit_name, r.area,
            r.finding_id, r.finding_text, r.repeats is not None, r.visit_id, r.visited_code,
            r.visited_name, r.held_on, r.year, r.notice_number, r.visited_code != visit.unit.code,
            notes.get(r.id, ""), check.result if check else None,
            check.checked_on if check else None))
    return result


def _check_note(result: str, day: dt.date, note: str) -> str:
    text = t(f"followup.note_{result}", day=formats.date(day))
    return f"{text} {note.strip()}".strip()


def check_item(visit_id: int, task_id: int, result: str, actor: str, today: dt.date,
               note: str = "", expected_version: int | None = None) -> OpenItem:
    """Record at `visit_id` what the team found of a task an earlier visit left
    open: `verified` or `still_open`. One change batch (one undo): the check,
    the task's move and its progress note. Recording the same result again
    changes nothing; the other result corrects the check."""
    if result not in CHECK_RESULTS:
        raise DomainError("bad_choice", field="result", value=result, choices=", ".join(CHECK_RESULTS))
    visit = get_visit(visit_id)
    if visit.status not in CHECKABLE_VISITS:
        raise DomainError("visit_not_loggable", status=visit.status)
    task = tasks.get(task_id)
    finding_visit = Visit.select(Visit).join(Finding).where(Finding.id == task.finding_id).get()
    family = unit_family(visit.unit_id)
    if ((task.responsible_unit_id not in family and finding_visit.unit_id not in family)
            or finding_visit.id == visit.id
            or finding_visit.held_on is None or finding_visit.held_on >= visit_day(visit)):
        raise DomainError("not_open_item", id=task_id, visit=visit_id)
    day = min(visit.held_on or today, today)
    with audit.change(actor) as ch:
        current = ch.lock(Task, task_id, expected_version)
        existing = ItemCheck.get_or_none((ItemCheck.visit == visit.id) & (ItemCheck.task == task_id))
        if existing is not None and existing.result == result:
            return _item(visit_id, task_id, today)
        if existing is None and current.status not in UNFINISHED_TASK:
            raise DomainError("not_open_item", id=task_id, visit=visit_id)
        text = _check_note(result, day, note)
        if result == "verified":
            if current.status in ACTIVE_TASK:
                tasks.move(task_id, "reported_done", actor, today, completed_on=day)
            if tasks.get(task_id).status == "reported_done":
                tasks.move(task_id, "verified", actor, today)
            elif tasks.get(task_id).status != "verified":
                raise DomainError("task_move_refused", id=task_id, old=current.status, new="verified")
            tasks.add_note(task_id, text, actor, day)
        else:
            status = tasks.get(task_id).status
            if status in ("reported_done", "verified"):
                tasks.move(task_id, "in_progress", actor, today, reason=text)
            elif status in ACTIVE_TASK:
                tasks.add_note(task_id, text, actor, day)
            else:
                raise DomainError("task_move_refused", id=task_id, old=status, new="in_progress")
        if existing is None:
            ch.create(ItemCheck, visit=visit.id, task=task_id, result=result, checked_on=day,
                      note=note.strip())
        else:
            ch.update(existing, result=result, checked_on=day, note=note.strip())
    return _item(visit_id, task_id, today)


def _item(visit_id: int, task_id: int, today: dt.date) -> OpenItem:
    return next(i for i in open_items(visit_id, today) if i.task_id == task_id)


@dataclass(frozen=True)
class CheckedItem:
    """What a visit recorded of an earlier visit's task, for the conclusion notice."""
    task_id: int
    description: str
    area: str
    finding: str
    visited_name: str
    held_on: dt.date | None
    notice_number: str
    result: str
    checked_on: dt.date
    note: str
    status: str  # the task's status now


def checks_of_visit(visit_id: int) -> list[CheckedItem]:
    """The checks recorded at a visit, in the order of the earlier visits' findings."""
    query = (ItemCheck.select(ItemCheck, Task.description, Task.status, Finding.area,
                              Finding.description.alias("finding_text"), Visited.name.alias("visited_name"),
                              Visit.held_on, Visit.notice_number)
             .join(Task, on=(ItemCheck.task == Task.id))
             .join(Finding, on=(Task.finding == Finding.id))
             .join(Visit, on=(Finding.visit == Visit.id))
             .join(Visited, on=(Visit.unit == Visited.id))
             .where(ItemCheck.visit == visit_id)
             .order_by(Visit.held_on, Visit.id, Finding.position, Finding.id, Task.id))
    return [CheckedItem(c.task_id, c.description, c.area, c.finding_text, c.visited_name, c.held_on,
                        c.notice_number, c.result, c.checked_on, c.note, c.status)
            for c in query.objects()]


# --- repeated findings ------------------------------------------------------------------

def earlier_unremedied(visit: Visit, area: str, exclude: int | None = None) -> Finding | None:
    """The latest finding in `area` of an earlier visit to the unit (or a unit it
    carries on) that still has an unfinished remediation task; None if there is none."""
    family = unit_family(visit.unit_id)
    pending = (Task.select(Task.finding).where(Task.status.in_(UNFINISHED_TASK)))
    query = (Finding.select(Finding).join(Visit)
             .where(Visit.unit.in_(list(family)) & (Finding.area == area) & _earlier(visit)
                    & Finding.id.in_(pending))
             .order_by(Visit.held_on.desc(), Finding.id.desc()))
    if exclude is not None:
        query = query.where(Finding.id != exclude)
    return query.first()


@dataclass(frozen=True)
class UnitRepeats:
    code: str
    name: str
    kind: str
    findings: int  # findings of the unit's visits (in the year, if one is given)
    repeated: int  # of which repeat an earlier, unremedied one


def repeated_by_unit(year: int | None = None, unit: str | None = None) -> list[UnitRepeats]:
    """Repeated findings per visited unit, the most first; only units that have
    some (all units asked for with `unit`, even at zero). Counted in SQL."""
    count_repeated = fn.SUM(Case(None, ((Finding.repeats.is_null(False), 1),), 0))
    query = (Finding.select(Unit.code, Unit.name, Unit.kind, fn.COUNT(Finding.id), count_repeated)
             .join(Visit).join(Plan).switch(Visit).join(Unit)
             .group_by(Unit.code, Unit.name, Unit.kind))
    if year:
        query = query.where(Plan.year == year)
    if unit:
        query = query.where(Unit.code == unit)
    else:
        query = query.having(count_repeated > 0)
    rows = [UnitRepeats(code, name, kind, int(n), int(r or 0)) for code, name, kind, n, r in query.tuples()]
    return sorted(rows, key=lambda u: (-u.repeated, -u.findings, u.name))


def repeated_count(year: int | None = None) -> int:
    query = Finding.select().where(Finding.repeats.is_null(False))
    if year:
        query = query.join(Visit).join(Plan).where(Plan.year == year)
    return query.count()
