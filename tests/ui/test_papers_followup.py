"""Issue 12 in the terminal app: drafting papers (p on a visit, d and b on the
overview), checking what earlier visits left open (k, o; Ctrl+Z), repeated
findings marked, late conclusion notices shown, strengths and representatives
in the visit's outcome form. Every test drives keys and looks at both the
screen and the database (or the .docx written)."""
import datetime as dt
from contextlib import asynccontextmanager

import docx

from inspect_tui.locale import formats

from inspect_tui.rules import followup, inspections, notices
from inspect_tui.store.models import Finding, ItemCheck, Task, Visit
from inspect_tui.ui.screens.forms import ChoicePrompt
from inspect_tui.ui.screens.plan_forms import VisitOutcomeForm
from inspect_tui.ui.screens.visit import VisitScreen
from ui_helpers import TODAY, running, screen_text, settle, type_text, press, press_and_settle, opens


def _said(app) -> str:
    return "\n".join(n.message for n in app._notifications)


def _visit_with_open_items():
    for visit in Visit.select().where(Visit.status.in_(followup.CHECKABLE_VISITS)).order_by(Visit.id):
        items = [i for i in followup.open_items(visit.id, TODAY) if i.check is None
                 and i.status in ("open", "in_progress")]
        if items:
            return visit, items[0]
    raise AssertionError("the demo has no visit with open items")


@asynccontextmanager
async def on_the_visit(fresh_db):
    """The app at 80x24 on the fresh database's held visit: (app, pilot)."""
    settings, visit_id = fresh_db
    async with running(settings, size=(80, 24)) as (app, pilot):
        app.open_visit(visit_id)
        await settle(pilot)
        yield app, pilot


async def _cursor_to(pilot, app, key: str) -> None:
    table = app.screen.query_one("#findings")
    table.focus()
    await press(pilot, "home")
    for _ in range(table.get_row_index(key)):
        await press(pilot, "down")
    await settle(pilot)


async def test_k_and_o_record_open_items_one_change_each(demo_db):
    visit, item = _visit_with_open_items()
    async with running(demo_db, size=(80, 24)) as (app, pilot):
        app.open_visit(visit.id)
        await settle(pilot)
        assert isinstance(app.screen, VisitScreen)
        shown = screen_text(app)
        assert "Việc lần trước còn mở" in shown and item.description[:20] in shown
        await press_and_settle(pilot, "k")  # on a finding: nothing happens but a hint
        assert "Đưa con trỏ tới một việc" in _said(app)
        assert not ItemCheck.select().where(ItemCheck.visit == visit.id).exists()

        await _cursor_to(pilot, app, f"c{item.task_id}")
        await press_and_settle(pilot, "k")
        check = ItemCheck.get((ItemCheck.visit == visit.id) & (ItemCheck.task == item.task_id))
        assert check.result == "verified"
        assert Task.get_by_id(item.task_id).status == "verified"
        assert f"Nhiệm vụ {item.task_id}: Đã khắc phục. (Ctrl+Z: hoàn tác)" in _said(app)
        row = app.screen.query_one("#findings").get_row(f"c{item.task_id}")
        assert "Đã khắc phục" in str(row[-1])

        await press_and_settle(pilot, "ctrl+z")  # the whole check, the task's moves and its note
        assert not ItemCheck.select().where(ItemCheck.visit == visit.id).exists()
        assert Task.get_by_id(item.task_id).status == item.status

        await press_and_settle(pilot, "o")
        check = ItemCheck.get((ItemCheck.visit == visit.id) & (ItemCheck.task == item.task_id))
        assert check.result == "still_open"
        assert Task.get_by_id(item.task_id).status == item.status
        assert "Chưa khắc phục" in str(app.screen.query_one("#findings").get_row(f"c{item.task_id}")[-1])
        assert "đã kiểm tra 1" in screen_text(app)


async def test_p_drafts_the_visits_minutes_and_notice(fresh_db):
    settings, _ = fresh_db
    async with on_the_visit(fresh_db) as (app, pilot):
        await opens(pilot, ChoicePrompt, "p")
        await press_and_settle(pilot, "down", "enter")  # minutes; the draft worker, then its notification
        minutes = list(settings.export_dir.glob("bien-ban-kiem-tra-*.docx"))
        assert len(minutes) == 1
        assert f"Đã soạn biên bản kiểm tra: {minutes[0]}" in _said(app)
        await press_and_settle(pilot, "p", "enter")  # the notice, first in the list; the draft worker, then its notification
        notice = list(settings.export_dir.glob("thong-bao-ket-luan-*.docx"))
        assert len(notice) == 1 and str(notice[0]) in _said(app)
    text = "\n".join(p.text for p in docx.Document(notice[0]).paragraphs)
    assert "THÔNG BÁO" in text and "Sở Tư pháp" in text
    assert "BIÊN BẢN" in "\n".join(p.text for p in docx.Document(minutes[0]).paragraphs)


async def test_overview_drafts_reminders_and_the_years_report(demo_db):
    async with running(demo_db, size=(80, 24)) as (app, pilot):
        await press_and_settle(pilot, "d")
        folder = demo_db.export_dir / f"cong-van-don-doc-ngay-{TODAY.isoformat()}"
        letters = sorted(folder.glob("*.docx"))
        assert letters and f"Đã soạn {len(letters)} công văn đôn đốc trong {folder}" in _said(app)
        await opens(pilot, ChoicePrompt, "b")
        assert "Năm 2025" in screen_text(app)
        await press_and_settle(pilot, "down", "enter")  # the year before the latest with visits held
        report = demo_db.export_dir / "bao-cao-kiem-tra-cchc-2025.docx"
        assert report.exists() and f"Đã soạn báo cáo năm: {report}" in _said(app)
    assert "2025" in "\n".join(p.text for p in docx.Document(report).paragraphs)
    assert "Kính gửi:" in "\n".join(p.text for p in docx.Document(letters[0]).paragraphs)


async def test_outcome_form_records_strengths_and_representatives(fresh_db):
    _, visit_id = fresh_db
    async with on_the_visit(fresh_db) as (app, pilot):
        await opens(pilot, VisitOutcomeForm, "r")
        app.screen.query_one("#strengths").focus()
        await type_text(pilot, "Niêm yết TTHC đầy đủ")
        await press(pilot, "tab")
        await type_text(pilot, "Lê Văn An, Giám đốc")
        await press(pilot, "enter")  # a new line, not a save
        await type_text(pilot, "Trần Thị Bé, Chánh Văn phòng")
        assert isinstance(app.screen, VisitOutcomeForm)
        await opens(pilot, VisitScreen, "ctrl+s")
        assert "Đã ghi kết quả kiểm tra. (Ctrl+Z: hoàn tác)" in _said(app)
    row = inspections.visit_row(visit_id, TODAY)
    assert row.strengths == "Niêm yết TTHC đầy đủ"
    assert row.representatives == "Lê Văn An, Giám đốc\nTrần Thị Bé, Chánh Văn phòng"


async def test_repeated_findings_marked_on_the_visit_and_counted_on_the_unit_page(demo_db):
    finding = Finding.select().where(Finding.repeats.is_null(False)).order_by(Finding.id).first()
    visit = finding.visit
    counts = followup.repeated_by_unit(unit=visit.unit.code)[0]
    async with running(demo_db, size=(120, 40)) as (app, pilot):
        app.open_visit(visit.id)
        await settle(pilot)
        row = app.screen.query_one("#findings").get_row(f"f{finding.id}")
        assert str(row[1]).startswith("(Lặp lại) ")
        await press(pilot, "escape")
        app.open_unit(visit.unit.code)
        await settle(pilot)
        shown = screen_text(app)
        assert f"Tồn tại lặp lại: {counts.repeated} trên {counts.findings} tồn tại" in shown
        assert "(Lặp lại) " + finding.description[:30] in shown


async def test_late_notice_on_the_overview_and_in_the_plans_visit_list(fresh_db):
    settings, _ = fresh_db
    plan = inspections.plans()[0]
    late = inspections.add_visit(plan.id, "SNV", "setup", scheduled_on=dt.date(2026, 1, 5))
    inspections.update_visit(late, "setup", status="held", held_on=dt.date(2026, 1, 5))
    due = notices.due_on(dt.date(2026, 1, 5))
    assert notices.state(dt.date(2026, 1, 5), None, TODAY) == "late"
    day = formats.date(due)
    async with running(settings, size=(120, 40)) as (app, pilot):
        shown = screen_text(app)
        assert "Thông báo kết luận quá hạn · Sở Nội vụ" in shown
        await press_and_settle(pilot, "3")
        await press_and_settle(pilot, "enter")  # the plan's visits
        assert f"Quá hạn TB ({day})" in screen_text(app)
        await press_and_settle(pilot, "1")
        app.screen.query_one("#notices-due").focus()
        await press_and_settle(pilot, "home", "enter")  # opens the visit
        assert isinstance(app.screen, VisitScreen) and app.screen.visit_id == late
        assert "Thông báo kết luận quá hạn" in screen_text(app)
