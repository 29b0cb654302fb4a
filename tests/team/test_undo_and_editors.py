"""Undo belongs to the terminal that made the change, says what it undid, and
is refused once a colleague has changed the record since; two editors of one
record: the second save, made on the copy both opened, is refused and names
who changed it. On both backends."""
import datetime as dt

import pytest

from inspect_tui.rules import audit, findings, inspections, tasks, units, workplan
from inspect_tui.rules.errors import DomainError
from inspect_tui.store.models import Finding, Milestone, Task, Unit, Visit

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def task_id(url, make):
    audit.start_session()
    return make.chain("STC", dt.date(2026, 12, 31), TODAY)


def test_undo_after_a_colleague_moved_the_task_on_is_refused(task_id):
    mine = audit.start_session()
    tasks.move(task_id, "reported_done", "an", TODAY, completed_on=dt.date(2026, 11, 20))
    audit.start_session()  # the colleague's terminal
    tasks.move(task_id, "verified", "bình", TODAY)
    before = Task.get_by_id(task_id)
    with pytest.raises(DomainError) as info:
        audit.undo(audit.last_batch(mine), "an")
    assert info.value.key == "undo_conflict"
    assert info.value.values["who"] == "bình"
    assert "Không thể hoàn tác: Nhiệm vụ" in info.value.message()
    after = Task.get_by_id(task_id)
    assert (after.status, after.completed_on, after.version) == ("verified", dt.date(2026, 11, 20),
                                                                 before.version)


def test_undo_says_what_it_undid_and_the_task_is_as_before(task_id):
    tasks.move(task_id, "in_progress", "an", TODAY)
    tasks.add_note(task_id, "Đã nhắc đơn vị", "an", TODAY)
    assert audit.undo(audit.last_batch(), "an") == (
        f"Nhiệm vụ {task_id}: đã bỏ ghi chú tiến độ vừa thêm")
    assert audit.undo(audit.last_batch(), "an") == f'Nhiệm vụ {task_id}: trở lại "Chưa thực hiện"'
    task = Task.get_by_id(task_id)
    assert task.status == "open" and task.version == 5  # undo is a change: stale copies stay stale
    assert audit.last_batch() is not None  # the task's creation, made in this session too


def test_a_second_terminal_of_the_same_user_cannot_undo_the_first(task_id):
    first = audit.start_session()
    tasks.move(task_id, "in_progress", "an", TODAY)
    second = audit.start_session()  # the same OS user in another terminal
    assert audit.last_batch(second) is None
    assert audit.last_batch(first) is not None


def test_undo_of_a_finding_someone_has_since_given_a_task_is_refused(url, make):
    plan = make.plan(2026)
    visit = make.visit(plan, "STC", scheduled_on=dt.date(2026, 3, 2), held_on=dt.date(2026, 3, 2))
    mine = audit.start_session()
    finding = findings.add(visit, "procedures", "Chưa công khai TTHC", "an").id
    audit.start_session()
    theirs = findings.add_task(finding, "Công khai TTHC", dt.date(2026, 12, 31), "bình", TODAY)
    with pytest.raises(DomainError) as info:
        audit.undo(audit.last_batch(mine), "an")
    assert info.value.key == "undo_dependents"
    assert Task.get_or_none(Task.id == theirs) is not None
    assert Finding.get_or_none(Finding.id == finding) is not None


@pytest.mark.parametrize("record", ["visit", "finding", "unit", "milestone"])
def test_two_editors_the_second_save_is_refused_naming_the_first(url, make, record):
    plan = make.plan(2026)
    visit = make.visit(plan, "STC", scheduled_on=dt.date(2026, 3, 2))
    finding = make.finding(visit)
    opened = {"visit": Visit.get_by_id(visit).version, "finding": Finding.get_by_id(finding).version,
              "unit": Unit.get(Unit.code == "STC").version,
              "milestone": Milestone.get((Milestone.year == 2026)).version}
    item = Milestone.get(Milestone.year == 2026).item.code
    save = {
        "visit": lambda who, v, text: inspections.update_visit(visit, who, TODAY, expected_version=v,
                                                               assessment=text),
        "finding": lambda who, v, text: findings.update(finding, who, expected_version=v,
                                                        recommendation=text),
        "unit": lambda who, v, text: units.update("STC", who, expected_version=v, note=text),
        "milestone": lambda who, v, text: workplan.set_milestone(item, 2026, who, note=text,
                                                                 expected_version=v),
    }[record]
    save("chị Hoa", opened[record], "Bản của chị Hoa")
    with pytest.raises(DomainError) as info:
        save("anh Nam", opened[record], "Bản của anh Nam")
    assert info.value.key == "record_changed" and info.value.values["who"] == "chị Hoa"
    assert "vừa được chị Hoa sửa lúc" in info.value.message()
