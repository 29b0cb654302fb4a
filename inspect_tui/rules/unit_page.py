"""What a unit's page shows beyond its tasks and visits: the facts about the
unit (with its parent's name) and every finding recorded at its visits."""
import datetime as dt
from dataclasses import dataclass

from inspect_tui.rules import units
from inspect_tui.store.models import Finding, Plan, Visit


@dataclass(frozen=True)
class UnitFacts:
    code: str
    name: str
    kind: str
    parent_name: str | None
    started_on: dt.date | None
    ended_on: dt.date | None  # the first day without the unit


@dataclass(frozen=True)
class UnitFinding:
    visit_id: int
    id: int
    year: int
    area: str
    description: str
    repeated: bool  # repeats an earlier, unremedied finding


def facts(code: str) -> UnitFacts:
    unit = units.get(code)
    parent = unit.parent.name if unit.parent_id else None
    return UnitFacts(unit.code, unit.name, unit.kind, parent, unit.started_on, unit.ended_on)


def findings(code: str) -> list[UnitFinding]:
    """The unit's findings, the latest plan's year first, in their order within a visit."""
    unit = units.get(code)
    query = (Finding.select(Finding, Visit, Plan).join(Visit).join(Plan)
             .where(Visit.unit == unit).order_by(Plan.year.desc(), Finding.position))
    return [UnitFinding(f.visit_id, f.id, f.visit.plan.year, f.area, f.description,
                        bool(f.repeats_id)) for f in query]
