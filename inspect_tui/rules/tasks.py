"""Remediation tasks: the status machine, progress notes, and the working list.

    open → in_progress → reported_done → verified
    open → reported_done                      (a unit may report straight away)
    reported_done / verified → in_progress    (reopen, with a reason)
    open / in_progress / reported_done → cancelled (with a reason)
"""
import datetime as dt
from dataclasses import dataclass

from peewee import fn

from inspect_tui.rules import audit, ageing, limits, search, units
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.text import fold, matches
from inspect_tui.rules.vocab import ACTIVE_TASK, AGEING_BUCKETS, AREAS, TASK_STATUSES
from inspect_tui.store.models import Finding, Plan, ProgressNote, Task, Unit, Visit

MOVES = {
    "open": ("in_progress", "reported_done", "cancelled"),
    "in_progress": ("reported_done", "cancelled"),
    "reported_done": ("verified", "in_progress", "cancelled"),
    "verified": ("in_progress",),
    "cancelled": (),
}
NEEDS_REASON = {("reported_done", "in_progress"), ("verified", "in_progress"),
                ("open", "cancelled"), ("in_progress", "cancelled"), ("reported_done", "cancelled")}
QUICK_FILTERS = ("overdue", "due_week", "awaiting", "unassigned", "active")
SORTS = ("overdue", "due", "unit")


def allowed_moves(status: str) -> tuple[str, ...]:
    return MOVES.get(status, ())


def needs_reason(old: str, new: str) -> bool:
    return (old, new) in NEEDS_REASON


@dataclass(frozen=True)
class TaskRow:
    id: int
    description: str
    status: str
    due_on: dt.date
    completed_on: dt.date | None
    assignee: str
    evidence_ref: str
    status_reason: str
    version: int
    unit_code: str
    unit_name: str
    area: str
    finding_id: int
    finding: str
    recommendation: str
    visit_id: int
    visited_code: str
    visited_name: str
    year: int
    days_overdue: int
    bucket: str | None
    latest_note: str = ""


def get(task_id: int) -> Task:
    task = Task.get_or_none(Task.id == task_id)
    if task is None:
        raise DomainError("unknown_task", id=task_id)
    return task


@dataclass
class TaskFilter:
    quick: str | None = None  # one of QUICK_FILTERS
    bucket: str | None = None  # one of AGEING_BUCKETS
    statuses: tuple[str, ...] = ()
    unit: str = ""  # a unit code, or text matched against unit names without diacritics
    area: str | None = None
    year: int | None = None
    assignee: str = ""
    text: str = ""
    visit_id: int | None = None
    finding_id: int | None = None
    sort: str = "overdue"


Responsible = Unit.alias("responsible")
Visited = Unit.alias("visited")


COLUMNS = (Task, Finding.area, Finding.description.alias("finding_text"), Finding.recommendation,
           Visit.id.alias("visit_id"), Plan.year, Responsible.code.alias("unit_code"),
           Responsible.name.alias("unit_name"), Visited.code.alias("visited_code"),
           Visited.name.alias("visited_name"))


def joined(columns):
    """Tasks joined to their finding, visit, plan, responsible and visited unit."""
    return (Task.select(*columns)
            .join(Finding, on=(Task.finding == Finding.id))
            .join(Visit, on=(Finding.visit == Visit.id))
            .join(Plan, on=(Visit.plan == Plan.id))
            .switch(Task).join(Responsible, on=(Task.responsible_unit == Responsible.id))
            .switch(Visit).join(Visited, on=(Visit.unit == Visited.id)))


def statuses_of(flt: TaskFilter) -> tuple[str, ...]:
    """The statuses the filter lets through, in the machine's order: the quick
    filters, the bucket and the status choice each narrow them. Kept apart from
    the other conditions so a page can be read one status at a time, each in
    the order an index on (status, due_on, id) already holds."""
    allowed = set(TASK_STATUSES)
    if flt.quick in ("overdue", "due_week", "unassigned", "active"):
        allowed &= set(ACTIVE_TASK)
    elif flt.quick == "awaiting":
        allowed &= {"reported_done"}
    elif flt.quick:
        raise DomainError("bad_choice", field="filter", value=flt.quick, choices=", ".join(QUICK_FILTERS))
    if flt.bucket:
        allowed &= set(ACTIVE_TASK)
    if flt.statuses:
        allowed &= set(flt.statuses)
    return tuple(s for s in TASK_STATUSES if s in allowed)


def narrow_units(unit: str):
    """The units the filter's unit names: a code, else text matched against names."""
    unit = unit.strip()
    return (Unit.code == unit) | (matches(Unit.search_text, unit)
                                  & ~fn.EXISTS(Unit.select(Unit.id).where(Unit.code == unit)))


def _unit_ids_matching(text: str):
    """The units whose name matches `text`, as a subquery (the roster is small)."""
    return Unit.select(Unit.id).where(matches(Unit.search_text, text))


def conditions(flt: TaskFilter, today: dt.date) -> tuple[list, set[str]]:
    """Every condition of the filter except the statuses, and the tables beyond
    `task` they name ("finding", "plan"): a page joins only those."""
    where, needs = [], set()
    if flt.quick == "overdue":
        where.append(Task.due_on < today)
    elif flt.quick == "due_week":
        where.append((Task.due_on >= today) & (Task.due_on <= today + dt.timedelta(days=7)))
    elif flt.quick == "unassigned":
        where.append(Task.assignee == "")
    if flt.bucket:
        if flt.bucket not in AGEING_BUCKETS:
            raise DomainError("bad_choice", field="bucket", value=flt.bucket,
                              choices=", ".join(AGEING_BUCKETS))
        where.append(ageing.due_condition(flt.bucket, today))
    if flt.unit.strip():
        code = Unit.get_or_none(Unit.code == flt.unit.strip())
        if code is not None:
            where.append(Task.responsible_unit == code.id)
        else:
            where.append(Task.responsible_unit.in_(Unit.select(Unit.id).where(narrow_units(flt.unit))))
    if flt.area:
        if flt.area not in AREAS:
            raise DomainError("bad_choice", field="area", value=flt.area, choices=", ".join(AREAS))
        where.append(Finding.area == flt.area)
        needs.add("finding")
    if flt.year:
        where.append(Plan.year == flt.year)
        needs |= {"finding", "plan"}
    if flt.assignee.strip():
        where.append(search.contains(Task.search_text, flt.assignee))
    if flt.visit_id:
        where.append(Finding.visit == flt.visit_id)
        needs.add("finding")
    if flt.finding_id:
        where.append(Task.finding == flt.finding_id)
    if flt.text.strip():
        text = flt.text
        # Subqueries rather than joins: each is read once, and the walk over
        # the tasks stays on the task table.
        # Through the trigram indexes when few tasks match: they are gathered and
        # sorted; else the walk in list order finds a page of them at once (rules/search.py).
        match = search.holding if search.few_tasks_match(text) else matches
        found = Finding.select(Finding.id).where(match(Finding.search_text, text))
        where.append(match(Task.search_text, text) | Task.finding.in_(found)
                     | Task.responsible_unit.in_(_unit_ids_matching(text)))
    return where, needs


def scans(flt: TaskFilter) -> bool:
    """Whether the filter matches text, which the status indexes do not serve: a
    page then walks the tasks once for all statuses rather than once per status."""
    return bool(flt.text.strip() or flt.assignee.strip())


def narrow(columns, flt: TaskFilter, today: dt.date, statuses: tuple[str, ...] | None = None):
    """The tasks the filter lets through (only `statuses` when given), joined
    only to the tables its conditions name."""
    where, needs = conditions(flt, today)
    statuses = statuses_of(flt) if statuses is None else statuses
    query = Task.select(*columns)
    if needs:
        query = query.join(Finding, on=(Task.finding == Finding.id))
    if "plan" in needs:
        query = query.join(Visit, on=(Finding.visit == Visit.id)).join(Plan, on=(Visit.plan == Plan.id))
    if len(statuses) < len(TASK_STATUSES):
        where.append(Task.status.in_(statuses))
    return query.where(*where) if where else query


def _where(query, flt: TaskFilter, today: dt.date):
    """The filter on the fully joined query (the list read whole, in any order)."""
    where, _ = conditions(flt, today)
    statuses = statuses_of(flt)
    if len(statuses) < len(TASK_STATUSES):
        where.append(Task.status.in_(statuses))
    return query.where(*where) if where else query


def _order(query, sort: str):
    if sort == "due":
        return query.order_by(Task.due_on, Task.id)
    if sort == "unit":
        return query.order_by(Responsible.name, Responsible.id, Task.due_on, Task.id)
    if sort == "overdue":
        # Most days overdue first = earliest due date first among active tasks.
        active_first = Task.status.in_(ACTIVE_TASK).desc()
        return query.order_by(active_first, Task.due_on, Task.id)
    raise DomainError("bad_choice", field="sort", value=sort, choices=", ".join(SORTS))


def count(flt: TaskFilter, today: dt.date, cap: int | None = None) -> int:
    """How many tasks the filter lets through; with `cap`, counting stops past
    it (a result above `cap` means "more than cap"), so a huge list is never
    counted whole."""
    query = narrow([Task.id], flt, today)
    if cap is not None:
        query = query.limit(cap + 1)
    return query.count()


def list_tasks(flt: TaskFilter, today: dt.date, limit: int | None = 100, offset: int = 0,
               with_notes: bool = False) -> list[TaskRow]:
    """One page of tasks, filtered and sorted in SQL."""
    query = _order(_where(joined(COLUMNS), flt, today),
                   flt.sort)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    rows = list(query.objects())
    notes = latest_notes([r.id for r in rows]) if with_notes else {}
    return [_row_from(r, today, notes.get(r.id, "")) for r in rows]


def _row_from(r, today, note=""):
    return TaskRow(
        r.id, r.description, r.status, r.due_on, r.completed_on, r.assignee, r.evidence_ref,
        r.status_reason, r.version, r.unit_code, r.unit_name, r.area, r.finding_id,
        r.finding_text, r.recommendation, r.visit_id, r.visited_code, r.visited_name, r.year,
        ageing.days_overdue(r.status, r.due_on, today), ageing.bucket(r.status, r.due_on, today),
        note)


def latest_notes(task_ids: list[int]) -> dict[int, str]:
    notes = {}
    if not task_ids:
        return notes
    query = (ProgressNote.select(ProgressNote.task, ProgressNote.text)
             .where(ProgressNote.task.in_(task_ids))
             .order_by(ProgressNote.task, ProgressNote.noted_on, ProgressNote.id).tuples())
    for task_id, text in query:
        notes[task_id] = text  # later rows overwrite earlier ones
    return notes


def row(task_id: int, today: dt.date) -> TaskRow:
    query = joined(COLUMNS).where(Task.id == task_id)
    found = list(query.objects())
    if not found:
        raise DomainError("unknown_task", id=task_id)
    return _row_from(found[0], today, latest_notes([task_id]).get(task_id, ""))


def _locked(ch, task_id: int, expected_version: int | None) -> Task:
    """The task as it is inside the change, refused if it is not the version the user saw."""
    task = ch.lock(Task, task_id, expected_version)
    if task is None:
        raise DomainError("unknown_task", id=task_id)
    return task


def move_problems(task_id: int, old: str, new_status: str, reason: str, today: dt.date,
                  completed_on: dt.date | None = None) -> list[DomainError]:
    """Every problem of moving a task from `old` to `new_status`: an import
    reports them all, `move` raises the first."""
    if new_status not in MOVES.get(old, ()):
        return [DomainError("task_move_refused", id=task_id, old=old, new=new_status)]
    problems = []
    if needs_reason(old, new_status) and not reason:
        problems.append(DomainError("reason_required", old=old, new=new_status))
    if new_status == "reported_done":
        done = completed_on or today
        if done > today:
            problems.append(DomainError("completed_in_future", day=done))
        elif not limits.YEAR_MIN <= done.year <= limits.YEAR_MAX:
            problems.append(DomainError("date_out_of_range", field="completed_on",
                                        low=limits.YEAR_MIN, high=limits.YEAR_MAX))
    return problems


def move(task_id: int, new_status: str, actor: str, today: dt.date, reason: str = "",
         completed_on: dt.date | None = None, evidence_ref: str | None = None,
         expected_version: int | None = None) -> TaskRow:
    """Move a task along the status machine. The move is checked against the
    task as it is inside the transaction, so the rules hold under races."""
    if new_status not in TASK_STATUSES:
        raise DomainError("bad_choice", field="status", value=new_status, choices=", ".join(TASK_STATUSES))
    reason = limits.check_text(reason.strip(), "status_reason")
    with audit.change(actor) as ch:
        task = _locked(ch, task_id, expected_version)
        old = task.status
        problems = move_problems(task_id, old, new_status, reason, today, completed_on)
        if problems:
            raise problems[0]
        values = {"status": new_status}
        if new_status == "reported_done":
            values["completed_on"] = completed_on or today
        if new_status == "in_progress" and old in ("reported_done", "verified"):
            values["completed_on"] = None
        if reason:
            values["status_reason"] = reason
        if evidence_ref is not None:
            values["evidence_ref"] = evidence_ref.strip()
        ch.update(task, **values)
        if reason:
            ch.create(ProgressNote, task=task, noted_on=today, author=actor, text=reason)
    return row(task_id, today)


TASK_FIELDS = {"description", "assignee", "due_on", "responsible", "evidence_ref", "completed_on"}


def update(task_id: int, actor: str, today: dt.date, expected_version: int | None = None,
           **values) -> TaskRow:
    unknown = set(values) - TASK_FIELDS
    if unknown:
        raise DomainError("bad_field", field=", ".join(sorted(unknown)))
    if "description" in values and not values["description"].strip():
        raise DomainError("required", field="description")
    if "due_on" in values:
        if values["due_on"] is None:
            raise DomainError("required", field="due_on")
        limits.check_day(values["due_on"], "due_on")
    if values.get("completed_on"):
        limits.check_day(values["completed_on"], "completed_on")
        if values["completed_on"] > today:
            raise DomainError("completed_in_future", day=values["completed_on"])
    if "responsible" in values:
        unit = units.get(values.pop("responsible"))
        if not unit.exists_on(today):
            raise DomainError("unit_not_existing", code=unit.code, day=today)
        values["responsible_unit"] = unit
    with audit.change(actor) as ch:
        task = _locked(ch, task_id, expected_version)
        description = values.get("description", task.description)
        assignee = values.get("assignee", task.assignee)
        ch.update(task, **values, search_text=fold(f"{description} {assignee}"))
    return row(task_id, today)


@dataclass(frozen=True)
class NoteRow:
    id: int
    noted_on: dt.date
    author: str
    text: str


def add_note(task_id: int, text: str, actor: str, noted_on: dt.date,
             expected_version: int | None = None) -> NoteRow:
    if not text.strip():
        raise DomainError("required", field="text")
    with audit.change(actor) as ch:
        task = _locked(ch, task_id, expected_version)
        note = ch.create(ProgressNote, task=task, noted_on=noted_on, author=actor, text=text.strip())
        ch.touch(task)  # a note is news an export must not overwrite
    return NoteRow(note.id, note.noted_on, note.author, note.text)


def notes(task_id: int) -> list[NoteRow]:
    return [NoteRow(n.id, n.noted_on, n.author, n.text) for n in
            ProgressNote.select().where(ProgressNote.task == task_id)
            .order_by(ProgressNote.noted_on, ProgressNote.id)]


def of_finding(finding_id: int, today: dt.date) -> list[TaskRow]:
    return list_tasks(TaskFilter(finding_id=finding_id, sort="due"), today, limit=None)
