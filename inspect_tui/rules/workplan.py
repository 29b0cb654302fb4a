"""The 2026-2030 work plan: items (six solutions, five directions), their
yearly milestones, coordinating units, linked indicators and notes."""
import datetime as dt
from dataclasses import dataclass

from inspect_tui.rules import asof, audit, units
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import AREAS, MILESTONE_STATUSES
from inspect_tui.store.models import (Indicator, Milestone, WorkItem, WorkItemIndicator,
                                      WorkItemNote, WorkItemUnit)

YEARS = tuple(range(2026, 2031))


@dataclass(frozen=True)
class MilestoneRow:
    id: int
    year: int
    due_on: dt.date
    status: str
    note: str
    late: bool  # past due and not done or cancelled
    version: int = 0  # what a change of this milestone must still find


@dataclass(frozen=True)
class ItemRow:
    id: int
    code: str
    source: str
    title: str
    area: str
    lead_code: str | None
    lead_name: str | None
    description: str
    status: str
    milestones: tuple[MilestoneRow, ...]
    coordinators: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()


def _late(m: Milestone, today: dt.date) -> bool:
    return m.status not in ("done", "cancelled") and m.due_on < today


def get(code: str) -> WorkItem:
    item = WorkItem.get_or_none(WorkItem.code == code)
    if item is None:
        raise DomainError("unknown_record", what="work item", id=code)
    return item


def items(today: dt.date, detail: bool = False, as_of: bool = False) -> list[ItemRow]:
    """Every item with its milestones; `late` as of `today`. With `as_of`, the
    statuses, notes, due dates and lead units are those known on `today` (a
    report dated then): changes logged after it are undone (rules/asof.py)."""
    known: dict = {}
    item_known: dict = {}
    if as_of:
        known = asof.values_on(Milestone, [m for (m,) in Milestone.select(Milestone.id).tuples()],
                               ("status", "note", "due_on"), today)
        item_known = asof.values_on(WorkItem, [i for (i,) in WorkItem.select(WorkItem.id).tuples()],
                                    ("status", "lead_unit"), today)
    milestones: dict[int, list[MilestoneRow]] = {}
    for m in Milestone.select().order_by(Milestone.year):
        for name in ("status", "note", "due_on"):
            if (m.id, name) in known:
                setattr(m, name, known[(m.id, name)])
        milestones.setdefault(m.item_id, []).append(
            MilestoneRow(m.id, m.year, m.due_on, m.status, m.note, _late(m, today), m.version))
    coordinators: dict[int, list[str]] = {}
    indicators: dict[int, list[str]] = {}
    if detail:
        for link in WorkItemUnit.select(WorkItemUnit, units.Unit).join(units.Unit):
            coordinators.setdefault(link.item_id, []).append(link.unit.name)
        for link in WorkItemIndicator.select(WorkItemIndicator, Indicator).join(Indicator):
            indicators.setdefault(link.item_id, []).append(link.indicator.code)
    result = []
    for item in WorkItem.select().order_by(WorkItem.position, WorkItem.code):
        status = item_known.get((item.id, "status"), item.status)
        lead_id = item_known.get((item.id, "lead_unit"), item.lead_unit_id)
        lead = units.Unit.get_or_none(units.Unit.id == lead_id) if lead_id else None
        result.append(ItemRow(
            item.id, item.code, item.source, item.title, item.area,
            lead.code if lead else None, lead.name if lead else None, item.description,
            status, tuple(milestones.get(item.id, ())),
            tuple(coordinators.get(item.id, ())), tuple(indicators.get(item.id, ()))))
    return result


def item(code: str, today: dt.date) -> ItemRow:
    for row in items(today, detail=True):
        if row.code == code:
            return row
    raise DomainError("unknown_record", what="work item", id=code)


def create_item(code: str, source: str, title: str, area: str, actor: str, position: int = 0,
                lead: str | None = None, description: str = "",
                coordinators: tuple[str, ...] = (), milestones: dict[int, dict] | None = None,
                indicators: tuple[str, ...] = ()) -> None:
    if area not in AREAS:
        raise DomainError("bad_choice", field="area", value=area, choices=", ".join(AREAS))
    if not title.strip():
        raise DomainError("required", field="title")
    with audit.change(actor) as ch:
        item = ch.create(WorkItem, code=code, source=source, position=position, title=title.strip(),
                         area=area, lead_unit=units.get(lead) if lead else None,
                         description=description.strip())
        for unit_code in coordinators:
            ch.create(WorkItemUnit, item=item, unit=units.get(unit_code))
        for year, spec in sorted((milestones or {}).items()):
            if int(year) not in YEARS:
                raise DomainError("milestone_year", year=year)
            ch.create(Milestone, item=item, year=int(year),
                      due_on=spec.get("due_on") or dt.date(int(year), 12, 31),
                      status=spec.get("status", "not_started"), note=spec.get("note", ""))
        for indicator_code in indicators:
            indicator = Indicator.get_or_none(Indicator.code == indicator_code)
            if indicator is None:
                raise DomainError("unknown_record", what="indicator", id=indicator_code)
            ch.create(WorkItemIndicator, item=item, indicator=indicator)


def set_milestone(code: str, year: int, actor: str, status: str | None = None,
                  note: str | None = None, due_on: dt.date | None = None,
                  expected_version: int | None = None) -> None:
    item = get(code)
    milestone = Milestone.get_or_none((Milestone.item == item) & (Milestone.year == year))
    if milestone is None:
        raise DomainError("unknown_record", what="milestone", id=f"{code} {year}")
    audit.expect(milestone, expected_version)
    if status is not None and status not in MILESTONE_STATUSES:
        raise DomainError("bad_choice", field="status", value=status,
                          choices=", ".join(MILESTONE_STATUSES))
    values = {k: v for k, v in (("status", status), ("note", note), ("due_on", due_on)) if v is not None}
    with audit.change(actor) as ch:
        ch.update(milestone, **values)


def set_status(code: str, status: str, actor: str, expected_version: int | None = None) -> None:
    if status not in MILESTONE_STATUSES:
        raise DomainError("bad_choice", field="status", value=status, choices=", ".join(MILESTONE_STATUSES))
    item = get(code)
    audit.expect(item, expected_version)
    with audit.change(actor) as ch:
        ch.update(item, status=status)


@dataclass(frozen=True)
class ItemNote:
    noted_on: dt.date
    author: str
    text: str


def add_note(code: str, text: str, actor: str, noted_on: dt.date) -> None:
    if not text.strip():
        raise DomainError("required", field="text")
    with audit.change(actor) as ch:
        ch.create(WorkItemNote, item=get(code), noted_on=noted_on, author=actor, text=text.strip())


def notes(code: str) -> list[ItemNote]:
    return [ItemNote(n.noted_on, n.author, n.text) for n in
            WorkItemNote.select().where(WorkItemNote.item == get(code))
            .order_by(WorkItemNote.noted_on, WorkItemNote.id)]


def progress(year: int, today: dt.date) -> dict[str, int]:
    """Milestones of `year` by status, plus how many are late."""
    counts = {s: 0 for s in MILESTONE_STATUSES}
    counts["late"] = 0
    for m in Milestone.select().where(Milestone.year == year):
        counts[m.status] = counts.get(m.status, 0) + 1
        counts["late"] += _late(m, today)
    return counts
