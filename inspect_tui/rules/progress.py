"""What a unit reports in its progress workbook, applied to many tasks at
once: the rules of rules/unit_reports.py and of `tasks.move`, checked on
every task as it is inside the write, then written in a few statements.

An import of 10,000 rows through `tasks.move`/`tasks.add_note` read every
task three times and wrote one statement per log row; here the tasks are
read (and locked, as `audit.Change.lock` locks) in one query a chunk, each
row is checked in memory, each task is written by one guarded UPDATE
(`WHERE id = ? AND version = ?`) and the notes and change-log rows are
inserted with insert_many. What the change log holds is what the row-by-row
path wrote: the same fields, old and new values, versions, in the caller's
batch, so one undo takes the whole import back.
"""
import datetime as dt
from dataclasses import dataclass, field

from peewee import PostgresqlDatabase, fn

from inspect_tui.rules import audit, limits
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.tasks import move_problems, needs_reason
from inspect_tui.rules.unit_reports import Outcome, UnitReport, changes_anything, check
from inspect_tui.store.models import ChangeLog, ProgressNote, Task, Unit, database

CHUNK = 500  # ids in one IN (...) and rows in one INSERT: within every backend's limits


@dataclass
class Request:
    """One row of a unit's workbook: the task, the version it was sent at, what it asks."""
    task_id: int
    version: int
    report: UnitReport


@dataclass
class Result:
    outcome: Outcome | None = None  # what was done (None when refused)
    problems: list[DomainError] = field(default_factory=list)  # every refusal of the rules


@dataclass
class _Write:
    task: Task
    values: dict  # field -> new value (only those that change)
    note: str = ""  # a progress note written after the fields (raises the version once more)
    reason_note: str = ""  # the note of a move that needs a reason (no version of its own)


def _chunks(values: list, n: int = CHUNK):
    for i in range(0, len(values), n):
        yield values[i:i + n]


def _locked(ids: list[int]) -> dict[int, Task]:
    """The tasks as they are now, locked until the change commits (as Change.lock)."""
    found = {}
    for chunk in _chunks(ids):
        query = Task.select().where(Task.id.in_(chunk))
        if isinstance(database.obj, PostgresqlDatabase):
            query = query.for_update("FOR NO KEY UPDATE")
        found.update({t.id: t for t in query})
    return found


def _noted(ids: list[int]) -> set[tuple[int, str]]:
    """(task id, text) of the notes these tasks hold: to know a file imported twice."""
    notes = set()
    for chunk in _chunks(ids):
        notes.update(ProgressNote.select(ProgressNote.task, ProgressNote.text)
                     .where(ProgressNote.task.in_(chunk)).tuples())
    return notes


def apply_reports(unit_code: str, requests: list[Request], actor: str, today: dt.date) -> list[Result]:
    """Apply what unit `unit_code` reports about each of its tasks; one Result a
    request, in order. A refused row writes nothing; the caller's transaction
    decides whether anything is kept (an import is all or nothing)."""
    results = [Result() for _ in requests]
    with audit.change(actor) as ch:
        asked = [r.task_id for r in requests if changes_anything(r.report)]
        current = _locked(asked)
        owners = dict(Unit.select(Unit.id, Unit.code).where(
            Unit.id.in_({t.responsible_unit_id for t in current.values()})).tuples()) if current else {}
        stale = [r.task_id for r in requests if r.task_id in current and r.report.note
                 and current[r.task_id].version != r.version]
        noted = _noted(stale) if stale else set()
        writes = []
        for request, result in zip(requests, results):
            if not changes_anything(request.report):
                result.outcome = Outcome()  # nothing asked: nothing to check
                continue
            task = current.get(request.task_id)
            try:
                write = _check(request, task, owners, noted, unit_code, today, result)
            except DomainError as exc:
                result.problems.append(exc)
                continue
            if result.problems:
                continue
            if write is not None:
                writes.append(write)
        _write(ch, writes, actor, today)
    return results


def _check(request: Request, task: Task | None, owners, noted, unit_code: str, today: dt.date,
           result: Result) -> _Write | None:
    """The row's outcome and what to write, or its problems in `result` (a
    refusal that makes the rest moot is raised)."""
    report = request.report
    if task is None:
        raise DomainError("unknown_task", id=request.task_id)
    owner = owners.get(task.responsible_unit_id)
    if owner != unit_code:
        raise DomainError("task_of_other_unit", id=task.id, unit=unit_code, owner=owner)
    outcome = result.outcome = Outcome(status_before=task.status)
    if task.version != request.version:
        if _already(task, report, noted):
            outcome.already = True
            return None
        raise DomainError("changed_since_export", id=task.id, exported=request.version, current=task.version)
    check(task, report)
    values, note, reason_note = {}, report.note.strip(), ""
    if report.status:
        reason = note if needs_reason(task.status, report.status) else ""
        result.problems += move_problems(task.id, task.status, report.status, reason, today,
                                         report.completed_on)
        values["status"] = report.status
        outcome.changes.append(("status", task.status, report.status))
        if report.status == "reported_done":
            values["completed_on"] = report.completed_on or today
            outcome.changes.append(("completed_on", task.completed_on, values["completed_on"]))
        if report.status == "in_progress" and task.status in ("reported_done", "verified"):
            values["completed_on"] = None
        if reason:
            values["status_reason"] = limits.check_text(reason, "status_reason")
            reason_note, note = reason, ""
        if report.evidence_ref is not None:
            values["evidence_ref"] = report.evidence_ref.strip()
            outcome.changes.append(("evidence_ref", task.evidence_ref, values["evidence_ref"]))
    else:
        if report.evidence_ref is not None:
            values["evidence_ref"] = report.evidence_ref
            outcome.changes.append(("evidence_ref", task.evidence_ref, report.evidence_ref))
        if report.completed_changed:
            done = report.completed_on
            if done is not None:
                limits.check_day(done, "completed_on")
                if done > today:
                    result.problems.append(DomainError("completed_in_future", day=done))
            values["completed_on"] = done
            outcome.changes.append(("completed_on", task.completed_on, done))
    for name, value in values.items():
        audit.check_value(Task, name, value)
    if report.note:
        audit.check_value(ProgressNote, "text", report.note.strip())
        outcome.changes.append(("note", "", report.note))
    changed = {k: v for k, v in values.items() if _stored(task, k) != v}
    return _Write(task, changed, note, reason_note)


def _stored(task: Task, name: str):
    return task.__data__.get(name)


def _already(task: Task, report: UnitReport, noted) -> bool:
    """The same report imported again: the task already holds all it asks."""
    if report.status and task.status != report.status:
        return False
    if report.completed_changed and task.completed_on != report.completed_on:
        return False
    if report.evidence_ref is not None and task.evidence_ref != report.evidence_ref.strip():
        return False
    return not report.note or (task.id, report.note.strip()) in noted


def _write(ch, writes: list[_Write], actor: str, today: dt.date) -> None:
    """Each task by a guarded UPDATE; the notes and the change log in bulk,
    logged as the row-by-row path logged them (fields, then a note's version)."""
    log, notes, updates = [], [], {}
    for w in writes:
        version = w.task.version
        after = version + bool(w.values) + bool(w.note)
        if after == version and not w.reason_note:
            continue
        names = tuple(sorted(w.values))  # tasks changing the same fields share one statement
        updates.setdefault(names, []).append(
            [_param(w.values[n]) for n in names] + [after, w.task.id, version])
        if w.values:
            changes = {k: (_stored(w.task, k), v) for k, v in w.values.items()}
            changes["version"] = (version, version + 1)
            log += _log_rows(ch, "update", "task", w.task.id, changes)
        for text in filter(None, (w.reason_note, w.note)):
            notes.append({"task": w.task.id, "noted_on": today, "author": actor, "text": text,
                          "created_at": ch.at})
        if w.note:
            log += _log_rows(ch, "update", "task", w.task.id, {"version": (after - 1, after)})
        if len(log) >= LOG_FLUSH:  # written as it grows: memory stays flat however many rows
            _insert(ChangeLog, LOG_FIELDS, log)
            log = []
    for names, rows in updates.items():
        sets = ", ".join(f"{_q(Task._meta.fields[n].column_name)} = {{P}}" for n in names + ("version",))
        _executemany(f"UPDATE {_q(Task._meta.table_name)} SET {sets} WHERE {_q('id')} = {{P}} "
                     f"AND {_q('version')} = {{P}}", rows, guarded=True)
    for note in _insert_notes(notes):
        log += _log_rows(ch, "create", "progress_note", note["id"],
                         {k: (None, note[k]) for k in NOTE_FIELDS})
        if len(log) >= LOG_FLUSH:
            _insert(ChangeLog, LOG_FIELDS, log)
            log = []
    _insert(ChangeLog, LOG_FIELDS, log)


NOTE_FIELDS = ("task", "noted_on", "author", "text", "created_at")
LOG_FLUSH = 5_000  # change-log rows kept before they are written
LOG_FIELDS = ("at", "actor", "batch", "session", "action", "entity", "record_id", "field", "old", "new")


def _backend_param() -> str:
    return "%s" if isinstance(database.obj, PostgresqlDatabase) else "?"


def _q(name: str) -> str:
    return f'"{name}"'


def _param(value):
    """A value as the driver takes it: dates as the ISO text both backends store and read."""
    if isinstance(value, (dt.date, dt.datetime)):
        return str(value)
    return value


def _executemany(sql: str, rows: list, guarded: bool = False) -> None:
    """One statement for many rows, through the driver (peewee builds SQL a
    value at a time: 40,000 log rows took longer than all the checks).
    `guarded`: every row must hit exactly one record (the version guard)."""
    sql = sql.replace("{P}", _backend_param())
    for chunk in _chunks(rows):
        cursor = database.cursor()
        cursor.executemany(sql, chunk)
        if guarded and cursor.rowcount != len(chunk):  # someone wrote one of them meanwhile
            raise DomainError("db_conflict")


def _insert(model, fields: tuple, rows: list) -> None:
    """Rows given as dicts by field, or as tuples in the order of `fields`."""
    if not rows:
        return
    columns = ", ".join(_q(model._meta.fields[f].column_name) for f in fields)
    marks = ", ".join(["{P}"] * len(fields))
    _executemany(f"INSERT INTO {_q(model._meta.table_name)} ({columns}) VALUES ({marks})",
                 [[_param(v) for v in ([r[f] for f in fields] if isinstance(r, dict) else r)] for r in rows])


def _insert_notes(notes: list[dict]) -> list[dict]:
    """The notes inserted, each with its id. PostgreSQL says the ids itself;
    SQLite's write lock (held since the change began) keeps every row above
    the highest id ours, read back in the order inserted."""
    if not notes:
        return []
    if isinstance(database.obj, PostgresqlDatabase):
        ids = []
        for chunk in _chunks(notes):
            ids += [r[0] for r in ProgressNote.insert_many(chunk).returning(ProgressNote.id).tuples()]
    else:
        before = ProgressNote.select(fn.MAX(ProgressNote.id)).scalar() or 0
        _insert(ProgressNote, NOTE_FIELDS, notes)
        ids = [i for (i,) in ProgressNote.select(ProgressNote.id).where(ProgressNote.id > before)
               .order_by(ProgressNote.id).tuples()]
    if len(ids) != len(notes):
        raise DomainError("db_conflict")
    return [{**note, "id": i} for note, i in zip(notes, ids)]


def _log_rows(ch, action: str, entity: str, record_id: int, changes: dict) -> list[dict]:
    """Change-log rows as audit.Change writes them: one a field, values encoded alike."""
    return [(ch.at, ch.actor, ch.batch, audit.session(), action, entity, record_id, name,
             audit.encode(old), audit.encode(new)) for name, (old, new) in changes.items()]
