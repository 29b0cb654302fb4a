"""What the team's papers say, gathered from the record as plain data: the
conclusion notice and the minutes of a visit, the reminder letters to units
whose remediation is late, and the year's report. `inspect_tui.papers` lays
them out in Word; nothing here knows about documents.
"""
import datetime as dt
from dataclasses import dataclass, field

from peewee import fn

from inspect_tui.rules import (ageing, followup, inspections, limits, notices, summary, tasks, units,
                               workdays, workplan)
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import AREAS
from inspect_tui.store.models import Finding, Plan, Visit

REMINDER_WORKING_DAYS = 10  # a reminder letter asks for an answer within 10 working days


@dataclass(frozen=True)
class TaskLine:
    id: int
    description: str
    unit_name: str
    due_on: dt.date
    status: str
    days_overdue: int = 0
    latest_note: str = ""


@dataclass(frozen=True)
class FindingLine:
    id: int
    area: str
    severity: str
    description: str
    recommendation: str
    repeated: bool
    repeats_year: int | None  # the year of the visit it repeats
    tasks: tuple[TaskLine, ...]


@dataclass(frozen=True)
class VisitPaper:
    """A visit with what its notice and minutes need."""
    visit: inspections.VisitRow
    plan: inspections.PlanRow
    team: tuple[inspections.MemberRow, ...]
    leader: inspections.MemberRow | None
    secretary: inspections.MemberRow | None
    findings: tuple[FindingLine, ...]  # in the order recorded
    by_area: tuple[tuple[str, tuple[FindingLine, ...]], ...]  # the areas of Resolution 76, in order
    previous: tuple[followup.OpenItem, ...]  # what earlier visits left open, with this visit's checks
    notice_due_on: dt.date
    notice_date: dt.date  # the notice's date: recorded, else today
    report_by: dt.date | None  # the latest task deadline: when the unit reports its remediation

    @property
    def tasks(self) -> list[TaskLine]:
        return [task for f in self.findings for task in f.tasks]

    @property
    def representatives(self) -> list[str]:
        return [line.strip() for line in self.visit.representatives.splitlines() if line.strip()]


def _member(team, role):
    return next((m for m in team if m.role == role), None)


def visit_paper(visit_id: int, today: dt.date) -> VisitPaper:
    """A held visit, for its conclusion notice or minutes; a visit not held is refused."""
    row = inspections.visit_row(visit_id, today)
    if row.status != "held" or row.held_on is None:
        raise DomainError("visit_not_held", id=visit_id, status=row.status)
    plan = inspections._plan_row(inspections.get_plan(row.plan_id))
    team = tuple(inspections.team(row.plan_id))
    repeats_year = dict(Finding.select(Finding.id, Plan.year)
                        .join(Visit).join(Plan)
                        .where(Finding.id.in_(Finding.select(Finding.repeats)
                                              .where(Finding.visit == visit_id))).tuples())
    lines = []
    for f in Finding.select().where(Finding.visit == visit_id).order_by(Finding.position, Finding.id):
        task_lines = tuple(TaskLine(t.id, t.description, t.unit_name, t.due_on, t.status,
                                    t.days_overdue, t.latest_note)
                           for t in tasks.of_finding(f.id, today))
        lines.append(FindingLine(f.id, f.area, f.severity, f.description, f.recommendation,
                                 f.repeats_id is not None, repeats_year.get(f.repeats_id), task_lines))
    by_area = tuple((area, tuple(f for f in lines if f.area == area)) for area in AREAS
                    if any(f.area == area for f in lines))
    dues = [t.due_on for f in lines for t in f.tasks]
    return VisitPaper(row, plan, team, _member(team, "leader"), _member(team, "secretary"),
                      tuple(lines), by_area, tuple(followup.open_items(visit_id, today)),
                      notices.due_on(row.held_on), row.notice_date or today,
                      max(dues) if dues else None)


# --- reminder letters ---------------------------------------------------------------

@dataclass(frozen=True)
class ReminderTask:
    id: int
    description: str
    area: str
    finding: str
    visited_name: str
    year: int
    notice_number: str
    notice_date: dt.date | None
    due_on: dt.date
    days_overdue: int
    status: str
    latest_note: str


@dataclass(frozen=True)
class Reminder:
    unit_code: str
    unit_name: str
    today: dt.date
    answer_by: dt.date
    tasks: tuple[ReminderTask, ...]  # most days overdue first

    @property
    def years(self) -> list[int]:
        return sorted({t.year for t in self.tasks})


def units_with_overdue(today: dt.date) -> list[str]:
    """Codes of the units responsible for overdue tasks, by name."""
    query = (tasks.joined([tasks.Responsible.code, tasks.Responsible.name])
             .where(ageing.overdue_condition(today))
             .group_by(tasks.Responsible.code, tasks.Responsible.name)
             .order_by(tasks.Responsible.name))
    return [code for code, _ in query.tuples()]


def reminders(today: dt.date, unit: str | None = None,
              answer_days: int = REMINDER_WORKING_DAYS) -> list[Reminder]:
    """One reminder per unit with overdue tasks (or only `unit`, a code or a name):
    each task, its deadline, days overdue, the last progress note, and the day
    to answer by (`answer_days` working days from today)."""
    codes = [units.resolve(unit, "--unit").code] if unit else units_with_overdue(today)
    answer_by = workdays.add_working_days(today, answer_days)
    notice_of = {}
    result = []
    for code in codes:
        rows = tasks.list_tasks(tasks.TaskFilter(quick="overdue", unit=code, sort="overdue"), today,
                                limit=None, with_notes=True)
        if not rows:
            continue
        missing = {r.visit_id for r in rows} - set(notice_of)
        if missing:
            for vid, number, day in (Visit.select(Visit.id, Visit.notice_number, Visit.notice_date)
                                     .where(Visit.id.in_(list(missing))).tuples()):
                notice_of[vid] = (number, day)
        lines = tuple(ReminderTask(r.id, r.description, r.area, r.finding, r.visited_name, r.year,
                                   notice_of[r.visit_id][0], notice_of[r.visit_id][1], r.due_on,
                                   r.days_overdue, r.status, r.latest_note)
                      for r in sorted(rows, key=lambda r: (-r.days_overdue, r.id)))
        result.append(Reminder(code, rows[0].unit_name, today, answer_by, lines))
    return result


# --- the year's report ---------------------------------------------------------------

@dataclass(frozen=True)
class VisitLine:
    id: int
    unit_name: str
    unit_kind: str
    held_on: dt.date | None
    notice_number: str
    notice_date: dt.date | None
    notice_state: str | None
    findings: int
    repeated: int


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    measure: str
    values: tuple  # (value, source) observed for the year
    target: tuple | None  # (comparator, value, source) for the year
    conflict: bool


@dataclass(frozen=True)
class YearReport:
    year: int
    today: dt.date
    plans: tuple[inspections.PlanRow, ...]
    team: tuple[inspections.MemberRow, ...]
    visits: tuple[VisitLine, ...]  # held visits, by date
    planned: int  # visits in the year's plans
    summary: summary.Summary
    repeated_by_area: dict[str, int]
    repeated_by_unit: tuple[followup.UnitRepeats, ...]
    notices_on_time: int
    notices_late: int
    notices_missing: int
    plan_progress: dict[str, int] | None  # milestones of the year (2026-2030 only)
    work_items: tuple[workplan.ItemRow, ...]
    indicators: tuple[IndicatorLine, ...]
    appendix: str = ""  # the status workbook sent with it
    worst: tuple[summary.UnitOverdue, ...] = field(default=())

    @property
    def repeated(self) -> int:
        return sum(self.repeated_by_area.values())


def year_report(year: int, today: dt.date, appendix: str = "") -> YearReport:
    year = limits.check_year(year)
    plans = tuple(p for p in inspections.plans(year=year) if p.level == "city") or tuple(
        inspections.plans(year=year))
    team = tuple(inspections.team(plans[0].id)) if plans else ()
    rows = [v for v in inspections.visits(today, year=year) if v.status == "held"]
    rows.sort(key=lambda v: (v.held_on, v.unit_name))
    repeated_of_visit = dict(Finding.select(Finding.visit, fn.COUNT(Finding.id))
                             .join(Visit).join(Plan)
                             .where((Plan.year == year) & Finding.repeats.is_null(False))
                             .group_by(Finding.visit).tuples())
    visit_lines = tuple(VisitLine(v.id, v.unit_name, v.unit_kind, v.held_on, v.notice_number,
                                  v.notice_date, notices.state(v.held_on, v.notice_date, today),
                                  v.findings, repeated_of_visit.get(v.id, 0)) for v in rows)
    by_area = {a: 0 for a in AREAS}
    for area, n in (Finding.select(Finding.area, fn.COUNT(Finding.id)).join(Visit).join(Plan)
                    .where((Plan.year == year) & Finding.repeats.is_null(False))
                    .group_by(Finding.area).tuples()):
        by_area[area] = int(n)
    states = [v.notice_state for v in visit_lines]
    in_plan = workplan.YEARS[0] <= year <= workplan.YEARS[-1]
    s = summary.summarise(today, year)
    return YearReport(
        year, today, plans, team, visit_lines,
        sum(p.visits for p in plans), s, by_area, tuple(followup.repeated_by_unit(year)),
        states.count("issued"), states.count("issued_late"),
        sum(st in ("late", "due_week", "pending") for st in states),
        workplan.progress(year, today) if in_plan else None,
        tuple(workplan.items(today)) if in_plan else (),
        tuple(_indicator_lines(year, today)), appendix, tuple(s.worst_units))


def _indicator_lines(year: int, today: dt.date) -> list[IndicatorLine]:
    from inspect_tui.rules import indicators

    lines = []
    for ind in indicators.all_indicators():
        values = tuple((o.value, o.source) for o in ind.observations if o.period == str(year))
        target = next(((t.comparator, t.value, t.source) for t in ind.targets if t.year == year), None)
        if values or target:
            lines.append(IndicatorLine(ind.code, ind.name, ind.measure, values, target,
                                       len({v for v, _ in values}) > 1))
    return lines


def held_visits(year: int) -> list[int]:
    """Ids of the held visits of a year, by date (to draft all its notices)."""
    return [vid for (vid,) in Visit.select(Visit.id).join(Plan)
            .where((Plan.year == year) & (Visit.status == "held"))
            .order_by(Visit.held_on, Visit.id).tuples()]
