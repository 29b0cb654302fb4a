"""Findings (tồn tại, hạn chế) of a visit and the remediation tasks they call for."""
import datetime as dt
from dataclasses import dataclass

from inspect_tui.rules import audit, followup, limits, units, workdays
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.inspections import get_visit
from inspect_tui.rules.text import fold
from inspect_tui.rules.vocab import AREAS, SEVERITIES
from inspect_tui.store.models import Finding, Task

LOGGABLE_VISITS = ("planned", "held")  # findings are written during or after the visit


@dataclass(frozen=True)
class FindingRow:
    id: int
    visit_id: int
    area: str
    severity: str
    description: str
    recommendation: str
    repeats_id: int | None = None  # the earlier, unremedied finding it repeats (tồn tại lặp lại)
    version: int = 0


def _row(f: Finding) -> FindingRow:
    return FindingRow(f.id, f.visit_id, f.area, f.severity, f.description, f.recommendation,
                      f.repeats_id, f.version)


def get(finding_id: int) -> Finding:
    finding = Finding.get_or_none(Finding.id == finding_id)
    if finding is None:
        raise DomainError("unknown_record", what="finding", id=finding_id)
    return finding


def of_visit(visit_id: int) -> list[FindingRow]:
    return [_row(f) for f in Finding.select().where(Finding.visit == visit_id)
            .order_by(Finding.position, Finding.id)]


def _validate(area, severity, description):
    if area not in AREAS:
        raise DomainError("bad_choice", field="area", value=area, choices=", ".join(AREAS))
    if severity not in SEVERITIES:
        raise DomainError("bad_choice", field="severity", value=severity, choices=", ".join(SEVERITIES))
    if not description.strip():
        raise DomainError("required", field="description")


def add(visit_id: int, area: str, description: str, actor: str, severity: str = "moderate",
        recommendation: str = "") -> FindingRow:
    visit = get_visit(visit_id)
    if visit.status not in LOGGABLE_VISITS:
        raise DomainError("visit_not_loggable", status=visit.status)
    _validate(area, severity, description)
    with audit.change(actor) as ch:
        visit = ch.lock(type(visit), visit.id)  # the status as it is now, held until the commit
        if visit is None or visit.status not in LOGGABLE_VISITS:
            raise DomainError("visit_not_loggable", status=visit.status if visit else "cancelled")
        position = Finding.select().where(Finding.visit == visit).count()
        earlier = followup.earlier_unremedied(visit, area)  # the same area left unremedied before
        finding = ch.create(Finding, visit=visit, area=area, severity=severity,
                            description=description.strip(), recommendation=recommendation.strip(),
                            position=position, search_text=fold(f"{description} {recommendation}"),
                            repeats=earlier.id if earlier else None)
    return _row(finding)


def update(finding_id: int, actor: str, expected_version: int | None = None, **values) -> FindingRow:
    finding = get(finding_id)
    audit.expect(finding, expected_version)
    unknown = set(values) - {"area", "severity", "description", "recommendation"}
    if unknown:
        raise DomainError("bad_field", field=", ".join(sorted(unknown)))
    merged = {k: values.get(k, getattr(finding, k))
              for k in ("area", "severity", "description", "recommendation")}
    _validate(merged["area"], merged["severity"], merged["description"])
    with audit.change(actor) as ch:
        if merged["area"] != finding.area:  # another area: what it repeats is looked up again
            earlier = followup.earlier_unremedied(finding.visit, merged["area"], exclude=finding.id)
            values["repeats"] = earlier.id if earlier else None
        ch.update(finding, **values,
                  search_text=fold(f"{merged['description']} {merged['recommendation']}"))
    return _row(finding)


def set_repeats(finding_id: int, repeats_id: int | None, actor: str,
                expected_version: int | None = None) -> FindingRow:
    """Mark a finding as repeating an earlier finding of the same unit (or a unit
    it carries on), or clear the mark (None): the team's word over the automatic one."""
    finding = get(finding_id)
    audit.expect(finding, expected_version)
    if repeats_id is not None:
        earlier = get(repeats_id)
        visit = finding.visit
        if (earlier.id == finding.id or earlier.visit.unit_id not in followup.unit_family(visit.unit_id)
                or earlier.visit.held_on is None
                or earlier.visit.held_on >= followup.visit_day(visit)):
            raise DomainError("not_earlier_finding", id=repeats_id, finding=finding_id)
    with audit.change(actor) as ch:
        ch.update(finding, repeats=repeats_id)
    return _row(finding)


def default_due(visit_id: int, days: int, today: dt.date,
                working_days: int | None = None) -> dt.date:
    """Remediation deadline: `days` after the conclusion notice (or the visit, or
    today); or, given `working_days` (config `due_working_days`), that many
    working days after it (weekends, holidays and the swaps of days_off.toml skipped).
    When that day is not still ahead of `today`, the same time counts from today
    instead: a task saved with the defaults is never overdue the moment it exists."""
    visit = get_visit(visit_id)
    start = visit.notice_date or visit.held_on or today

    def after(day: dt.date) -> dt.date:
        if working_days is not None:
            return workdays.add_working_days(day, working_days)
        return day + dt.timedelta(days=days)

    due = after(start)
    return due if due > today else after(today)


def check_due_after_visit(finding_id: int, due_on: dt.date) -> None:
    """A deadline recorded with its visit (a filled template) cannot come before
    the visit that found the need to remedy. (Tasks typed in the TUI may carry
    an earlier deadline over from a plan: `add_task` itself does not ask.)"""
    visit = get(finding_id).visit
    start = visit.held_on or visit.scheduled_on
    if start is not None and due_on is not None and due_on < start:
        raise DomainError("due_before_visit", due=due_on, day=start)


def add_task(finding_id: int, description: str, due_on: dt.date, actor: str, today: dt.date,
             responsible: str | None = None, assignee: str = "") -> int:
    """A remediation task; the responsible unit defaults to the visited unit,
    or to whoever carries its work today if it has since been reorganised."""
    finding = get(finding_id)
    if not description.strip():
        raise DomainError("required", field="description")
    if due_on is None:
        raise DomainError("required", field="due_on")
    limits.check_day(due_on, "due_on")
    unit = units.get(responsible) if responsible else units.heir_on(finding.visit.unit, today)
    if not unit.exists_on(today):
        raise DomainError("unit_not_existing", code=unit.code, day=today)
    with audit.change(actor) as ch:
        task = ch.create(Task, finding=finding, responsible_unit=unit,
                         description=description.strip(), assignee=assignee.strip(),
                         due_on=due_on, status="open",
                         search_text=fold(f"{description} {assignee}"))
    return task.id
