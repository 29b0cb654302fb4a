"""What the last visit left open, checked at the next visit (verified / still
open, one change each), and repeated findings (tồn tại lặp lại) counted per
unit, on both backends. Visits, strengths and representatives as the papers
read them."""
import datetime as dt

import pytest

from inspect_tui.rules import audit, findings, followup, inspections, tasks
from inspect_tui.rules.errors import DomainError
from inspect_tui.store.models import ItemCheck, ProgressNote

ACTOR = "tester"

D = dt.date
TODAY = D(2024, 6, 1)


@pytest.fixture
def history(seeded, make):
    """SNV visited in 2023 (two findings: procedures left open, digital verified),
    then again in 2024."""
    p23, p24 = make.plan(2023), make.plan(2024)
    v1 = make.visit(p23, "SNV", scheduled_on=D(2023, 4, 6), held_on=D(2023, 4, 6),
                    notice_date=D(2023, 4, 20))
    f1 = make.finding(v1, area="procedures", description="Chưa niêm yết TTHC đầy đủ")
    t1 = make.task(f1, D(2023, 6, 1), D(2023, 4, 21), description="Niêm yết công khai TTHC")
    f2 = make.finding(v1, area="digital", description="Tỷ lệ hồ sơ trực tuyến thấp")
    t2 = make.task(f2, D(2023, 6, 1), D(2023, 4, 21), description="Nâng tỷ lệ hồ sơ trực tuyến")
    for status in ("in_progress", "reported_done", "verified"):
        tasks.move(t2, status, ACTOR, D(2023, 5, 20))
    t3 = make.task(f1, D(2023, 7, 1), D(2023, 4, 21), description="Rà soát quy trình nội bộ")
    tasks.move(t3, "reported_done", ACTOR, D(2023, 6, 20))
    v2 = make.visit(p24, "SNV", scheduled_on=D(2024, 4, 8), held_on=D(2024, 4, 8))
    return dict(p24=p24, v1=v1, f1=f1, f2=f2, t1=t1, t2=t2, t3=t3, v2=v2)


def test_open_items_are_the_unfinished_tasks_of_earlier_visits(history):
    items = followup.open_items(history["v2"], TODAY)
    assert [(i.task_id, i.status, i.check, i.passed_on) for i in items] == [
        (history["t1"], "open", None, False), (history["t3"], "reported_done", None, False)]
    first = items[0]
    assert (first.visit_id, first.visited_code, first.held_on, first.area, first.days_overdue) == (
        history["v1"], "SNV", D(2023, 4, 6), "procedures", (TODAY - D(2023, 6, 1)).days)
    assert followup.open_items(history["v1"], TODAY) == []  # nothing before the first visit


def test_a_new_finding_in_the_same_area_repeats_the_unremedied_one(history):
    again = findings.add(history["v2"], "procedures", "Vẫn chưa niêm yết TTHC", ACTOR)
    fresh = findings.add(history["v2"], "digital", "Cổng dịch vụ công chưa cập nhật", ACTOR)
    other = findings.add(history["v2"], "civil_service", "Chưa có vị trí việc làm", ACTOR)
    assert again.repeats_id == history["f1"]
    assert fresh.repeats_id is None  # its earlier digital finding was remedied (verified)
    assert other.repeats_id is None
    # another area: looked up again
    moved = findings.update(other.id, ACTOR, area="procedures")
    assert moved.repeats_id == history["f1"]
    moved = findings.update(other.id, ACTOR, area="institutions")
    assert moved.repeats_id is None
    counted = followup.repeated_by_unit(2024)
    assert [(u.code, u.findings, u.repeated) for u in counted] == [("SNV", 3, 1)]
    assert followup.repeated_by_unit(2023) == []
    assert [(u.code, u.repeated) for u in followup.repeated_by_unit(2023, unit="SNV")] == [("SNV", 0)]
    assert followup.repeated_count(2024) == 1 and followup.repeated_count() == 1


def test_the_team_may_set_or_clear_the_mark(history):
    finding = findings.add(history["v2"], "civil_service", "Chưa có vị trí việc làm", ACTOR)
    row = findings.set_repeats(finding.id, history["f2"], ACTOR, expected_version=finding.version)
    assert row.repeats_id == history["f2"]
    assert findings.set_repeats(finding.id, None, ACTOR).repeats_id is None
    with pytest.raises(DomainError) as info:  # a later finding cannot be repeated
        findings.set_repeats(history["f1"], finding.id, ACTOR)
    assert info.value.key == "not_earlier_finding"
    with pytest.raises(DomainError):
        findings.set_repeats(finding.id, finding.id, ACTOR)


def test_verified_on_the_spot_is_one_change(history):
    item = followup.check_item(history["v2"], history["t1"], "verified", ACTOR, TODAY)
    assert (item.check, item.status, item.checked_on) == ("verified", "verified", D(2024, 4, 8))
    task = tasks.get(history["t1"])
    assert (task.status, task.completed_on) == ("verified", D(2024, 4, 8))
    assert "xác nhận đã khắc phục" in tasks.notes(history["t1"])[-1].text
    # it stays on the list, with the result
    assert [(i.task_id, i.check) for i in followup.open_items(history["v2"], TODAY)] == [
        (history["t1"], "verified"), (history["t3"], None)]
    assert [(c.task_id, c.result) for c in followup.checks_of_visit(history["v2"])] == [
        (history["t1"], "verified")]
    # the same key again changes nothing
    log = audit.history("task", history["t1"])
    followup.check_item(history["v2"], history["t1"], "verified", ACTOR, TODAY)
    assert len(audit.history("task", history["t1"])) == len(log)
    # one undo takes the check, the moves and the note back
    audit.undo(audit.last_batch(), ACTOR)
    assert tasks.get(history["t1"]).status == "open"
    assert ItemCheck.select().count() == 0
    assert not ProgressNote.select().where(ProgressNote.task == history["t1"]).exists()


def test_still_open_sends_a_reported_task_back_and_can_be_corrected(history):
    item = followup.check_item(history["v2"], history["t3"], "still_open", ACTOR, TODAY,
                               note="Chưa có quy trình mới.")
    assert (item.check, item.status) == ("still_open", "in_progress")
    task = tasks.get(history["t3"])
    assert "chưa khắc phục xong" in task.status_reason and "Chưa có quy trình mới." in task.status_reason
    # an open task stays open, with a note
    followup.check_item(history["v2"], history["t1"], "still_open", ACTOR, TODAY)
    assert tasks.get(history["t1"]).status == "open"
    assert "chưa khắc phục xong" in tasks.notes(history["t1"])[-1].text
    # the other key corrects the check
    corrected = followup.check_item(history["v2"], history["t1"], "verified", ACTOR, TODAY)
    assert (corrected.check, corrected.status) == ("verified", "verified")
    again = followup.check_item(history["v2"], history["t1"], "still_open", ACTOR, TODAY)
    assert (again.check, again.status) == ("still_open", "in_progress")
    assert ItemCheck.select().count() == 2


def test_checks_are_refused_outside_the_list(history, make):
    own = make.task(make.finding(history["v2"]), D(2024, 6, 1), D(2024, 4, 20))
    for task_id, result, key in ((own, "verified", "not_open_item"),  # the visit's own task
                                 (history["t2"], "verified", "not_open_item"),  # already verified
                                 (history["t1"], "done", "bad_choice")):
        with pytest.raises(DomainError) as info:
            followup.check_item(history["v2"], task_id, result, ACTOR, TODAY)
        assert info.value.key == key
    with pytest.raises(DomainError) as info:  # a visit of another unit
        other = make.visit(history["p24"], "STP", scheduled_on=D(2024, 5, 6), held_on=D(2024, 5, 6))
        followup.check_item(other, history["t1"], "verified", ACTOR, TODAY)
    assert info.value.key == "not_open_item"
    with pytest.raises(DomainError) as info:  # someone changed the task meanwhile
        stale = tasks.get(history["t1"]).version
        tasks.add_note(history["t1"], "Đang làm", ACTOR, TODAY)
        followup.check_item(history["v2"], history["t1"], "verified", ACTOR, TODAY, expected_version=stale)
    assert info.value.key == "task_changed"


def test_tasks_passed_on_by_a_reorganisation(seeded, make):
    """Sở Kế hoạch và Đầu tư merged into Sở Tài chính on 01/3/2025: the 2024
    visit's open task is checked at the 2025 visit to Sở Tài chính, and a new
    public-finance finding there repeats the old one."""
    v1 = make.visit(make.plan(2024), "SKHDT", scheduled_on=D(2024, 4, 8), held_on=D(2024, 4, 8))
    old = make.finding(v1, area="public_finance", description="Giải ngân vốn đầu tư công chậm")
    task = make.task(old, D(2024, 8, 1), D(2024, 4, 20), description="Đẩy nhanh giải ngân")
    v2 = make.visit(make.plan(2025), "STC", scheduled_on=D(2025, 6, 10), held_on=D(2025, 6, 10))
    items = followup.open_items(v2, D(2025, 6, 20))
    assert [(i.task_id, i.visited_code, i.passed_on) for i in items] == [(task, "SKHDT", True)]
    new = findings.add(v2, "public_finance", "Giải ngân vẫn chậm", ACTOR)
    assert new.repeats_id == old
    assert [(u.code, u.repeated) for u in followup.repeated_by_unit(2025)] == [("STC", 1)]
    checked = followup.check_item(v2, task, "still_open", ACTOR, D(2025, 6, 20))
    assert checked.check == "still_open"


def test_visits_carry_strengths_and_representatives(seeded, make):
    visit = make.visit(make.plan(2024), "SNV", scheduled_on=D(2024, 4, 8), held_on=D(2024, 4, 8))
    inspections.update_visit(visit, ACTOR, strengths="Bộ phận Một cửa khang trang.",
                             representatives="Nguyễn Văn A - Giám đốc\nTrần Thị B - Chánh Văn phòng")
    row = inspections.visit_row(visit, TODAY)
    assert row.strengths == "Bộ phận Một cửa khang trang."
    assert row.representatives.splitlines() == ["Nguyễn Văn A - Giám đốc", "Trần Thị B - Chánh Văn phòng"]
    assert row.notice_due_on == D(2024, 5, 3)  # 15 working days: 18/4 Giỗ Tổ, 29/4-01/5 off
    with pytest.raises(DomainError):
        inspections.update_visit(visit, ACTOR, strengths="x" * 40_000)
