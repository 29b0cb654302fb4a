"""Working days: weekends, Vietnam's public holidays (the `holidays` package,
lunar New Year included), the government's swaps in days_off.toml, and the
deadlines counted in them (the notice 15 working days after the visit, a
task's default deadline, notices late or due this week). `today` is always
passed in."""
import datetime as dt

import pytest

from inspect_tui.rules import findings, inspections, notices, workdays
from inspect_tui.rules.errors import DomainError

D = dt.date


def off(*days):
    return [d for d in days if workdays.is_working_day(d)]


def test_tet_2025_nine_days_off():
    # Tết Ất Tỵ: 28 tháng Chạp to mùng 3 (27-31/01/2025) on weekdays, with the weekends 25/01-02/02
    assert off(*(D(2025, 1, d) for d in range(25, 32)), D(2025, 2, 1), D(2025, 2, 2)) == []
    assert workdays.is_working_day(D(2025, 1, 24)) and workdays.is_working_day(D(2025, 2, 3))
    assert workdays.add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)
    assert workdays.working_days_between(D(2025, 1, 20), D(2025, 2, 7)) == 9  # 21-24/01 and 03-07/02


def test_tet_2026_and_2027():
    # Bính Ngọ: giao thừa Monday 16/02/2026 to mùng 4 Friday 20/02/2026
    assert off(*(D(2026, 2, d) for d in range(14, 23))) == []
    assert workdays.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    # Đinh Mùi: mùng 1 falls on Saturday 06/02/2027; giao thừa (Fri 05/02) and mùng 3 (Mon 08/02) are off
    assert off(D(2027, 2, 5), D(2027, 2, 8), D(2027, 2, 9)) == []
    assert workdays.is_working_day(D(2027, 2, 1))
    assert workdays.add_working_days(D(2027, 2, 3), 1) > D(2027, 2, 9)


def test_swap_days_2024_and_2025():
    # 30/4-01/5/2025: Friday 02/5 off, made up on Saturday 26/4
    assert workdays.is_working_day(D(2025, 4, 26))  # a Saturday, worked
    assert off(D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2)) == []
    # 30/4-01/5/2024: Monday 29/4 off, made up on Saturday 04/5
    assert not workdays.is_working_day(D(2024, 4, 29))
    assert workdays.is_working_day(D(2024, 5, 4))
    # a visit on Thursday 24/4/2025: 15 working days skip 30/4-02/5 and count Saturday 26/4
    assert workdays.notice_due_on(D(2025, 4, 24)) == D(2025, 5, 19)


def test_30_4_and_1_5_around_weekends():
    # 2022: Saturday and Sunday, so Monday 02/5 and Tuesday 03/5 are off in lieu
    assert off(D(2022, 5, 2), D(2022, 5, 3)) == [] and workdays.is_working_day(D(2022, 5, 4))
    # 2021: 01/5 is a Saturday, Monday 03/5 is off in lieu
    assert not workdays.is_working_day(D(2021, 5, 3))
    # 2026: Thursday and Friday
    assert off(D(2026, 4, 30), D(2026, 5, 1)) == [] and workdays.is_working_day(D(2026, 5, 4))
    assert workdays.add_working_days(D(2026, 4, 29), 1) == D(2026, 5, 4)


def test_national_day_around_weekends():
    # 2023: 02/9 a Saturday: Friday 01/9 and Monday 04/9 off
    assert off(D(2023, 9, 1), D(2023, 9, 4)) == [] and workdays.is_working_day(D(2023, 9, 5))
    # 2024: Monday 02/9 and Tuesday 03/9
    assert off(D(2024, 9, 2), D(2024, 9, 3)) == [] and workdays.is_working_day(D(2024, 8, 30))
    # 2025: Monday 01/9 and Tuesday 02/9
    assert workdays.add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)


def test_plain_weeks_and_counting():
    assert workdays.add_working_days(D(2025, 3, 7), 0) == D(2025, 3, 7)
    assert workdays.add_working_days(D(2025, 3, 7), 1) == D(2025, 3, 10)  # Friday -> Monday
    assert workdays.add_working_days(D(2025, 3, 3), 10) == D(2025, 3, 17)
    assert workdays.working_days_between(D(2025, 3, 3), D(2025, 3, 17)) == 10
    assert workdays.working_days_between(D(2025, 3, 17), D(2025, 3, 3)) == -10
    assert workdays.next_working_day(D(2025, 3, 8)) == D(2025, 3, 10)
    with pytest.raises(DomainError):
        workdays.add_working_days(D(2025, 3, 3), -1)


def test_days_off_lists_names_and_flags_unconfirmed():
    listed = {d.day: d for d in workdays.days_off(2025)}
    assert "Tết" in listed[D(2025, 1, 29)].name
    assert listed[D(2025, 4, 26)].worked and listed[D(2025, 4, 26)].confirmed
    assert listed[D(2025, 5, 2)].source == "days_off.toml"
    assert all(not e.confirmed for e in workdays.unconfirmed())
    assert {e.day for e in workdays.unconfirmed(2026)} == {D(2026, 8, 22), D(2026, 8, 31)}


@pytest.fixture
def days_off_file(monkeypatch):
    """Replace the editable file for one test."""
    def use(text: str):
        monkeypatch.setattr(workdays, "_read_file", lambda: text)
        workdays.reload()
    yield use
    monkeypatch.undo()
    workdays.reload()


def test_the_file_has_the_last_word(days_off_file):
    days_off_file("""
[[day_off]]
date = 2025-03-14
name = "Nghỉ thêm"
confirmed = false

[[working_day]]
date = 2025-04-07
name = "Làm việc dù là Giỗ Tổ"

[[working_day]]
date = 2025-03-15
name = "Làm bù"
""")
    assert not workdays.is_working_day(D(2025, 3, 14))  # a Friday given off
    assert workdays.is_working_day(D(2025, 4, 7))  # a holiday worked
    assert workdays.is_working_day(D(2025, 3, 15))  # a Saturday worked
    assert workdays.is_working_day(D(2025, 4, 26))  # the package knows this swap too
    assert workdays.add_working_days(D(2025, 3, 13), 1) == D(2025, 3, 15)  # Friday off, Saturday worked


def test_a_broken_file_is_one_error(days_off_file):
    days_off_file("[[day_off]]\ndate = \"soon\"\n")
    with pytest.raises(DomainError) as info:
        workdays.is_working_day(D(2025, 3, 3))
    assert info.value.key == "days_off_file" and "days_off.toml" in info.value.message()
    days_off_file("[[day_off]\n")
    with pytest.raises(DomainError):
        workdays.add_working_days(D(2025, 3, 3), 1)


def test_notice_state_for_a_given_today():
    held = D(2025, 4, 24)  # due 19/5/2025
    assert notices.state(None, None, D(2025, 6, 1)) is None
    assert notices.state(held, None, D(2025, 5, 2)) == "pending"
    assert notices.state(held, None, D(2025, 5, 12)) == "due_week"
    assert notices.state(held, None, D(2025, 5, 19)) == "due_week"
    assert notices.state(held, None, D(2025, 5, 20)) == "late"
    assert notices.state(held, D(2025, 5, 19), D(2025, 6, 1)) == "issued"
    assert notices.state(held, D(2025, 5, 20), D(2025, 6, 1)) == "issued_late"


def test_notices_late_or_due_this_week(seeded, make):
    today = D(2025, 5, 20)
    plan = make.plan(2025)
    late = make.visit(plan, "SNV", scheduled_on=D(2025, 4, 24), held_on=D(2025, 4, 24))  # due 19/5
    due = make.visit(plan, "STP", scheduled_on=D(2025, 5, 6), held_on=D(2025, 5, 6))  # due 27/5
    make.visit(plan, "SYT", scheduled_on=D(2025, 5, 19), held_on=D(2025, 5, 19))  # due 09/6: not yet
    make.visit(plan, "SCT", scheduled_on=D(2025, 4, 2), held_on=D(2025, 4, 2),
               notice_date=D(2025, 4, 20))  # issued
    make.visit(plan, "SXD", scheduled_on=D(2025, 6, 2))  # planned, not held
    found = notices.notices_due(today)
    assert [(n.visit_id, n.state, n.due_on, n.days_late) for n in found] == [
        (late, "late", D(2025, 5, 19), 1), (due, "due_week", D(2025, 5, 27), 0)]
    assert found[1].working_days_left == 5
    assert notices.notices_due(today, year=2024) == []
    row = inspections.visit_row(late, today)
    assert row.notice_due_on == D(2025, 5, 19)
    assert inspections.visit_row(due, today).notice_due_on == D(2025, 5, 27)


def test_default_due_in_working_days(seeded, make):
    plan = make.plan(2025)
    visit = make.visit(plan, "SNV", scheduled_on=D(2025, 4, 3), held_on=D(2025, 4, 3),
                       notice_date=D(2025, 4, 24))
    assert findings.default_due(visit, 30, D(2025, 5, 1)) == D(2025, 5, 24)
    # 10 working days after Thursday 24/4: 25, 26 (Saturday, made up), 28, 29/4, then 05-09/5, 12/5
    assert findings.default_due(visit, 30, D(2025, 5, 1), working_days=10) == D(2025, 5, 12)
