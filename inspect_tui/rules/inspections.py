"""Inspection plans, their teams and visits, and starting next year's plan."""
import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, fn

from inspect_tui.rules import audit, limits, units, workdays
from inspect_tui.rules.ageing import overdue_condition
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import (ACTIVE_TASK, PLAN_KINDS, PLAN_LEVELS, ROLES,
                                     UNFINISHED_TASK, VISIT_STATUSES)
from inspect_tui.store.models import (CarriedTask, Finding, Plan, Task, TeamMember, Unit,
                                      Visit)

VISIT_MOVES = {
    "planned": {"held", "postponed", "cancelled"},
    "postponed": {"planned", "held", "cancelled"},
    "held": set(),
    "cancelled": {"planned"},
}


def _choice(field, value, choices):
    if value not in choices:
        raise DomainError("bad_choice", field=field, value=value, choices=", ".join(choices))


@dataclass(frozen=True)
class PlanRow:
    id: int
    year: int
    level: str
    issuer_code: str | None
    issuer_name: str | None
    number: str
    issued_on: dt.date | None
    kind: str
    title: str
    visits: int


def _plan_row(plan: Plan, visits: int | None = None) -> PlanRow:
    issuer = plan.issuer if plan.issuer_id else None
    if visits is None:
        visits = Visit.select().where(Visit.plan == plan).count()
    return PlanRow(plan.id, plan.year, plan.level, issuer.code if issuer else None,
                   issuer.name if issuer else None, plan.number, plan.issued_on, plan.kind,
                   plan.title, visits)


def get_plan(plan_id: int) -> Plan:
    plan = Plan.get_or_none(Plan.id == plan_id)
    if plan is None:
        raise DomainError("unknown_record", what="plan", id=plan_id)
    return plan


def plans(year: int | None = None, level: str | None = None) -> list[PlanRow]:
    count = fn.COUNT(Visit.id)
    query = (Plan.select(Plan, count.alias("n"))
             .join(Visit, JOIN.LEFT_OUTER).group_by(Plan.id)
             .order_by(Plan.year.desc(), Plan.level, Plan.number))
    if year:
        query = query.where(Plan.year == year)
    if level:
        query = query.where(Plan.level == level)
    return [_plan_row(p, p.n) for p in query]


def create_plan(year: int, number: str, actor: str, level: str = "city",
                issued_on: dt.date | None = None, kind: str = "comprehensive", title: str = "",
                issuer: str | None = None) -> PlanRow:
    _choice("level", level, PLAN_LEVELS)
    _choice("kind", kind, PLAN_KINDS)
    if not number.strip():
        raise DomainError("required", field="number")
    year = limits.check_year(year)
    if level == "unit" and not issuer:
        raise DomainError("unit_plan_needs_issuer")
    with audit.change(actor) as ch:
        plan = ch.create(Plan, year=int(year), level=level, number=number.strip(),
                         issued_on=issued_on, kind=kind, title=title.strip(),
                         issuer=units.get(issuer) if issuer else None)
    return _plan_row(plan, 0)


@dataclass(frozen=True)
class MemberRow:
    id: int
    name: str
    title: str
    organisation: str
    role: str


def team(plan_id: int) -> list[MemberRow]:
    order = {r: i for i, r in enumerate(ROLES)}
    rows = TeamMember.select().where(TeamMember.plan == plan_id)
    rows = sorted(rows, key=lambda m: (order.get(m.role, 9), m.position, m.id))
    return [MemberRow(m.id, m.name, m.title, m.organisation, m.role) for m in rows]


def add_member(plan_id: int, name: str, role: str, actor: str, title: str = "",
               organisation: str = "") -> MemberRow:
    plan = get_plan(plan_id)
    _choice("role", role, ROLES)
    if not name.strip():
        raise DomainError("required", field="name")
    with audit.change(actor) as ch:
        ch.lock(Plan, plan.id)  # one team change at a time: two leaders cannot slip in together
        if role == "leader" and TeamMember.select().where(
                (TeamMember.plan == plan) & (TeamMember.role == "leader")).exists():
            raise DomainError("one_leader")
        position = TeamMember.select().where(TeamMember.plan == plan).count()
        m = ch.create(TeamMember, plan=plan, name=name.strip(), title=title.strip(),
                      organisation=organisation.strip(), role=role, position=position)
    return MemberRow(m.id, m.name, m.title, m.organisation, m.role)


@dataclass(frozen=True)
class VisitRow:
    id: int
    plan_id: int
    year: int
    plan_number: str
    unit_code: str
    unit_name: str
    unit_kind: str
    scheduled_on: dt.date | None
    held_on: dt.date | None
    status: str
    minutes_ref: str
    notice_number: str
    notice_date: dt.date | None
    assessment: str
    findings: int = 0
    open_tasks: int = 0
    overdue_tasks: int = 0
    leader: str = ""
    version: int = 0  # what an edit of this visit must still find
    strengths: str = ""  # "Ưu điểm", for the conclusion notice
    representatives: str = ""  # the unit's people at the visit, one a line
    notice_due_on: dt.date | None = None  # 15 working days after a held visit


def get_visit(visit_id: int) -> Visit:
    visit = Visit.get_or_none(Visit.id == visit_id)
    if visit is None:
        raise DomainError("unknown_record", what="visit", id=visit_id)
    return visit


def visits(today: dt.date, plan_id: int | None = None, year: int | None = None,
           unit: str | None = None, visit_id: int | None = None) -> list[VisitRow]:
    """Visits with their counts of findings, open and overdue tasks."""
    query = (Visit.select(Visit, Plan, Unit).join(Plan).switch(Visit).join(Unit)
             .order_by(Plan.year, Visit.scheduled_on, Unit.name))
    if plan_id:
        query = query.where(Visit.plan == plan_id)
    if year:
        query = query.where(Plan.year == year)
    if unit:
        query = query.where(Unit.code == unit)
    if visit_id:
        query = query.where(Visit.id == visit_id)
    found = list(query)
    ids = [v.id for v in found]
    findings, open_, overdue, leaders = {}, {}, {}, {}
    if ids:
        for vid, n in (Finding.select(Finding.visit, fn.COUNT(Finding.id))
                       .where(Finding.visit.in_(ids)).group_by(Finding.visit).tuples()):
            findings[vid] = n
        base = Task.select(Finding.visit, fn.COUNT(Task.id)).join(Finding).group_by(Finding.visit)
        for vid, n in base.where(Finding.visit.in_(ids) & Task.status.in_(ACTIVE_TASK)).tuples():
            open_[vid] = n
        for vid, n in base.where(Finding.visit.in_(ids) & overdue_condition(today)).tuples():
            overdue[vid] = n
        plan_ids = {v.plan_id for v in found}
        for pid, name in (TeamMember.select(TeamMember.plan, TeamMember.name)
                          .where(TeamMember.plan.in_(plan_ids) & (TeamMember.role == "leader"))
                          .tuples()):
            leaders[pid] = name
    return [VisitRow(v.id, v.plan_id, v.plan.year, v.plan.number, v.unit.code, v.unit.name,
                     v.unit.kind, v.scheduled_on, v.held_on, v.status, v.minutes_ref,
                     v.notice_number, v.notice_date, v.assessment, findings.get(v.id, 0),
                     open_.get(v.id, 0), overdue.get(v.id, 0), leaders.get(v.plan_id, ""),
                     v.version, v.strengths, v.representatives,
                     workdays.notice_due_on(v.held_on) if v.held_on else None)
            for v in found]


def visit_row(visit_id: int, today: dt.date) -> VisitRow:
    rows = visits(today, visit_id=visit_id)
    if not rows:
        raise DomainError("unknown_record", what="visit", id=visit_id)
    return rows[0]


def visit_problems(year: int, status: str = "planned", scheduled_on: dt.date | None = None,
                   held_on: dt.date | None = None, notice_date: dt.date | None = None,
                   today: dt.date | None = None) -> list[DomainError]:
    """Every problem of a visit's days in a plan of `year`: an import reports
    them all (each at its column), a single save raises the first."""
    problems = []
    for name, day in (("scheduled_on", scheduled_on), ("held_on", held_on), ("notice_date", notice_date)):
        if day is not None and not limits.YEAR_MIN <= day.year <= limits.YEAR_MAX:
            problems.append(DomainError("date_out_of_range", field=name, low=limits.YEAR_MIN,
                                        high=limits.YEAR_MAX))
    if scheduled_on and scheduled_on.year != year:
        problems.append(DomainError("visit_outside_year", year=year))
    if status == "held" and held_on is None:
        problems.append(DomainError("held_needs_date"))
    if status == "held" and today is not None and held_on is not None and held_on > today:
        problems.append(DomainError("held_in_future", day=held_on))
    if notice_date and held_on and notice_date < held_on:
        problems.append(DomainError("notice_before_visit"))
    return problems


def _raise_first(problems: list[DomainError]) -> None:
    if problems:
        raise problems[0]


def add_visit(plan_id: int, unit: str, actor: str, scheduled_on: dt.date | None = None) -> int:
    plan = get_plan(plan_id)
    target = units.get(unit)
    day = scheduled_on or dt.date(plan.year, 1, 1)
    if not target.exists_on(day):
        raise DomainError("unit_not_existing", code=unit, day=day)
    _raise_first(visit_problems(plan.year, scheduled_on=scheduled_on))
    with audit.change(actor) as ch:
        visit = ch.create(Visit, plan=plan, unit=target, scheduled_on=scheduled_on)
    return visit.id


VISIT_FIELDS = {"scheduled_on", "held_on", "minutes_ref", "notice_number", "notice_date",
                "assessment", "status", "strengths", "representatives"}


def update_visit(visit_id: int, actor: str, today: dt.date | None = None,
                 expected_version: int | None = None, **values) -> None:
    """Change a visit's details and, with `status`, move it (planned → held ...).
    Given `today`, a visit cannot be recorded as held on a later day. The move
    is checked on the copy that the write then guards by its version."""
    visit = get_visit(visit_id)
    audit.expect(visit, expected_version)
    unknown = set(values) - VISIT_FIELDS
    if unknown:
        raise DomainError("bad_field", field=", ".join(sorted(unknown)))
    status = values.get("status", visit.status)
    _choice("status", status, VISIT_STATUSES)
    if status != visit.status and status not in VISIT_MOVES[visit.status]:
        raise DomainError("visit_move_refused", old=visit.status, new=status)
    _raise_first(visit_problems(visit.plan.year, status, held_on=values.get("held_on", visit.held_on),
                                notice_date=values.get("notice_date", visit.notice_date), today=today))
    with audit.change(actor) as ch:
        ch.update(visit, **values)


def start_next_year(plan_id: int, actor: str, number: str, issued_on: dt.date | None = None
                    ) -> PlanRow:
    """Start next year's plan from this one: same level, kind, issuer and team,
    a planned visit to each unit (or its successor), and its unfinished tasks
    carried forward for follow-up. Running it again adds only what is missing."""
    source = get_plan(plan_id)
    year = source.year + 1
    jan1 = dt.date(year, 1, 1)
    with audit.change(actor) as ch:
        ch.lock(Plan, source.id)  # two coordinators starting next year at once make one plan
        plan = Plan.get_or_none((Plan.derived_from == source) & (Plan.year == year))
        if plan is None:
            plan = ch.create(Plan, year=year, level=source.level, issuer=source.issuer,
                             number=number.strip(), issued_on=issued_on, kind=source.kind,
                             title=source.title, derived_from=source)
            for m in TeamMember.select().where(TeamMember.plan == source).order_by(TeamMember.position):
                ch.create(TeamMember, plan=plan, name=m.name, title=m.title,
                          organisation=m.organisation, role=m.role, position=m.position)
        visited = {v.unit_id for v in Visit.select(Visit.unit).where(Visit.plan == plan)}
        for old in Visit.select().where(Visit.plan == source).order_by(Visit.id):
            heir = units.heir_on(old.unit, jan1)
            if heir.exists_on(jan1) and heir.id not in visited:
                ch.create(Visit, plan=plan, unit=heir)
                visited.add(heir.id)
        carried = {c.task_id for c in CarriedTask.select(CarriedTask.task).where(CarriedTask.plan == plan)}
        for task in (Task.select().join(Finding).join(Visit)
                     .where((Visit.plan == source) & Task.status.in_(UNFINISHED_TASK))):
            if task.id not in carried:
                ch.create(CarriedTask, plan=plan, task=task)
                carried.add(task.id)
        carried_earlier = (CarriedTask.select(CarriedTask.task).join(Task)
                           .where((CarriedTask.plan == source) & Task.status.in_(UNFINISHED_TASK)))
        for link in carried_earlier:
            if link.task_id not in carried:
                ch.create(CarriedTask, plan=plan, task=link.task_id)
                carried.add(link.task_id)
    return _plan_row(plan)


def carried_tasks(plan_id: int) -> list[int]:
    return [c.task_id for c in CarriedTask.select().where(CarriedTask.plan == plan_id)
            .order_by(CarriedTask.task)]


def plan_row(plan_id: int) -> PlanRow:
    """One plan as the screens show it."""
    return _plan_row(get_plan(plan_id))


def next_year_plan(plan_id: int) -> PlanRow | None:
    """The plan started from this one for the following year, if there is one yet."""
    source = get_plan(plan_id)
    plan = Plan.get_or_none((Plan.derived_from == source) & (Plan.year == source.year + 1))
    return _plan_row(plan) if plan else None
