"""The roster kept by its users, on both backends: add, edit, end a unit;
each reorganisation kind previewed then applied as one batch (and undone);
the tasks the dissolved districts left pending, passed to communes and wards;
the roster as of a day before and after each change."""
import datetime as dt
from types import SimpleNamespace

import pytest

from inspect_tui.rules import audit, inspections, reorganisation, seed, tasks, units
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.reorganisation import Assignment, NewUnit, Plan
from inspect_tui.store.models import ChangeLog, Succession, Task, Unit

TODAY = dt.date(2024, 10, 1)
LATER = dt.date(2026, 3, 2)  # after every change below
DAY = dt.date(2025, 9, 1)  # the day of the reorganisations on the small roster
ACTOR = "an"


def responsible(task_id: int) -> str:
    return Task.get_by_id(task_id).responsible_unit.code


def codes_on(day: dt.date, kind: str | None = None) -> set[str]:
    return {r.code for r in units.roster(on=day, kind=kind)}


def state() -> tuple:
    """Everything a reorganisation or a reassignment touches."""
    return ([(u.code, u.name, u.kind, u.parent_id, u.started_on, u.ended_on, u.confirmed)
             for u in Unit.select().order_by(Unit.code)],
            sorted(Succession.select(Succession.predecessor, Succession.successor, Succession.kind,
                                     Succession.takes_open_tasks).tuples()),
            sorted(Task.select(Task.id, Task.responsible_unit, Task.status).tuples()))


def refused(call, key: str) -> DomainError:
    before, log = state(), ChangeLog.select().count()
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.key == key, info.value.message()
    assert (state(), ChangeLog.select().count()) == (before, log)
    info.value.message("vi"), info.value.message("en")  # reads in both languages
    return info.value


# --- a small roster: P over A and B, C under A --------------------------------------------------

@pytest.fixture
def small(prebuilt):
    return prebuilt("db", build_small)


def build_small(make):
    make.unit("P", "UBND tỉnh thử", kind="other")
    for code in ("A", "B"):
        make.unit(code, f"Sở {code}", parent="P")
    make.unit("C", "Chi cục C", parent="A")
    make.unit("X", "Sở X đang có", parent="P")
    plan = make.plan(2024)
    w = SimpleNamespace(plan=plan, a={}, b={})
    held = dt.date(2024, 4, 6)
    w.visit_a = make.visit(plan, "A", held, held_on=held, notice_date=dt.date(2024, 4, 20))
    for area in ("procedures", "digital", "leadership"):
        finding = make.finding(w.visit_a, area=area, description=f"Tồn tại {area} của A")
        w.a[area] = make.task(finding, dt.date(2024, 9, 1), TODAY, description=f"Khắc phục {area} A")
    w.done = make.task(finding, dt.date(2024, 9, 1), TODAY, description="Đã xong")
    tasks.move(w.done, "reported_done", ACTOR, TODAY, completed_on=TODAY)
    tasks.move(w.done, "verified", ACTOR, TODAY)
    visit_b = make.visit(plan, "B", held, held_on=held, notice_date=dt.date(2024, 4, 20))
    for area in ("procedures", "institutions"):
        finding = make.finding(visit_b, area=area, description=f"Tồn tại {area} của B")
        w.b[area] = make.task(finding, dt.date(2024, 9, 1), TODAY, description=f"Khắc phục {area} B")
    return w


def test_merge_previewed_then_applied_then_undone(small):
    plan = Plan("merge", ("A", "B"), DAY, new_units=(NewUnit("N", "Sở Mới", "department", "P"),))
    before = state()
    preview = reorganisation.preview(plan)
    assert state() == before  # a preview writes nothing
    assert [u.code for u in preview.ending] == ["A", "B"]
    assert [(u.code, u.new) for u in preview.successors] == [("N", True)]
    assert {m.task_id for m in preview.moves} == set(small.a.values()) | set(small.b.values())
    assert {(m.to_code, m.rule) for m in preview.moves} == {("N", "all")}
    assert [(c.code, c.to_code) for c in preview.children] == [("C", "N")]
    assert preview.heir == "N" and not preview.unassigned
    last = ChangeLog.select().order_by(ChangeLog.id.desc()).first().id
    done = reorganisation.apply(plan, ACTOR, expected=preview)
    assert (done.ended, done.successors, done.tasks_moved, done.pending) == (["A", "B"], ["N"], 5, 0)
    assert responsible(small.a["digital"]) == "N" and responsible(small.done) == "A"
    assert codes_on(DAY - dt.timedelta(days=1)) == {"P", "A", "B", "C", "X"}
    assert codes_on(DAY) == {"P", "N", "C", "X"}
    # the roster as it stood before shows C under A, after under N
    assert {r.code: r.parent_code for r in units.roster(on=DAY - dt.timedelta(days=1))}["C"] == "A"
    assert {r.code: r.parent_code for r in units.roster(on=DAY)}["C"] == "N"
    assert inspections.visit_row(small.visit_a, TODAY).unit_code == "A"  # the unit as inspected
    links = units.links()
    assert [link.code for link in links["N"].predecessors] == ["A", "B"]
    assert [(link.code, link.kind) for link in links["A"].successors] == [("N", "merge")]
    # one batch: one undo takes it all back
    assert {row.batch for row in ChangeLog.select().where(ChangeLog.id > last)} == {done.batch}
    audit.undo(done.batch, ACTOR)
    assert state() == before
    assert codes_on(DAY) == {"P", "A", "B", "C", "X"}


def test_rename(small):
    done = units.reorganise("rename", ["B"], ["B2"], DAY, ACTOR,
                            new_units=[{"code": "B2", "name": "Sở B mới", "kind": "department", "parent": "P"}])
    assert done.tasks_moved == 2 and responsible(small.b["institutions"]) == "B2"
    assert "B" in codes_on(DAY - dt.timedelta(days=1)) and "B2" not in codes_on(DAY - dt.timedelta(days=1))
    assert "B2" in codes_on(DAY) and "B" not in codes_on(DAY)
    assert units.heir_on(units.get("B"), LATER).code == "B2"
    audit.undo(done.batch, ACTOR)
    assert responsible(small.b["institutions"]) == "B" and not Unit.select().where(Unit.code == "B2").exists()


def test_split_by_task_by_area_and_all_to_one(small):
    plan = Plan("split", ("A",), DAY, successors=("X",), new_units=(NewUnit("Y", "Sở Y", "department", "P"),),
                assignment=Assignment(to="X", by_area={"digital": "Y"}, tasks={small.a["leadership"]: "Y"},
                                      children_to="Y"))
    preview = reorganisation.preview(plan)
    rules = {m.task_id: (m.to_code, m.rule) for m in preview.moves}
    assert rules == {small.a["procedures"]: ("X", "all"), small.a["digital"]: ("Y", "area"),
                     small.a["leadership"]: ("Y", "task")}
    assert preview.counts() == {"X": 1, "Y": 2}
    before = state()
    done = reorganisation.apply(plan, ACTOR, expected=preview)
    assert (responsible(small.a["procedures"]), responsible(small.a["digital"])) == ("X", "Y")
    assert units.get("C").parent.code == "Y"
    links = {(s.successor.code, s.kind, s.takes_open_tasks) for s in Succession.select()}
    assert links == {("X", "split", True), ("Y", "split", False)}  # X takes later work ("all to one")
    assert codes_on(DAY - dt.timedelta(days=1)) >= {"A"} and "Y" not in codes_on(DAY - dt.timedelta(days=1))
    assert {"X", "Y"} <= codes_on(DAY) and "A" not in codes_on(DAY)
    audit.undo(done.batch, ACTOR)
    assert state() == before


def test_split_with_a_task_nobody_takes_is_refused(small):
    plan = Plan("split", ("A",), DAY, successors=("X", "B"), assignment=Assignment(by_area={"digital": "B"}))
    preview = reorganisation.preview(plan)
    assert {m.task_id for m in preview.unassigned} == {small.a["procedures"], small.a["leadership"]}
    error = refused(lambda: reorganisation.apply(plan, ACTOR), "tasks_unassigned")
    assert error.values["n"] == 2


def test_dissolve_by_unit_with_a_holder(small):
    plan = Plan("dissolve", ("A", "B"), DAY, successors=("X",),
                new_units=(NewUnit("Y", "Phường Y", "commune", "P"),),
                assignment=Assignment(by_unit={"A": "X"}, holder="P"))
    preview = reorganisation.preview(plan)
    assert {m.task_id: m.rule for m in preview.moves} == {
        **{t: "unit" for t in small.a.values()}, **{t: "holder" for t in small.b.values()}}
    assert [(c.code, c.to_code) for c in preview.children] == [("C", "P")]  # the holder keeps them
    assert preview.heir == "P"
    before = state()
    done = reorganisation.apply(plan, ACTOR, expected=preview)
    assert (done.tasks_moved, done.pending) == (5, 2)
    links = {(s.predecessor.code, s.successor.code, s.kind, s.takes_open_tasks) for s in Succession.select()}
    assert links == {("A", "X", "dissolve", False), ("A", "P", "hold", True), ("B", "P", "hold", True),
                     ("A", "Y", "dissolve", False), ("B", "Y", "dissolve", False)}
    assert units.heir_on(units.get("B"), LATER).code == "P"
    pending = reorganisation.pending(LATER)
    assert {(p.task_id, p.from_code, p.holder_code, p.on_date) for p in pending} == {
        (t, "B", "P", DAY) for t in small.b.values()}
    # passed on to the new ward, found by its name without diacritics
    moved = reorganisation.reassign({small.b["procedures"]: "phuong y"}, ACTOR, LATER)
    assert [(m.to_code, m.from_code) for m in moved.moves] == [("Y", "B")]
    assert [p.task_id for p in reorganisation.pending(LATER)] == [small.b["institutions"]]
    audit.undo(moved.batch, ACTOR)
    audit.undo(done.batch, ACTOR)
    assert state() == before


def test_dissolve_of_a_unit_without_tasks_needs_no_successor(small):
    units.create("E", "Ban E", "department", ACTOR, parent="P")
    done = units.reorganise("dissolve", ["E"], [], DAY, ACTOR)
    assert (done.ended, done.successors, done.tasks_moved) == (["E"], [], 0)
    assert "E" not in codes_on(DAY) and "E" in codes_on(DAY - dt.timedelta(days=1))


def test_a_change_after_the_preview_refuses_the_apply(small, make):
    plan = Plan("merge", ("A", "B"), DAY, successors=("X",))
    preview = reorganisation.preview(plan)
    make.task(make.finding(small.visit_a, area="institutions"), dt.date(2024, 9, 1), TODAY,
              description="Việc thêm sau khi xem trước")
    refused(lambda: reorganisation.apply(plan, ACTOR, expected=preview), "reorganise_changed")
    tasks.update(small.a["digital"], ACTOR, TODAY, assignee="chị Lan")  # an edit changes the version
    preview = reorganisation.preview(plan)
    reorganisation.apply(plan, ACTOR, expected=preview)


@pytest.mark.parametrize("plan, key", [
    (Plan("dissolve", ("A",), DAY, assignment=Assignment(holder="B", to="X"), successors=("X",)), "holder_or_all"),
    (Plan("merge", ("A", "B"), DAY, successors=("X",), assignment=Assignment(holder="P")),
     "holder_only_split_dissolve"),
    (Plan("dissolve", ("A",), DAY, assignment=Assignment(holder="A")), "holder_is_party"),
    (Plan("dissolve", ("A", "A"), DAY, assignment=Assignment(holder="P")), "duplicate_source"),
    (Plan("split", ("A",), DAY, successors=("X", "B"), assignment=Assignment(by_unit={"B": "X"})), "not_a_source"),
    (Plan("split", ("A",), DAY, successors=("X", "B"), assignment=Assignment(by_area={"sports": "X"})),
     "bad_choice"),
    (Plan("split", ("A",), DAY, successors=("X", "B"), assignment=Assignment(tasks={999999: "X"})),
     "task_not_moving"),
    (Plan("split", ("A",), DAY, successors=("X", "B"), assignment=Assignment(by_area={"digital": "P"})),
     "tasks_to_not_successor"),
    (Plan("merge", ("A", "B"), DAY, new_units=(NewUnit("N", "Sở N", "department", "Q-NONE"),)), "unknown_unit"),
    (Plan("merge", ("A", "B"), DAY, new_units=(NewUnit("N N", "Sở N", "department", "P"),)), "bad_unit_code"),
    (Plan("merge", ("A", "B"), DAY, new_units=(NewUnit("N", "Sở N", "department", "A"),)),
     "parent_not_existing"),  # under a unit that ends that very day
    (Plan("dissolve", ("A",), dt.date(1999, 1, 1), assignment=Assignment(holder="P")), "date_out_of_range"),
])
def test_refused_plans_change_nothing(small, plan, key):
    refused(lambda: reorganisation.preview(plan), key)
    refused(lambda: reorganisation.apply(plan, ACTOR), key)


# --- add, edit, end -------------------------------------------------------------------------------

def test_add_checks_code_parent_and_dates(small):
    row = units.create("W1", "Phường W1", "commune", ACTOR, parent="P", started_on=DAY)
    assert (row.parent_code, row.started_on, row.version) == ("P", DAY, 1)
    refused(lambda: units.create("W 2", "Phường", "commune", ACTOR), "bad_unit_code")
    refused(lambda: units.create("W2", "Phường\x1b", "commune", ACTOR), "control_characters")
    units.create("GONE", "Đã giải thể", "other", ACTOR, ended_on=dt.date(2025, 1, 1))
    refused(lambda: units.create("W2", "Phường", "commune", ACTOR, parent="GONE", started_on=DAY),
            "parent_not_existing")
    refused(lambda: units.create("W2", "Phường", "commune", ACTOR, started_on=dt.date(1990, 1, 1)),
            "date_out_of_range")


def test_edit_checks_the_version_cycles_and_dates(small):
    a = units.get("A")
    row = units.update("A", ACTOR, expected_version=a.version, name="Sở A (sửa tên)")
    assert row.version == a.version + 1
    refused(lambda: units.update("A", "bình", expected_version=a.version, note="bản cũ"), "record_changed")
    refused(lambda: units.update("A", ACTOR, parent="C"), "parent_cycle")  # C is under A
    refused(lambda: units.update("A", ACTOR, parent="A"), "parent_cycle")
    refused(lambda: units.update("A", ACTOR, started_on=dt.date(2024, 5, 1)), "unit_visited_outside")
    refused(lambda: units.update("A", ACTOR, ended_on=dt.date(2024, 12, 1)), "unit_has_open_tasks")
    units.reorganise("merge", ["B"], ["X"], DAY, ACTOR)
    refused(lambda: units.update("B", ACTOR, ended_on=None), "unit_ended_by_reorganisation")
    assert units.update("B", ACTOR, note="ghi chú").note == "ghi chú"  # other fields stay editable


def test_form_check_as_you_type(small):
    assert units.validate({"code": "W1", "name": "Phường W1", "kind": "commune", "parent": "P",
                           "started_on": "01/7/2025", "ended_on": ""}) == {}
    problems = units.validate({"code": "A", "name": " ", "kind": "ministry", "parent": "NOPE",
                               "started_on": "31/02/2025", "ended_on": "x"})
    assert set(problems) == {"code", "name", "kind", "parent", "started_on", "ended_on"}
    assert "A" in problems["code"]
    assert set(units.validate({"started_on": "01/7/2025", "ended_on": "01/7/2025"})) == {"ended_on"}
    assert set(units.validate({"parent": "C"}, code="A")) == {"parent"}  # a cycle
    assert set(units.validate({"ended_on": "01/12/2024"}, code="A")) == {"ended_on"}  # open tasks


def test_end_refused_while_tasks_are_open_unless_passed_on(small):
    check = units.end_check("A", DAY)
    assert (check.open_tasks, check.children, check.needs_heir) == (3, ("C",), True)
    refused(lambda: units.end("A", DAY, ACTOR), "unit_has_open_tasks")
    refused(lambda: units.end("A", DAY, ACTOR, expected_version=0, pass_to="X"), "record_changed")
    before = state()
    row = units.end("A", DAY, ACTOR, expected_version=check.version, pass_to="X")
    assert row.ended_on == DAY
    assert {responsible(t) for t in small.a.values()} == {"X"} and responsible(small.done) == "A"
    assert units.get("C").parent.code == "X"
    assert [(s.successor.code, s.kind) for s in Succession.select()] == [("X", "dissolve")]
    assert "A" in codes_on(DAY - dt.timedelta(days=1)) and "A" not in codes_on(DAY)
    refused(lambda: units.end("A", LATER, ACTOR), "unit_already_ended")
    audit.undo(audit.last_batch(), ACTOR)
    assert state() == before
    # a unit with nothing left ends on its own
    units.create("E", "Ban E", "department", ACTOR, parent="P")
    assert units.end("E", DAY, ACTOR).ended_on == DAY
    assert units.end_check("B", DAY).open_tasks == 2


# --- the 2025 reorganisation and the districts' tasks ---------------------------------------------

@pytest.fixture
def districts(prebuilt):
    return prebuilt("db", build_districts)


def build_districts(make):
    """The default roster before 2025, a 2024 visit to two districts and to the
    city with open tasks, then the 2025 reorganisation of reorganisations.toml."""
    seed.load_units("tester")
    plan = make.plan(2024)
    w = SimpleNamespace(tasks={}, plan=plan)
    held = dt.date(2024, 4, 6)
    for code in ("Q-NK", "H-PD"):
        visit = make.visit(plan, code, held, held_on=held, notice_date=dt.date(2024, 4, 20))
        for area in ("procedures", "digital"):
            finding = make.finding(visit, area=area, description=f"Tồn tại {area} {code}")
            w.tasks[code, area] = make.task(finding, dt.date(2024, 9, 1), TODAY,
                                            description=f"Khắc phục {area} {code}")
    w.done = make.task(finding, dt.date(2024, 9, 1), TODAY, description="Đã xong")
    tasks.move(w.done, "cancelled", "tester", TODAY, reason="Không còn phù hợp")
    w.city = make.chain("UBND-TP", dt.date(2024, 9, 1), TODAY, plan_id=plan, held=dt.date(2024, 5, 6))
    seed.apply_reorganisations("tester")
    for code, name in (("P-NK", "Phường Ninh Kiều thử"), ("X-PD", "Xã Phong Điền thử")):
        units.create(code, name, "commune", "tester", parent="UBND-TP", started_on=dt.date(2025, 7, 1),
                     confirmed=False)
    return w


def test_districts_end_on_1_7_2025_with_their_tasks_pending(districts):
    assert "Q-NK" in codes_on(dt.date(2025, 6, 30)) and "Q-NK" not in codes_on(dt.date(2025, 7, 1))
    assert codes_on(dt.date(2025, 6, 30), "commune") == set()
    assert codes_on(dt.date(2025, 7, 1), "commune") == {"P-NK", "X-PD"}
    assert len(units.roster(on=dt.date(2025, 8, 1), kind="district")) == 0
    pending = reorganisation.pending(LATER)
    assert {p.task_id for p in pending} == set(districts.tasks.values())
    assert {(p.holder_code, p.on_date) for p in pending} == {("UBND-TP", dt.date(2025, 7, 1))}
    assert {p.from_code for p in pending} == {"Q-NK", "H-PD"}
    assert {p.task_id for p in reorganisation.pending(LATER, from_unit="Q-NK")} == {
        districts.tasks["Q-NK", "procedures"], districts.tasks["Q-NK", "digital"]}
    assert reorganisation.pending(LATER, holder="STC") == []
    assert [p.task_id for p in reorganisation.pending(LATER, text="khac phuc digital q-nk")] == [
        districts.tasks["Q-NK", "digital"]]
    assert responsible(districts.city) == "UBND-TP"  # the city's own task is not pending
    assert units.heir_on(units.get("Q-NK"), LATER).code == "UBND-TP"


def test_reassign_one_by_one_and_many_at_once(districts):
    t = districts.tasks
    plan = {t["Q-NK", "procedures"]: "phuong ninh kieu thu", t["Q-NK", "digital"]: "P-NK",
            t["H-PD", "procedures"]: "xa phong dien"}
    preview = reorganisation.reassign_preview(plan, LATER)
    assert [(m.task_id, m.from_code, m.holder_code, m.to_code) for m in preview] == [
        (t["Q-NK", "procedures"], "Q-NK", "UBND-TP", "P-NK"), (t["Q-NK", "digital"], "Q-NK", "UBND-TP", "P-NK"),
        (t["H-PD", "procedures"], "H-PD", "UBND-TP", "X-PD")]
    before = state()
    done = reorganisation.reassign(plan, ACTOR, LATER, versions={m.task_id: m.version for m in preview})
    assert done.counts() == {"P-NK": 2, "X-PD": 1}
    assert [p.task_id for p in reorganisation.pending(LATER)] == [t["H-PD", "digital"]]
    assert responsible(t["Q-NK", "digital"]) == "P-NK"
    links = units.links()
    assert [(link.code, link.kind) for link in links["P-NK"].predecessors] == [("Q-NK", "dissolve")]
    # history: the visit keeps its district; the roster of 30/6/2025 still has it
    row = tasks.row(t["Q-NK", "digital"], LATER)
    assert (row.visited_code, row.unit_code) == ("Q-NK", "P-NK")
    assert "Q-NK" in codes_on(dt.date(2025, 6, 30))
    # the ward is offered for the 2026 plan's visits
    plan_2026 = inspections.create_plan(2026, "05/KH-UBND", ACTOR).id
    assert inspections.add_visit(plan_2026, "P-NK", ACTOR, scheduled_on=dt.date(2026, 4, 6))
    assert "P-NK" in {u.code for u in units.search("ninh kieu", on=dt.date(2026, 4, 6))}
    # one batch: one undo
    audit.undo(done.batch, ACTOR)
    assert state()[2] == before[2] and state()[1] == before[1]
    assert len(reorganisation.pending(LATER)) == 4


def test_reassign_refusals_change_nothing(districts):
    t = districts.tasks
    refused(lambda: reorganisation.reassign({}, ACTOR, LATER), "nothing_to_reassign")
    refused(lambda: reorganisation.reassign({districts.city: "P-NK"}, ACTOR, LATER), "task_not_pending")
    refused(lambda: reorganisation.reassign({districts.done: "P-NK"}, ACTOR, LATER), "task_not_pending")
    refused(lambda: reorganisation.reassign({999999: "P-NK"}, ACTOR, LATER), "unknown_task")
    refused(lambda: reorganisation.reassign({t["Q-NK", "digital"]: "UBND-TP"}, ACTOR, LATER), "reassign_to_holder")
    refused(lambda: reorganisation.reassign({t["Q-NK", "digital"]: "Q-NK"}, ACTOR, LATER), "unit_not_existing")
    refused(lambda: reorganisation.reassign({t["Q-NK", "digital"]: "nowhere"}, ACTOR, LATER), "unknown_unit")
    refused(lambda: reorganisation.reassign({t["Q-NK", "digital"]: "P-NK"}, ACTOR, dt.date(2025, 6, 1)),
            "unit_not_existing")  # the ward did not exist yet
    version = Task.get_by_id(t["Q-NK", "digital"]).version
    tasks.update(t["Q-NK", "digital"], "bình", LATER, assignee="anh Minh")
    refused(lambda: reorganisation.reassign({t["Q-NK", "digital"]: "P-NK"}, ACTOR, LATER,
                                            versions={t["Q-NK", "digital"]: version}), "task_changed")


def test_init_marks_the_holder_of_a_database_recorded_before_holders(districts):
    """A database that recorded the end of the districts as a merge into UBND
    thành phố: `init` again marks those links as the holder's."""
    Succession.update(kind="merge").where(Succession.kind == "hold").execute()
    assert reorganisation.pending(LATER) == []
    assert seed.apply_reorganisations("tester") == 1
    assert len(reorganisation.pending(LATER)) == 4
    assert seed.apply_reorganisations("tester") == 0


def test_default_roster_on_1_8_2025(seeded):
    rows = units.roster(on=dt.date(2025, 8, 1))
    assert len(rows) == 20 and not [r for r in rows if r.kind in ("district", "commune")]
    assert units.roster(on=dt.date(2025, 8, 1), kind="commune") == []
    assert len(units.roster(on=dt.date(2025, 6, 30), kind="district")) == 9
    holds = {(s.predecessor.code, s.successor.code) for s in Succession.select().where(Succession.kind == "hold")}
    assert len(holds) == 9 and {s for _, s in holds} == {"UBND-TP"}
