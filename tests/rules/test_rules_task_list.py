"""Findings and remediation tasks: defaults, validation, and the working list
(quick filters, unit typed without diacritics, area, year, text, sorts, paging)."""
import datetime as dt
from types import SimpleNamespace

import pytest

from inspect_tui.rules import findings, inspections, tasks
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.tasks import TaskFilter
from inspect_tui.store.models import ChangeLog, Finding, Task

TODAY = dt.date(2024, 10, 1)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def world(prebuilt):
    """Six tasks with known statuses, units, areas and years (built once per session and
    backend, copied for each test)."""
    return prebuilt("seeded", build_world)


def build_world(make):
    p24, p23 = make.plan(2024), make.plan(2023)
    w = SimpleNamespace()
    w.t1 = make.chain("SNV", days(-40), TODAY, plan_id=p24, area="procedures")
    w.t2 = make.chain("SNV", days(3), TODAY, plan_id=p24, area="digital",
                      description="Cập nhật Cổng dịch vụ công", assignee="Trần Thị Mai")
    w.t3 = make.chain("STP", days(-5), TODAY, plan_id=p24, area="procedures", assignee="Lê Quốc Bảo")
    w.t4 = make.chain("Q-NK", days(-100), TODAY, plan_id=p24, area="leadership",
                      assignee="Lê Quốc Bảo")
    w.t5 = make.chain("STP", days(30), TODAY, plan_id=p24, area="digital")
    w.t6 = make.chain("SNV", dt.date(2023, 12, 1), TODAY, plan_id=p23, year=2023,
                      assignee="Phan Thị Hồng")
    tasks.move(w.t2, "in_progress", "an", TODAY)
    tasks.move(w.t3, "reported_done", "an", TODAY)
    tasks.move(w.t6, "reported_done", "an", TODAY)
    tasks.move(w.t6, "verified", "an", TODAY)
    return w


def ids(flt, today=TODAY, **kw):
    return [r.id for r in tasks.list_tasks(flt, today, limit=None, **kw)]


def test_quick_filters(world):
    w = world
    assert set(ids(TaskFilter(quick="overdue"))) == {w.t1, w.t4}
    assert set(ids(TaskFilter(quick="due_week"))) == {w.t2}
    assert set(ids(TaskFilter(quick="awaiting"))) == {w.t3}
    assert set(ids(TaskFilter(quick="unassigned"))) == {w.t1, w.t5}
    assert set(ids(TaskFilter(quick="active"))) == {w.t1, w.t2, w.t4, w.t5}
    assert set(ids(TaskFilter())) == {w.t1, w.t2, w.t3, w.t4, w.t5, w.t6}
    # a week later t2 has become overdue too
    assert set(ids(TaskFilter(quick="overdue"), today=days(7))) == {w.t1, w.t2, w.t4}


@pytest.mark.parametrize("typed", ["SNV", "so noi vu", "SO NOI VU", "Sở Nội vụ", "noi vu"])
def test_unit_filter_by_code_or_name_without_diacritics(world, typed):
    assert set(ids(TaskFilter(unit=typed))) == {world.t1, world.t2, world.t6}


def test_unit_filter_by_district_name(world):
    assert ids(TaskFilter(unit="quan ninh kieu")) == [world.t4]
    assert ids(TaskFilter(unit="khong co don vi nay")) == []


def test_area_year_status_assignee_and_text_filters(world):
    w = world
    assert set(ids(TaskFilter(area="procedures"))) == {w.t1, w.t3, w.t6}
    assert set(ids(TaskFilter(area="digital", quick="active"))) == {w.t2, w.t5}
    assert ids(TaskFilter(year=2023)) == [w.t6]
    assert set(ids(TaskFilter(statuses=("reported_done", "verified")))) == {w.t3, w.t6}
    assert set(ids(TaskFilter(assignee="le quoc bao"))) == {w.t3, w.t4}
    assert ids(TaskFilter(text="cong dich vu")) == [w.t2]
    assert set(ids(TaskFilter(text="ninh kieu"))) == {w.t4}  # the responsible unit's name
    assert set(ids(TaskFilter(unit="STP", quick="active"))) == {w.t5}


def test_bad_filter_values_are_refused(world):
    for flt in (TaskFilter(quick="late"), TaskFilter(area="sports"), TaskFilter(sort="name")):
        with pytest.raises(DomainError) as info:
            tasks.list_tasks(flt, TODAY)
        assert info.value.key == "bad_choice"


def test_sorts(world):
    w = world
    # most days overdue first, active tasks before finished ones
    assert ids(TaskFilter(sort="overdue"))[:4] == [w.t4, w.t1, w.t2, w.t5]
    assert set(ids(TaskFilter(sort="overdue"))[4:]) == {w.t3, w.t6}
    assert ids(TaskFilter(sort="due")) == [w.t6, w.t4, w.t1, w.t3, w.t2, w.t5]
    by_unit = tasks.list_tasks(TaskFilter(sort="unit"), TODAY, limit=None)
    assert [r.unit_code for r in by_unit] == ["Q-NK", "SNV", "SNV", "SNV", "STP", "STP"]


def test_paging_and_count(world):
    flt = TaskFilter(sort="due")
    everything = ids(flt)
    pages = [r.id for offset in range(0, 6, 4)
             for r in tasks.list_tasks(flt, TODAY, limit=4, offset=offset)]
    assert pages == everything
    assert len(tasks.list_tasks(flt, TODAY, limit=4, offset=4)) == 2
    assert tasks.list_tasks(flt, TODAY, limit=4, offset=8) == []
    assert tasks.count(flt, TODAY) == 6
    assert tasks.count(TaskFilter(quick="overdue"), TODAY) == 2
    assert tasks.count(TaskFilter(unit="so noi vu", quick="active"), TODAY) == 2


def test_rows_carry_what_people_read(world):
    row = tasks.row(world.t4, TODAY)
    assert (row.unit_code, row.unit_name, row.visited_code, row.visited_name) == (
        "Q-NK", "Quận Ninh Kiều", "Q-NK", "Quận Ninh Kiều")
    assert (row.area, row.year, row.days_overdue, row.bucket) == ("leadership", 2024, 100,
                                                                  "overdue_90_plus")
    assert row.finding == "Chưa niêm yết TTHC đầy đủ"
    done = tasks.row(world.t6, TODAY)
    assert (done.days_overdue, done.bucket) == (0, None)
    assert [r.id for r in tasks.of_finding(Task.get_by_id(world.t1).finding_id, TODAY)] == [world.t1]


# --- findings and task creation -----------------------------------------------------------

def test_task_defaults_to_the_visited_unit(seeded, make):
    plan_id = make.plan(2024)
    visit_id = make.visit(plan_id, "STP", dt.date(2024, 4, 6), held_on=dt.date(2024, 4, 6),
                          notice_date=dt.date(2024, 4, 26))
    finding = findings.add(visit_id, "institutions", "  Văn bản QPPL ban hành chậm  ", "an",
                           recommendation=" Rà soát ")
    assert (finding.description, finding.recommendation, finding.severity) == (
        "Văn bản QPPL ban hành chậm", "Rà soát", "moderate")
    # 30 days after the notice while that is still ahead, else 30 days from today
    assert findings.default_due(visit_id, 30, dt.date(2024, 5, 1)) == dt.date(2024, 5, 26)
    assert findings.default_due(visit_id, 30, dt.date(2024, 5, 26)) == dt.date(2024, 6, 25)
    assert findings.default_due(visit_id, 30, TODAY) == days(30)
    task_id = findings.add_task(finding.id, "Rà soát văn bản", dt.date(2024, 5, 26), "an", TODAY)
    task = Task.get_by_id(task_id)
    assert task.responsible_unit.code == "STP"
    assert (task.status, task.version, task.assignee) == ("open", 1, "")
    other = findings.add_task(finding.id, "Báo cáo", dt.date(2024, 5, 26), "an", TODAY,
                              responsible="SNV", assignee=" Trần Thị Mai ")
    assert Task.get_by_id(other).responsible_unit.code == "SNV"
    assert Task.get_by_id(other).assignee == "Trần Thị Mai"
    assert [f.id for f in findings.of_visit(visit_id)] == [finding.id]


def test_default_due_falls_back_to_the_visit_then_today(seeded, make):
    plan_id = make.plan(2024)
    planned = make.visit(plan_id, "STP", dt.date(2024, 4, 6))
    assert findings.default_due(planned, 30, TODAY) == days(30)
    held = make.visit(plan_id, "SNV", dt.date(2024, 4, 6), held_on=dt.date(2024, 4, 6))
    assert findings.default_due(held, 15, dt.date(2024, 4, 10)) == dt.date(2024, 4, 21)


@pytest.mark.parametrize("kwargs, key", [
    ({"area": "sports"}, "bad_choice"),
    ({"severity": "fatal"}, "bad_choice"),
    ({"description": "   "}, "required"),
])
def test_finding_validation(seeded, make, kwargs, key):
    plan_id = make.plan(2024)
    visit_id = make.visit(plan_id, "SNV", dt.date(2024, 4, 6))
    values = {"area": "procedures", "description": "Tồn tại", **kwargs}
    log_rows = ChangeLog.select().count()
    with pytest.raises(DomainError) as info:
        findings.add(visit_id, values.pop("area"), values.pop("description"), "an", **values)
    assert info.value.key == key
    assert Finding.select().count() == 0 and ChangeLog.select().count() == log_rows


def test_no_findings_on_a_cancelled_visit(seeded, make):
    plan_id = make.plan(2024)
    visit_id = make.visit(plan_id, "SNV", dt.date(2024, 4, 6))
    inspections.update_visit(visit_id, "an", status="cancelled")
    with pytest.raises(DomainError) as info:
        findings.add(visit_id, "procedures", "Tồn tại", "an")
    assert info.value.key == "visit_not_loggable"


def test_finding_update_refolds_search_text(seeded, make):
    plan_id = make.plan(2024)
    finding_id = make.finding(make.visit(plan_id, "SNV", dt.date(2024, 4, 6)))
    findings.update(finding_id, "an", description="Chưa số hóa hồ sơ", area="digital")
    assert Finding.get_by_id(finding_id).search_text == "chua so hoa ho so"
    with pytest.raises(DomainError) as info:
        findings.update(finding_id, "an", visit=3)
    assert info.value.key == "bad_field"


def test_task_validation(seeded, make):
    plan_id = make.plan(2024)
    finding_id = make.finding(make.visit(plan_id, "SNV", dt.date(2024, 4, 6)))
    with pytest.raises(DomainError) as info:
        findings.add_task(finding_id, "  ", days(30), "an", TODAY)
    assert info.value.key == "required"
    with pytest.raises(DomainError) as info:
        findings.add_task(finding_id, "Việc", None, "an", TODAY)
    assert info.value.key == "required"
    with pytest.raises(DomainError) as info:
        findings.add_task(finding_id, "Việc", days(30), "an", TODAY, responsible="NOPE")
    assert info.value.key == "unknown_unit"
    # a unit that has ended cannot be made responsible
    with pytest.raises(DomainError) as info:
        findings.add_task(finding_id, "Việc", days(30), "an", dt.date(2025, 8, 1), responsible="Q-NK")
    assert info.value.key == "unit_not_existing"
    assert Task.select().count() == 0
    task_id = make.task(finding_id, days(30), TODAY)
    for values, key in (({"description": " "}, "required"), ({"due_on": None}, "required"),
                        ({"status": "verified"}, "bad_field"), ({"responsible": "NOPE"}, "unknown_unit")):
        with pytest.raises(DomainError) as info:
            tasks.update(task_id, "an", TODAY, **values)
        assert info.value.key == key
    assert Task.get_by_id(task_id).version == 1
    row = tasks.update(task_id, "an", TODAY, responsible="STP", description="Việc mới",
                       due_on=days(45))
    assert (row.unit_code, row.description, row.due_on, row.visited_code) == (
        "STP", "Việc mới", days(45), "SNV")
