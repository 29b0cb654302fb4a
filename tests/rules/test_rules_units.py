"""The unit roster on any day, and reorganisations (merge, rename, split):
open tasks pass to the successor while history still shows the unit as it was."""
import datetime as dt
from types import SimpleNamespace

import pytest

from inspect_tui.rules import findings, inspections, tasks, units
from inspect_tui.rules.errors import DomainError
from inspect_tui.store.models import ChangeLog, Succession, Task, Unit

TODAY = dt.date(2024, 10, 1)
REORG = dt.date(2025, 3, 1)
DISTRICTS = {"Q-NK", "Q-BT", "Q-CR", "Q-OM", "Q-TN", "H-PD", "H-CD", "H-TL", "H-VT"}
MERGED_AWAY = {"SKHDT", "STNMT", "SNNPTNT", "SGTVT", "STTTT", "SLDTBXH"}


# --- the default roster -----------------------------------------------------------------

def test_roster_on_01_6_2024_has_34_units_with_the_9_districts(seeded):
    rows = units.roster(on=dt.date(2024, 6, 1))
    codes = {r.code for r in rows}
    assert len(rows) == 34
    assert DISTRICTS <= codes and MERGED_AWAY <= codes
    assert "SNNMT" not in codes
    assert [r.code for r in rows if r.kind == "district"] != []
    assert {r.code for r in units.roster(on=dt.date(2024, 6, 1), kind="district")} == DISTRICTS
    assert {r.code for r in units.roster(on=dt.date(2024, 6, 1), kind="vertical")} == {
        "CA-TP", "CT-TP", "BHXH-TP", "KBNN-TP"}
    # kinds in their order: departments first, then vertical agencies, districts, other
    kinds = [r.kind for r in rows]
    assert kinds == sorted(kinds, key=["department", "vertical", "district", "commune", "other"].index)
    ninh_kieu = next(r for r in rows if r.code == "Q-NK")
    assert (ninh_kieu.name, ninh_kieu.parent_code, ninh_kieu.ended_on) == (
        "Quận Ninh Kiều", "UBND-TP", dt.date(2025, 7, 1))


def test_roster_after_the_2025_reorganisation(seeded):
    rows = units.roster(on=dt.date(2026, 1, 1))
    codes = {r.code for r in rows}
    assert not codes & DISTRICTS
    assert not codes & MERGED_AWAY
    assert {"SNNMT", "STC", "SXD", "SKHCN", "SNV", "UBND-TP"} <= codes
    assert len(rows) == 34 - 9 - 6 + 1
    assert len(units.roster()) == 35  # every unit that ever existed


def test_roster_on_the_day_of_a_merge(seeded):
    before = {r.code for r in units.roster(on=REORG - dt.timedelta(days=1))}
    on = {r.code for r in units.roster(on=REORG)}
    assert "STNMT" in before and "SNNMT" not in before
    assert "STNMT" not in on and "SNNMT" in on
    last_district_day = {r.code for r in units.roster(on=dt.date(2025, 6, 30))}
    assert DISTRICTS <= last_district_day


def test_default_heirs(seeded):
    day = dt.date(2026, 1, 1)
    assert units.heir_on(units.get("SKHDT"), day).code == "STC"
    assert units.heir_on(units.get("STNMT"), day).code == "SNNMT"
    assert units.heir_on(units.get("SLDTBXH"), day).code == "SNV"
    assert units.heir_on(units.get("Q-NK"), day).code == "UBND-TP"
    assert units.heir_on(units.get("STC"), day).code == "STC"
    assert units.heir_on(units.get("SKHDT"), dt.date(2024, 1, 1)).code == "SKHDT"
    history = units.reorganisation_history("SNNMT")
    assert {h.predecessor for h in history} == {"STNMT", "SNNPTNT"}
    assert {(h.kind, h.on_date, h.takes_open_tasks) for h in history} == {("merge", REORG, True)}


# --- units ------------------------------------------------------------------------------------

def test_create_and_update_unit(db):
    row = units.create(" X1 ", " Phòng Đặc biệt ", "other", "an", started_on=dt.date(2020, 1, 1))
    assert (row.code, row.name, row.kind) == ("X1", "Phòng Đặc biệt", "other")
    assert Unit.get(Unit.code == "X1").search_text == "x1 phong dac biet"
    units.update("X1", "an", name="Phòng Điều hành")
    assert Unit.get(Unit.code == "X1").search_text == "x1 phong dieu hanh"
    for call, key in (
        (lambda: units.create("X1", "Khác", "other", "an"), "duplicate_unit"),
        (lambda: units.create("X2", " ", "other", "an"), "required"),
        (lambda: units.create(" ", "Tên", "other", "an"), "required"),
        (lambda: units.create("X2", "Tên", "ministry", "an"), "bad_choice"),
        (lambda: units.create("X2", "Tên", "other", "an", started_on=dt.date(2024, 1, 1),
                              ended_on=dt.date(2024, 1, 1)), "ends_before_start"),
        (lambda: units.create("X2", "Tên", "other", "an", parent="NOPE"), "unknown_unit"),
        (lambda: units.update("X1", "an", search_text="x9"), "bad_field"),
        (lambda: units.update("X1", "an", ended_on=dt.date(2019, 1, 1)), "ends_before_start"),
        (lambda: units.get("NOPE"), "unknown_unit"),
    ):
        with pytest.raises(DomainError) as info:
            call()
        assert info.value.key == key
    assert Unit.select().count() == 1


def test_unit_parent_is_set_and_cleared(db):
    units.create("P", "UBND", "other", "an")
    units.create("C", "Phòng", "other", "an")
    assert units.update("C", "an", parent="P").parent_code == "P"
    assert units.update("C", "an", parent="").parent_code is None  # a cleared form field
    units.update("C", "an", parent="P")
    assert units.update("C", "an", parent=None).parent_code is None
    with pytest.raises(DomainError) as info:
        units.update("C", "an", parent="NOPE")
    assert info.value.key == "unknown_unit"


# --- reorganisations on a small roster ----------------------------------------------------------

@pytest.fixture
def small(prebuilt):
    """Departments A and B, with C under A; A visited in 2024 with a task in every status
    (on both backends; built once per session and copied for each test)."""
    return prebuilt("db", build_small)


def build_small(make):
    for code in ("A", "B"):
        make.unit(code, f"Sở {code}")
    make.unit("C", "Chi cục C", parent="A")
    plan_id = make.plan(2024)
    held = dt.date(2024, 4, 6)
    w = SimpleNamespace(plan=plan_id)
    w.visit = make.visit(plan_id, "A", held, held_on=held, notice_date=dt.date(2024, 4, 20))
    w.finding = make.finding(w.visit)
    w.by_status = {}
    for status, path in (("open", []), ("in_progress", ["in_progress"]),
                         ("reported_done", ["reported_done"]),
                         ("verified", ["reported_done", "verified"]), ("cancelled", ["cancelled"])):
        task_id = make.task(w.finding, dt.date(2024, 6, 1), TODAY, description=f"Việc {status}")
        for step in path:
            tasks.move(task_id, step, "an", TODAY, reason="lý do")
        w.by_status[status] = task_id
    b_visit = make.visit(plan_id, "B", held, held_on=held)
    w.b_task = make.task(make.finding(b_visit), dt.date(2024, 6, 1), TODAY)
    return w


def responsible(task_id):
    return Task.get_by_id(task_id).responsible_unit.code


def test_merge_into_a_new_unit_passes_unfinished_tasks(small):
    result = units.reorganise("merge", ["A", "B"], ["N"], REORG, "an",
                              new_units=[{"code": "N", "name": "Sở Mới", "kind": "department"}])
    assert (result.ended, result.successors, result.tasks_moved) == (["A", "B"], ["N"], 4)
    for status in ("open", "in_progress", "reported_done"):
        assert responsible(small.by_status[status]) == "N"
    for status in ("verified", "cancelled"):
        assert responsible(small.by_status[status]) == "A"
    assert responsible(small.b_task) == "N"
    new = units.get("N")
    assert (new.started_on, new.name) == (REORG, "Sở Mới")
    assert units.get("A").ended_on == REORG
    assert units.get("C").parent.code == "N"  # the subordinate unit follows
    # history still shows the unit as it was when inspected
    visit = inspections.visit_row(small.visit, TODAY)
    assert (visit.unit_code, visit.unit_name) == ("A", "Sở A")
    row = tasks.row(small.by_status["open"], TODAY)
    assert (row.visited_code, row.unit_code) == ("A", "N")
    assert findings.of_visit(small.visit)[0].id == small.finding
    assert {r.code for r in units.roster(on=REORG)} == {"C", "N"}
    assert {r.code for r in units.roster(on=REORG - dt.timedelta(days=1))} == {"A", "B", "C"}
    # a new task on the old finding goes to whoever carries A's work
    later = findings.add_task(small.finding, "Việc sau sắp xếp", dt.date(2025, 6, 1), "an",
                              dt.date(2025, 4, 1))
    assert responsible(later) == "N"


def test_merge_into_a_unit_that_carries_on(small):
    result = units.reorganise("merge", ["A", "B"], ["B"], REORG, "an")
    assert (result.ended, result.tasks_moved) == (["A"], 3)
    assert units.get("B").ended_on is None
    assert responsible(small.by_status["open"]) == "B"
    assert responsible(small.b_task) == "B"
    assert [(s.predecessor.code, s.successor.code) for s in Succession.select()] == [("A", "B")]


def test_rename(small):
    result = units.reorganise("rename", ["A"], ["A2"], REORG, "an",
                              new_units=[{"code": "A2", "name": "Sở A mới", "kind": "department"}])
    assert result.tasks_moved == 3
    assert responsible(small.by_status["reported_done"]) == "A2"
    assert units.heir_on(units.get("A"), dt.date(2025, 5, 1)).code == "A2"


def test_split_into_new_units(small):
    result = units.reorganise(
        "split", ["A"], ["X", "Y"], REORG, "an", tasks_to="Y",
        new_units=[{"code": "X", "name": "Sở X", "kind": "department"},
                   {"code": "Y", "name": "Sở Y", "kind": "department"}])
    assert (result.ended, result.successors, result.tasks_moved) == (["A"], ["X", "Y"], 3)
    assert responsible(small.by_status["open"]) == "Y"
    links = {s.successor.code: s.takes_open_tasks for s in Succession.select()}
    assert links == {"X": False, "Y": True}
    assert units.heir_on(units.get("A"), REORG).code == "Y"
    assert units.get("C").parent.code == "A"  # a split leaves subordinates to be placed by hand


def test_heir_chains_follow_several_reorganisations(small):
    units.reorganise("merge", ["A", "B"], ["B"], REORG, "an")
    units.reorganise("rename", ["B"], ["Z"], dt.date(2025, 7, 1), "an",
                     new_units=[{"code": "Z", "name": "Sở Z", "kind": "department"}])
    a = units.get("A")
    assert units.heir_on(a, dt.date(2025, 1, 1)).code == "A"
    assert units.heir_on(a, dt.date(2025, 4, 1)).code == "B"
    assert units.heir_on(a, dt.date(2025, 8, 1)).code == "Z"
    assert responsible(small.by_status["open"]) == "Z"
    assert responsible(small.by_status["verified"]) == "A"


@pytest.mark.parametrize("call, key", [
    (lambda: units.reorganise("absorb", ["A"], ["B"], REORG, "an"), "bad_choice"),
    (lambda: units.reorganise("merge", [], ["B"], REORG, "an"), "reorganise_needs_units"),
    (lambda: units.reorganise("merge", ["A"], [], REORG, "an"), "reorganise_needs_units"),
    (lambda: units.reorganise("merge", ["A"], ["B", "C"], REORG, "an"), "merge_one_successor"),
    (lambda: units.reorganise("rename", ["A", "B"], ["C"], REORG, "an"), "rename_one_to_one"),
    (lambda: units.reorganise("split", ["A"], ["B"], REORG, "an"), "split_one_to_many"),
    (lambda: units.reorganise("split", ["A", "B"], ["B", "C"], REORG, "an"), "split_one_to_many"),
    (lambda: units.reorganise("split", ["A"], ["A", "B"], REORG, "an"), "successor_is_source"),
    (lambda: units.reorganise("merge", ["A"], ["B"], REORG, "an", tasks_to="C"),
     "tasks_to_not_successor"),
    (lambda: units.reorganise("merge", ["A", "NOPE"], ["B"], REORG, "an"), "unknown_unit"),
    (lambda: units.reorganise("merge", ["A"], ["NOPE"], REORG, "an"), "unknown_unit"),
    (lambda: units.reorganise("merge", ["A", "B"], ["N"], REORG, "an",
                              new_units=[{"code": "N", "name": "N", "kind": "ministry"}]), "bad_choice"),
    (lambda: units.reorganise("merge", ["A", "B"], ["C"], REORG, "an",
                              new_units=[{"code": "C", "name": "C", "kind": "department"}]),
     "duplicate_unit"),
    # new unit created first, then the unknown source refuses: nothing may remain
    (lambda: units.reorganise("merge", ["A", "NOPE"], ["N"], REORG, "an",
                              new_units=[{"code": "N", "name": "N", "kind": "department"}]),
     "unknown_unit"),
])
def test_refused_reorganisations_change_nothing(small, call, key):
    before = (Unit.select().count(), Succession.select().count(), ChangeLog.select().count(),
              [(t.id, t.responsible_unit_id) for t in Task.select().order_by(Task.id)],
              [(u.code, u.ended_on, u.parent_id) for u in Unit.select().order_by(Unit.id)])
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.key == key
    after = (Unit.select().count(), Succession.select().count(), ChangeLog.select().count(),
             [(t.id, t.responsible_unit_id) for t in Task.select().order_by(Task.id)],
             [(u.code, u.ended_on, u.parent_id) for u in Unit.select().order_by(Unit.id)])
    assert after == before


def test_unit_that_already_ended_cannot_be_reorganised_again(small):
    units.reorganise("merge", ["A", "B"], ["B"], REORG, "an")
    with pytest.raises(DomainError) as info:
        units.reorganise("merge", ["A", "C"], ["C"], dt.date(2025, 6, 1), "an")
    assert info.value.key == "source_not_existing"
    with pytest.raises(DomainError) as info:  # a successor that does not exist yet
        units.reorganise("merge", ["C"], ["N2"], dt.date(2025, 6, 1), "an")
    assert info.value.key == "unknown_unit"
    units.create("LATE", "Sở lập sau", "department", "an", started_on=dt.date(2026, 1, 1))
    with pytest.raises(DomainError) as info:
        units.reorganise("merge", ["C"], ["LATE"], dt.date(2025, 6, 1), "an")
    assert info.value.key == "successor_not_existing"
    assert units.get("C").ended_on is None
