"""Units: the roster as it stood on any day, and reorganisations.

A unit exists from `started_on` (inclusive) until `ended_on` (exclusive).
Reorganising ends units on a date and names their successors; unfinished
remediation tasks pass to the successor that takes them, while visits,
findings and finished tasks keep pointing at the unit as it was.

People keep the roster themselves: `create` adds a unit, `update` edits one
(checked against the version the form showed), `end` ends one on a day (refused
while it has unfinished tasks, unless they are passed on in the same step),
`validate` checks a form's fields as they are typed. Reorganisations (merge,
rename, split, dissolve) and passing on the tasks a dissolved unit left
pending are in rules/reorganisation.py.
"""
import datetime as dt
import re
from dataclasses import dataclass

from peewee import fn

from inspect_tui.rules import audit, limits
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.text import fold, matches
from inspect_tui.rules.vocab import UNFINISHED_TASK, UNIT_KINDS
from inspect_tui.store.models import Succession, Task, Unit, Visit

CODE_MAX = Unit.code.max_length  # characters of a unit's code
UNIT_NAME_MAX = Unit.name.max_length  # characters of a unit's name
_CODE = re.compile(r"^[^\s,;]+$")  # a code is one word: no spaces, commas or semicolons


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
    version: int = 0  # what an edit form sends back as expected_version


def row(unit: Unit) -> UnitRow:
    parent = unit.parent.code if unit.parent_id else None
    return UnitRow(unit.id, unit.code, unit.name, unit.kind, parent, unit.started_on,
                   unit.ended_on, unit.confirmed, unit.note, unit.version)


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


def resolve(text: str, field: str = "unit", on: dt.date | None = None) -> Unit:
    """The one unit `text` names: its code (any case), or its name or part of
    it typed with or without diacritics. Several matches are refused with
    their codes (a name part like "so" or "ubnd" must not silently merge
    eleven units), except that one name equal to the text wins over names
    that merely contain it. With `on`, only units existing that day count
    ("ninh kieu" on 01/8/2025 is the ward, not the district that ended)."""
    text = limits.check_query(text, field)
    alive = exists_on_condition(on) if on is not None else True
    by_code = list(Unit.select().where((fn.LOWER(Unit.code) == text.lower()) & alive).limit(2))
    if len(by_code) == 1:
        return by_code[0]
    folded = fold(text)
    found = list(Unit.select().where(matches(Unit.search_text, text) & alive)
                 .order_by(Unit.code)) if folded else []
    if len(found) == 1:
        return found[0]
    exact = [u for u in found if fold(u.name) == folded]
    if len(exact) == 1:
        return exact[0]
    if not found:
        if on is not None and Unit.select().where(
                (fn.LOWER(Unit.code) == text.lower()) | matches(Unit.search_text, text)).exists():
            raise DomainError("unit_not_existing", code=text, day=on)
        raise DomainError("unknown_unit", code=text)
    codes = [u.code for u in found[:AMBIGUOUS_SHOWN]] + (["…"] if len(found) > AMBIGUOUS_SHOWN else [])
    raise DomainError("ambiguous_unit", text=text, n=len(found), codes=", ".join(codes))


def search(text: str, on: dt.date | None = None, limit: int = 8) -> list[UnitRow]:
    """Units a person may mean by `text` while typing it (a unit picker): its
    code in any case, or words of its name with or without diacritics, in any
    order. Best first: the code itself, a code beginning so, a name beginning
    so, then names containing every word. Only units existing on `on`, if given.
    Text over limits.QUERY_MAX finds nothing."""
    folded = fold(text)
    if not folded or len(text) > limits.QUERY_MAX:
        return []
    words = folded.split()
    kinds = {k: i for i, k in enumerate(UNIT_KINDS)}
    query = Unit.select()
    if on is not None:
        query = query.where(exists_on_condition(on))
    ranked = []
    for unit in query:
        code, name = unit.code.casefold(), fold(unit.name)
        if code == folded:
            rank = 0
        elif code.startswith(folded):
            rank = 1
        elif name == folded:
            rank = 2
        elif name.startswith(folded):
            rank = 3
        elif all(w in name or w in code for w in words):
            rank = 4 if f" {words[0]}" in f" {name}" else 5
        else:
            continue
        ranked.append(((rank, unit.ended_on is not None, kinds.get(unit.kind, 99), name), unit))
    ranked.sort(key=lambda r: r[0])  # then units still in existence, by kind, by name
    return [row(u) for _, u in ranked[:limit]]


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
    everyone = {u.id: u for u in Unit.select(Unit.id, Unit.code, Unit.started_on, Unit.ended_on)}
    parents = {u.id: u.parent_id for u in units}
    if on is not None:
        parents.update(_parents_on(units, everyone, on))
    return [UnitRow(u.id, u.code, u.name, u.kind, everyone[parents[u.id]].code if parents[u.id] else None,
                    u.started_on, u.ended_on, u.confirmed, u.note, u.version) for u in units]


def _parents_on(units: list[Unit], everyone: dict[int, Unit], day: dt.date) -> dict[int, int]:
    """{unit id: the parent it had on `day`} for the units whose parent today
    did not exist that day (a merge placed them under its successor): the
    latest earlier parent, from the change log, that existed on `day`."""
    from inspect_tui.rules.audit import decode  # noqa: PLC0415 - the log's own decoding
    from inspect_tui.store.models import ChangeLog

    result = {}
    for unit in units:
        parent = everyone.get(unit.parent_id)
        if parent is None or parent.exists_on(day):
            continue
        olds = (ChangeLog.select(ChangeLog.old).where(
            (ChangeLog.entity == "unit") & (ChangeLog.record_id == unit.id) & (ChangeLog.field == "parent")
            & (ChangeLog.action == "update")).order_by(ChangeLog.id.desc()).tuples())
        for (old,) in olds:
            earlier = everyone.get(decode(Unit.parent, old))
            if earlier is not None and earlier.exists_on(day):
                result[unit.id] = earlier.id
                break
    return result


def _validate(code: str, name: str, kind: str, started_on, ended_on):
    if not code.strip():
        raise DomainError("required", field="code")
    if not name.strip():
        raise DomainError("required", field="name")
    check_code(code)
    limits.check_text(name.strip(), "name", UNIT_NAME_MAX)
    if limits._control(name.strip()):
        raise DomainError("control_characters", field="name")
    if kind not in UNIT_KINDS:
        raise DomainError("bad_choice", field="kind", value=kind, choices=", ".join(UNIT_KINDS))
    for day, field in ((started_on, "started_on"), (ended_on, "ended_on")):
        if day is not None:
            limits.check_day(day, field)
    if started_on and ended_on and ended_on <= started_on:
        raise DomainError("ends_before_start", code=code)


def search_text(code: str, name: str) -> str:
    """What unit search matches: code and name folded (the write cuts it to its
    column: a name in a script that folding decomposes, Hangul, may grow threefold)."""
    return fold(f"{code} {name}")


def check_code(code: str) -> str:
    """A unit code as stored: stripped, one word (no spaces, commas or
    semicolons: lists of codes are written with them), at most CODE_MAX
    characters, no control characters."""
    code = str(code or "").strip()
    if not code:
        raise DomainError("required", field="code")
    limits.check_text(code, "code", CODE_MAX)
    if not _CODE.match(code) or limits._control(code):
        raise DomainError("bad_unit_code", code=code)
    return code


def _ancestors(unit: Unit):
    """`unit`, its parent, the parent's parent ... (stops at a loop)."""
    seen = set()
    while unit is not None and unit.id not in seen:
        seen.add(unit.id)
        yield unit
        unit = Unit.get_or_none(Unit.id == unit.parent_id) if unit.parent_id else None


def _check_parent(code: str, parent: Unit | None, started_on: dt.date | None,
                  unit: Unit | None = None) -> None:
    """A parent must exist on the day the unit starts (a ward is not placed
    under a district that ended the day before), and must not be the unit
    itself or one of its own subordinate units."""
    if parent is None:
        return
    if unit is not None and any(a.id == unit.id for a in _ancestors(parent)):
        raise DomainError("parent_cycle", code=code, parent=parent.code)
    if started_on is not None and not parent.exists_on(started_on):
        raise DomainError("parent_not_existing", code=code, parent=parent.code, day=started_on)


def _visit_day(visit: Visit) -> dt.date | None:
    return visit.held_on or visit.scheduled_on


def _check_life(unit: Unit, started_on: dt.date | None, ended_on: dt.date | None) -> None:
    """What new dates of an existing unit must respect: its visits lie within
    them; a unit a reorganisation ended or started keeps that day (undo the
    reorganisation instead); a unit that ends has no unfinished task and no
    subordinate unit left after its end."""
    if ended_on != unit.ended_on and Succession.select().where(Succession.predecessor == unit).exists():
        raise DomainError("unit_ended_by_reorganisation", code=unit.code, day=unit.ended_on)
    first = (Succession.select(fn.MIN(Succession.on_date)).where(Succession.successor == unit).scalar())
    if first is not None and started_on is not None and started_on > first:
        raise DomainError("unit_started_by_reorganisation", code=unit.code, day=first)
    for visit in Visit.select().where(Visit.unit == unit).order_by(Visit.id):
        day = _visit_day(visit)
        if day is not None and ((started_on and day < started_on) or (ended_on and day >= ended_on)):
            raise DomainError("unit_visited_outside", code=unit.code, id=visit.id, day=day)
    if ended_on is not None and (unit.ended_on is None or ended_on < unit.ended_on):
        check_can_end(unit, ended_on)


def check_can_end(unit: Unit, day: dt.date) -> None:
    """Refuse to end `unit` on `day` while it holds unfinished tasks or
    subordinate units that go on existing."""
    left = open_tasks(unit)
    if left:
        raise DomainError("unit_has_open_tasks", code=unit.code, n=left)
    children = [c.code for c in Unit.select(Unit.code).where(
        (Unit.parent == unit) & (Unit.ended_on.is_null() | (Unit.ended_on > day))).order_by(Unit.code)]
    if children:
        raise DomainError("unit_has_children", code=unit.code, codes=", ".join(children[:AMBIGUOUS_SHOWN])
                          + (", …" if len(children) > AMBIGUOUS_SHOWN else ""))


def open_tasks(unit: Unit | str) -> int:
    """How many unfinished tasks (open, in progress, reported done) `unit` is responsible for."""
    unit = get(unit) if isinstance(unit, str) else unit
    return Task.select().where((Task.responsible_unit == unit) & Task.status.in_(UNFINISHED_TASK)).count()


def create(code: str, name: str, kind: str, actor: str, parent: str | None = None,
           started_on: dt.date | None = None, ended_on: dt.date | None = None,
           confirmed: bool = True, note: str = "") -> UnitRow:
    """Add a unit (the `a` form, the roster import). `parent` is a code."""
    _validate(code, name, kind, started_on, ended_on)
    if Unit.select().where(Unit.code == code.strip()).exists():
        raise DomainError("duplicate_unit", code=code.strip())
    parent_unit = get(parent) if parent else None
    _check_parent(code.strip(), parent_unit, started_on)
    with audit.change(actor) as ch:
        unit = ch.create(Unit, code=code.strip(), name=name.strip(), kind=kind,
                         parent=parent_unit, started_on=started_on,
                         ended_on=ended_on, confirmed=bool(confirmed), note=note,
                         search_text=search_text(code.strip(), name.strip()))
    return row(unit)


EDITABLE = ("name", "kind", "parent", "started_on", "ended_on", "confirmed", "note")


def update(code: str, actor: str, expected_version: int | None = None, **values) -> UnitRow:
    """Edit a unit (the `e` form, the roster import): any of EDITABLE, checked
    against the version the form showed (`expected_version`), and again inside
    the write. The code is the unit's identity and is not edited; a new name
    from a given day is a reorganisation (rename), which keeps the history."""
    unit = get(code)
    audit.expect(unit, expected_version)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise DomainError("bad_field", field=", ".join(sorted(unknown)))
    if "parent" in values:  # a code, or blank to clear it
        values["parent"] = get(values["parent"]) if values["parent"] else None
    merged = {f: values.get(f, getattr(unit, f)) for f in ("name", "kind", "started_on", "ended_on")}
    _validate(unit.code, merged["name"], merged["kind"], merged["started_on"], merged["ended_on"])
    if "parent" in values or "started_on" in values:
        parent = values["parent"] if "parent" in values else (
            Unit.get_or_none(Unit.id == unit.parent_id) if unit.parent_id else None)
        if "parent" in values and (values["parent"].id if values["parent"] else None) == unit.parent_id \
                and merged["started_on"] == unit.started_on:
            parent = None  # unchanged: a parent placed before the checks existed stays
        _check_parent(unit.code, parent, merged["started_on"], unit)
    if merged["started_on"] != unit.started_on or merged["ended_on"] != unit.ended_on:
        _check_life(unit, merged["started_on"], merged["ended_on"])
    if "confirmed" in values:
        values["confirmed"] = bool(values["confirmed"])
    with audit.change(actor) as ch:
        values["search_text"] = search_text(unit.code, merged["name"])
        ch.update(unit, **values)
    return row(unit)


@dataclass(frozen=True)
class EndCheck:
    """What stands in the way of ending a unit on a day (the `x` form shows it
    before asking where the unfinished tasks go)."""
    code: str
    day: dt.date
    open_tasks: int  # unfinished tasks it is responsible for: they must be passed on
    children: tuple[str, ...]  # subordinate units existing on the day: they follow the tasks
    planned_visits: tuple[int, ...]  # visits planned for it on or after the day (left as they are)
    version: int

    @property
    def needs_heir(self) -> bool:
        return bool(self.open_tasks or self.children)


def end_check(code: str, day: dt.date) -> EndCheck:
    unit = get(code)
    day = limits.check_day(day, "ended_on")
    children = tuple(c.code for c in Unit.select(Unit.code).where(
        (Unit.parent == unit) & (Unit.ended_on.is_null() | (Unit.ended_on > day))).order_by(Unit.code))
    planned = tuple(v.id for v in Visit.select(Visit.id).where(
        (Visit.unit == unit) & (Visit.status == "planned")
        & (Visit.scheduled_on.is_null() | (Visit.scheduled_on >= day))).order_by(Visit.id))
    return EndCheck(unit.code, day, open_tasks(unit), children, planned, unit.version)


def end(code: str, day: dt.date, actor: str, expected_version: int | None = None,
        pass_to: str | None = None, note: str = "") -> UnitRow:
    """End a unit on `day` (its first day of no longer existing: the `x` form).

    Refused while the unit holds unfinished tasks or subordinate units, unless
    `pass_to` (a unit existing on `day`) takes them in the same step: that is a
    dissolution into `pass_to`, recorded as a reorganisation (one batch, undone
    whole), so the history and the unit's successors show where the work went."""
    unit = get(code)
    audit.expect(unit, expected_version)
    day = limits.check_day(day, "ended_on")
    if unit.ended_on is not None:
        raise DomainError("unit_already_ended", code=unit.code, day=unit.ended_on)
    if pass_to:
        from inspect_tui.rules import reorganisation

        reorganisation.apply(reorganisation.Plan(
            "dissolve", (unit.code,), day, successors=(pass_to,),
            assignment=reorganisation.Assignment(to=pass_to, children_to=pass_to), note=note,
            versions={unit.code: unit.version}), actor)
        return row(get(unit.code))
    if unit.started_on is not None and day <= unit.started_on:
        raise DomainError("ends_before_start", code=unit.code)
    return update(unit.code, actor, expected_version=unit.version, ended_on=day)


FORM_FIELDS = ("code", "name", "kind", "parent", "started_on", "ended_on")


def validate(values: dict, code: str | None = None) -> dict[str, str]:
    """The `a`/`e` forms' check as you type: {field: message} for every field
    of `values` (code, name, kind, parent, started_on, ended_on; dates as typed
    or as dates) that the rules would refuse; empty when all is well. `code`
    is the unit being edited (None for a new one). The save itself checks again."""
    from inspect_tui.rules.dates import parse_optional_date

    problems: dict[str, str] = {}

    def check(field, fn):
        try:
            return fn()
        except DomainError as exc:
            problems.setdefault(field, exc.message())
            return None

    existing = Unit.get_or_none(Unit.code == code) if code else None
    if existing is None and "code" in values:
        typed = check("code", lambda: check_code(values["code"]))
        if typed and Unit.select().where(Unit.code == typed).exists():
            problems["code"] = DomainError("duplicate_unit", code=typed).message()
    if "name" in values:
        check("name", lambda: _validate("X", str(values["name"] or ""), UNIT_KINDS[0], None, None))
    if "kind" in values and values["kind"] not in UNIT_KINDS:
        problems["kind"] = DomainError("bad_choice", field="kind", value=values["kind"],
                                       choices=", ".join(UNIT_KINDS)).message()
    days = {}
    for field in ("started_on", "ended_on"):
        if field in values:
            days[field] = check(field, lambda f=field: parse_optional_date(values[f], f))
            if days[field] is not None:
                check(field, lambda f=field: limits.check_day(days[field], f))
    start = days.get("started_on", existing.started_on if existing else None)
    end_ = days.get("ended_on", existing.ended_on if existing else None)
    if start and end_ and end_ <= start and "ended_on" not in problems:
        problems["ended_on"] = DomainError("ends_before_start", code=code or values.get("code", "")).message()
    if values.get("parent"):
        parent = check("parent", lambda: get(values["parent"]))
        if parent is not None:
            check("parent", lambda: _check_parent(code or str(values.get("code", "")), parent, start,
                                                  existing))
    if existing is not None and "started_on" not in problems and "ended_on" not in problems \
            and (start != existing.started_on or end_ != existing.ended_on):
        check("ended_on" if end_ != existing.ended_on else "started_on",
              lambda: _check_life(existing, start, end_))
    return problems


@dataclass(frozen=True)
class Link:
    code: str
    name: str
    on_date: dt.date
    kind: str  # merge, rename, split, dissolve, hold


@dataclass(frozen=True)
class Links:
    predecessors: tuple[Link, ...]  # the units whose work it took over, oldest first
    successors: tuple[Link, ...]  # the units that took over its work


def links() -> dict[str, Links]:
    """{unit code: its predecessors and successors} for every unit with either."""
    Pred, Succ = Unit.alias(), Unit.alias()
    query = (Succession.select(Succession.on_date, Succession.kind, Pred.code, Pred.name, Succ.code,
                               Succ.name)
             .join(Pred, on=(Succession.predecessor == Pred.id))
             .switch(Succession).join(Succ, on=(Succession.successor == Succ.id))
             .order_by(Succession.on_date, Succession.id).tuples())
    before: dict[str, list[Link]] = {}
    after: dict[str, list[Link]] = {}
    for on_date, kind, p_code, p_name, s_code, s_name in query:
        after.setdefault(p_code, []).append(Link(s_code, s_name, on_date, kind))
        before.setdefault(s_code, []).append(Link(p_code, p_name, on_date, kind))
    return {code: Links(tuple(before.get(code, ())), tuple(after.get(code, ())))
            for code in set(before) | set(after)}


@dataclass(frozen=True)
class Reorganisation:
    kind: str
    on_date: dt.date
    ended: list[str]
    successors: list[str]
    tasks_moved: int
    pending: int = 0  # tasks left with the holder, pending reassignment
    batch: str = ""  # the change-log batch: audit.undo(batch, actor) takes it back whole


def reorganise(kind: str, sources: list[str], successors: list[str], on_date: dt.date,
               actor: str, new_units: list[dict] | None = None, tasks_to: str | None = None,
               note: str = "", assignment=None, holder: str | None = None) -> Reorganisation:
    """Merge several units into one, rename one, split one into several, or
    dissolve some (see rules/reorganisation.py, which previews it first).

    `successors` are unit codes; those described in `new_units` (dicts with
    code, name, kind, optional parent) are created, starting on `on_date`.
    Unfinished tasks pass to `tasks_to` (default: the first successor) unless
    `assignment` (a reorganisation.Assignment) says otherwise; `holder` keeps
    what no successor takes, pending reassignment.
    """
    from inspect_tui.rules import reorganisation

    if assignment is None:
        default = tasks_to or (successors[0] if successors and kind != "dissolve" and not holder else None)
        assignment = reorganisation.Assignment(to=default, holder=holder)
    elif holder and not assignment.holder:
        assignment = reorganisation.replace(assignment, holder=holder)
    plan = reorganisation.Plan(kind, tuple(sources), on_date, successors=tuple(successors),
                               new_units=tuple(new_units or ()), assignment=assignment, note=note)
    return reorganisation.apply(plan, actor)


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


def name_by_id(unit_id: int) -> str | None:
    """The name of the unit with this id (as the change log records it), or None."""
    unit = Unit.get_or_none(Unit.id == unit_id)
    return unit.name if unit else None


def exists_in_year(unit: Unit | UnitRow, year: int) -> bool:
    """Whether the unit existed on some day of `year` (e.g. to issue that year's plan)."""
    return not ((unit.started_on and unit.started_on > dt.date(year, 12, 31))
                or (unit.ended_on and unit.ended_on <= dt.date(year, 1, 1)))
