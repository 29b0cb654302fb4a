"""What a unit may report about its own remediation tasks (through the
per-unit workbook it sends back), checked against the task as it is now.

A unit reports progress: "in progress" or "reported done", with a note, a
completion date and an evidence reference. Cancelling and verifying are the
inspection team's. A completion date goes only with "reported done", and
"reported done" needs one (the import never fills in the day it runs). The
task must still be the unit's, at the version the unit was sent; a task that
is already as the report says (the same file imported twice) is left alone.
Everything is then done through `tasks.move`, `tasks.update` and
`tasks.add_note`, the rules the TUI uses, inside one change.
"""
import datetime as dt
from dataclasses import dataclass, field

from inspect_tui.rules import audit, tasks
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.tasks import MOVES, needs_reason
from inspect_tui.store.models import ProgressNote, Task, Unit

UNIT_MOVES = ("in_progress", "reported_done")  # the statuses a unit may set
TEAM_ONLY = ("cancelled", "verified")  # the inspection team's to set


@dataclass(frozen=True)
class UnitReport:
    """What one row of a unit's workbook asks for."""
    status: str | None = None  # the status the unit reports, when it differs from the one sent
    note: str = ""
    completed_on: dt.date | None = None  # the completion date in the row
    completed_changed: bool = False  # the row sets (or clears) the completion date
    evidence_ref: str | None = None  # the new evidence reference, when it changes


@dataclass
class Outcome:
    already: bool = False  # the database already holds all the row asks
    changes: list[tuple[str, object, object]] = field(default_factory=list)  # (field, old, new)
    status_before: str = ""


def changes_anything(report: UnitReport) -> bool:
    return bool(report.status or report.note or report.completed_changed
                or report.evidence_ref is not None)


def check(task: Task, report: UnitReport) -> None:
    """The unit's own rules, on the task as it is (the status machine itself is tasks.move's)."""
    if report.status in TEAM_ONLY:
        raise DomainError("unit_cannot_set", id=task.id, status=report.status)
    final = report.status or task.status
    if report.completed_changed and report.completed_on is not None and final != "reported_done":
        raise DomainError("completed_needs_done", id=task.id, status=final)
    if report.status == "reported_done" and report.completed_on is None:
        raise DomainError("done_needs_date", id=task.id)


def report_progress(task_id: int, unit_code: str, exported_version: int, report: UnitReport,
                    actor: str, today: dt.date) -> Outcome:
    """Apply what the unit `unit_code` reports about task `task_id`, which it was
    sent at `exported_version`. Refused with a DomainError the user can read."""
    with audit.change(actor) as ch:
        task = ch.lock(Task, task_id)
        if task is None:
            raise DomainError("unknown_task", id=task_id)
        owner = Unit.get_by_id(task.responsible_unit_id).code
        if owner != unit_code:
            raise DomainError("task_of_other_unit", id=task_id, unit=unit_code, owner=owner)
        outcome = Outcome(status_before=task.status)
        if not changes_anything(report):
            return outcome
        if task.version != exported_version:
            if already_applied(task, report):
                outcome.already = True
                return outcome
            raise DomainError("changed_since_export", id=task_id, exported=exported_version,
                              current=task.version)
        check(task, report)
        version = task.version
        note_done = False
        if report.status:
            if report.status not in MOVES.get(task.status, ()):
                raise DomainError("task_move_refused", id=task.id, old=task.status, new=report.status)
            reason = report.note if needs_reason(task.status, report.status) else ""
            if needs_reason(task.status, report.status) and not reason:
                raise DomainError("reason_required", old=task.status, new=report.status)
            note_done = bool(reason)
            row = tasks.move(task_id, report.status, actor, today, reason=reason,
                             completed_on=report.completed_on if report.status == "reported_done" else None,
                             evidence_ref=report.evidence_ref, expected_version=version)
            version = row.version
            outcome.changes.append(("status", task.status, report.status))
            if report.status == "reported_done":
                outcome.changes.append(("completed_on", task.completed_on, row.completed_on))
            if report.evidence_ref is not None:
                outcome.changes.append(("evidence_ref", task.evidence_ref, row.evidence_ref))
        else:
            fields = {}
            if report.evidence_ref is not None:
                fields["evidence_ref"] = report.evidence_ref
            if report.completed_changed:
                fields["completed_on"] = report.completed_on
            if fields:
                version = tasks.update(task_id, actor, today, expected_version=version, **fields).version
                for name, value in fields.items():
                    outcome.changes.append((name, getattr(task, name), value))
        if report.note and not note_done:
            tasks.add_note(task_id, report.note, actor, today, expected_version=version)
        if report.note:
            outcome.changes.append(("note", "", report.note))
    return outcome


def already_applied(task: Task, report: UnitReport) -> bool:
    """The same report imported again: the task already holds all it asks."""
    if report.status and task.status != report.status:
        return False
    if report.completed_changed and task.completed_on != report.completed_on:
        return False
    if report.evidence_ref is not None and task.evidence_ref != report.evidence_ref.strip():
        return False
    if report.note:
        noted = ProgressNote.select().where((ProgressNote.task == task.id)
                                            & (ProgressNote.text == report.note.strip()))
        if not noted.exists():
            return False
    return True
