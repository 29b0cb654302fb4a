"""Reorganisations, previewed then applied as one change batch; and the tasks
a dissolution left pending, passed on to their new units.

Four kinds, each on a day (`on_date`, the first day of the new order):

- merge: several units become one (a new unit, or one of them that carries on);
- rename: one unit becomes one new unit (a new code and name from that day);
- split: one unit becomes several;
- dissolve: one or more units end; their work goes to the successors named
  (new or existing units, none at all if a holder keeps it), or stays with a
  *holder* until the new units exist. The nine districts ended on 01/7/2025
  this way: their tasks are held by UBND thành phố, pending reassignment to
  the communes and wards.

`preview(plan)` says, without writing, which units end and start, every
unfinished task (open, in progress, reported done) that will move and to
whom, the subordinate units that follow, and the visits planned for the
ending units (left as they are). `apply(plan, actor)` does exactly that in one
transaction and one change-log batch, so `audit.undo(batch)` takes the whole
step back; given the preview the user saw, it refuses when the record has
changed since (a task added, moved or edited meanwhile).

Who takes a task (merge and rename: the one successor). For a split or a
dissolution the user assigns tasks one by one, or by a rule; the first that
applies wins:

1. `tasks`: this task to that successor (one by one);
2. `by_unit`: every task of this ending unit to that successor. "By the
   responsible unit's area": the tasks of a district go to the unit now
   governing its area (e.g. each dissolved district's tasks to the ward that
   took over its seat), one ending unit at a time;
3. `by_area`: every task whose finding lies in this reform area (Resolution
   76's areas and leadership) to that successor: a split hands each successor
   its fields of the old unit's work;
4. `to`: all the remaining tasks to one successor ("all to one");
5. `holder`: what is left stays with the holder, pending reassignment.

A task none of them takes is unassigned: the preview lists it, and apply
refuses until it has a successor.

History keeps the unit as it was: visits, findings and finished tasks keep
pointing at the unit inspected; the roster as of a day before the change still
shows the old units (they exist until `on_date`); each ending unit records its
successors (Succession), and for the default heir (`takes_open_tasks`: the
one successor of a merge or rename, the "all to one" successor, else the holder,
else for a split its first successor) work found later on its old findings.
"""
import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from inspect_tui.rules import ageing, audit, limits, units
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.tasks import COLUMNS, joined
from inspect_tui.rules.text import fold
from inspect_tui.rules.vocab import AREAS, REORGANISATIONS, UNFINISHED_TASK
from inspect_tui.store.models import ChangeLog, Succession, Task, Unit, Visit

HOLD = "hold"  # the Succession kind of a holder's link
SHOWN = 5  # task numbers named in a refusal


def replace(obj, **changes):
    return dataclasses.replace(obj, **changes)


@dataclass(frozen=True)
class NewUnit:
    """A successor the reorganisation creates, starting on its day."""
    code: str
    name: str
    kind: str
    parent: str | None = None
    confirmed: bool = True
    note: str = ""


@dataclass(frozen=True)
class Assignment:
    """Who takes the unfinished tasks of a split or a dissolution (see the module's text)."""
    to: str | None = None  # all the rest to one successor
    by_unit: Mapping[str, str] = field(default_factory=dict)  # ending unit code -> successor
    by_area: Mapping[str, str] = field(default_factory=dict)  # reform area -> successor
    tasks: Mapping[int, str] = field(default_factory=dict)  # task id -> successor
    holder: str | None = None  # an existing unit that keeps the rest, pending reassignment
    children_to: str | None = None  # successor (or holder) for the subordinate units


@dataclass(frozen=True)
class Plan:
    kind: str  # merge, rename, split, dissolve
    sources: tuple[str, ...]  # codes of the units that end (a merge may name the one carrying on)
    on_date: dt.date
    successors: tuple[str, ...] = ()  # codes, existing or in new_units
    new_units: tuple = ()  # NewUnit, or dicts with the same keys
    assignment: Assignment = Assignment()
    note: str = ""
    versions: Mapping[str, int] = field(default_factory=dict)  # code -> version the user saw


@dataclass(frozen=True)
class UnitRef:
    code: str
    name: str
    kind: str
    new: bool = False  # created by this reorganisation


@dataclass(frozen=True)
class TaskLine:
    """What a preview shows of an unfinished task (and the version it was read at)."""
    task_id: int
    version: int
    description: str
    area: str
    status: str
    due_on: dt.date


@dataclass(frozen=True)
class Move(TaskLine):
    from_code: str
    from_name: str
    to_code: str | None  # None: no successor takes it yet
    to_name: str
    rule: str  # task, unit, area, all, holder (vocab.ASSIGN_RULES); "" when unassigned
    visited_code: str  # the unit as it was inspected
    year: int


@dataclass(frozen=True)
class ChildMove:
    code: str
    name: str
    from_code: str
    to_code: str | None  # None: stays under the unit that ended (place it by hand)


@dataclass(frozen=True)
class PlannedVisit:
    visit_id: int
    unit_code: str
    scheduled_on: dt.date | None


@dataclass(frozen=True)
class Preview:
    kind: str
    on_date: dt.date
    ending: tuple[UnitRef, ...]
    successors: tuple[UnitRef, ...]
    holder: UnitRef | None
    heir: str | None  # takes the ending units' later work (new tasks on their old findings)
    moves: tuple[Move, ...]
    children: tuple[ChildMove, ...]
    planned_visits: tuple[PlannedVisit, ...]

    @property
    def unassigned(self) -> tuple[Move, ...]:
        return tuple(m for m in self.moves if m.to_code is None)

    @property
    def pending(self) -> tuple[Move, ...]:
        return tuple(m for m in self.moves if m.rule == "holder")

    def counts(self) -> dict[str | None, int]:
        """{successor code (None: unassigned): tasks it takes}."""
        result: dict[str | None, int] = {}
        for m in self.moves:
            result[m.to_code] = result.get(m.to_code, 0) + 1
        return result

    def signature(self) -> tuple:
        return (tuple(u.code for u in self.ending), tuple((m.task_id, m.version, m.to_code) for m in self.moves),
                tuple((c.code, c.to_code) for c in self.children))


@dataclass
class _Work:
    preview: Preview
    ending: list[Unit]
    existing: dict[str, Unit]  # successor or holder code -> unit (new ones are absent)
    new: dict[str, NewUnit]
    tasks: dict[int, Task]
    children: dict[str, Unit]


def _new_unit(spec) -> NewUnit:
    if isinstance(spec, NewUnit):
        return replace(spec, code=units.check_code(spec.code), name=str(spec.name or "").strip())
    return NewUnit(units.check_code(spec.get("code")), str(spec.get("name") or "").strip(),
                   spec.get("kind", ""), spec.get("parent") or None, spec.get("confirmed", True),
                   spec.get("note", ""))


def _codes(values: Iterable[str]) -> list[str]:
    return [str(v or "").strip() for v in values]


def _work(plan: Plan) -> _Work:
    """Every check, and what the reorganisation would do; nothing is written."""
    kind = plan.kind
    if kind not in REORGANISATIONS:
        raise DomainError("bad_choice", field="kind", value=kind, choices=", ".join(REORGANISATIONS))
    if not isinstance(plan.on_date, dt.date):
        raise DomainError("required", field="on_date")
    on_date = limits.check_day(plan.on_date, "on_date")
    a = plan.assignment
    sources = _codes(plan.sources)
    new = {}
    for spec in plan.new_units:
        unit = _new_unit(spec)
        if unit.code in new:
            raise DomainError("duplicate_unit", code=unit.code)
        new[unit.code] = unit
    successors = list(dict.fromkeys(_codes(plan.successors)))
    successors += [code for code in new if code not in successors]
    holder = (a.holder or "").strip() or None
    if not sources or (not successors and kind != "dissolve"):
        raise DomainError("reorganise_needs_units")
    if kind == "merge" and len(successors) != 1:
        raise DomainError("merge_one_successor")
    if kind == "rename" and (len(sources) != 1 or len(successors) != 1):
        raise DomainError("rename_one_to_one")
    if kind == "split" and (len(sources) != 1 or len(successors) < 2):
        raise DomainError("split_one_to_many")
    repeated = next((c for c in sources if sources.count(c) > 1), None)
    if repeated:
        raise DomainError("duplicate_source", code=repeated)
    if a.to and a.to not in successors:
        raise DomainError("tasks_to_not_successor", code=a.to)
    if set(sources) & set(successors) and kind != "merge":
        raise DomainError("successor_is_source")
    if holder:
        if kind not in ("split", "dissolve"):
            raise DomainError("holder_only_split_dissolve", code=holder)
        if holder in sources or holder in successors:
            raise DomainError("holder_is_party", code=holder)
        if a.to:
            raise DomainError("holder_or_all", code=holder, to=a.to)
    day_before = on_date - dt.timedelta(days=1)

    ending: list[Unit] = []
    for code in sources:
        if kind == "merge" and code in successors:  # merging others into a unit that carries on
            continue
        unit = units.get(code)
        if not unit.exists_on(day_before):
            raise DomainError("source_not_existing", code=code, day=day_before)
        if code in plan.versions:
            audit.expect(unit, plan.versions[code])
        ending.append(unit)
    if not ending:
        raise DomainError("reorganise_needs_units")
    ending_codes = {u.code for u in ending}

    existing: dict[str, Unit] = {}
    refs: list[UnitRef] = []
    for code in successors:
        if code in new:
            spec = new[code]
            if Unit.select().where(Unit.code == code).exists():
                raise DomainError("duplicate_unit", code=code)
            units._validate(code, spec.name, spec.kind, on_date, None)
            parent = units.get(spec.parent) if spec.parent else None
            if parent is not None and parent.code in ending_codes:  # it ends that very day
                raise DomainError("parent_not_existing", code=code, parent=parent.code, day=on_date)
            units._check_parent(code, parent, on_date)
            refs.append(UnitRef(code, spec.name, spec.kind, True))
        else:
            unit = units.get(code)
            if not unit.exists_on(on_date):
                raise DomainError("successor_not_existing", code=code, day=on_date)
            existing[code] = unit
            refs.append(UnitRef(code, unit.name, unit.kind))
    holder_ref = None
    if holder:
        unit = units.get(holder)
        if not unit.exists_on(on_date):
            raise DomainError("successor_not_existing", code=holder, day=on_date)
        existing[holder] = unit
        holder_ref = UnitRef(holder, unit.name, unit.kind)
    names = {r.code: r.name for r in refs} | ({holder: holder_ref.name} if holder_ref else {})

    for source in a.by_unit:
        if source not in ending_codes:
            raise DomainError("not_a_source", code=source)
    for area in a.by_area:
        if area not in AREAS:
            raise DomainError("bad_choice", field="area", value=area, choices=", ".join(AREAS))
    for target in (*a.by_unit.values(), *a.by_area.values(), *a.tasks.values()):
        if target not in successors:
            raise DomainError("tasks_to_not_successor", code=target)
    if a.children_to and a.children_to not in successors and a.children_to != holder:
        raise DomainError("tasks_to_not_successor", code=a.children_to)

    ids = [u.id for u in ending]
    rows = list(joined(COLUMNS).where(Task.responsible_unit.in_(ids) & Task.status.in_(UNFINISHED_TASK))
                .order_by(Task.responsible_unit, Task.due_on, Task.id).objects())
    moving = {r.id for r in rows}
    for task_id in a.tasks:
        if task_id not in moving:
            raise DomainError("task_not_moving", id=task_id)
    one = successors[0] if kind in ("merge", "rename") else None
    moves = []
    for r in rows:
        if one:
            to, rule = one, "all"
        elif r.id in a.tasks:
            to, rule = a.tasks[r.id], "task"
        elif r.unit_code in a.by_unit:
            to, rule = a.by_unit[r.unit_code], "unit"
        elif r.area in a.by_area:
            to, rule = a.by_area[r.area], "area"
        elif a.to:
            to, rule = a.to, "all"
        elif holder:
            to, rule = holder, "holder"
        else:
            to, rule = None, ""
        moves.append(Move(r.id, r.version, r.description, r.area, r.status, r.due_on, r.unit_code,
                          r.unit_name, to, names.get(to, ""), rule, r.visited_code, r.year))

    heir = one or a.to or holder or (successors[0] if kind == "split" else None)
    # a split leaves subordinate units to be placed by hand, unless told where they go
    child_target = one or a.children_to or (None if kind == "split" else holder or a.to)
    children = {}
    child_moves = []
    for child in (Unit.select().where(Unit.parent.in_(ids) & (Unit.ended_on.is_null() | (Unit.ended_on > on_date)))
                  .order_by(Unit.code)):
        if child.code in ending_codes:
            continue
        children[child.code] = child
        parent_code = next(u.code for u in ending if u.id == child.parent_id)
        child_moves.append(ChildMove(child.code, child.name, parent_code, child_target))
    visits = tuple(PlannedVisit(v.id, next(u.code for u in ending if u.id == v.unit_id), v.scheduled_on)
                   for v in Visit.select().where(
                       Visit.unit.in_(ids) & (Visit.status == "planned")
                       & (Visit.scheduled_on.is_null() | (Visit.scheduled_on >= on_date))).order_by(Visit.id))
    preview = Preview(kind, on_date, tuple(UnitRef(u.code, u.name, u.kind) for u in ending), tuple(refs),
                      holder_ref, heir, tuple(moves), tuple(child_moves), visits)
    tasks = {t.id: t for t in Task.select().where(Task.id.in_(list(moving)))} if moving else {}
    return _Work(preview, ending, existing, new, tasks, children)


def preview(plan: Plan) -> Preview:
    """What `apply(plan)` would do, checked by the same rules; nothing is written."""
    return _work(plan).preview


def apply(plan: Plan, actor: str, expected: Preview | None = None) -> "units.Reorganisation":
    """Record the reorganisation: one transaction, one change batch. With
    `expected` (the preview the user confirmed), refused if the moves differ now."""
    with audit.change(actor) as ch:
        work = _work(plan)
        p = work.preview
        if expected is not None and expected.signature() != p.signature():
            raise DomainError("reorganise_changed")
        if p.unassigned:
            ids = [str(m.task_id) for m in p.unassigned]
            raise DomainError("tasks_unassigned", n=len(ids),
                              ids=", ".join(ids[:SHOWN]) + (", …" if len(ids) > SHOWN else ""))
        targets = dict(work.existing)
        for code, spec in work.new.items():
            targets[code] = ch.create(
                Unit, code=code, name=spec.name, kind=spec.kind,
                parent=units.get(spec.parent) if spec.parent else None, started_on=p.on_date,
                confirmed=bool(spec.confirmed), note=spec.note, search_text=units.search_text(code, spec.name))
        for unit in work.ending:
            ch.update(unit, ended_on=p.on_date)
        for pred, succ, kind, takes in _links(plan, p):
            ch.create(Succession, predecessor=next(u for u in work.ending if u.code == pred),
                      successor=targets[succ], on_date=p.on_date, kind=kind, takes_open_tasks=takes,
                      note=plan.note)
        for move in p.moves:
            ch.update(work.tasks[move.task_id], responsible_unit=targets[move.to_code])
        for child in p.children:
            if child.to_code:
                ch.update(work.children[child.code], parent=targets[child.to_code])
    return units.Reorganisation(p.kind, p.on_date, [u.code for u in p.ending], [u.code for u in p.successors],
                                len(p.moves), len(p.pending), ch.batch)


def _links(plan: Plan, p: Preview) -> list[tuple[str, str, str, bool]]:
    """(predecessor, successor, kind, takes_open_tasks) for every link to record."""
    successors = [u.code for u in p.successors]
    ending = [u.code for u in p.ending]
    links: dict[tuple[str, str], tuple[str, bool]] = {}
    if p.kind in ("merge", "rename", "split") or len(ending) == 1:
        for pred in ending:
            for succ in successors:
                links[pred, succ] = (p.kind, succ == p.heir)
    else:  # several units dissolved: each linked to the successors that take its work
        a = plan.assignment
        for move in p.moves:
            if move.to_code in successors:
                links[move.from_code, move.to_code] = (p.kind, move.to_code == p.heir)
        for pred, succ in a.by_unit.items():
            links[pred, succ] = (p.kind, succ == p.heir)
        for pred in ending:
            if a.to:
                links[pred, a.to] = (p.kind, True)
        linked = {succ for _, succ in links}
        for succ in successors:
            if succ not in linked:
                for pred in ending:
                    links[pred, succ] = (p.kind, False)
    if p.holder is not None:
        for pred in ending:
            links[pred, p.holder.code] = (HOLD, True)
    return [(pred, succ, kind, takes) for (pred, succ), (kind, takes) in links.items()]


# --- tasks pending reassignment ------------------------------------------------------------------

@dataclass(frozen=True)
class PendingTask(TaskLine):
    """An unfinished task a holder keeps for a unit that was dissolved."""
    days_overdue: int
    holder_code: str
    holder_name: str
    from_code: str  # the dissolved unit it came from
    from_name: str
    on_date: dt.date  # the day that unit ended
    finding: str
    visited_code: str  # the unit as it was inspected
    visited_name: str
    year: int


def _holds() -> dict[int, dict[int, dt.date]]:
    """{holder id: {dissolved unit id: the day it ended}}."""
    result: dict[int, dict[int, dt.date]] = {}
    for pred, succ, on in Succession.select(Succession.predecessor, Succession.successor, Succession.on_date) \
            .where(Succession.kind == HOLD).tuples():
        result.setdefault(succ, {})[pred] = on
    return result


def _came_from(task_rows, holds: dict[int, dict[int, dt.date]]) -> dict[int, int]:
    """{task id: the dissolved unit it came to its holder from}: the unit the last
    move into the holder from one of the units it holds for took it from (the
    change log: a reassignment undone moves it back from the commune, which
    changes nothing), else the unit it was found at."""
    result = {r.id: r.visit_unit for r in task_rows}
    ids = list(result)
    holder_of = {r.id: r.responsible_unit_id for r in task_rows}
    for start in range(0, len(ids), 500):
        query = (ChangeLog.select(ChangeLog.record_id, ChangeLog.old, ChangeLog.new)
                 .where((ChangeLog.entity == "task") & (ChangeLog.field == "responsible_unit")
                        & (ChangeLog.action == "update") & ChangeLog.record_id.in_(ids[start:start + 500]))
                 .order_by(ChangeLog.id).tuples())
        for task_id, old, new in query:
            old_id, new_id = _int(old), _int(new)
            if new_id == holder_of[task_id] and old_id in holds.get(new_id, {}):
                result[task_id] = old_id
    return result


def _int(raw) -> int | None:
    try:
        return int(str(raw).strip('"')) if raw is not None else None
    except ValueError:
        return None


def pending(today: dt.date, holder: str | None = None, from_unit: str | None = None,
            text: str = "") -> list[PendingTask]:
    """The unfinished tasks holders keep for dissolved units, pending
    reassignment (by dissolved unit, then deadline): only `holder`'s, only
    those that came from `from_unit` (codes), only those whose task or finding
    text holds `text` (diacritics optional)."""
    holds = _holds()
    if holder:
        wanted = units.get(holder).id
        holds = {h: p for h, p in holds.items() if h == wanted}
    if not holds:
        return []
    from_id = units.get(from_unit).id if from_unit else None
    query = joined(COLUMNS + (Visit.unit.alias("visit_unit"),)).where(
        Task.responsible_unit.in_(list(holds)) & Task.status.in_(UNFINISHED_TASK))
    if text.strip():
        folded = fold(limits.check_query(text, "text"))
        query = query.where(Task.search_text.contains(folded))
    rows = list(query.objects())
    origin = _came_from(rows, holds)
    names = {u.id: (u.code, u.name) for u in Unit.select(Unit.id, Unit.code, Unit.name)
             .where(Unit.id.in_({o for o in origin.values()}))} if origin else {}
    result = []
    for r in rows:
        came = origin[r.id]
        day = holds.get(r.responsible_unit_id, {}).get(came)
        if day is None or (from_id is not None and came != from_id):
            continue
        code, name = names[came]
        result.append(PendingTask(r.id, r.version, r.description, r.area, r.status, r.due_on,
                                  ageing.days_overdue(r.status, r.due_on, today), r.unit_code, r.unit_name,
                                  code, name, day, r.finding_text, r.visited_code, r.visited_name, r.year))
    result.sort(key=lambda p: (fold(p.from_name), p.due_on, p.task_id))
    return result


@dataclass(frozen=True)
class Reassignment:
    task_id: int
    version: int
    description: str
    from_code: str  # the dissolved unit
    holder_code: str
    to_code: str
    to_name: str


@dataclass(frozen=True)
class Reassigned:
    moves: tuple[Reassignment, ...]
    batch: str

    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for m in self.moves:
            result[m.to_code] = result.get(m.to_code, 0) + 1
        return result


def _reassignments(moves, today: dt.date, versions: Mapping[int, int] | None) -> tuple[list[Reassignment], dict]:
    items = list(moves.items()) if isinstance(moves, Mapping) else list(moves)
    if not items:
        raise DomainError("nothing_to_reassign")
    held = {p.task_id: p for p in pending(today)}
    targets: dict[str, Unit] = {}
    result, units_by_code = [], {}
    seen = set()
    for task_id, typed in items:
        try:
            task_id = int(task_id)
        except (TypeError, ValueError):
            raise DomainError("unknown_task", id=task_id) from None
        if task_id in seen:
            continue
        seen.add(task_id)
        item = held.get(task_id)
        if item is None:
            if not Task.select().where(Task.id == task_id).exists():
                raise DomainError("unknown_task", id=task_id)
            raise DomainError("task_not_pending", id=task_id)
        if versions and task_id in versions and versions[task_id] != item.version:
            audit.expect(Task.get_by_id(task_id), versions[task_id])
        key = str(typed or "").strip()
        if key not in targets:
            targets[key] = units.resolve(key, "unit", on=today)
        target = targets[key]
        if target.code == item.holder_code:
            raise DomainError("reassign_to_holder", id=task_id, code=target.code)
        units_by_code[target.code] = target
        result.append(Reassignment(task_id, item.version, item.description, item.from_code,
                                   item.holder_code, target.code, target.name))
    return result, units_by_code


def reassign_preview(moves: Mapping[int, str] | Iterable[tuple[int, str]], today: dt.date,
                     versions: Mapping[int, int] | None = None) -> list[Reassignment]:
    """What `reassign` would do: each task, the dissolved unit it came from, and
    the unit it goes to (a code, or a name typed with or without diacritics,
    among the units existing `today`). Refused as `reassign` would be."""
    return _reassignments(moves, today, versions)[0]


def reassign(moves: Mapping[int, str] | Iterable[tuple[int, str]], actor: str, today: dt.date,
             versions: Mapping[int, int] | None = None) -> Reassigned:
    """Pass tasks pending reassignment to their new units: {task id: unit}
    (one by one, or many to one), all in one change batch (one undo). Each
    dissolved unit is recorded as a predecessor of the unit that takes its
    tasks (a link that takes no further work), so the roster shows where the
    work went. `versions` ({task id: version shown}) refuses a task changed since."""
    with audit.change(actor) as ch:
        result, targets = _reassignments(moves, today, versions)
        held = {p.task_id: p for p in pending(today)}
        existing = {(p, s) for p, s in Succession.select(Succession.predecessor, Succession.successor).tuples()}
        codes = {u.code: u.id for u in Unit.select(Unit.id, Unit.code).where(
            Unit.code.in_({m.from_code for m in result}))}
        for move in result:
            task = Task.get_by_id(move.task_id)
            if task.version != move.version:
                raise audit.changed_error(task)
            target = targets[move.to_code]
            ch.update(task, responsible_unit=target)
            link = (codes[move.from_code], target.id)
            if link not in existing:
                ch.create(Succession, predecessor=link[0], successor=target.id, on_date=held[move.task_id].on_date,
                          kind="dissolve", takes_open_tasks=False, note="")
                existing.add(link)
    return Reassigned(tuple(result), ch.batch)
