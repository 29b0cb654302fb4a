"""Plans, teams, visits and starting next year's plan from this year's."""
import datetime as dt
import itertools

import pytest

from inspect_tui.rules import inspections, tasks
from inspect_tui.rules.errors import DomainError
from inspect_tui.store.models import CarriedTask, ChangeLog, Plan, TeamMember, Visit

TODAY = dt.date(2025, 10, 1)
VISIT_STATUSES = ("planned", "held", "postponed", "cancelled")
VISIT_MOVES = {("planned", "held"), ("planned", "postponed"), ("planned", "cancelled"),
               ("postponed", "planned"), ("postponed", "held"), ("postponed", "cancelled"),
               ("cancelled", "planned")}


@pytest.mark.parametrize("kwargs, key", [
    ({"level": "province"}, "bad_choice"),
    ({"kind": "surprise"}, "bad_choice"),
    ({"number": "  "}, "required"),
    ({"year": 1999}, "year_out_of_range"),
    ({"level": "unit"}, "unit_plan_needs_issuer"),
])
def test_plan_validation(seeded, kwargs, key):
    values = {"year": 2024, "number": "45/KH-UBND", **kwargs}
    with pytest.raises(DomainError) as info:
        inspections.create_plan(values.pop("year"), values.pop("number"), "an", **values)
    assert info.value.key == key
    assert Plan.select().count() == 0


def test_plan_and_team(seeded):
    plan = inspections.create_plan(2024, " 45/KH-UBND ", "an", issued_on=dt.date(2024, 3, 5))
    assert (plan.year, plan.number, plan.level, plan.kind, plan.visits) == (
        2024, "45/KH-UBND", "city", "comprehensive", 0)
    unit_plan = inspections.create_plan(2024, "12/KH-SNV", "an", level="unit", issuer="SNV")
    assert unit_plan.issuer_code == "SNV"
    inspections.add_member(plan.id, "Đặng Thị Kim Yến", "secretary", "an")
    inspections.add_member(plan.id, "Trần Văn Minh", "leader", "an", title="Chủ tịch UBND thành phố")
    inspections.add_member(plan.id, "Lê Thị Thu Hà", "deputy", "an")
    with pytest.raises(DomainError) as info:
        inspections.add_member(plan.id, "Người thứ hai", "leader", "an")
    assert info.value.key == "one_leader"
    for name, role, key in (("X", "boss", "bad_choice"), (" ", "member", "required")):
        with pytest.raises(DomainError) as info:
            inspections.add_member(plan.id, name, role, "an")
        assert info.value.key == key
    assert [(m.name, m.role) for m in inspections.team(plan.id)] == [
        ("Trần Văn Minh", "leader"), ("Lê Thị Thu Hà", "deputy"), ("Đặng Thị Kim Yến", "secretary")]
    assert [p.number for p in inspections.plans(year=2024, level="city")] == ["45/KH-UBND"]
    with pytest.raises(DomainError) as info:
        inspections.get_plan(9999)
    assert info.value.key == "unknown_record"


def test_visit_needs_a_unit_existing_on_its_date(seeded, make):
    p24, p26 = make.plan(2024), make.plan(2026)
    with pytest.raises(DomainError) as info:
        inspections.add_visit(p24, "SNNMT", "an", scheduled_on=dt.date(2024, 5, 1))
    assert info.value.key == "unit_not_existing"
    with pytest.raises(DomainError) as info:  # districts ended on 01/7/2025
        inspections.add_visit(p26, "Q-NK", "an")
    assert info.value.key == "unit_not_existing"
    with pytest.raises(DomainError) as info:
        inspections.add_visit(p24, "SNV", "an", scheduled_on=dt.date(2025, 1, 10))
    assert info.value.key == "visit_outside_year"
    with pytest.raises(DomainError) as info:
        inspections.add_visit(p24, "NOPE", "an")
    assert info.value.key == "unknown_unit"
    assert Visit.select().count() == 0
    assert inspections.add_visit(p26, "SNNMT", "an", scheduled_on=dt.date(2026, 4, 1))


PATHS = {"planned": [], "held": ["held"], "postponed": ["postponed"], "cancelled": ["cancelled"]}


@pytest.mark.parametrize("old, new", [p for p in itertools.product(VISIT_STATUSES, VISIT_STATUSES)
                                      if p[0] != p[1]])
def test_visit_status_moves(seeded, make, old, new):
    visit_id = make.visit(make.plan(2024), "SNV", dt.date(2024, 5, 6))
    for step in PATHS[old]:
        inspections.update_visit(visit_id, "an", status=step, held_on=dt.date(2024, 5, 6))
    values = {"status": new}
    if new == "held":
        values["held_on"] = dt.date(2024, 5, 7)
    if (old, new) in VISIT_MOVES:
        inspections.update_visit(visit_id, "an", **values)
        assert Visit.get_by_id(visit_id).status == new
    else:
        log_rows = ChangeLog.select().count()
        with pytest.raises(DomainError) as info:
            inspections.update_visit(visit_id, "an", **values)
        assert info.value.key == "visit_move_refused"
        assert Visit.get_by_id(visit_id).status == old
        assert ChangeLog.select().count() == log_rows


def test_held_visit_needs_its_date_and_notice_follows_it(seeded, make):
    visit_id = make.visit(make.plan(2024), "SNV", dt.date(2024, 5, 6))
    for values, key in (
        ({"status": "held"}, "held_needs_date"),
        ({"status": "held", "held_on": dt.date(2024, 5, 6), "notice_date": dt.date(2024, 5, 5)},
         "notice_before_visit"),
        ({"status": "finished"}, "bad_choice"),
        ({"unit": "STP"}, "bad_field"),
    ):
        with pytest.raises(DomainError) as info:
            inspections.update_visit(visit_id, "an", **values)
        assert info.value.key == key
    with pytest.raises(DomainError) as info:  # not yet: today is the day before
        inspections.update_visit(visit_id, "an", dt.date(2024, 5, 5), status="held",
                                 held_on=dt.date(2024, 5, 6))
    assert info.value.key == "held_in_future"
    assert "06/5/2024" in info.value.message("vi")
    assert Visit.get_by_id(visit_id).status == "planned"
    inspections.update_visit(visit_id, "an", dt.date(2024, 5, 6), status="held", held_on=dt.date(2024, 5, 6),
                             notice_date=dt.date(2024, 5, 6), notice_number="112/TB-UBND")
    with pytest.raises(DomainError) as info:  # a held visit stays held
        inspections.update_visit(visit_id, "an", status="planned")
    assert info.value.key == "visit_move_refused"


def test_visit_rows_count_findings_open_and_overdue_tasks(seeded, make):
    plan_id = make.plan(2024)
    inspections.add_member(plan_id, "Trần Văn Minh", "leader", "an")
    t1 = make.chain("SNV", dt.date(2024, 6, 1), TODAY, plan_id=plan_id)
    finding_id = make.finding(Visit.select().where(Visit.plan == plan_id).get().id)
    make.task(finding_id, dt.date(2026, 1, 1), TODAY)
    t3 = make.task(finding_id, dt.date(2024, 6, 1), TODAY)
    tasks.move(t3, "reported_done", "an", TODAY)
    assert t1
    [row] = inspections.visits(TODAY, plan_id=plan_id)
    assert (row.unit_code, row.status, row.findings, row.open_tasks, row.overdue_tasks, row.leader) == (
        "SNV", "held", 2, 2, 1, "Trần Văn Minh")


# --- carry-over ----------------------------------------------------------------------------------

def test_start_next_year_copies_team_visits_heirs_and_carries_unfinished_tasks(seeded, make):
    plan_id = make.plan(2025, "30/KH-UBND", issued_on=dt.date(2025, 2, 10))
    for name, role in (("Trần Văn Minh", "leader"), ("Lê Thị Thu Hà", "deputy"),
                       ("Đặng Thị Kim Yến", "secretary")):
        inspections.add_member(plan_id, name, role, "an")
    day = dt.date(2025, 1, 20)
    by_status = {}
    for code, status in (("SKHDT", "open"), ("STC", "in_progress"), ("Q-NK", "reported_done"),
                         ("SNV", "verified"), ("STP", "cancelled")):
        task_id = make.chain(code, dt.date(2025, 6, 1), TODAY, plan_id=plan_id, year=2025, held=day)
        for step in {"open": [], "in_progress": ["in_progress"], "reported_done": ["reported_done"],
                     "verified": ["reported_done", "verified"], "cancelled": ["cancelled"]}[status]:
            tasks.move(task_id, step, "an", TODAY, reason="lý do")
        by_status[status] = task_id

    new = inspections.start_next_year(plan_id, "an", " 40/KH-UBND ", issued_on=dt.date(2026, 2, 1))
    assert (new.year, new.number, new.level, new.kind) == (2026, "40/KH-UBND", "city", "comprehensive")
    assert Plan.get_by_id(new.id).derived_from_id == plan_id
    assert [(m.name, m.role) for m in inspections.team(new.id)] == [
        ("Trần Văn Minh", "leader"), ("Lê Thị Thu Hà", "deputy"), ("Đặng Thị Kim Yến", "secretary")]
    # SKHDT merged into STC (visited once), Q-NK ended: UBND thành phố carries its work
    visits = inspections.visits(TODAY, plan_id=new.id)
    assert sorted(v.unit_code for v in visits) == ["SNV", "STC", "STP", "UBND-TP"]
    assert {v.status for v in visits} == {"planned"}
    carried = inspections.carried_tasks(new.id)
    assert sorted(carried) == sorted([by_status["open"], by_status["in_progress"],
                                      by_status["reported_done"]])
    # carried, never copied: the task itself is the same record
    assert tasks.count(tasks.TaskFilter(), TODAY) == 5

    counts = (Plan.select().count(), Visit.select().count(), CarriedTask.select().count(),
              TeamMember.select().count(), ChangeLog.select().count())
    again = inspections.start_next_year(plan_id, "an", "99/KH-UBND")
    assert again.id == new.id and again.number == "40/KH-UBND"
    assert (Plan.select().count(), Visit.select().count(), CarriedTask.select().count(),
            TeamMember.select().count(), ChangeLog.select().count()) == counts

    # the year after: what was carried and is still unfinished goes on, what was closed does not
    tasks.move(by_status["in_progress"], "reported_done", "an", dt.date(2026, 3, 1))
    tasks.move(by_status["in_progress"], "verified", "an", dt.date(2026, 3, 1))
    following = inspections.start_next_year(new.id, "an", "41/KH-UBND")
    assert following.year == 2027
    assert sorted(inspections.carried_tasks(following.id)) == sorted(
        [by_status["open"], by_status["reported_done"]])
