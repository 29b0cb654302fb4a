"""The roster kept from the keyboard (screen 2): add, edit and end a unit, a
reorganisation through the wizard and its preview (then undone with Ctrl+Z),
and the tasks pending reassignment passed on to a ward; screen and database."""
import datetime as dt

from inspect_tui.rules import findings, reorganisation
from inspect_tui.store.models import Succession, Task, Unit
from inspect_tui.ui.screens.unit_forms import (EndForm, ReassignDialog, ReorganiseForm,
                                               ReorganisePreview, UnitForm)
from inspect_tui.ui.screens.units import UnitsScreen

from ui_helpers import running, screen_text, settle, type_text, press_and_settle, steps, Typed, opens

SIZE = (120, 40)


def roster_text(app) -> str:
    from textual.widgets import Tree
    tree = app.screen.query_one("#roster", Tree)
    lines = []

    def walk(node):
        lines.append(str(node.label))
        for child in node.children:
            walk(child)
    walk(tree.root)
    return "\n".join(lines)


def notes(app) -> str:
    return "\n".join(n.message for n in app._notifications)


def task_at(unit_code: str, visit_id: int, text: str) -> int:
    finding = findings.add(visit_id, "leadership", f"Tồn tại {text}", "setup")
    return findings.add_task(finding.id, f"Khắc phục {text}", dt.date(2026, 6, 30), "setup",
                             dt.date(2026, 3, 16), responsible=unit_code)


async def test_add_edit_and_end_a_unit(fresh_db):
    settings, visit_id = fresh_db
    async with running(settings, size=SIZE) as (app, pilot):
        await opens(pilot, UnitsScreen, "2")

        await opens(pilot, UnitForm, "a")
        await type_text(pilot, "STP")  # taken: said as it is typed
        await settle(pilot)
        assert "STP" in screen_text(app) and isinstance(app.screen, UnitForm)
        await press_and_settle(pilot, *["backspace"] * 3)
        await steps(pilot, Typed("P-ANKHANH"), "tab", "tab", Typed("Phường An Khánh"), "tab",
                    Typed("UBND-TP"), "tab", Typed("01/07/2025"), "ctrl+s")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        unit = Unit.get(Unit.code == "P-ANKHANH")
        assert (unit.name, unit.kind, unit.parent.code, unit.started_on) == (
            "Phường An Khánh", "commune", "UBND-TP", dt.date(2025, 7, 1))
        assert "(Ctrl+Z: hoàn tác)" in notes(app)
        assert "Phường An Khánh P-ANKHANH" in roster_text(app)

        # e on the unit just added (the cursor is on it): a new name
        await press_and_settle(pilot, "e")
        assert isinstance(app.screen, UnitForm), (notes(app), app.focused)
        app.screen.query_one("#name").focus()
        await steps(pilot, "end", "space", Typed("(mới)"), "enter")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        assert Unit.get(Unit.code == "P-ANKHANH").name == "Phường An Khánh (mới)"

        # x on Sở Tư pháp: refused while it holds tasks, then passed to Sở Nội vụ
        task_id = task_at("STP", visit_id, "một")
        app.screen.focus_code = "STP"
        app.screen.reload()
        await settle(pilot)
        await opens(pilot, EndForm, "x")
        assert "Nhiệm vụ chưa xong: 1" in screen_text(app)
        await steps(pilot, "ctrl+a", "ctrl+k", Typed("01/04/2026"), "ctrl+s")
        assert isinstance(app.screen, EndForm)  # refused: the task needs a successor
        assert Unit.get(Unit.code == "STP").ended_on is None
        # takes the suggestion
        await steps(pilot, "tab", Typed("so noi vu"), "enter", "ctrl+s")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        assert Unit.get(Unit.code == "STP").ended_on == dt.date(2026, 4, 1)
        assert Task.get_by_id(task_id).responsible_unit.code == "SNV"


async def test_merge_through_the_wizard_then_undo(fresh_db):
    settings, visit_id = fresh_db
    one, two = task_at("STP", visit_id, "một"), task_at("SNV", visit_id, "hai")
    async with running(settings, size=SIZE) as (app, pilot):
        await opens(pilot, ReorganiseForm, "2", "r")
        # kind: merge (the default); successor picker -> new code
        await steps(pilot, "tab", Typed("01/04/2026"), "tab", Typed("STP"), "enter", Typed("SNV"),
                    "enter", "tab", "tab", Typed("SNV-TP"), "tab",
                    Typed("Sở Nội vụ và Tư pháp"), "enter")
        assert "SNV-TP" in screen_text(app), screen_text(app)
        await press_and_settle(pilot, "ctrl+s")
        assert isinstance(app.screen, ReorganisePreview), (notes(app), app.screen_stack)
        text = screen_text(app)
        assert f"{one} | Khắc phục một | STP | SNV-TP" in text
        assert f"{two} | Khắc phục hai | SNV | SNV-TP" in text
        await press_and_settle(pilot, "ctrl+s")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        assert "(Ctrl+Z: hoàn tác)" in notes(app)
        assert Unit.get(Unit.code == "STP").ended_on == dt.date(2026, 4, 1)
        assert Task.get_by_id(one).responsible_unit.code == "SNV-TP"
        assert "Sở Tư pháp STP" in roster_text(app)  # today is before the merge

        await press_and_settle(pilot, "ctrl+z")
        assert Unit.get_or_none(Unit.code == "SNV-TP") is None
        assert Unit.get(Unit.code == "STP").ended_on is None
        assert Task.get_by_id(one).responsible_unit.code == "STP"
        assert Task.get_by_id(two).responsible_unit.code == "SNV"


async def test_split_assigns_tasks_one_by_one_in_the_preview(fresh_db):
    settings, visit_id = fresh_db
    one, two = task_at("STP", visit_id, "một"), task_at("STP", visit_id, "hai")
    async with running(settings, size=SIZE) as (app, pilot):
        # kind: split; an existing successor ...; ... and a new one
        await steps(pilot, "2", "r", "enter", "down", "down", "enter", "tab", Typed("01/04/2026"),
                    "tab", Typed("STP"), "enter", Typed("SNV"), "tab", "enter", Typed("SNV"),
                    "enter", "tab", Typed("STP-2"), "tab", Typed("Sở Tư pháp mới"), "enter",
                    "ctrl+s")
        assert isinstance(app.screen, ReorganisePreview), screen_text(app)
        assert "chưa giao" in screen_text(app)
        await press_and_settle(pilot, "enter", "enter")  # first task -> first successor (SNV)
        await press_and_settle(pilot, "down", "enter", "down", "enter")  # second -> STP-2
        assert "chưa giao" not in screen_text(app)
        await press_and_settle(pilot, "ctrl+s")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        assert Task.get_by_id(one).responsible_unit.code == "SNV"
        assert Task.get_by_id(two).responsible_unit.code == "STP-2"


async def test_pending_tasks_passed_to_a_ward_at_80x24(fresh_db):
    settings, visit_id = fresh_db
    one, two = task_at("STP", visit_id, "một"), task_at("STP", visit_id, "hai")
    reorganisation.apply(reorganisation.Plan(
        "dissolve", ("STP",), dt.date(2026, 3, 1),
        assignment=reorganisation.Assignment(holder="UBND-TP")), "setup")
    from inspect_tui.rules import units
    units.create("P-NINHKIEU", "Phường Ninh Kiều", "commune", "setup", parent="UBND-TP",
                 started_on=dt.date(2025, 7, 1))
    async with running(settings, size=(80, 24)) as (app, pilot):
        await opens(pilot, ReassignDialog, "2", "g")
        assert "Khắc phục một" in screen_text(app)
        # both marked; to the unit box; takes the suggestion
        await steps(pilot, "space", "space", "enter", Typed("phuong ninh kieu"), "enter", "ctrl+s")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        assert {Task.get_by_id(i).responsible_unit.code for i in (one, two)} == {"P-NINHKIEU"}
        assert "(Ctrl+Z: hoàn tác)" in notes(app)
        assert reorganisation.pending(dt.date(2026, 3, 16)) == []


async def test_rename_through_the_wizard(fresh_db):
    settings, visit_id = fresh_db
    one = task_at("STP", visit_id, "một")
    async with running(settings, size=SIZE) as (app, pilot):
        await opens(pilot, ReorganiseForm, "2", "r")
        await press_and_settle(pilot, "enter", "down", "enter")  # kind: rename
        assert app.screen.query_one("#kind").value == "rename"
        # by name, diacritics optional
        await steps(pilot, "tab", Typed("01/04/2026"), "tab", Typed("so tu phap"), "enter")
        assert app.screen.sources == ["STP"], screen_text(app)
        # successor picker -> new code
        await steps(pilot, "tab", "tab", Typed("STP-MOI"), "tab", Typed("Sở Tư pháp (tên mới)"),
                    "enter", "ctrl+s")
        assert isinstance(app.screen, ReorganisePreview), (notes(app), screen_text(app))
        assert f"{one} | Khắc phục một | STP | STP-MOI" in screen_text(app)
        await press_and_settle(pilot, "ctrl+s")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        assert "(Ctrl+Z: hoàn tác)" in notes(app)
        old, new = Unit.get(Unit.code == "STP"), Unit.get(Unit.code == "STP-MOI")
        assert old.ended_on == dt.date(2026, 4, 1)
        assert (new.name, new.started_on) == ("Sở Tư pháp (tên mới)", dt.date(2026, 4, 1))
        links = [(s.predecessor.code, s.successor.code, s.kind, s.takes_open_tasks)
                 for s in Succession.select()]
        assert ("STP", "STP-MOI", "rename", True) in links
        assert Task.get_by_id(one).responsible_unit.code == "STP-MOI"
        # the roster on a day after the change shows the new name only
        from inspect_tui.rules import units
        after = {r.code for r in units.roster(on=dt.date(2026, 4, 1))}
        assert "STP-MOI" in after and "STP" not in after
        assert "STP" in {r.code for r in units.roster(on=dt.date(2026, 3, 31))}


async def test_dissolve_into_a_holder_at_80x24(fresh_db):
    settings, visit_id = fresh_db
    one, two = task_at("STP", visit_id, "một"), task_at("STP", visit_id, "hai")
    async with running(settings, size=(80, 24)) as (app, pilot):
        await opens(pilot, ReorganiseForm, "2", "r")
        await press_and_settle(pilot, "enter", "down", "down", "down", "enter")  # kind: dissolve
        assert app.screen.query_one("#kind").value == "dissolve"
        await steps(pilot, "tab", Typed("01/04/2026"), "tab", Typed("STP"), "enter")
        # no successor: successor, new code, new name, new kind, "all to" -> holder
        await press_and_settle(pilot, "tab", "tab", "tab", "tab", "tab", "tab")
        assert app.focused.id == "holder", app.focused
        await type_text(pilot, "UBND-TP")
        await press_and_settle(pilot, "ctrl+s")
        assert isinstance(app.screen, ReorganisePreview), (notes(app), screen_text(app))
        text = screen_text(app)
        assert f"{one} | Khắc phục một | STP | UBND-TP" in text, text
        assert f"{two} | Khắc phục hai | STP | UBND-TP" in text
        await press_and_settle(pilot, "ctrl+s")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        assert "(Ctrl+Z: hoàn tác)" in notes(app)
        assert Unit.get(Unit.code == "STP").ended_on == dt.date(2026, 4, 1)
        links = [(s.predecessor.code, s.successor.code, s.kind) for s in Succession.select()
                 .where(Succession.on_date == dt.date(2026, 4, 1))]
        assert links == [("STP", "UBND-TP", "hold")]
        assert {Task.get_by_id(i).responsible_unit.code for i in (one, two)} == {"UBND-TP"}
        held = reorganisation.pending(dt.date(2026, 4, 2))
        assert {(p.task_id, p.from_code, p.holder_code) for p in held} == {
            (one, "STP", "UBND-TP"), (two, "STP", "UBND-TP")}
