"""Units: the roster as it stood on any day, and reorganisations.

A unit exists from `started_on` (inclusive) until `ended_on` (exclusive).
Reorganising ends units on a date and names their successors; unfinished
remediation tasks pass to the successor that takes them, while visits,
findings and finished tasks keep pointing at the unit as it was.
"""
import datetime as dt
from dataclasses import dataclass

from peewee import fn

from inspect_tui.rules import audit, limits
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.text import fold, matches
from inspect_tui.rules.vocab import REORGANISATIONS, UNFINISHED_TASK, UNIT_KINDS
from inspect_tui.store.models import Succession, Task, Unit


@dataclass(frozen=True)
class UnitRow:
    id: int
    code: str
    name: str
    kind: str
    parent_code: str | None
    started_on: dt.date | None
    ended_on: dt.date | None
    confirmed: bool
    note: str


def row(unit: Unit) -> UnitRow:
    parent = unit.parent.code if unit.parent_id else None
    return UnitRow(unit.id, unit.code, unit.name, unit.kind, parent, unit.started_on,
                   unit.ended_on, unit.confirmed, unit.note)


def get(code: str) -> Unit:
    """The unit with exactly this code (surrounding spaces ignored)."""
    code = limits.check_text(str(code or "").strip(), "code", limits.QUERY_MAX)
    unit = Unit.get_or_none(Unit.code == code) if code else None
    if unit is None:
        raise DomainError("unknown_unit", code=code)
    return unit


def known(text: str) -> bool:
    """Whether `text` is a unit code, or part of a unit's name (diacritics optional),
    the way the task list's unit filter reads it. Over limits.QUERY_MAX is refused."""
    if not str(text or "").strip():
        return False
    text = limits.check_query(text, "unit")
    return Unit.select().where((Unit.code == text) | matches(Unit.search_text, text)).exists()


AMBIGUOUS_SHOWN = 5  # codes listed when a typed unit matches several


def resolve(text: str, field: str = "unit") -> Unit:
    """The one unit `text` names: its code (any case), or its name or part of
    it typed with or without diacritics. Several matches are refused with
    their codes (a name part like "so" or "ubnd" must not silently merge
    eleven units), except that one name equal to the text wins over names
    that merely contain it."""
    text = limits.check_query(text, field)
    by_code = list(Unit.select().where(fn.LOWER(Unit.code) == text.lower()).limit(2))
    if len(by_code) == 1:
        return by_code[0]
    folded = fold(text)
    found = list(Unit.select().where(matches(Unit.search_text, text)).order_by(Unit.code)) if folded else []
    if len(found) == 1:
        return found[0]
    exact = [u for u in found if fold(u.name) == folded]
    if len(exact) == 1:
        return exact[0]
    if not found:
        raise DomainError("unknown_unit", code=text)
    codes = [u.code for u in found[:AMBIGUOUS_SHOWN]] + (["…"] if len(found) > AMBIGUOUS_SHOWN else [])
    raise DomainError("ambiguous_unit", text=text, n=len(found), codes=", ".join(codes))


def exists_on_condition(day: dt.date):
    return ((Unit.started_on.is_null()) | (Unit.started_on <= day)) & (
        (Unit.ended_on.is_null()) | (Unit.ended_on > day))


def roster(on: dt.date | None = None, kind: str | None = None, text: str = "") -> list[UnitRow]:
    """Units in existence on `on` (all units ever when None), by kind then name."""
    query = Unit.select()
    if on is not None:
        query = query.where(exists_on_condition(on))
    if kind:
        query = query.where(Unit.kind == kind)
    if text.strip():
        query = query.where(matches(Unit.search_text, text))
    units = list(query)
    kinds = {k: i for i, k in enumerate(UNIT_KINDS)}
    units.sort(key=lambda u: (kinds.get(u.kind, 99), fold(u.name)))
    parents = {u.id: u.code for u in Unit.select(Unit.id, Unit.code)}
    return [UnitRow(u.id, u.code, u.name, u.kind, parents.get(u.parent_id), u.started_on,
                    u.ended_on, u.confirmed, u.note) for u in units]


def _validate(code: str, name: str, kind: str, started_on, ended_on):
    if not code.strip():
        raise DomainError("required", field="code")
    if not name.strip():
        raise DomainError("required", field="name")
    if kind not in UNIT_KINDS:
        raise DomainError("bad_choice", field="kind", value=kind, choices=", ".join(UNIT_KINDS))
    if started_on and ended_on and ended_on <= started_on:
        raise DomainError("ends_before_start", code=code)


def create(code: str, name: str, kind: str, actor: str, parent: str | None = None,
           started_on: dt.date | None = None, ended_on: dt.date | None = None,
           confirmed: bool = True, note: str = "") -> UnitRow:
    _validate(code, name, kind, started_on, ended_on)
    if Unit.select().where(Unit.code == code.strip()).exists():
        raise DomainError("duplicate_unit", code=code)
    with audit.change(actor) as ch:
        unit = ch.create(Unit, code=code.strip(), name=name.strip(), kind=kind,
                         parent=get(parent) if parent else None, started_on=started_on,
                         ended_on=ended_on, confirmed=confirmed, note=note,
                         search_text=fold(f"{code} {name}"))
    return row(unit)


def update(code: str, actor: str, expected_version: int | None = None, **values) -> UnitRow:
    unit = get(code)
    audit.expect(unit, expected_version)
    allowed = {"name", "kind", "parent", "started_on", "ended_on", "confirmed", "note"}
    unknown = set(values) - allowed
    if unknown:
        raise DomainError("bad_field", field=", ".join(sorted(unknown)))
    if "parent" in values:  # a code, or blank to clear it
        values["parent"] = get(values["parent"]) if values["parent"] else None
    merged = {f: values.get(f, getattr(unit, f)) for f in ("name", "kind", "started_on", "ended_on")}
    _validate(unit.code, merged["name"], merged["kind"], merged["started_on"], merged["ended_on"])
    with audit.change(actor) as ch:
        values["search_text"] = fold(f"{unit.code} {merged['name']}")
        ch.update(unit, **values)
    return row(unit)


@dataclass(frozen=True)
class Reorganisation:
    kind: str
    on_date: dt.date
    ended: list[str]
    successors: list[str]
    tasks_moved: int


def reorganise(kind: str, sources: list[str], successors: list[str], on_date: dt.date,
               actor: str, new_units: list[dict] | None = None, tasks_to: str | None = None,
               note: str = "") -> Reorganisation:
    """Merge several units into one, rename one, or split one into several.

    `successors` are unit codes; those described in `new_units` (dicts with
    code, name, kind, optional parent) are created, starting on `on_date`.
    Unfinished tasks pass to `tasks_to` (default: the first successor).
    """
    if kind not in REORGANISATIONS:
        raise DomainError("bad_choice", field="kind", value=kind, choices=", ".join(REORGANISATIONS))
    if not sources or not successors:
        raise DomainError("reorganise_needs_units")
    if kind == "merge" and len(successors) != 1:
        raise DomainError("merge_one_successor")
    if kind == "rename" and (len(sources) != 1 or len(successors) != 1):
        raise DomainError("rename_one_to_one")
    if kind == "split" and (len(sources) != 1 or len(successors) < 2):
        raise DomainError("split_one_to_many")
    tasks_to = tasks_to or successors[0]
    if tasks_to not in successors:
        raise DomainError("tasks_to_not_successor", code=tasks_to)
    if set(sources) & set(successors) and kind != "merge":
        raise DomainError("successor_is_source")
    new_units = {spec["code"]: spec for spec in (new_units or [])}
    day_before = on_date - dt.timedelta(days=1)
    moved = 0
    with audit.change(actor) as ch:
        targets = {}
        for code in successors:
            if code in new_units:
                spec = new_units[code]
                if Unit.select().where(Unit.code == code).exists():
                    raise DomainError("duplicate_unit", code=code)
                _validate(code, spec["name"], spec["kind"], on_date, None)
                targets[code] = ch.create(
                    Unit, code=code, name=spec["name"], kind=spec["kind"],
                    parent=get(spec["parent"]) if spec.get("parent") else None,
                    started_on=on_date, confirmed=spec.get("confirmed", True),
                    note=spec.get("note", ""), search_text=fold(f"{code} {spec['name']}"))
            else:
                targets[code] = get(code)
                if not targets[code].exists_on(on_date):
                    raise DomainError("successor_not_existing", code=code, day=on_date)
        for code in sources:
            if code in successors:  # merging others into an existing unit that carries on
                continue
            unit = get(code)
            if not unit.exists_on(day_before):
                raise DomainError("source_not_existing", code=code, day=day_before)
            ch.update(unit, ended_on=on_date)
            for target_code, target in targets.items():
                ch.create(Succession, predecessor=unit, successor=target, on_date=on_date,
                          kind=kind, takes_open_tasks=(target_code == tasks_to), note=note)
            heir = targets[tasks_to]
            for task in Task.select().where(
                    (Task.responsible_unit == unit) & Task.status.in_(UNFINISHED_TASK)):
                ch.update(task, responsible_unit=heir)
                moved += 1
            if kind != "split":
                for child in Unit.select().where((Unit.parent == unit) & (
                        Unit.ended_on.is_null() | (Unit.ended_on > on_date))):
                    ch.update(child, parent=heir)
    ended = [c for c in sources if c not in successors]
    return Reorganisation(kind, on_date, ended, list(successors), moved)


def heir_on(unit: Unit, day: dt.date) -> Unit:
    """The unit that carries `unit`'s unfinished work on `day` (itself if it still exists)."""
    seen = set()
    while not unit.exists_on(day) and unit.id not in seen:
        seen.add(unit.id)
        link = (Succession.select().where(
            (Succession.predecessor == unit) & (Succession.takes_open_tasks == True))  # noqa: E712
            .order_by(Succession.on_date).first())
        if link is None:
            break
        unit = link.successor
    return unit


@dataclass(frozen=True)
class SuccessionRow:
    predecessor: str
    predecessor_name: str
    successor: str
    successor_name: str
    on_date: dt.date
    kind: str
    takes_open_tasks: bool


def reorganisation_history(code: str) -> list[SuccessionRow]:
    """Where this unit came from and where it went, oldest first."""
    unit = get(code)
    Pred, Succ = Unit.alias(), Unit.alias()
    query = (Succession.select(Succession, Pred, Succ)
             .join(Pred, on=(Succession.predecessor == Pred.id))
             .switch(Succession).join(Succ, on=(Succession.successor == Succ.id))
             .where((Succession.predecessor == unit) | (Succession.successor == unit))
             .order_by(Succession.on_date, Succession.id))
    return [SuccessionRow(s.predecessor.code, s.predecessor.name, s.successor.code,
                          s.successor.name, s.on_date, s.kind, s.takes_open_tasks) for s in query]
