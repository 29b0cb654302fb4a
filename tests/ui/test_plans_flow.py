"""A team records a year's inspections from the keyboard: a plan, its team,
its visits, a visit's outcome and next year's plan; checked on screen and in
the database."""
import datetime as dt

from textual.widgets import DataTable, Static

from inspect_tui.store.models import Plan, TeamMember, Unit, Visit
from inspect_tui.ui.screens.plan_forms import (MemberForm, NextYearForm, PlanForm, VisitAddForm,
                                               VisitOutcomeForm)
from inspect_tui.ui.screens.plans import PlansScreen
from inspect_tui.ui.screens.visit import VisitScreen

from ui_helpers import running, screen_text, settle, type_text, press_and_settle, steps, Typed, opens

SIZE = (120, 40)


def cursor_key(app, table_id: str) -> str:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def field_note(app, field_id: str) -> Static:
    """What a field (or a unit field) says under its box."""
    return app.screen.query_one(f"#{field_id}").query_one(".field-note", Static)


def form_error(app) -> str:
    return str(app.screen.query_one("#form-error", Static).render())


async def test_record_a_year_of_inspections_from_the_keyboard(fresh_db):
    settings, _ = fresh_db
    async with running(settings, size=SIZE) as (app, pilot):
        await opens(pilot, PlansScreen, "3")

        # n: a new thematic plan for 2026 (the year is prefilled with this year's).
        await opens(pilot, PlanForm, "n")
        # kind: Chuyên đề
        await steps(pilot, "tab", Typed("45/KH-UBND"), "tab", Typed("15/01/2026"),
                    "tab", "enter", "down", "enter", "ctrl+s")
        assert isinstance(app.screen, PlansScreen)
        plan = Plan.get(Plan.number == "45/KH-UBND")
        assert (plan.year, plan.level, plan.kind, plan.issued_on, plan.issuer_id) == (
            2026, "city", "thematic", dt.date(2026, 1, 15), None)
        assert "2026 | Cấp thành phố | 45/KH-UBND | Chuyên đề | 0" in screen_text(app)
        assert cursor_key(app, "plans") == str(plan.id)
        assert any("45/KH-UBND" in n.message for n in app._notifications)

        # m: the leader (the default role of a plan's first member) ...
        await opens(pilot, MemberForm, "m")
        await steps(pilot, Typed("Nguyễn Văn An"), "tab", "tab", Typed("Phó Giám đốc"), "tab",
                    Typed("Sở Nội vụ"), "enter")
        assert isinstance(app.screen, PlansScreen)
        # ... then the secretary; a second leader is refused in the form first.
        # member -> leader
        await steps(pilot, "m", Typed("Trần Thị Bình"), "tab", "enter", "up", "up", "enter",
                    "ctrl+s")
        assert isinstance(app.screen, MemberForm)
        assert form_error(app) == "Đoàn kiểm tra chỉ có một Trưởng đoàn."
        assert TeamMember.select().where(TeamMember.plan == plan).count() == 1
        await press_and_settle(pilot, "enter", "down", "down", "down", "enter")  # leader -> secretary
        await opens(pilot, PlansScreen, "ctrl+s")
        team = screen_text(app)
        assert "Trưởng đoàn: Nguyễn Văn An, Phó Giám đốc" in team
        assert "Thư ký: Trần Thị Bình" in team
        assert any(n.message == "Đã thêm Trần Thị Bình (Thư ký) vào đoàn kiểm tra. (Ctrl+Z: hoàn tác)"
                   for n in app._notifications)
        members = {m.name: (m.role, m.title, m.organisation)
                   for m in TeamMember.select().where(TeamMember.plan == plan)}
        assert members == {"Nguyễn Văn An": ("leader", "Phó Giám đốc", "Sở Nội vụ"),
                           "Trần Thị Bình": ("secretary", "", "")}

        # v: a unit code that does not exist is named beside the field; nothing saved.
        await opens(pilot, VisitAddForm, "v")
        await type_text(pilot, "KHONG-CO")
        await settle(pilot)
        note = field_note(app, "unit-field")
        assert str(note.render()) == 'Không có đơn vị mã "KHONG-CO".'
        assert note.has_class("field-error")
        await opens(pilot, VisitAddForm, "enter")
        assert form_error(app) == "Hãy sửa các trường báo lỗi; chưa có gì được lưu."
        assert Visit.select().where(Visit.plan == plan).count() == 0
        await press_and_settle(pilot, "ctrl+a", "ctrl+k")
        await type_text(pilot, "SNV")
        await settle(pilot)
        assert str(field_note(app, "unit-field").render()) == "Sở Nội vụ"  # the unit's name
        await steps(pilot, "tab", Typed("15/4/2026"), "enter")
        assert isinstance(app.screen, PlansScreen)
        snv = Visit.select().join(Unit).where((Visit.plan == plan) & (Unit.code == "SNV")).get()
        assert (snv.scheduled_on, snv.status) == (dt.date(2026, 4, 15), "planned")
        assert cursor_key(app, "plan-visits") == str(snv.id)

        await steps(pilot, "v", Typed("STC"), "tab", Typed("20/5/2026"), "enter")
        visits = list(Visit.select().where(Visit.plan == plan).order_by(Visit.id))
        assert [(v.unit.code, v.scheduled_on) for v in visits] == [
            ("SNV", dt.date(2026, 4, 15)), ("STC", dt.date(2026, 5, 20))]
        stc = visits[1]
        shown = screen_text(app)
        assert "Sở Nội vụ | 15/4/2026 | Kế hoạch" in shown
        assert "Sở Tài chính | 20/5/2026 | Kế hoạch" in shown
        assert "2026 | Cấp thành phố | 45/KH-UBND | Chuyên đề | 2" in shown
        assert cursor_key(app, "plan-visits") == str(stc.id)

        # Enter opens the visit under the cursor; r records its outcome.
        await press_and_settle(pilot, "enter")
        assert isinstance(app.screen, VisitScreen) and app.screen.visit_id == stc.id
        await opens(pilot, VisitOutcomeForm, "r")
        # planned -> held; before the visit: refused
        await steps(pilot, "enter", "down", "enter", "tab", Typed("10/3/2026"), "tab",
                    Typed("Biên bản kiểm tra ngày 10/3/2026"), "tab", Typed("50/TB-UBND"),
                    "tab", Typed("05/3/2026"), "tab",
                    Typed("Đơn vị thực hiện tốt công tác CCHC"), "enter")
        assert isinstance(app.screen, VisitOutcomeForm)
        assert form_error(app) == "Ngày thông báo kết luận không thể trước ngày kiểm tra."
        unchanged = Visit.get_by_id(stc.id)
        assert (unchanged.status, unchanged.held_on, unchanged.notice_number,
                unchanged.notice_date, unchanged.assessment) == ("planned", None, "", None, "")
        await steps(pilot, "shift+tab", "ctrl+a", "ctrl+k", Typed("13/3/2026"), "enter")
        assert isinstance(app.screen, VisitScreen)
        facts = str(app.screen.query_one("#visit-facts", Static).render())
        assert "Sở Tài chính — Đã kiểm tra" in facts
        assert "Ngày kiểm tra: 10/3/2026" in facts
        assert "Thông báo kết luận: 50/TB-UBND 13/3/2026" in facts
        assert any(n.message == "Đã ghi kết quả kiểm tra. (Ctrl+Z: hoàn tác)" for n in app._notifications)
        held = Visit.get_by_id(stc.id)
        assert (held.status, held.held_on, held.minutes_ref, held.notice_number,
                held.notice_date, held.assessment) == (
            "held", dt.date(2026, 3, 10), "Biên bản kiểm tra ngày 10/3/2026", "50/TB-UBND",
            dt.date(2026, 3, 13), "Đơn vị thực hiện tốt công tác CCHC")

        # A held visit can no longer move: its form offers only "held".
        await press_and_settle(pilot, "r")
        assert [str(p) for p, _ in app.screen.query_one("#status")._options] == ["Đã kiểm tra"]
        await press_and_settle(pilot, "escape")

        # y: next year's plan from this one, shown selected, with team and visits.
        await opens(pilot, PlansScreen, "escape")
        await opens(pilot, NextYearForm, "y")
        await steps(pilot, Typed("05/KH-UBND"), "tab", Typed("12/01/2027"), "enter")
        assert isinstance(app.screen, PlansScreen)
        nxt = Plan.get(Plan.year == 2027)
        assert (nxt.number, nxt.issued_on, nxt.kind, nxt.derived_from_id) == (
            "05/KH-UBND", dt.date(2027, 1, 12), "thematic", plan.id)
        assert cursor_key(app, "plans") == str(nxt.id)
        shown = screen_text(app)
        assert "2027 | Cấp thành phố | 05/KH-UBND | Chuyên đề | 2" in shown
        assert "Trưởng đoàn: Nguyễn Văn An" in shown and "Thư ký: Trần Thị Bình" in shown
        assert "Sở Nội vụ |" in shown and "Sở Tài chính |" in shown
        assert any("Đã lập kế hoạch năm 2027" in n.message for n in app._notifications)
    carried = {m.name: m.role for m in TeamMember.select().where(TeamMember.plan == nxt)}
    assert carried == {"Nguyễn Văn An": "leader", "Trần Thị Bình": "secretary"}
    assert sorted((v.unit.code, v.status) for v in Visit.select().where(Visit.plan == nxt)) == [
        ("SNV", "planned"), ("STC", "planned")]


async def test_a_unit_plan_needs_a_known_issuing_unit(fresh_db):
    settings, _ = fresh_db
    plans_before = Plan.select().count()
    async with running(settings, size=(80, 24)) as (app, pilot):
        await opens(pilot, PlanForm, "3", "n")
        assert app.screen.query_one("#issuer").disabled  # a city plan has no issuing unit
        # level: unit; merged away in 2025: gone in 2026
        await steps(pilot, "tab", Typed("07/KH-SNV"), "tab", "tab", "tab", "enter", "down", "enter",
                    "tab", Typed("SKHDT"))
        await settle(pilot)
        assert str(field_note(app, "issuer-field").render()) == \
            "Đơn vị SKHDT không hoạt động trong năm 2026."
        await opens(pilot, PlanForm, "enter")
        assert Plan.select().count() == plans_before
        await press_and_settle(pilot, "ctrl+a", "ctrl+k")
        await type_text(pilot, "SNV")
        await settle(pilot)
        assert str(field_note(app, "issuer-field").render()) == "Sở Nội vụ"
        await opens(pilot, PlansScreen, "enter")
        plan = Plan.get(Plan.number == "07/KH-SNV")
        assert "Cấp sở, ngành, địa phương | 07/KH-SNV" in screen_text(app)
        assert cursor_key(app, "plans") == str(plan.id)
    assert (plan.level, plan.issuer.code, plan.issued_on) == ("unit", "SNV", None)


async def test_starting_next_year_again_adds_only_what_is_missing(demo_db):
    async with running(demo_db, size=SIZE) as (app, pilot):
        await press_and_settle(pilot, "3")
        source = Plan.get_by_id(app.screen.plan_id)  # this year's plan, at the top
        await steps(pilot, "y", Typed("01/KH-UBND"), "enter")
        nxt = Plan.get((Plan.derived_from == source) & (Plan.year == source.year + 1))
        visits = Visit.select().where(Visit.plan == nxt).count()
        assert cursor_key(app, "plans") == str(nxt.id)
        # From the same source again: the form says so and keeps the number.
        await press_and_settle(pilot, "down")
        assert app.screen.plan_id == source.id
        await opens(pilot, NextYearForm, "y")
        assert "đã được lập (số 01/KH-UBND)" in screen_text(app)
        assert app.screen.query_one("#number").disabled
        await opens(pilot, PlansScreen, "enter")
        assert cursor_key(app, "plans") == str(nxt.id)
        assert app._notifications and any(
            n.message.startswith(f"Đã bổ sung kế hoạch năm {nxt.year}") for n in app._notifications)
    assert Plan.select().where(Plan.derived_from == source).count() == 1
    assert Visit.select().where(Visit.plan == nxt).count() == visits
