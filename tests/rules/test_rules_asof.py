"""The record as it stood on a report date (rules/asof.py): the unit
responsible for each task, the milestones as known then, the indicator values
of periods ended by then. On both backends."""
import datetime as dt

import pytest

from inspect_tui.rules import asof, exchange, indicators, tasks, units, workplan
from inspect_tui.store.models import ChangeLog, Milestone, Task, WorkItem

ACTOR = "tester"
TODAY = dt.date(2024, 10, 1)
END_OF_DISTRICTS = dt.date(2025, 7, 1)


def log_at(when: dt.datetime, **where) -> int:
    """Pretend the changes matching `where` were made at `when`."""
    condition = True
    for name, value in where.items():
        condition &= getattr(ChangeLog, name) == value
    return ChangeLog.update(at=when).where(condition).execute()


@pytest.fixture
def district(db, make):
    """District D (ended 01/7/2025, its open work passed to the city C), a task it
    still has open and one it finished, both from its 2024 visit."""
    make.unit("C", "UBND thành phố", kind="other")
    make.unit("D", "Quận Dễ", kind="district", parent="C")
    make.unit("S", "Sở Sáu")
    open_task = make.chain("D", dt.date(2024, 6, 1), TODAY)
    finding = Task.get_by_id(open_task).finding_id
    done_task = make.task(finding, dt.date(2024, 6, 1), TODAY, description="Việc đã xong")
    tasks.move(done_task, "reported_done", ACTOR, TODAY, completed_on=TODAY)
    tasks.move(done_task, "verified", ACTOR, TODAY)
    units.reorganise("merge", ["D"], ["C"], END_OF_DISTRICTS, ACTOR)
    return open_task, done_task


def unit_on(task_id: int, day: dt.date, unit: str | None = None) -> str:
    return next(r.unit_code for r in exchange.finding_task_rows(day, unit=unit) if r.task_id == task_id)


def test_a_task_stands_under_the_unit_that_held_it_on_the_report_day(district):
    open_task, done_task = district
    assert Task.get_by_id(open_task).responsible_unit.code == "C"  # passed on by the reorganisation
    assert unit_on(open_task, dt.date(2025, 5, 6)) == "D"
    assert unit_on(open_task, dt.date(2025, 6, 30)) == "D"
    assert unit_on(open_task, END_OF_DISTRICTS) == "C"
    assert unit_on(done_task, dt.date(2025, 5, 6)) == unit_on(done_task, END_OF_DISTRICTS) == "D"
    # the reorganisation takes effect on its own date, whenever it was recorded
    log_at(dt.datetime(2025, 9, 1, 10), entity="task", field="responsible_unit")
    assert unit_on(open_task, dt.date(2025, 8, 1)) == "C"
    log_at(dt.datetime(2025, 4, 1, 10), entity="task", field="responsible_unit")
    assert unit_on(open_task, dt.date(2025, 5, 6)) == "D"


def test_a_task_given_to_another_unit_by_hand_changed_on_the_day_it_was_logged(district):
    open_task, _ = district
    tasks.update(open_task, ACTOR, dt.date(2025, 8, 1), responsible="S")
    changes = ChangeLog.select().where((ChangeLog.entity == "task") & (ChangeLog.record_id == open_task)
                                       & (ChangeLog.field == "responsible_unit")).order_by(ChangeLog.id)
    by_hand = list(changes)[-1]
    ChangeLog.update(at=dt.datetime(2025, 8, 10, 9)).where(ChangeLog.id == by_hand.id).execute()
    assert unit_on(open_task, dt.date(2025, 8, 9)) == "C"
    assert unit_on(open_task, dt.date(2025, 8, 10)) == "S"
    assert unit_on(open_task, dt.date(2025, 5, 6)) == "D"


def test_a_unit_report_as_of_a_day_holds_the_tasks_the_unit_held_then(district):
    open_task, _ = district
    before = [r.task_id for r in exchange.finding_task_rows(dt.date(2025, 5, 6), unit="C")]
    after = [r.task_id for r in exchange.finding_task_rows(dt.date(2025, 8, 1), unit="C")]
    assert open_task not in before and open_task in after
    assert exchange.count_rows(None, "C", dt.date(2025, 5, 6)) == len(before)
    assert exchange.count_rows(None, "C", dt.date(2025, 8, 1)) == len(after)
    assert open_task in [r.task_id for r in exchange.finding_task_rows(dt.date(2025, 8, 1), unit="D")]


def test_a_log_that_does_not_lead_to_the_stored_unit_is_not_trusted(district):
    open_task, _ = district
    Task.update(responsible_unit=units.get("S").id).where(Task.id == open_task).execute()  # behind the log's back
    assert unit_on(open_task, dt.date(2025, 5, 6)) == "S"
    assert asof.responsible_units_on({}, dt.date(2025, 5, 6)) == {}


def test_milestones_are_shown_as_known_on_the_report_day(seeded):
    workplan.set_milestone("GP1", 2026, ACTOR, status="in_progress", note="Đang làm")
    workplan.set_status("GP1", "in_progress", ACTOR)
    log_at(dt.datetime(2026, 3, 2, 8), entity="milestone")
    log_at(dt.datetime(2026, 3, 2, 8), entity="work_item")

    def gp1(day, as_of=True):
        item = next(i for i in workplan.items(day, as_of=as_of) if i.code == "GP1")
        return item.status, next((m.status, m.note) for m in item.milestones if m.year == 2026)

    assert gp1(dt.date(2025, 5, 6)) == ("not_started", ("not_started", ""))
    assert gp1(dt.date(2026, 3, 1)) == ("not_started", ("not_started", ""))
    assert gp1(dt.date(2026, 3, 2)) == ("in_progress", ("in_progress", "Đang làm"))
    assert gp1(dt.date(2025, 5, 6), as_of=False) == ("in_progress", ("in_progress", "Đang làm"))
    # the next change after the day tells what stood on it
    workplan.set_milestone("GP1", 2026, ACTOR, status="done")
    milestone = Milestone.get((Milestone.year == 2026) & (Milestone.item == WorkItem.get(code="GP1")))
    log_at(dt.datetime(2026, 12, 20, 8), entity="milestone", record_id=milestone.id, field="status",
           action="update")
    ChangeLog.update(at=dt.datetime(2026, 3, 2, 8)).where(
        (ChangeLog.entity == "milestone") & (ChangeLog.record_id == milestone.id)
        & (ChangeLog.new == '"in_progress"')).execute()
    assert gp1(dt.date(2026, 11, 23))[1] == ("in_progress", "Đang làm")
    assert gp1(dt.date(2026, 12, 31))[1] == ("done", "Đang làm")
    late = next(m for m in next(i for i in workplan.items(dt.date(2027, 1, 5), as_of=True)
                                if i.code == "GP1").milestones if m.year == 2026)
    assert not late.late  # done, as known on 05/01/2027


def test_indicator_values_only_of_periods_ended_by_the_report_day(seeded):
    def periods(day):
        row = next(r for r in indicators.all_indicators(known_on=day) if r.code == "SO-HOA-KQ")
        return [o.period for o in row.observations], row.conflicts

    assert periods(dt.date(2025, 5, 6)) == (["2022", "2023", "2024"], [])
    assert periods(dt.date(2025, 12, 31)) == (["2022", "2023", "2024", "2025", "2025"], ["2025"])
    quarter = next(r for r in indicators.all_indicators(known_on=dt.date(2025, 5, 6))
                   if any(o.period == "2025-Q1" for o in r.observations))
    assert quarter.observations[-1].period == "2025-Q1"
    assert not any(o.period == "2025-Q1" for r in indicators.all_indicators(known_on=dt.date(2025, 3, 30))
                   for o in r.observations)


@pytest.mark.parametrize("period, end", [
    ("2024", dt.date(2024, 12, 31)), ("2025-Q1", dt.date(2025, 3, 31)), ("2025-Q4", dt.date(2025, 12, 31)),
    ("2025-H1", dt.date(2025, 6, 30)), ("2025-02", dt.date(2025, 2, 28)), ("2024-02", dt.date(2024, 2, 29)),
    ("2021-2025", dt.date(2025, 12, 31)), ("2022-2025", dt.date(2025, 12, 31))])
def test_period_end(period, end):
    assert indicators.period_end(period) == end
