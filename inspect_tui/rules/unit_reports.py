"""What a unit may report about its own remediation tasks (through the
per-unit workbook it sends back), checked against the task as it is now.

A unit reports progress: "in progress" or "reported done", with a note, a
completion date and an evidence reference. Cancelling and verifying are the
inspection team's. A completion date goes only with "reported done", and
"reported done" needs one (the import never fills in the day it runs). The
task must still be the unit's, at the version the unit was sent; a task that
is already as the report says (the same file imported twice) is left alone.
`rules/progress.py` applies a whole file's reports with these checks and
`tasks.move_problems`, the status rule the TUI uses, inside one change.
"""
import datetime as dt
from dataclasses import dataclass, field

from inspect_tui.rules.errors import DomainError
from inspect_tui.store.models import Task

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
